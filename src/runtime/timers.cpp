// Timers within the pipeline: arming a state timer (delays and deadlines in a calendar),
// the calendar arithmetic timers and SLA clocks share, `advance` (every timer due up to
// an instant, in (due time, arming order)), and firing one: a step of its own whose
// bookkeeping (count, re-arm, SLA threshold) is committed whatever its event does.
#include "engine_impl.hpp"

#include <algorithm>

namespace careflow::detail {

const calendar* engine_impl::calendar_of(const case_data& c, std::uint16_t cal) const {
    return cal == no_index ? nullptr : programs[c.prog].calendars[cal];
}

ticks engine_impl::business_add(const case_data& c, std::uint16_t cal, ticks t, ticks d) const {
    const calendar* k = calendar_of(c, cal);
    return k ? k->add(t, d) : saturating_add(t, d);
}

ticks engine_impl::business_between(const case_data& c, std::uint16_t cal, ticks a, ticks b) const {
    const calendar* k = calendar_of(c, cal);
    return k ? k->between(a, b) : saturating_sub(b, a);
}

ticks engine_impl::span_end(const case_data& c, const program_span& sp, std::uint16_t cal, ticks from) const {
    const calendar* k = calendar_of(c, cal);
    switch (sp.kind) {
    case span_kind::elapsed: return k ? k->add(from, sp.elapsed) : saturating_add(from, sp.elapsed);
    case span_kind::working_days:
        return k ? k->add_working_days(from, sp.days) : from + static_cast<ticks>(sp.days) * ticks_per_day;
    case span_kind::working_day_close: {
        if (k) return k->close_of_working_day(from, sp.days);
        const ticks day = from >= 0 ? from / ticks_per_day : (from - ticks_per_day + 1) / ticks_per_day;
        return (day + 1 + sp.days) * ticks_per_day; // 24×7: the end of the UTC day
    }
    }
    return from;
}

void engine_impl::arm(step& s, std::uint16_t t) {
    const case_data& c = slots[s.slot];
    const program& p = prog_of(c);
    const program_timer& spec = p.timers()[t];
    timer_state& ts = timer(s, t);
    ts.fires = 0;
    ++ts.epoch;
    if (spec.kind == timer_kind::at) {
        const ticks deadline = std::max(p.expressions()[spec.deadline].evaluate(context(s)).i, s.now);
        // In a calendar, a deadline that falls while it is closed moves to the next opening.
        const calendar* k = calendar_of(c, spec.calendar);
        ts.due = k ? k->next_open(deadline) : deadline;
        return;
    }
    ts.due = span_end(c, spec.delay, spec.calendar, s.now);
}

void engine_impl::advance(ticks t) {
    timer_queue<timer_payload>::fired f{};
    while (queue.pop_due(t, f)) {
        clock = std::max(clock, f.due);
        fire(f);
    }
    clock = std::max(clock, t);
}

void engine_impl::fire(const timer_queue<timer_payload>::fired& f) {
    const std::uint32_t slot = f.payload.slot;
    const std::uint16_t index = f.payload.index;
    {
        case_data& c = slots[slot];
        if (!c.live || index >= c.timers.size() || c.timers[index].epoch != f.payload.epoch)
            return;                  // superseded (defensive: commit cancels these)
        c.timers[index].handle = {}; // the queue has let go of it
    }
    step_lease lease(*this);
    step& s = lease.s;
    s.reset(slot, f.due, system, no_index);
    const case_data& c = slots[slot];
    s.undo.saved = {c.state, c.entered_at};
    s.in = record{};
    s.in.time = f.due;
    s.in.kind = record_kind::fire;
    s.in.id = c.id;
    s.in.prog = c.prog;
    s.in.actor = system;
    s.in.value = static_cast<std::int64_t>(index) + 1; // the journal names the timer (or clock) that fired
    const program& p = prog_of(c);
    const bool state_timer = index < p.timers().size();
    // The fire itself — count and re-arm a repeating timer from its due time so it never
    // drifts; or the SLA clock's warning or breach — holds whatever its event does.
    auto bookkeeping = [&] {
        if (state_timer) {
            const program_timer& spec = p.timers()[index];
            timer_state& ts = timer(s, index);
            ++ts.fires;
            ++ts.epoch;
            ts.due = no_time;
            if (spec.kind == timer_kind::every && static_cast<int>(ts.fires) < spec.count)
                ts.due = span_end(c, spec.delay, spec.calendar, f.due);
            s.effects.push_back({effect::kind::fired, no_index, no_index, no_index, index, {}, 0, f.due});
            s.event = spec.event;
        } else {
            event_index send = no_index;
            reach_threshold(s, static_cast<std::uint16_t>(index - p.timers().size()), f.due, send);
            s.event = send;
        }
        s.in.index = s.event;
        s.named_event = s.event;
        s.input_after = s.effects.size(); // the fire's record follows what the fire itself did
    };
    bookkeeping();
    if (s.event == no_index) {
        s.journal_input = false; // no event to send: the SLA record is all there is
        commit(s);
        return;
    }
    try {
        (void)apply_event(s);
    } catch (step_failure& failure) {
        rollback(s);
        bookkeeping();
        s.in.result = outcome::error;
        s.in.code = failure.code;
        s.in.to = s.in.from;
        s.in.text = store_text(std::move(failure.detail));
    }
    commit(s);
}

} // namespace careflow::detail
