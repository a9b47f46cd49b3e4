// SLA clocks within a step: start, stop, pause, resume and cancel triggers in their fixed
// priority order, the threshold timers (warnings, breach) each clock keeps armed, and the
// cancellation of every clock still counting when a case finishes. All writes go through
// the step's undo log; commit.cpp journals and reports the `sla` effects.
#include "engine_impl.hpp"

#include <algorithm>
#include <cmath>

namespace careflow::detail {

ticks engine_impl::elapsed(const case_data& c, const sla_clock& k, std::uint16_t cal, ticks at) const {
    if (k.status != sla_status::running) return k.elapsed_before;
    return saturating_add(k.elapsed_before, business_between(c, cal, k.resumed_at, at));
}

ticks engine_impl::deadline(const case_data& c, const sla_clock& k, std::uint16_t cal) const {
    return business_add(c, cal, k.resumed_at, std::max<ticks>(k.goal - k.elapsed_before, 0));
}

void engine_impl::apply_sla(step& s, const sla_trigger& t) {
    case_data& c = slots[s.slot];
    const program& p = prog_of(c);
    const program_sla& spec = p.slas()[t.sla];
    // Most triggers find nothing to do (stopping a clock already stopped): decide that
    // before the undo log copies the record.
    const sla_status was = c.slas[t.sla].status;
    const bool counting = was == sla_status::running || was == sla_status::paused;
    switch (t.effect) {
    case sla_effect::start:
        if (counting) return;
        break;
    case sla_effect::stop:
    case sla_effect::cancel:
        if (!counting) return;
        break;
    case sla_effect::pause:
        if (was != sla_status::running) return;
        break;
    case sla_effect::resume:
        if (was != sla_status::paused) return;
        break;
    }
    sla_clock& k = clock_of(s, t.sla);
    const ticks now = s.now;
    auto report = [&](sla_event e) {
        effect f{effect::kind::sla, no_index, no_index, no_index, t.sla, e, 0, now};
        if (options.journal) f.value = elapsed(c, k, spec.calendar, now), f.value2 = k.goal;
        s.effects.push_back(f);
    };
    switch (t.effect) {
    case sla_effect::start: {
        const std::uint16_t cycles = k.cycles;
        k = sla_clock{};
        k.cycles = cycles;
        k.status = sla_status::running;
        k.started_at = k.resumed_at = now;
        if (spec.deadline != no_index) {
            // "By this instant": the goal is the open time from now until then (0 if past).
            const ticks end = std::max(p.expressions()[spec.deadline].evaluate(context(s)).i, now);
            k.goal = business_between(c, spec.calendar, now, end);
        } else if (spec.goal.kind == span_kind::elapsed) {
            k.goal = spec.goal.elapsed;
        } else {
            k.goal = business_between(c, spec.calendar, now, span_end(c, spec.goal, spec.calendar, now));
        }
        report(sla_event::started);
        break;
    }
    case sla_effect::stop: {
        // Late once the instant at which the clock's open time reaches its goal has passed,
        // whether or not the calendar has opened since (a goal reached at Wednesday's close
        // is late on Thursday at 09:00, though no open time has passed in between).
        const bool running = k.status == sla_status::running;
        const bool past_deadline = running && now > deadline(c, k, spec.calendar);
        k.elapsed_before = elapsed(c, k, spec.calendar, now);
        if (k.status == sla_status::paused) k.paused_total += now - k.paused_at;
        const bool late = running ? past_deadline : k.elapsed_before > k.goal;
        if (late && k.breached_at == no_time) k.breached_at = now; // reached between timer checks
        k.status = late ? sla_status::breached : sla_status::met;
        k.stopped_at = now;
        k.accountable = spec.duty == no_index ? none32 : c.assignees[spec.duty];
        ++k.cycles;
        report(late ? sla_event::stopped_late : sla_event::met);
        break;
    }
    case sla_effect::pause:
        k.elapsed_before = elapsed(c, k, spec.calendar, now);
        k.status = sla_status::paused;
        k.paused_at = now;
        report(sla_event::paused);
        break;
    case sla_effect::resume:
        k.paused_total += now - k.paused_at;
        k.status = sla_status::running;
        k.resumed_at = now;
        report(sla_event::resumed);
        break;
    case sla_effect::cancel:
        k.elapsed_before = elapsed(c, k, spec.calendar, now);
        if (k.status == sla_status::paused) k.paused_total += now - k.paused_at;
        k.status = sla_status::cancelled;
        k.stopped_at = now;
        report(sla_event::cancelled);
        break;
    }
    schedule_sla(s, t.sla);
}

void engine_impl::apply_triggers(step& s) {
    // A fixed priority: cancel, stop, pause, resume, start (stable: declaration order
    // otherwise). Insertion sort, in place: the lists are tiny and std::stable_sort
    // would allocate a buffer on every step.
    auto rank = [](sla_effect e) {
        switch (e) {
        case sla_effect::cancel: return 0;
        case sla_effect::stop: return 1;
        case sla_effect::pause: return 2;
        case sla_effect::resume: return 3;
        case sla_effect::start: return 4;
        }
        return 5;
    };
    auto& tr = s.triggers;
    for (std::size_t i = 1; i < tr.size(); ++i) {
        const sla_trigger t = tr[i];
        std::size_t j = i;
        for (; j > 0 && rank(tr[j - 1].effect) > rank(t.effect); --j) tr[j] = tr[j - 1];
        tr[j] = t;
    }
    for (const auto& t : tr) apply_sla(s, t);
    tr.clear();
}

void engine_impl::schedule_sla(step& s, std::uint16_t sla) {
    const case_data& c = slots[s.slot];
    const program& p = prog_of(c);
    const program_sla& spec = p.slas()[sla];
    const sla_clock& k = c.slas[sla];
    timer_state& ts = timer(s, static_cast<std::uint16_t>(p.timers().size() + sla));
    ++ts.epoch;
    ts.due = no_time;
    if (k.status != sla_status::running) return;
    if (k.warnings_fired < spec.warnings.size()) {
        // A warning at the instant open time reaches its share of the goal.
        const auto target =
            static_cast<ticks>(std::ceil(spec.warnings[k.warnings_fired] * static_cast<double>(k.goal)));
        ts.due = business_add(c, spec.calendar, k.resumed_at, std::max<ticks>(target - k.elapsed_before, 0));
    } else if (k.breached_at == no_time) {
        // The breach, the first instant after the goal's deadline (closed or not).
        ts.due = saturating_add(deadline(c, k, spec.calendar), 1);
    } else {
        return;
    }
    ts.due = std::max(ts.due, s.now);
}

void engine_impl::reach_threshold(step& s, std::uint16_t sla, ticks at, event_index& send) {
    const case_data& c = slots[s.slot];
    const program_sla& spec = prog_of(c).slas()[sla];
    sla_clock& k = clock_of(s, sla);
    effect f{effect::kind::sla, no_index, no_index, no_index, sla, sla_event::warning, 0, at};
    if (k.warnings_fired < spec.warnings.size()) {
        f.fraction = spec.warnings[k.warnings_fired];
        k.warned_at[k.warnings_fired] = at;
        ++k.warnings_fired;
        send = spec.warning_event;
    } else {
        f.sla = sla_event::breached;
        k.breached_at = at;
        k.accountable = spec.duty == no_index ? none32 : c.assignees[spec.duty];
        send = spec.breach_event;
    }
    if (options.journal) {
        f.value = elapsed(c, k, spec.calendar, at);
        f.value2 = f.sla == sla_event::warning ? static_cast<std::int64_t>(std::llround(f.fraction * 1e6)) : k.goal;
    }
    s.effects.push_back(f);
    schedule_sla(s, sla);
}

void engine_impl::finish_slas(step& s) {
    // A case that finishes cancels the clocks still counting: nobody can meet them now.
    const case_data& c = slots[s.slot];
    for (std::uint16_t k = 0; k < c.slas.size(); ++k)
        if (c.slas[k].status == sla_status::running || c.slas[k].status == sla_status::paused)
            apply_sla(s, {k, sla_effect::cancel});
    for (std::uint16_t i = 0; i < c.timers.size(); ++i) {
        if (c.timers[i].due == no_time) continue;
        timer_state& t = timer(s, i);
        t.due = no_time;
        ++t.epoch;
    }
}

} // namespace careflow::detail
