// Footprint: heap bytes per case of the shipped hotline and callback procedures on an
// engine, and per pending timer in the timer queue. Measured by
// counting what operator new hands out (this executable replaces it), with 65,536 cases
// so that every growing array ends exactly full. Reported as counters; the loop itself
// is not a measurement.

// Replacing the global operator new/delete with malloc/free is exactly what GCC's
// -Wmismatched-new-delete flags once they are inlined into callers (a false positive here).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
#include "../common/smoke.hpp"

#include <careflow/careflow.hpp>

#include <benchmark/benchmark.h>

#include <malloc.h> // malloc_usable_size (glibc)

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::size_t> live_bytes{0};
} // namespace

// Counts what malloc really hands out for each block (malloc_usable_size: the request
// rounded up to malloc's granule), not counting malloc's own per-block header.
void* operator new(std::size_t n) {
    void* p = std::malloc(n ? n : 1);
    if (!p) throw std::bad_alloc();
    live_bytes += malloc_usable_size(p);
    return p;
}
void operator delete(void* p) noexcept {
    if (!p) return;
    live_bytes -= malloc_usable_size(p);
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

namespace {

using namespace careflow;
using namespace careflow::procedures;

std::size_t count() { return careflow_bench::scaled(65'536, 1'024); }

// Heap bytes per case of `p` (started, nothing dispatched), and the part that is text.
void engine_case(benchmark::State& state, const std::shared_ptr<const program>& p) {
    const actor op{"op-7", {"operator"}};
    const time_point t0(boost::gregorian::date(2026, 11, 23), boost::posix_time::hours(2));
    double per_case = 0;
    for (auto _ : state) {
        engine e({.journal = false});
        install_all(e);
        e.start(p, 1'000'000, {}, t0, op); // warm: interning, calendars; one of the 65,536
        const std::size_t before = live_bytes;
        for (std::size_t c = 1; c < count(); ++c) e.start(p, c, {}, t0, op);
        per_case = static_cast<double>(live_bytes - before) / static_cast<double>(count() - 1);
        benchmark::DoNotOptimize(e.size());
    }
    const double text = static_cast<double>(p->text_count() * sizeof(std::string));
    state.counters["bytes_per_case"] = per_case;
    state.counters["text_bytes_per_case"] = text;
    state.counters["bytes_per_case_before_text"] = per_case - text;
}

void hotline(benchmark::State& s) { engine_case(s, hotline_call_program()); }
void callback(benchmark::State& s) { engine_case(s, phone_callback_program()); }

// The timer queue alone, with the engine's 12-byte payload.
struct payload12 {
    std::uint32_t a, b, c;
};
void timer(benchmark::State& state) {
    double per_timer = 0;
    for (auto _ : state) {
        timer_queue<payload12> q;
        const std::size_t before = live_bytes;
        for (std::size_t i = 0; i < count(); ++i) q.arm(static_cast<ticks>(i * 7919 % 100'000), {});
        per_timer = static_cast<double>(live_bytes - before) / static_cast<double>(count());
        benchmark::DoNotOptimize(q.size());
    }
    state.counters["bytes_per_timer"] = per_timer;
}

} // namespace

BENCHMARK(hotline)->Iterations(1);
BENCHMARK(callback)->Iterations(1);
BENCHMARK(timer)->Iterations(1);
BENCHMARK_MAIN();
