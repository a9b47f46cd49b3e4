// The timer scenario's shared harness: the same workload for every queue.
//   arm_cancel  — 1,000,000 pending; cancel one and arm one (a busy host: most timers die cancelled)
//   expire_all  — arm 1,000,000, then pop them all; order is checked (due, then arming order)
// A queue Q provides: handle arm(ticks due, std::uint64_t id); bool cancel(handle);
// bool pop_due(ticks now, ticks& due, std::uint64_t& id); std::size_t size().
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace timer_bench {

using ticks = std::int64_t;
inline constexpr std::size_t pending = 1'000'000;
inline constexpr ticks horizon = 3'600'000'000; // an hour of microseconds

template <class Q>
void arm_cancel(benchmark::State& state) {
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
            if (due < last || (due == last && id < last_id)) state.SkipWithError("out of order");
            last = due;
            last_id = id;
            ++n;
        }
        if (n != pending) state.SkipWithError("lost timers");
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(pending));
}

} // namespace timer_bench

/// Registers the scenario's benchmarks for queue type Q as "<name>_arm_cancel" and "<name>_expire_all".
#define CAREFLOW_TIMER_BENCH(Q, name)                                                                                  \
    static void name##_arm_cancel(benchmark::State& s) { timer_bench::arm_cancel<Q>(s); }                              \
    static void name##_expire_all(benchmark::State& s) { timer_bench::expire_all<Q>(s); }                              \
    BENCHMARK(name##_arm_cancel);                                                                                      \
    BENCHMARK(name##_expire_all)->Unit(benchmark::kMillisecond)->Iterations(3)
