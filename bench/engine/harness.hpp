// The engine scenario's shared harness: 100,000 hotline calls on one host, their inputs
// interleaved in random order while the clock moves, the same work for every host
// (bench/engine/<host>.cpp).
//
// The call (both hosts implement exactly this):
//   ringing     the ring timer fires every 5 s, at most 3 times; the `answer` SLA clock
//               (goal 15 s) starts on entering and stops on leaving (met, or late)
//               answer {operator} -> talking.assessment
//   assessment  assess(u) [u >= 2] / urgency = u -> counseling;  assess(u) / urgency = u -> resolution
//   counseling  resolve -> resolution
//   any         hang_up -> ended (final; cancels the SLA clock if still ringing)
// Each case gets answer, assess, resolve, hang_up; the inputs of all cases are shuffled
// (each case's own kept in order) and the clock moves 100 ms every 1,000 inputs, so
// calls left ringing hear their ring timer and breach their SLA. Both hosts journal
// every input, timer fire and SLA change. Before timing, the hosts' final states, timer
// fires and SLA breaches are compared; a mismatch aborts (the CTest smoke run fails).
#pragma once

#include "../common/smoke.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace engine_bench {

using ticks = std::int64_t;
inline constexpr ticks second = 1'000'000;
/// 100,000 cases (2,000 in a smoke run).
inline std::size_t cases() { return careflow_bench::scaled(100'000, 2'000); }
inline constexpr std::size_t inputs_per_tick = 1000;
inline constexpr ticks tick = 100'000; // 100 ms

enum class in : std::uint8_t { answer, assess, resolve, hang_up };
struct input {
    std::uint32_t c;
    in kind;
    std::uint8_t urgency;
};
/// The inputs, shuffled; the clock at input i is t0 + (i / inputs_per_tick + 1) * tick.
const std::vector<input>& the_inputs();

/// What a host reports after the run, for the cross-check.
struct summary {
    std::vector<std::uint8_t> final_states; ///< 0 ringing, 1 assessment, 2 counseling, 3 resolution, 4 ended
    std::size_t timer_fires = 0;
    std::size_t breaches = 0;
    std::size_t journal = 0;
};

/// A host H provides: explicit H(std::size_t cases) — every case started at t0 (not
/// timed); void run(const std::vector<input>&) — the timed work; summary report() const.
template <class H>
void run_host(benchmark::State& state, const char* name);

summary reference(); // the hand-coded host's summary

template <class H>
void run_host(benchmark::State& state, const char* name) {
    static bool checked = false;
    if (!checked) {
        H h(cases());
        h.run(the_inputs());
        const summary got = h.report(), want = reference();
        if (got.final_states != want.final_states || got.timer_fires != want.timer_fires ||
            got.breaches != want.breaches) {
            std::fprintf(stderr, "%s: fires %zu breaches %zu, the reference %zu %zu; states %s\n", name,
                         got.timer_fires, got.breaches, want.timer_fires, want.breaches,
                         got.final_states == want.final_states ? "agree" : "differ");
            std::abort();
        }
        checked = true;
    }
    for (auto _ : state) {
        auto* h = new H(cases());
        const auto t0 = std::chrono::steady_clock::now();
        h->run(the_inputs());
        benchmark::ClobberMemory();
        const auto t1 = std::chrono::steady_clock::now();
        state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
        delete h;
    }
    const summary s = reference(); // the cross-check made sure every host matches it
    state.counters["timer_fires"] = static_cast<double>(s.timer_fires);
    state.counters["breaches"] = static_cast<double>(s.breaches);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * the_inputs().size()));
}

} // namespace engine_bench

#define CAREFLOW_ENGINE_BENCH(H, name)                                                                                 \
    static void name##_100k_cases(benchmark::State& s) { engine_bench::run_host<H>(s, #name); }                        \
    BENCHMARK(name##_100k_cases)->UseManualTime()->Unit(benchmark::kMillisecond)
