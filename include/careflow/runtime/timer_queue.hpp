/// \file careflow/runtime/timer_queue.hpp
/// The engine's timer queue: a 4-ary min-heap ordered by (due time, arming order) with
/// lazy cancellation. Arm is O(log n) (O(1) on average for random due times). Cancel is
/// O(1) amortised and touches one slot: the timer is retired at once and its heap entry
/// goes stale, dropped when it reaches the top or in a linear rebuild once stale entries
/// outnumber live ones (so the heap holds at most about twice the pending timers).
/// Allocation-free once grown to its working size (slots are recycled through a free
/// list). Handles and heap entries carry the slot's generation, so a stale handle never
/// cancels a timer that later reused its slot, and a stale entry never fires.
#pragma once

#include <careflow/time/ticks.hpp>

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace careflow {

/// Identifies one armed timer.
struct timer_handle {
    std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t generation = 0;
    [[nodiscard]] bool empty() const noexcept { return slot == std::numeric_limits<std::uint32_t>::max(); }
    friend bool operator==(const timer_handle&, const timer_handle&) = default;
};

/// A min-queue of timers carrying a `Payload` (plain data).
template <class Payload>
class timer_queue {
public:
    /// A timer taken from the queue.
    struct fired {
        ticks due;
        std::uint64_t seq; ///< arming order
        Payload payload;
    };

    /// Arm a timer due at `due`. Timers due at the same instant fire in arming order.
    timer_handle arm(ticks due, Payload payload) { return arm_with_seq(due, next_seq_++, std::move(payload)); }

    /// Arm with an explicit arming sequence (restoring a snapshot keeps the original order).
    timer_handle arm_with_seq(ticks due, std::uint64_t seq, Payload payload) {
        std::uint32_t slot;
        if (free_.empty()) {
            slot = static_cast<std::uint32_t>(nodes_.size());
            nodes_.push_back({});
        } else {
            slot = free_.back();
            free_.pop_back();
        }
        node& n = nodes_[slot];
        n.payload = std::move(payload);
        n.live = true;
        n.due = due;
        n.seq = seq;
        ++live_;
        if (seq >= next_seq_) next_seq_ = seq + 1;
        heap_.push_back({due, seq, slot, n.generation});
        sift_up(heap_.size() - 1);
        return {slot, n.generation};
    }

    /// Cancel a pending timer in O(1) amortised: its slot is retired at once and its heap
    /// entry goes stale (dropped when it reaches the top, or by a linear rebuild once
    /// stale entries outnumber live ones). False (and nothing changes) if it already
    /// fired, was cancelled, or the handle is stale.
    bool cancel(timer_handle h) noexcept {
        if (!pending(h)) return false;
        release(h.slot);
        --live_;
        if (heap_.size() > 2 * live_ + min_stale) rebuild();
        drop_stale_top();
        return true;
    }

    [[nodiscard]] bool pending(timer_handle h) const noexcept {
        return h.slot < nodes_.size() && nodes_[h.slot].live && nodes_[h.slot].generation == h.generation;
    }
    /// The due time of a pending timer (precondition: pending(h)).
    [[nodiscard]] ticks due(timer_handle h) const noexcept { return nodes_[h.slot].due; }
    [[nodiscard]] const Payload& payload(timer_handle h) const noexcept { return nodes_[h.slot].payload; }
    /// The arming sequence of a pending timer (precondition: pending(h)).
    [[nodiscard]] std::uint64_t seq(timer_handle h) const noexcept { return nodes_[h.slot].seq; }

    /// Pending timers.
    [[nodiscard]] std::size_t size() const noexcept { return live_; }
    [[nodiscard]] bool empty() const noexcept { return live_ == 0; }
    /// The earliest due time, or the largest tick value when empty.
    [[nodiscard]] ticks next_due() const noexcept {
        return heap_.empty() ? std::numeric_limits<ticks>::max() : heap_[0].due; // the top is never stale
    }
    /// The next arming sequence number.
    [[nodiscard]] std::uint64_t next_seq() const noexcept { return next_seq_; }
    void set_next_seq(std::uint64_t s) noexcept { next_seq_ = s; }

    /// Take the earliest timer if it is due at or before `now`.
    bool pop_due(ticks now, fired& out) {
        if (heap_.empty() || heap_[0].due > now) return false;
        const entry top = heap_[0];
        out = {top.due, top.seq, std::move(nodes_[top.slot].payload)};
        release(top.slot);
        --live_;
        pop_top();
        drop_stale_top();
        return true;
    }

    /// Visit every pending timer (in heap order, not firing order): f(due, seq, payload).
    template <class F>
    void for_each(F&& f) const {
        for (const entry& e : heap_)
            if (live(e)) f(e.due, e.seq, nodes_[e.slot].payload);
    }

    void reserve(std::size_t n) {
        heap_.reserve(n);
        nodes_.reserve(n);
        free_.reserve(n);
    }
    void clear() noexcept {
        for (const entry& e : heap_)
            if (live(e)) release(e.slot);
        heap_.clear();
        live_ = 0;
    }

private:
    struct entry {
        ticks due;
        std::uint64_t seq;
        std::uint32_t slot;
        std::uint32_t generation; ///< the slot's generation when armed: stale once they differ
    };
    struct node {
        std::uint32_t generation = 0;
        bool live = false;
        ticks due = 0;
        std::uint64_t seq = 0;
        Payload payload{};
    };
    static constexpr std::size_t arity = 4;
    static constexpr std::size_t min_stale = 1024; ///< small queues tolerate this many stale entries

    static bool before(const entry& a, const entry& b) noexcept {
        return a.due < b.due || (a.due == b.due && a.seq < b.seq);
    }
    [[nodiscard]] bool live(const entry& e) const noexcept { return nodes_[e.slot].generation == e.generation; }
    void sift_up(std::size_t i) noexcept {
        const entry e = heap_[i];
        while (i > 0) {
            const std::size_t parent = (i - 1) / arity;
            if (!before(e, heap_[parent])) break;
            heap_[i] = heap_[parent];
            i = parent;
        }
        heap_[i] = e;
    }
    void sift_down(std::size_t i) noexcept {
        const entry e = heap_[i];
        const std::size_t n = heap_.size();
        for (;;) {
            const std::size_t first = i * arity + 1;
            if (first >= n) break;
            std::size_t best = first;
            const std::size_t last = first + arity < n ? first + arity : n;
            for (std::size_t c = first + 1; c < last; ++c)
                if (before(heap_[c], heap_[best])) best = c;
            if (!before(heap_[best], e)) break;
            heap_[i] = heap_[best];
            i = best;
        }
        heap_[i] = e;
    }
    void release(std::uint32_t slot) noexcept {
        node& n = nodes_[slot];
        n.live = false;
        ++n.generation;
        free_.push_back(slot);
    }
    void pop_top() noexcept {
        heap_[0] = heap_.back();
        heap_.pop_back();
        if (!heap_.empty()) sift_down(0);
    }
    // Keep the top live, so that next_due() is exact.
    void drop_stale_top() noexcept {
        while (!heap_.empty() && !live(heap_[0])) pop_top();
    }
    // Drop every stale entry, then heapify bottom-up (Floyd): O(n), sequential memory.
    void rebuild() noexcept {
        std::size_t kept = 0;
        for (const entry& e : heap_)
            if (live(e)) heap_[kept++] = e;
        heap_.resize(kept);
        if (kept < 2) return;
        for (std::size_t i = (kept - 2) / arity + 1; i-- > 0;) sift_down(i);
    }

    std::vector<entry> heap_; ///< live entries, and stale ones until dropped
    std::vector<node> nodes_;
    std::vector<std::uint32_t> free_;
    std::size_t live_ = 0;
    std::uint64_t next_seq_ = 0;
};

} // namespace careflow
