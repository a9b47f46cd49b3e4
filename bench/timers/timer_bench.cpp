// careflow's timer queue with 1,000,000 pending timers: arm, cancel, and expire-all.
// (The competing heap and timing wheel, and the ratios, belong to the benchmark issue.)
#include <careflow/runtime/timer_queue.hpp>

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

using namespace careflow;

namespace {

constexpr std::size_t pending = 1'000'000;

struct loaded {
    timer_queue<std::uint64_t> q;
    std::vector<timer_handle> handles;
    std::mt19937_64 rng{9};
    loaded() {
        q.reserve(pending + 1024);
        handles.reserve(pending);
        for (std::size_t i = 0; i < pending; ++i)
            handles.push_back(q.arm(static_cast<ticks>(rng() % 1'000'000'000), i));
    }
};

// Arm one, cancel one: the steady state of a busy host (most timers die cancelled).
void arm_cancel(benchmark::State& state) {
    loaded l;
    std::size_t i = 0;
    for (auto _ : state) {
        const std::size_t k = i++ % pending;
        l.q.cancel(l.handles[k]);
        l.handles[k] = l.q.arm(static_cast<ticks>(l.rng() % 1'000'000'000), k);
    }
    benchmark::DoNotOptimize(l.q.size());
}

void expire_all(benchmark::State& state) {
    for (auto _ : state) {
        state.PauseTiming();
        loaded l;
        state.ResumeTiming();
        timer_queue<std::uint64_t>::fired f{};
        ticks last = 0;
        std::size_t n = 0;
        while (l.q.pop_due(std::numeric_limits<ticks>::max(), f)) {
            if (f.due < last) state.SkipWithError("out of order");
            last = f.due;
            ++n;
        }
        benchmark::DoNotOptimize(n);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(pending));
}

} // namespace

BENCHMARK(arm_cancel);
BENCHMARK(expire_all)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_MAIN();
