// The simulation: a year of a 1,000-calls-a-day hotline (`careflow simulate hotline`'s own
// function), reporting engine inputs per second and the share of the run spent inside
// the engine (the simulator times its engine calls).
#include "../common/smoke.hpp"

#include <careflow/sim/center.hpp>

#include <benchmark/benchmark.h>

namespace {

void hotline_year(benchmark::State& state) {
    careflow::sim::hotline_config c;
    c.arrivals_per_hour = 1000.0 / 24.0;
    c.operators = 6;
    c.counselors = 3;
    c.patience_mean_s = 120;
    c.transfer_rate = 0.1;
    c.hours = static_cast<double>(careflow_bench::scaled(365 * 24, 24));
    double engine_s = 0, total_s = 0, inputs = 0;
    for (auto _ : state) {
        const auto r = careflow::sim::simulate_hotline(c);
        engine_s += r.engine_seconds;
        total_s += r.total_seconds;
        inputs += static_cast<double>(r.engine_inputs);
        benchmark::DoNotOptimize(r.offered.mean);
    }
    state.counters["engine_share"] = engine_s / total_s;
    state.counters["engine_inputs_per_s"] = inputs / engine_s;
    state.counters["inputs"] = inputs / static_cast<double>(state.iterations());
}

} // namespace

BENCHMARK(hotline_year)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_MAIN();
