// Baseline: the indexed binary heap a C++ developer writes by hand (position index per
// timer for O(log n) cancel), in the timer scenario.
#include "harness.hpp"

#include <utility>

namespace {
struct indexed_heap {
    struct handle {
        std::uint32_t slot;
        std::uint32_t gen;
    };
    struct entry {
        timer_bench::ticks due;
        std::uint64_t seq;
        std::uint32_t slot;
    };
    std::vector<entry> heap;
    std::vector<std::uint32_t> pos, gen;
    std::vector<std::uint64_t> ids;
    std::vector<std::uint32_t> free;
    std::uint64_t seq = 0;
    static bool less(const entry& a, const entry& b) { return a.due < b.due || (a.due == b.due && a.seq < b.seq); }
    void set(std::size_t i, const entry& e) {
        heap[i] = e;
        pos[e.slot] = static_cast<std::uint32_t>(i);
    }
    void up(std::size_t i) {
        const entry e = heap[i];
        while (i > 0 && less(e, heap[(i - 1) / 2])) {
            set(i, heap[(i - 1) / 2]);
            i = (i - 1) / 2;
        }
        set(i, e);
    }
    void down(std::size_t i) {
        const entry e = heap[i];
        for (;;) {
            std::size_t c = 2 * i + 1;
            if (c >= heap.size()) break;
            if (c + 1 < heap.size() && less(heap[c + 1], heap[c])) ++c;
            if (!less(heap[c], e)) break;
            set(i, heap[c]);
            i = c;
        }
        set(i, e);
    }
    void remove(std::size_t i) {
        free.push_back(heap[i].slot);
        ++gen[heap[i].slot];
        const entry last = heap.back();
        heap.pop_back();
        if (i == heap.size()) return;
        set(i, last);
        if (i > 0 && less(heap[i], heap[(i - 1) / 2]))
            up(i);
        else
            down(i);
    }
    handle arm(timer_bench::ticks due, std::uint64_t id) {
        std::uint32_t slot;
        if (free.empty()) {
            slot = static_cast<std::uint32_t>(pos.size());
            pos.push_back(0);
            gen.push_back(0);
            ids.push_back(0);
        } else {
            slot = free.back();
            free.pop_back();
        }
        ids[slot] = id;
        heap.push_back({due, seq++, slot});
        up(heap.size() - 1);
        return {slot, gen[slot]};
    }
    bool cancel(handle h) {
        if (h.slot >= gen.size() || gen[h.slot] != h.gen) return false;
        remove(pos[h.slot]);
        return true;
    }
    bool pop_due(timer_bench::ticks now, timer_bench::ticks& due, std::uint64_t& id) {
        if (heap.empty() || heap[0].due > now) return false;
        due = heap[0].due;
        id = ids[heap[0].slot];
        remove(0);
        return true;
    }
    std::size_t size() const { return heap.size(); }
};
} // namespace

CAREFLOW_TIMER_BENCH(indexed_heap, indexed_heap);
