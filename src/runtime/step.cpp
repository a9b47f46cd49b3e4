// The apply stage of the pipeline: a step's writes through its undo log, transition
// selection (guards, roles, assignees), taking a transition (exits, actions, entries),
// actions, and the eventless steps that follow. Nothing here journals or notifies:
// commit.cpp does, once, for every kind of step.
#include "engine_impl.hpp"

#include "../detail/cells.hpp"

#include <careflow/program/context.hpp>

#include <array>

namespace careflow::detail {

std::uint64_t engine_impl::step_consents(const step& s) const {
    if (!s.consents_read) {
        s.consents = consents_of(slots[s.slot], s.now);
        s.consents_read = true;
    }
    return s.consents;
}

eval_context engine_impl::context(const step& s) const {
    const case_data& c = slots[s.slot];
    const std::uint32_t person = s.actor == none32 ? none32 : actors[s.actor].person;
    const program& p = prog_of(c);
    return eval_context{c.vars.data(),
                        c.texts.data(),
                        s.fields.data(),
                        s.field_texts.data(),
                        s.now,
                        person == none32 ? nullptr : &people[person],
                        programs[c.prog].calendars.data(),
                        step_consents(s),
                        p.configuration(c.state),
                        s.named_event == no_index ? nullptr : &p.events()[s.named_event].name};
}

// ---- writes, logged for rollback ---------------------------------------------

cell& engine_impl::var(step& s, std::uint16_t i) {
    cell& v = slots[s.slot].vars[i];
    s.undo.vars.emplace_back(i, v);
    return v;
}

std::string& engine_impl::text(step& s, std::uint16_t t) {
    std::string& v = slots[s.slot].texts[t];
    undo_log& u = s.undo;
    if (u.text_count == u.texts.size()) u.texts.emplace_back();
    u.texts[u.text_count].first = t;
    u.texts[u.text_count].second.assign(v);
    ++u.text_count;
    return v;
}

std::uint32_t& engine_impl::assignee(step& s, std::uint16_t duty) {
    std::uint32_t& v = slots[s.slot].assignees[duty];
    s.undo.assignees.emplace_back(duty, v);
    return v;
}

namespace {
// The old value of part `i`, logged the first time a step writes it (later writes keep
// the first: rollback restores what the part was before the step).
template <class T>
T& first_touch(std::vector<std::pair<std::uint16_t, T>>& log, T& part, std::uint16_t i) {
    for (const auto& u : log)
        if (u.first == i) return part;
    log.emplace_back(i, part);
    return part;
}
} // namespace

timer_state& engine_impl::timer(step& s, std::uint16_t i) {
    return first_touch(s.undo.timers, slots[s.slot].timers[i], i);
}

sla_clock& engine_impl::clock_of(step& s, std::uint16_t sla) {
    return first_touch(s.undo.slas, slots[s.slot].slas[sla], sla);
}

void engine_impl::rollback(step& s) {
    case_data& c = slots[s.slot];
    const undo_log& u = s.undo;
    c.state = u.saved.state;
    c.entered_at = u.saved.entered_at;
    // Newest first, so each part ends at the value it had before the step.
    for (auto it = u.vars.rbegin(); it != u.vars.rend(); ++it) c.vars[it->first] = it->second;
    for (std::size_t i = u.text_count; i-- > 0;) c.texts[u.texts[i].first].assign(u.texts[i].second);
    for (auto it = u.assignees.rbegin(); it != u.assignees.rend(); ++it) c.assignees[it->first] = it->second;
    for (const auto& [i, t] : u.timers) c.timers[i] = t;
    for (const auto& [i, k] : u.slas) c.slas[i] = k;
    s.effects.clear();
    s.spawns.clear();
    s.triggers.clear();
}

// ---- choosing a transition ------------------------------------------------------

const program_transition* engine_impl::select(const case_data& c, const eval_context& ctx, event_index ev,
                                              std::span<const program_transition> candidates, const acting& who,
                                              reason& why, std::string& detail) const {
    const program& p = prog_of(c);
    // Why the first (or the most telling) candidate failed, and which one: the message is
    // only written if every candidate fails (a taken step must not pay for it).
    why = reason::none;
    const program_transition* blamed = nullptr;
    std::string thrown;
    for (const auto& t : candidates) {
        if (t.guard != no_index && who.guards) {
            const program_guard& g = p.guards()[t.guard];
            bool ok;
            try {
                ok = g.expression != no_index ? p.test(g, ctx) : g.predicate(guard_context(p, ev, ctx));
            } catch (const std::exception& ex) {
                ok = false;
                if (why == reason::none) why = reason::action_failed, blamed = &t, thrown = ex.what();
            }
            if (!ok) {
                if (why == reason::none) why = reason::guard_false, blamed = &t;
                continue;
            }
        }
        if (!who.engine && t.roles != 0 && (who.mask & t.roles) == 0) {
            if (why == reason::none || why == reason::guard_false) why = reason::role_missing, blamed = &t;
            continue;
        }
        if (!who.engine && t.duty != no_index && (who.person == none32 || c.assignees[t.duty] != who.person)) {
            if (why == reason::none || why == reason::guard_false) why = reason::not_assignee, blamed = &t;
            continue;
        }
        return &t;
    }
    if (!blamed) return nullptr;
    const program_transition& t = *blamed;
    switch (why) {
    case reason::action_failed: detail = "guard '" + p.guards()[t.guard].label + "' threw: " + thrown; break;
    case reason::guard_false: detail = "guard [" + p.guards()[t.guard].label + "] is false"; break;
    case reason::role_missing:
        detail = "'" + std::string(who.name) + "' has none of the roles:";
        for (std::size_t b = 0; b < p.roles().size(); ++b)
            if (t.roles & (std::uint64_t{1} << b)) detail += " " + p.roles()[b];
        break;
    case reason::not_assignee: {
        const auto a = c.assignees[t.duty];
        detail = "'" + std::string(who.name) + "' is not the assignee of duty '" + p.duties()[t.duty] + "' (" +
                 (a == none32 ? std::string("nobody is") : "'" + people[a] + "' is") + ")";
        break;
    }
    default: break;
    }
    return nullptr;
}

result engine_impl::apply_event(step& s) {
    case_data& c = slots[s.slot];
    const program& p = prog_of(c);
    record& in = s.in;
    in.from = in.to = c.state;
    result r;
    r.from = r.to = c.state;
    if (finished(c)) {
        in.result = r.kind = outcome::ignored;
        return r;
    }
    // Selection walks the active configuration in document order and picks at most one
    // transition per active leaf; the first refusal is kept for when none is enabled.
    const std::uint32_t person = actors[s.actor].person;
    acting who{person, 0, s.actor == system, people[person], true};
    bool masked = false; // the actor's role mask, looked up once a candidate needs it
    const eval_context ctx = context(s);
    std::array<const program_transition*, max_active> chosen{};
    std::size_t taken = 0;
    bool any = false;
    reason why = reason::none;
    std::string detail;
    for (const state_index leaf : configuration(c)) {
        const auto candidates = p.candidates(leaf, s.event);
        if (candidates.empty()) continue;
        any = true;
        if (!masked && !who.engine)
            for (const auto& t : candidates)
                if (t.roles != 0) {
                    who.mask = mask_of(s.actor, c.prog);
                    masked = true;
                    break;
                }
        reason leaf_why = reason::none;
        std::string leaf_detail;
        const program_transition* t = select(c, ctx, s.event, candidates, who, leaf_why, leaf_detail);
        if (t)
            chosen[taken++] = t;
        else if (why == reason::none)
            why = leaf_why, detail = std::move(leaf_detail);
    }
    if (!any) {
        in.result = r.kind = outcome::ignored;
        return r;
    }
    if (taken == 0) {
        in.result = why == reason::action_failed ? outcome::error : outcome::refused;
        in.code = why;
        in.text = store_text(detail);
        r = failed(why, std::move(detail), in.result);
        r.from = r.to = c.state;
        if (!observers.empty()) {
            effect f{effect::kind::refused, s.event, c.state, c.state, 0, {}, 0, s.now};
            f.value = static_cast<std::int64_t>(notice_results.size()); // the result observers are shown
            s.effects.push_back(f);
            notice_results.push_back(r);
        }
        return r;
    }
    microstep(s, {chosen.data(), taken});
    for (const auto& tr : p.on_event(s.event)) s.triggers.push_back(tr);
    apply_triggers(s);
    settle(s);
    in.result = r.kind = outcome::applied;
    in.to = r.to = slots[s.slot].state;
    if (s.left && in.to == in.from) in.sub = 1; // left and re-entered: a new visit
    return r;
}

void engine_impl::microstep(step& s, std::span<const program_transition* const> chosen) {
    // Every exit before any transition's actions, every action before any entry: with one
    // active leaf this is one transition's exits, actions and entries.
    const program& p = prog_of(slots[s.slot]);
    const auto states = p.states();
    for (const program_transition* t : chosen) {
        case_data& c = slots[s.slot];
        s.effects.push_back(
            {effect::kind::transition, s.event, c.state, t->target == no_index ? c.state : t->target, 0, {}, 0, s.now});
        for (auto st : p.sequence(t->exits))
            if (!states[st].inert) exit(s, st);
    }
    for (const program_transition* t : chosen) {
        s.path = &states[slots[s.slot].state].path;
        for (const auto& a : p.actions(t->actions)) run(s, a);
    }
    for (const program_transition* t : chosen) {
        for (auto st : p.sequence(t->entries))
            if (!states[st].inert) enter(s, st);
        if (t->target != no_index) {
            case_data& c = slots[s.slot];
            c.state = t->target;
            c.entered_at = s.now;
            s.left = true;
        }
    }
}

// ---- entering and leaving states ---------------------------------------------------------

void engine_impl::enter(step& s, state_index st) {
    const program& p = prog_of(slots[s.slot]);
    const program_state& state = p.states()[st];
    s.path = &state.path;
    for (const auto& a : p.actions(state.entry_actions)) run(s, a);
    for (auto t : p.state_timers(state.timers)) arm(s, t);
    for (const auto& tr : p.on_enter(st)) s.triggers.push_back(tr);
}

void engine_impl::exit(step& s, state_index st) {
    const program& p = prog_of(slots[s.slot]);
    const program_state& state = p.states()[st];
    s.path = &state.path;
    for (const auto& a : p.actions(state.exit_actions)) run(s, a);
    for (auto t : p.state_timers(state.timers)) {
        timer_state& ts = timer(s, t);
        ts.due = no_time;
        ++ts.epoch;
    }
    for (const auto& tr : p.on_leave(st)) s.triggers.push_back(tr);
}

void engine_impl::run(step& s, const program_action& a) {
    const case_data& c = slots[s.slot];
    const program& p = prog_of(c);
    switch (a.kind) {
    case action_kind::call: {
        const host_action* fn = programs[c.prog].hosts[a.target];
        if (!fn || !*fn) throw step_failure{reason::unbound_action, "host action '" + a.name + "' is not bound"};
        action_context ctx(this, &s);
        try {
            (*fn)(ctx);
        } catch (const step_failure&) {
            throw;
        } catch (const std::exception& e) {
            throw step_failure{reason::action_failed, "host action '" + a.name + "' threw: " + e.what()};
        } catch (...) {
            throw step_failure{reason::action_failed, "host action '" + a.name + "' threw"};
        }
        return;
    }
    case action_kind::set: {
        const program_variable& v = p.variables()[a.target];
        const cell r = p.expressions()[a.value].evaluate(context(s));
        if (v.type == value_type::text)
            text(s, v.text_slot).assign(*r.s);
        else
            var(s, a.target) = r;
        return;
    }
    case action_kind::assign: {
        const cell r = p.expressions()[a.value].evaluate(context(s));
        assignee(s, a.target) = person_of(*r.s);
        return;
    }
    case action_kind::unassign: assignee(s, a.target) = none32; return;
    case action_kind::spawn: {
        const installed* child = find_program(a.name);
        if (!child) throw step_failure{reason::spawn_failed, "spawn of unknown procedure '" + a.name + "'"};
        if (s.spawn_depth >= options.spawn_depth_limit)
            throw step_failure{reason::spawn_failed, "spawn of '" + a.name + "' more than " +
                                                         std::to_string(options.spawn_depth_limit) +
                                                         " spawns deep (a spawn cycle?)"};
        pending_spawn sp;
        sp.prog = static_cast<std::uint16_t>(child - programs.data());
        for (const auto& [name, ex] : a.bindings) {
            const expression& e = p.expressions()[ex];
            const cell r = e.evaluate(context(s));
            const auto vi = child->p->find_variable(name);
            if (!vi)
                throw step_failure{reason::spawn_failed, "procedure '" + a.name + "' has no variable '" + name + "'"};
            const auto& target = child->p->variables()[*vi];
            if (!assignable(target.type, e.type))
                throw step_failure{reason::spawn_failed, "binding '" + name + "' is " + std::string(to_string(e.type)) +
                                                             ", the child's variable is " +
                                                             std::string(to_string(target.type))};
            sp.variables.set(name, cell_value(r, e.type, {}));
        }
        s.spawns.push_back(std::move(sp));
        return;
    }
    case action_kind::notify:
        s.effects.push_back({effect::kind::notify,
                             no_index,
                             no_index,
                             no_index,
                             static_cast<std::uint16_t>(&a - p.actions().data()),
                             {},
                             0,
                             s.now});
        return;
    }
}

void engine_impl::settle(step& s) {
    case_data& c = slots[s.slot];
    const program& p = prog_of(c);
    const event_index event = s.event;
    s.event = no_index; // eventless transitions see no payload
    for (int n = 0;; ++n) {
        if (p.states()[c.state].is_final) break;
        const program_transition* chosen = nullptr;
        for (const auto& t : p.eventless(c.state)) {
            if (t.guard != no_index) {
                const program_guard& g = p.guards()[t.guard];
                const eval_context ctx = context(s);
                bool ok;
                try {
                    ok = g.expression != no_index ? p.test(g, ctx) : g.predicate(guard_context(p, no_index, ctx));
                } catch (const std::exception& ex) {
                    throw step_failure{reason::action_failed, "guard '" + g.label + "' threw: " + ex.what()};
                }
                if (!ok) continue;
            }
            chosen = &t;
            break;
        }
        if (!chosen) break;
        if (n >= options.eventless_limit)
            throw step_failure{reason::eventless_loop, "more than " + std::to_string(options.eventless_limit) +
                                                           " eventless steps from '" + p.states()[c.state].path + "'"};
        microstep(s, {&chosen, 1});
        apply_triggers(s); // each eventless step runs its SLA changes, as any step does
    }
    s.event = event;
}

} // namespace careflow::detail
