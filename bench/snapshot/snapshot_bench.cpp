// Snapshots at scale: starting 1,000,000 hotline cases (the yardstick), writing the
// engine's snapshot, and restoring an engine from it, in both encodings. bench/run
// reports restore ÷ start for each (target ≤ 1) and each snapshot's bytes per case. Every restore is checked to write
// the same snapshot back before anything is reported.
#include "../common/smoke.hpp"

#include <careflow/careflow.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

using namespace careflow;
using clock_type = std::chrono::steady_clock;

std::size_t count() { return careflow_bench::scaled(1'000'000, 2'000); }

void setup(engine& e) { procedures::install_all(e); }

engine started() {
    engine e({.journal = false});
    setup(e);
    const auto p = procedures::hotline_call_program();
    const time_point t0(boost::gregorian::date(2026, 11, 23), boost::posix_time::hours(1));
    const actor op{"op-7", {"operator"}};
    for (std::size_t c = 1; c <= count(); ++c) e.start(p, c, {}, t0, op);
    return e;
}

double seconds_since(clock_type::time_point t) { return std::chrono::duration<double>(clock_type::now() - t).count(); }

void start(benchmark::State& state) {
    for (auto _ : state) {
        const auto t = clock_type::now();
        engine e = started();
        state.SetIterationTime(seconds_since(t));
        benchmark::DoNotOptimize(e.size());
    }
}

void snapshot(benchmark::State& state) {
    const engine e = started();
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto t = clock_type::now();
        const std::string s = e.snapshot();
        state.SetIterationTime(seconds_since(t));
        bytes = s.size();
    }
    state.counters["bytes_per_case"] = static_cast<double>(bytes) / static_cast<double>(count());
}

void restore_from(benchmark::State& state, snapshot_format f) {
    const std::string s = started().snapshot(f);
    for (auto _ : state) {
        engine e({.journal = false});
        setup(e);
        const auto t = clock_type::now();
        e.restore(s);
        state.SetIterationTime(seconds_since(t));
        state.PauseTiming();
        if (e.snapshot(f) != s) {
            std::fprintf(stderr, "restore does not give the same snapshot back\n");
            std::abort();
        }
        state.ResumeTiming();
    }
    state.counters["bytes_per_case"] = static_cast<double>(s.size()) / static_cast<double>(count());
}

void restore(benchmark::State& state) { restore_from(state, snapshot_format::text); }
void restore_binary(benchmark::State& state) { restore_from(state, snapshot_format::binary); }

void snapshot_binary(benchmark::State& state) {
    const engine e = started();
    for (auto _ : state) {
        const auto t = clock_type::now();
        const std::string s = e.snapshot(snapshot_format::binary);
        state.SetIterationTime(seconds_since(t));
        benchmark::DoNotOptimize(s.size());
    }
}

} // namespace

BENCHMARK(start)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(snapshot)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(restore)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(snapshot_binary)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(restore_binary)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_MAIN();
