// The engine end to end: 100,000 hotline cases with the ring timer, the answer SLA clock
// and the journal on, their events interleaved in random order, as a host drives them.
#include <careflow/careflow.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <vector>

using namespace careflow;
using boost::posix_time::seconds;

namespace {

std::shared_ptr<const program> hotline() {
    procedure_builder b{"hotline_call"};
    b.variable("urgency", value_type::integer, 0)
        .event("ring")
        .event("answer")
        .event("hang_up")
        .event("assess", {{"urgency", value_type::integer, {}}})
        .event("resolve");
    b.state("call").initial("ringing");
    b.state("ringing").parent("call").every(seconds(5), "ring", 3);
    b.state("talking").parent("call").initial("assessment");
    b.state("assessment").parent("talking");
    b.state("counseling").parent("talking");
    b.state("resolution").parent("talking");
    b.state("ended").final();
    b.internal("ringing").on("ring");
    b.transition("ringing", "talking").on("answer").require_role("operator");
    b.transition("assessment", "counseling")
        .on("assess")
        .when(field("urgency") >= 2)
        .then(set("urgency", field("urgency")));
    b.transition("assessment", "resolution").on("assess").then(set("urgency", field("urgency")));
    b.transition("counseling", "resolution").on("resolve");
    b.transition("call", "ended").on("hang_up");
    b.sla("answer").start(entered("ringing")).stop(left("ringing")).cancel(received("hang_up")).goal(seconds(15));
    return compile(b.build());
}

struct input {
    case_id id;
    int step;
};

void interleaved_cases(benchmark::State& state) {
    const auto p = hotline();
    const std::size_t cases = static_cast<std::size_t>(state.range(0));
    const bool journal = state.range(1) != 0;
    std::mt19937_64 rng(5);
    // Each case: answer, assess (random urgency), resolve (if counseling), hang_up.
    std::vector<input> order;
    for (std::size_t c = 0; c < cases; ++c)
        for (int s = 0; s < 4; ++s) order.push_back({c, s});
    std::shuffle(order.begin(), order.end(), rng);
    // Keep each case's own steps in order (shuffle positions, then re-number per case).
    std::vector<int> next(cases, 0);
    for (auto& in : order) in.step = next[in.id]++;
    const actor op{"op-7", {"operator"}};
    const payload low{{"urgency", 1}}, high{{"urgency", 3}};
    std::size_t events = 0;
    for (auto _ : state) {
        state.PauseTiming();
        engine e({.journal = journal});
        const time_point t0(boost::gregorian::date(2026, 11, 23));
        for (std::size_t c = 0; c < cases; ++c) e.start(p, c, {}, t0, op);
        state.ResumeTiming();
        time_point now = t0;
        for (std::size_t i = 0; i < order.size(); ++i) {
            if (i % 1000 == 0) now += boost::posix_time::milliseconds(100);
            const auto& in = order[i];
            switch (in.step) {
            case 0: e.dispatch(in.id, "answer", now, op); break;
            case 1: e.dispatch(in.id, "assess", in.id % 3 ? low : high, now, op); break;
            case 2: e.dispatch(in.id, "resolve", now, op); break;
            default: e.dispatch(in.id, "hang_up", now, op); break;
            }
        }
        events += order.size();
        state.PauseTiming();
        if (journal) {
            std::size_t fires = 0;
            for (const auto& j : e.journal()) fires += j.kind == record_kind::fire;
            state.counters["timer_fires"] = static_cast<double>(fires);
            state.counters["journal_entries"] = static_cast<double>(e.journal_size());
        }
        benchmark::DoNotOptimize(e.size());
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

} // namespace

BENCHMARK(interleaved_cases)->Args({100'000, 1})->Args({100'000, 0})->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_MAIN();
