// The timer scenario's shared harness: the same workload for every queue.
//   arm         — 1,000,000 pending; arm a batch of 1,000 more (their cancel is not timed)
//   cancel      — 1,000,000 pending; cancel 1,000 picked at random among them (re-arming them is not timed)
//   arm_cancel  — 1,000,000 pending; cancel one and arm one (a busy host: most timers die cancelled)
//   expire_all  — arm 1,000,000, then pop them all; order is checked (due, then arming order)
// A queue Q provides: handle arm(ticks due, std::uint64_t id); bool cancel(handle);
// bool pop_due(ticks now, ticks& due, std::uint64_t& id); std::size_t size().
#pragma once

#include "../common/smoke.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <random>
#include <vector>

namespace timer_bench {

using ticks = std::int64_t;
/// Timers pending throughout: 1,000,000 (10,000 in a smoke run).
inline std::size_t pending_count() { return careflow_bench::scaled(1'000'000, 10'000); }
inline constexpr std::size_t batch = 1000;
inline constexpr ticks horizon = 3'600'000'000; // an hour of microseconds

/// A broken queue stops the run (and fails the CTest smoke run): no number is reported for it.
[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "timer benchmark: %s\n", what);
    std::abort();
}

/// Per iteration, among `pending` timers: arm a batch of `batch` new ones (timed when
/// `time_cancel` is false) and cancel the batch again (not timed); or cancel `batch`
/// timers picked at random among all pending ones — armed long before, as a host's SLA
/// timers are when a call is answered — (timed when `time_cancel` is true) and re-arm as
/// many (not timed). Manual time: only the measured half counts.
template <class Q>
void batch_op(benchmark::State& state, bool time_cancel) {
    const std::size_t pending = pending_count();
    Q q;
    std::mt19937_64 rng(9);
    std::vector<typename Q::handle> all;
    all.reserve(pending);
    for (std::size_t i = 0; i < pending; ++i) all.push_back(q.arm(static_cast<ticks>(rng() % horizon), i));
    std::vector<typename Q::handle> handles(batch);
    std::vector<std::size_t> picks(batch);
    std::vector<ticks> dues(batch);
    for (auto _ : state) {
        for (auto& d : dues) d = static_cast<ticks>(rng() % horizon);
        if (!time_cancel) {
            const auto t0 = std::chrono::steady_clock::now();
            for (std::size_t k = 0; k < batch; ++k) handles[k] = q.arm(dues[k], pending + k);
            const auto t1 = std::chrono::steady_clock::now();
            for (std::size_t k = 0; k < batch; ++k) q.cancel(handles[k]);
            state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
        } else {
            // `batch` distinct positions: a random start, a stride coprime with `pending`.
            const std::size_t start = rng() % pending;
            for (std::size_t k = 0; k < batch; ++k) picks[k] = (start + k * 7919) % pending;
            const auto t0 = std::chrono::steady_clock::now();
            for (std::size_t k = 0; k < batch; ++k)
                if (!q.cancel(all[picks[k]])) fail("cancel missed a pending timer");
            const auto t1 = std::chrono::steady_clock::now();
            for (std::size_t k = 0; k < batch; ++k) all[picks[k]] = q.arm(dues[k], picks[k]);
            state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
        }
        benchmark::ClobberMemory();
    }
    if (q.size() != pending) fail("lost timers");
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
}

template <class Q>
void arm_cancel(benchmark::State& state) {
    const std::size_t pending = pending_count();
    Q q;
    std::mt19937_64 rng(9);
    std::vector<typename Q::handle> handles;
    handles.reserve(pending);
    for (std::size_t i = 0; i < pending; ++i) handles.push_back(q.arm(static_cast<ticks>(rng() % horizon), i));
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i++ % pending;
        q.cancel(handles[k]);
        handles[k] = q.arm(static_cast<ticks>(rng() % horizon), k);
    }
    benchmark::DoNotOptimize(q.size());
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <class Q>
void expire_all(benchmark::State& state) {
    const std::size_t pending = pending_count();
    for (auto _ : state) {
        state.PauseTiming();
        Q q;
        std::mt19937_64 rng(9);
        for (std::size_t i = 0; i < pending; ++i) q.arm(static_cast<ticks>(rng() % horizon), i);
        state.ResumeTiming();
        ticks due = 0, last = std::numeric_limits<ticks>::min();
        std::uint64_t id = 0, last_id = 0;
        std::size_t n = 0;
        while (q.pop_due(horizon, due, id)) {
            // Exact order: by due time, then by arming order (ids are armed in order).
            if (due < last || (due == last && id < last_id)) fail("expired out of order");
            last = due;
            last_id = id;
            ++n;
        }
        if (n != pending) fail("lost timers");
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(pending));
}

} // namespace timer_bench

/// Registers the scenario's benchmarks for queue type Q as "<name>_arm_cancel" and "<name>_expire_all".
#define CAREFLOW_TIMER_BENCH(Q, name)                                                                                  \
    static void name##_arm(benchmark::State& s) { timer_bench::batch_op<Q>(s, false); }                                \
    static void name##_cancel(benchmark::State& s) { timer_bench::batch_op<Q>(s, true); }                              \
    static void name##_arm_cancel(benchmark::State& s) { timer_bench::arm_cancel<Q>(s); }                              \
    static void name##_expire_all(benchmark::State& s) { timer_bench::expire_all<Q>(s); }                              \
    BENCHMARK(name##_arm)->UseManualTime();                                                                            \
    BENCHMARK(name##_cancel)->UseManualTime();                                                                         \
    BENCHMARK(name##_arm_cancel);                                                                                      \
    BENCHMARK(name##_expire_all)->Unit(benchmark::kMillisecond)->Iterations(3)
