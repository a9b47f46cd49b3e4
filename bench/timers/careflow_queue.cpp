// careflow's timer queue (careflow/runtime/timer_queue.hpp) in the timer scenario.
#include "harness.hpp"

#include <careflow/runtime/timer_queue.hpp>

namespace {
struct careflow_queue {
    using handle = careflow::timer_handle;
    careflow::timer_queue<std::uint64_t> q;
    careflow_queue() { q.reserve(timer_bench::pending_count() + timer_bench::batch); }
    handle arm(timer_bench::ticks due, std::uint64_t id) { return q.arm(due, id); }
    bool cancel(handle h) { return q.cancel(h); }
    bool pop_due(timer_bench::ticks now, timer_bench::ticks& due, std::uint64_t& id) {
        careflow::timer_queue<std::uint64_t>::fired f{};
        if (!q.pop_due(now, f)) return false;
        due = f.due;
        id = f.payload;
        return true;
    }
    std::size_t size() const { return q.size(); }
};
} // namespace

CAREFLOW_TIMER_BENCH(careflow_queue, careflow);
