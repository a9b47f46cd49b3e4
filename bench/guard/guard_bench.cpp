// Guard evaluation: careflow's compiled expression vs the same predicate hand-written
// in C++ (the floor) and behind std::function (what a naive runtime table pays).
// The guard is the hotline's triage rule: urgency >= 2 && !withheld && score < 0.8.
#include <careflow/careflow.hpp>

#include <benchmark/benchmark.h>

#include <functional>
#include <random>
#include <vector>

using namespace careflow;

namespace {

constexpr std::size_t cases = 4096;

struct data {
    std::vector<cell> vars; // [urgency, withheld, score] per case, 3 cells each
    std::shared_ptr<const program> p;
    data() {
        procedure_builder b{"triage"};
        b.variable("urgency", value_type::integer)
            .variable("withheld", value_type::boolean)
            .variable("score", value_type::real);
        b.event("go");
        b.state("a");
        b.state("b").final();
        b.transition("a", "b").on("go").when(var("urgency") >= 2 && !var("withheld") && var("score") < 0.8);
        p = compile(b.build());
        std::mt19937_64 rng(42);
        vars.resize(cases * 3);
        for (std::size_t i = 0; i < cases; ++i) {
            vars[i * 3].i = static_cast<std::int64_t>(rng() % 5);
            vars[i * 3 + 1].i = static_cast<std::int64_t>(rng() % 4 == 0);
            vars[i * 3 + 2].r = static_cast<double>(rng() % 100) / 100.0;
        }
    }
};

const data& shared() {
    static const data d;
    return d;
}

void careflow_expression(benchmark::State& state) {
    const auto& d = shared();
    const auto& g = d.p->guards()[0];
    std::size_t hits = 0, i = 0;
    for (auto _ : state) {
        eval_context ctx{&d.vars[i * 3], nullptr, nullptr, nullptr, 0, nullptr};
        hits += d.p->test(g, ctx);
        i = (i + 1) % cases;
    }
    benchmark::DoNotOptimize(hits);
}

bool native(const cell* v) { return v[0].i >= 2 && v[1].i == 0 && v[2].r < 0.8; }

void hand_written(benchmark::State& state) {
    const auto& d = shared();
    std::size_t hits = 0, i = 0;
    for (auto _ : state) {
        hits += native(&d.vars[i * 3]);
        i = (i + 1) % cases;
    }
    benchmark::DoNotOptimize(hits);
}

void std_function(benchmark::State& state) {
    const auto& d = shared();
    const std::function<bool(const cell*)> f = [](const cell* v) { return v[0].i >= 2 && v[1].i == 0 && v[2].r < 0.8; };
    std::size_t hits = 0, i = 0;
    for (auto _ : state) {
        hits += f(&d.vars[i * 3]);
        i = (i + 1) % cases;
    }
    benchmark::DoNotOptimize(hits);
}

} // namespace

BENCHMARK(hand_written);
BENCHMARK(std_function);
BENCHMARK(careflow_expression);
BENCHMARK_MAIN();
