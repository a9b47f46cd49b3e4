// The dispatch scenario's shared harness: one hotline call machine, one trace, the same
// work for every implementation (bench/dispatch/<implementation>.cpp).
//
// The machine (each implementation encodes exactly this):
//   ringing      ring [rings < 3] / rings += 1   (stays)     ring [else] -> missed
//                answer -> registration                      hang_up -> missed
//   talking      (compound: registration, assessment, transfer, resolution, counseling)
//                hang_up -> record                           (from any in-call state)
//     registration  register -> assessment
//     assessment    assess(u) [u >= 2] / urgency = u -> transfer
//                   assess(u)          / urgency = u -> resolution
//     transfer      accept -> counseling
//     resolution    resolve -> record
//     counseling    finish -> record
//   record       recorded -> ended
//   ended, missed   final
// Any other event in a state is ignored.
//
// Two ways to drive it:
//   trace        1,000 episodes (~8 events each, urgency varies), one case at a time
//   interleaved  100,000 cases (episode c % 1000 for case c), every event of every case
//                in one shuffled order that keeps each case's own events in order
// An implementation I provides:
//   struct I::fleet { explicit fleet(std::size_t cases); void dispatch(std::uint32_t c, const event&);
//                     st state(std::uint32_t c) const; };
// Before timing, every implementation's final states are checked against the reference
// (bench/dispatch/switch.cpp); a mismatch aborts the run (the CTest smoke run fails).
#pragma once

#include "../common/smoke.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace dispatch_bench {

enum class ev : std::uint8_t { ring, answer, register_, assess, accept, resolve, finish, recorded, hang_up };
enum class st : std::uint8_t {
    ringing,
    registration,
    assessment,
    transfer,
    resolution,
    counseling,
    record,
    ended,
    missed
};
inline constexpr const char* event_names[] = {"ring",    "answer", "register", "assess", "accept",
                                              "resolve", "finish", "recorded", "hang_up"};
inline constexpr const char* state_names[] = {"ringing",    "registration", "assessment", "transfer", "resolution",
                                              "counseling", "record",       "ended",      "missed"};

struct event {
    ev kind;
    std::uint8_t urgency; ///< assess only
};

struct input {
    std::uint32_t c;
    event e;
};

inline constexpr std::size_t episodes = 1000;
/// 100,000 cases (2,000 in a smoke run).
inline std::size_t interleaved_cases() { return careflow_bench::scaled(100'000, 2'000); }

/// The episodes: events of episode i are events[begin[i] .. begin[i + 1]).
struct trace {
    std::vector<std::uint32_t> begin;
    std::vector<event> events;
};
const trace& the_trace();
/// Every event of `interleaved_cases()` cases, shuffled (each case's own order kept).
const std::vector<input>& the_interleaving();
/// The reference final state of each episode (from the switch implementation).
const std::vector<st>& reference();

/// Run the trace on a fleet of one case per episode, events of one case back to back.
template <class Fleet>
void run_trace(Fleet& f) {
    const trace& t = the_trace();
    for (std::uint32_t i = 0; i + 1 < t.begin.size(); ++i)
        for (std::uint32_t k = t.begin[i]; k < t.begin[i + 1]; ++k) f.dispatch(i, t.events[k]);
}

template <class Fleet>
void run_interleaved(Fleet& f) {
    for (const input& in : the_interleaving()) f.dispatch(in.c, in.e);
}

[[noreturn]] inline void mismatch(const char* impl, std::size_t c, st got, st want) {
    std::fprintf(stderr, "%s: case %zu ends in %s, the reference in %s\n", impl, c, state_names[int(got)],
                 state_names[int(want)]);
    std::abort();
}

template <class I>
void check(const char* name) {
    {
        typename I::fleet f(episodes);
        run_trace(f);
        for (std::size_t c = 0; c < episodes; ++c)
            if (f.state(static_cast<std::uint32_t>(c)) != reference()[c])
                mismatch(name, c, f.state(static_cast<std::uint32_t>(c)), reference()[c]);
    }
    typename I::fleet f(interleaved_cases());
    run_interleaved(f);
    for (std::size_t c = 0; c < interleaved_cases(); ++c)
        if (f.state(static_cast<std::uint32_t>(c)) != reference()[c % episodes])
            mismatch(name, c, f.state(static_cast<std::uint32_t>(c)), reference()[c % episodes]);
}

/// Time `work` on a fresh fleet of `cases` per iteration; building and destroying the
/// fleet is not timed (manual timing: pausing the benchmark clock costs more than a trace).
template <class I, class Work>
void timed(benchmark::State& state, const char* name, std::size_t cases, std::size_t events, Work work) {
    static bool checked = false; // once per implementation, before any timing
    if (!checked) check<I>(name), checked = true;
    for (auto _ : state) {
        auto* f = new typename I::fleet(cases);
        const auto t0 = std::chrono::steady_clock::now();
        work(*f);
        benchmark::ClobberMemory();
        const auto t1 = std::chrono::steady_clock::now();
        state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
        delete f;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events));
    state.counters["ns_per_event"] = benchmark::Counter(static_cast<double>(state.iterations() * events),
                                                        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

template <class I>
void one_at_a_time(benchmark::State& state, const char* name) {
    timed<I>(state, name, episodes, the_trace().events.size(), [](auto& f) { run_trace(f); });
}

template <class I>
void interleaved(benchmark::State& state, const char* name) {
    timed<I>(state, name, interleaved_cases(), the_interleaving().size(), [](auto& f) { run_interleaved(f); });
}

} // namespace dispatch_bench

/// Registers "<name>_one_at_a_time" and "<name>_interleaved" for implementation I.
#define CAREFLOW_DISPATCH_BENCH(I, name)                                                                               \
    static void name##_one_at_a_time(benchmark::State& s) { dispatch_bench::one_at_a_time<I>(s, #name); }              \
    static void name##_interleaved(benchmark::State& s) { dispatch_bench::interleaved<I>(s, #name); }                  \
    BENCHMARK(name##_one_at_a_time)->UseManualTime()->Unit(benchmark::kMicrosecond);                                   \
    BENCHMARK(name##_interleaved)->UseManualTime()->Unit(benchmark::kMillisecond)
