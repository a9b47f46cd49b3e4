// The baseline: the host a C++ developer writes by hand for exactly this call — an enum
// and a switch, an indexed 4-ary heap of deadlines (two fixed timer slots per case), the
// SLA clock as two fields, and a vector journal.
#include "harness.hpp"

namespace engine_bench {

namespace {

enum state : std::uint8_t { ringing, assessment, counseling, resolution, ended };
enum sla_state : std::uint8_t { running, met, breached_running, late, cancelled };
enum rec_kind : std::uint8_t {
    start,
    input_applied,
    input_ignored,
    fire,
    sla_start,
    sla_met,
    sla_breach,
    sla_late,
    sla_cancel,
    finish
};

inline constexpr ticks t0 = 1'795'000'000'000'000; // any instant
inline constexpr ticks ring_period = 5 * second;
inline constexpr ticks goal = 15 * second;
inline constexpr std::uint64_t operator_role = 1;

// An indexed 4-ary min-heap over fixed timer slots (case * 2 + 0 ring, + 1 SLA), ordered
// by (due, arming order), with each slot's position for O(log n) cancel.
class heap4 {
public:
    explicit heap4(std::size_t slots) : pos_(slots, 0) { h_.reserve(slots); }
    void arm(std::uint32_t slot, ticks due) {
        if (pos_[slot]) cancel(slot);
        h_.push_back({due, seq_++, slot});
        up(h_.size() - 1);
    }
    void cancel(std::uint32_t slot) {
        if (!pos_[slot]) return;
        const std::size_t i = pos_[slot] - 1;
        pos_[slot] = 0;
        const node last = h_.back();
        h_.pop_back();
        if (i == h_.size()) return;
        put(i, last);
        if (i > 0 && less(h_[i], h_[(i - 1) / 4]))
            up(i);
        else
            down(i);
    }
    bool pop_due(ticks now, ticks& due, std::uint32_t& slot) {
        if (h_.empty() || h_[0].due > now) return false;
        due = h_[0].due;
        slot = h_[0].slot;
        cancel(slot);
        return true;
    }

private:
    struct node {
        ticks due;
        std::uint64_t seq;
        std::uint32_t slot;
    };
    static bool less(const node& a, const node& b) { return a.due < b.due || (a.due == b.due && a.seq < b.seq); }
    void put(std::size_t i, const node& n) {
        h_[i] = n;
        pos_[n.slot] = static_cast<std::uint32_t>(i + 1);
    }
    void up(std::size_t i) {
        const node n = h_[i];
        while (i > 0 && less(n, h_[(i - 1) / 4])) {
            put(i, h_[(i - 1) / 4]);
            i = (i - 1) / 4;
        }
        put(i, n);
    }
    void down(std::size_t i) {
        const node n = h_[i];
        for (;;) {
            const std::size_t first = 4 * i + 1;
            if (first >= h_.size()) break;
            std::size_t best = first;
            const std::size_t end = std::min(first + 4, h_.size());
            for (std::size_t c = first + 1; c < end; ++c)
                if (less(h_[c], h_[best])) best = c;
            if (!less(h_[best], n)) break;
            put(i, h_[best]);
            i = best;
        }
        put(i, n);
    }
    std::vector<node> h_;
    std::vector<std::uint32_t> pos_; ///< 1 + index in h_, 0: not queued
    std::uint64_t seq_ = 0;
};

struct record {
    ticks time;
    std::uint32_t c;
    rec_kind kind;
    std::uint8_t from, to, what;
};

struct call {
    state st = ringing;
    std::uint8_t rings = 0;
    std::uint8_t urgency = 0;
    sla_state sla = running;
};

struct handcoded_host {
    explicit handcoded_host(std::size_t n) : calls(n), timers(2 * n) {
        journal.reserve(n * 8);
        for (std::uint32_t c = 0; c < n; ++c) {
            log(t0, c, start, ringing, ringing, 0);
            timers.arm(2 * c, t0 + ring_period);
            timers.arm(2 * c + 1, t0 + goal + 1); // breached once more than the goal has elapsed
            log(t0, c, sla_start, ringing, ringing, 0);
        }
    }
    void log(ticks t, std::uint32_t c, rec_kind k, std::uint8_t from, std::uint8_t to, std::uint8_t what) {
        journal.push_back({t, c, k, from, to, what});
    }
    void advance(ticks now) {
        ticks due;
        std::uint32_t slot;
        while (timers.pop_due(now, due, slot)) {
            const std::uint32_t c = slot / 2;
            call& k = calls[c];
            if (slot % 2 == 0) { // ring: an internal transition on `ring`
                ++k.rings;
                ++fires;
                log(due, c, fire, k.st, k.st, 0);
                if (k.rings < 3) timers.arm(slot, due + ring_period);
            } else {
                k.sla = breached_running;
                ++breaches;
                log(due, c, sla_breach, k.st, k.st, 0);
            }
        }
    }
    void stop_sla(std::uint32_t c, ticks now, bool cancel) {
        call& k = calls[c];
        timers.cancel(2 * c + 1);
        if (k.sla != running && k.sla != breached_running) return;
        k.sla = cancel ? cancelled : k.sla == running ? met : late;
        log(now, c, cancel ? sla_cancel : k.sla == met ? sla_met : sla_late, k.st, k.st, 0);
    }
    void dispatch(const input& i, ticks now, std::uint64_t roles) {
        advance(now);
        call& k = calls[i.c];
        const state from = k.st;
        bool applied = false;
        switch (i.kind) {
        case in::answer:
            if (k.st == ringing && (roles & operator_role)) {
                timers.cancel(2 * i.c);
                stop_sla(i.c, now, false);
                k.st = assessment;
                applied = true;
            }
            break;
        case in::assess:
            if (k.st == assessment) {
                k.urgency = i.urgency;
                k.st = i.urgency >= 2 ? counseling : resolution;
                applied = true;
            }
            break;
        case in::resolve:
            if (k.st == counseling) {
                k.st = resolution;
                applied = true;
            }
            break;
        case in::hang_up:
            if (k.st != ended) {
                if (k.st == ringing) {
                    timers.cancel(2 * i.c);
                    stop_sla(i.c, now, true);
                }
                k.st = ended;
                applied = true;
            }
            break;
        }
        log(now, i.c, applied ? input_applied : input_ignored, from, k.st, static_cast<std::uint8_t>(i.kind));
        if (applied && k.st == ended) log(now, i.c, finish, ended, ended, 0);
    }
    void run(const std::vector<input>& inputs) {
        ticks now = t0;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            if (i % inputs_per_tick == 0) now += tick;
            dispatch(inputs[i], now, operator_role);
        }
    }
    [[nodiscard]] summary report() const {
        summary s;
        for (const call& k : calls) s.final_states.push_back(static_cast<std::uint8_t>(k.st));
        s.timer_fires = fires;
        s.breaches = breaches;
        s.journal = journal.size();
        return s;
    }

    std::vector<call> calls;
    heap4 timers;
    std::vector<record> journal;
    std::size_t fires = 0, breaches = 0;
};

} // namespace

summary reference() {
    static const summary s = [] {
        handcoded_host h(cases());
        h.run(the_inputs());
        return h.report();
    }();
    return s;
}

} // namespace engine_bench

CAREFLOW_ENGINE_BENCH(engine_bench::handcoded_host, handcoded);
