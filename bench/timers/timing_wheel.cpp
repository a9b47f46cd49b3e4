// Baseline: a hashed timing wheel (one level, 2^16 one-millisecond slots, unsorted buckets
// with intrusive lists; O(1) arm and cancel). Expiry must still sort each slot's timers by
// (due, arming order) to fire in exact order, which is where a wheel pays.
#include "harness.hpp"

#include <algorithm>

namespace {
struct timing_wheel {
    static constexpr std::size_t slots = 1 << 16;
    static constexpr timer_bench::ticks resolution = 1000; // 1 ms in µs
    struct handle {
        std::uint32_t node;
        std::uint32_t gen;
    };
    struct node {
        timer_bench::ticks due;
        std::uint64_t seq, id;
        std::uint32_t prev, next, gen;
        bool live;
    };
    static constexpr std::uint32_t nil = 0xFFFFFFFF;
    std::vector<std::uint32_t> head = std::vector<std::uint32_t>(slots, nil);
    std::vector<node> nodes;
    std::vector<std::uint32_t> free;
    std::uint64_t seq = 0;
    std::size_t count = 0;
    timer_bench::ticks cursor = 0; // next tick to expire
    std::vector<std::uint32_t> batch;
    std::size_t batch_at = 0;

    static std::size_t slot_of(timer_bench::ticks due) {
        return static_cast<std::size_t>(due / resolution) & (slots - 1);
    }
    handle arm(timer_bench::ticks due, std::uint64_t id) {
        std::uint32_t n;
        if (free.empty()) {
            n = static_cast<std::uint32_t>(nodes.size());
            nodes.push_back({});
        } else {
            n = free.back();
            free.pop_back();
        }
        node& x = nodes[n];
        const std::size_t s = slot_of(due);
        x.due = due;
        x.seq = seq++;
        x.id = id;
        x.prev = nil;
        x.next = head[s];
        x.live = true;
        if (head[s] != nil) nodes[head[s]].prev = n;
        head[s] = n;
        ++count;
        return {n, x.gen};
    }
    void unlink(std::uint32_t n) {
        node& x = nodes[n];
        if (x.prev != nil)
            nodes[x.prev].next = x.next;
        else
            head[slot_of(x.due)] = x.next;
        if (x.next != nil) nodes[x.next].prev = x.prev;
        x.live = false;
        ++x.gen;
        free.push_back(n);
        --count;
    }
    bool cancel(handle h) {
        if (h.node >= nodes.size() || !nodes[h.node].live || nodes[h.node].gen != h.gen) return false;
        unlink(h.node);
        return true;
    }
    // Fill `batch` with the timers of the next non-empty millisecond, sorted.
    bool refill(timer_bench::ticks now) {
        while (count > 0 && cursor <= now) {
            const std::size_t s = slot_of(cursor);
            batch.clear();
            for (std::uint32_t n = head[s]; n != nil; n = nodes[n].next)
                if (nodes[n].due / resolution == cursor / resolution) batch.push_back(n);
            cursor += resolution;
            if (batch.empty()) continue;
            std::sort(batch.begin(), batch.end(), [&](std::uint32_t a, std::uint32_t b) {
                return nodes[a].due != nodes[b].due ? nodes[a].due < nodes[b].due : nodes[a].seq < nodes[b].seq;
            });
            batch_at = 0;
            return true;
        }
        return false;
    }
    bool pop_due(timer_bench::ticks now, timer_bench::ticks& due, std::uint64_t& id) {
        while (batch_at == batch.size() || !nodes[batch[batch_at]].live)
            if (batch_at < batch.size())
                ++batch_at;
            else if (!refill(now))
                return false;
        const std::uint32_t n = batch[batch_at++];
        if (nodes[n].due > now) return false;
        due = nodes[n].due;
        id = nodes[n].id;
        unlink(n);
        return true;
    }
    std::size_t size() const { return count; }
};
} // namespace

CAREFLOW_TIMER_BENCH(timing_wheel, timing_wheel);
