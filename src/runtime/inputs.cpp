// Admission and the pipeline for every input (start, dispatch by name or typed, assign,
// advance, erase): each is checked without changing anything — a rejected input is
// journaled as given and changes nothing else — then the engine advances to its time,
// applies it as one step, and commits; `top_level` delivers notices once it is done.
#include "engine_impl.hpp"

#include "../detail/cells.hpp"

#include <algorithm>

namespace careflow::detail {

namespace {

/// A value as an error message may show it: a personal one only by its type.
std::string shown_value(const value& v, sensitivity level) {
    if (level == sensitivity::none) return v.to_string();
    return v.type() ? "a value of type " + std::string(to_string(*v.type())) : std::string("an empty value");
}

given_input as_given(std::string procedure, std::string_view event, const payload& values) {
    return {std::move(procedure), std::string(event), values.fields()};
}

} // namespace

void case_data::lay_out(const program& p) {
    // One block: cells, then timer slots, then SLA records (all 8-byte aligned, sizes
    // multiples of 8), then assignees. Every part is trivially destructible: freeing the
    // block ends them.
    static_assert(sizeof(cell) % 8 == 0 && sizeof(timer_state) % 8 == 0 && sizeof(sla_clock) % 8 == 0);
    static_assert(alignof(timer_state) <= 8 && alignof(sla_clock) <= 8 && alignof(cell) <= 8);
    static_assert(std::is_trivially_destructible_v<timer_state> && std::is_trivially_destructible_v<sla_clock>);
    const std::size_t nv = p.variables().size(), nt = p.timers().size() + p.slas().size(), ns = p.slas().size(),
                      nd = p.duties().size();
    const std::size_t bytes =
        nv * sizeof(cell) + nt * sizeof(timer_state) + ns * sizeof(sla_clock) + nd * sizeof(std::uint32_t);
    block.reset(bytes ? new std::byte[bytes] : nullptr); // aligned for any fundamental type
    std::byte* at = block.get();
    auto* v = reinterpret_cast<cell*>(at);
    std::uninitialized_value_construct_n(v, nv);
    vars = {v, nv};
    at += nv * sizeof(cell);
    auto* t = reinterpret_cast<timer_state*>(at);
    std::uninitialized_value_construct_n(t, nt);
    timers = {t, nt};
    at += nt * sizeof(timer_state);
    auto* s = reinterpret_cast<sla_clock*>(at);
    std::uninitialized_value_construct_n(s, ns);
    slas = {s, ns};
    at += ns * sizeof(sla_clock);
    auto* a = reinterpret_cast<std::uint32_t*>(at);
    std::uninitialized_fill_n(a, nd, none32);
    assignees = {a, nd};
    texts.assign(p.text_count(), std::string());
    for (std::size_t i = 0; i < nv; ++i) {
        const auto& d = p.variables()[i];
        if (d.type == value_type::text)
            texts[d.text_slot] = d.initial_text;
        else
            vars[i] = d.initial;
    }
}

// ---- admission ----------------------------------------------------------------------

reason engine_impl::refuse_input(const record& in, ticks t, std::string& why) const {
    if (t == no_time) {
        why = "the time given is not a finite instant";
        return reason::bad_time;
    }
    if (in.actor != none32 && in.actor != system && actors[in.actor].person == 0) {
        why = "the actor id '" + std::string(system_actor_id) + "' is reserved for the engine itself";
        return reason::reserved_actor;
    }
    if (clock != no_time && t < clock) {
        why = "time went backwards";
        return reason::time_backwards;
    }
    return reason::none;
}

std::uint32_t engine_impl::admit(record& in, case_id id, ticks t, reason& why, std::string& detail) const {
    if (const reason r = precheck(in, t, detail); r != reason::none) {
        why = r;
        return none32;
    }
    return find_case(in, id, why, detail);
}

std::uint32_t engine_impl::find_case(record& in, case_id id, reason& why, std::string& detail) const {
    const std::uint32_t slot = index.find(id);
    if (slot == none32) {
        why = reason::unknown_case;
        detail = "no case " + std::to_string(id);
        return none32;
    }
    in.prog = slots[slot].prog;
    in.from = in.to = slots[slot].state;
    return slot;
}

bool engine_impl::load_fields(step& s, const program_event& ev, std::span<const value* const> given,
                              std::string& detail) {
    s.fields.resize(ev.payload.size()); // every cell is written below
    s.field_texts.resize(ev.payload_texts);
    std::size_t text = 0;
    for (std::size_t i = 0; i < ev.payload.size(); ++i) {
        const field_decl& d = ev.payload[i];
        const bool is_text = d.type == value_type::text;
        if (!write_slot(*given[i], d.type, d.symbols, s.fields[i], is_text ? &s.field_texts[text] : nullptr)) {
            detail = "field '" + d.name + "' is " + std::string(to_string(d.type)) + "; " +
                     shown_value(*given[i], d.personal) + " does not fit";
            return false;
        }
        if (is_text) ++text;
    }
    return true;
}

// ---- start ----------------------------------------------------------------------------

result engine_impl::start_by_name(std::string_view procedure, case_id id, const payload& vars, ticks t,
                                  std::uint32_t actor, std::string_view client) {
    const installed* in = find_program(procedure);
    if (in) return start(static_cast<std::uint16_t>(in - programs.data()), id, vars, t, actor, client);
    record r = input_record(record_kind::start, id, t, actor);
    r.client = store_text(std::string(client));
    auto reject_as_given = [&](reason code, std::string detail) {
        return reject(r, code, std::move(detail), as_given(std::string(procedure), {}, vars));
    };
    if (busy) return reject_as_given(reason::reentrant_input, reentrant_message);
    // Through the top level like every input, so that a durable engine writes its record.
    return top_level([&] {
        return reject_as_given(reason::unknown_program, "no procedure '" + std::string(procedure) + "' is installed");
    });
}

result engine_impl::start(std::uint16_t prog, case_id id, const payload& vars, ticks t, std::uint32_t actor,
                          std::string_view client) {
    record in = input_record(record_kind::start, id, t, actor);
    in.prog = prog;
    in.client = store_text(std::string(client));
    const program& p = *programs[prog].p;
    auto reject_as_given = [&](reason code, std::string detail) {
        return reject(in, code, std::move(detail), as_given(p.qualified_name(), {}, vars));
    };
    if (busy) return reject_as_given(reason::reentrant_input, reentrant_message);
    return top_level([&] {
        std::string why;
        if (const reason r = precheck(in, t, why); r != reason::none) return reject_as_given(r, why);
        if (!client_ok(client))
            return reject_as_given(reason::bad_client,
                                   "a client id is at most 128 bytes of printable text, not beginning 'case:'");
        if (index.contains(id))
            return reject_as_given(reason::duplicate_case, "case " + std::to_string(id) + " already exists");
        for (std::size_t i = 0; i < p.calendars().size(); ++i)
            if (!programs[prog].calendars[i])
                return reject_as_given(reason::unknown_calendar,
                                       "calendar '" + p.calendars()[i] + "' is not set on the engine");
        case_data fresh;
        if (const reason r = load_variables(fresh, prog, vars, why); r != reason::none) return reject_as_given(r, why);
        fresh.client = client;
        advance(t);
        if (index.contains(id)) // a timer just fired spawned that id
            return reject_as_given(reason::duplicate_case, "case " + std::to_string(id) + " already exists");
        return begin_case(std::move(fresh), in, 0);
    });
}

reason engine_impl::load_variables(case_data& c, std::uint16_t prog, const payload& vars, std::string& why) {
    const program& p = *programs[prog].p;
    c.prog = prog;
    c.lay_out(p);
    for (const auto& [name, v] : vars.fields()) {
        const auto vi = p.find_variable(name);
        if (!vi) {
            why = "procedure '" + p.name() + "' has no variable '" + name + "'";
            return reason::unknown_variable;
        }
        const auto& decl = p.variables()[*vi];
        if (!write_slot(v, decl.type, decl.symbols, c.vars[*vi],
                        decl.type == value_type::text ? &c.texts[decl.text_slot] : nullptr)) {
            why = "variable '" + name + "' is " + std::string(to_string(decl.type)) + "; " +
                  shown_value(v, p.item_of(*vi) == no_index ? sensitivity::none : sensitivity::contact) +
                  " does not fit";
            return reason::bad_payload;
        }
    }
    return reason::none;
}

result engine_impl::start_child(std::uint16_t prog, case_id id, const payload& vars, ticks t, std::uint32_t actor,
                                case_id parent, int spawn_depth, const std::string& client) {
    record in = input_record(record_kind::start, id, t, actor);
    in.prog = prog;
    in.other = parent;
    in.client = store_text(client);
    case_data fresh;
    std::string why;
    if (load_variables(fresh, prog, vars, why) != reason::none)
        return reject(in, reason::spawn_failed, why, as_given(programs[prog].p->qualified_name(), {}, vars));
    fresh.parent = parent;
    fresh.client = client;
    return begin_case(std::move(fresh), in, spawn_depth);
}

result engine_impl::begin_case(case_data&& fresh, record& in, int spawn_depth) {
    std::uint32_t slot;
    if (free_slots.empty()) {
        slot = static_cast<std::uint32_t>(slots.size());
        slots.emplace_back();
    } else {
        slot = free_slots.back();
        free_slots.pop_back();
    }
    const program& p = *programs[fresh.prog].p;
    const ticks t = in.time;
    clock = std::max(clock, t);
    {
        case_data& c = slots[slot];
        c = std::move(fresh);
        c.id = in.id;
        c.live = true;
        c.seq = next_seq++;
        c.started_at = c.entered_at = t;
        c.state = p.initial_leaf();
        index.insert(in.id, slot);
        // Journal the resolved initial variables so a replay starts from exactly these values.
        in.payload = store_payload(c.vars, c.texts, true);
    }
    step_lease lease(*this);
    step& s = lease.s;
    s.reset(slot, t, in.actor, no_index);
    s.spawn_depth = spawn_depth;
    s.undo.saved = {no_index, t};
    s.in = in;
    s.effects.push_back({effect::kind::start, no_index, no_index, p.initial_leaf(), 0, {}, 0, t});
    try {
        for (auto st : p.initial_entries()) enter(s, st);
        apply_triggers(s);
        settle(s);
    } catch (step_failure& f) {
        // Nothing was armed in the queue yet: dropping the case undoes the whole step.
        index.erase(in.id);
        slots[slot] = case_data{};
        free_slots.push_back(slot);
        return reject(in, f.code, std::move(f.detail));
    }
    s.in.result = outcome::applied;
    s.in.to = slots[slot].state;
    commit(s);
    result r;
    r.kind = outcome::applied;
    r.to = slots[slot].state;
    return r;
}

// ---- dispatch -------------------------------------------------------------------------

result engine_impl::dispatch(case_id id, std::string_view ev, const payload& given, ticks t, std::uint32_t actor) {
    record in = input_record(record_kind::dispatch, id, t, actor);
    auto reject_as_given = [&](reason code, std::string detail) {
        return reject(in, code, std::move(detail), as_given({}, ev, given));
    };
    if (busy) return reject_as_given(reason::reentrant_input, reentrant_message);
    return top_level([&] {
        std::string why;
        reason code = reason::none;
        const std::uint32_t slot = admit(in, id, t, code, why);
        if (slot == none32) return reject_as_given(code, why);
        const program& p = prog_of(slots[slot]);
        const auto e = p.find_event(ev);
        if (!e)
            return reject_as_given(reason::unknown_event,
                                   "procedure '" + p.name() + "' has no event '" + std::string(ev) + "'");
        in.index = *e;
        // Match the payload to the event's declared fields before anything changes.
        const auto& decl = p.events()[*e].payload;
        const value* ordered[64];
        if (decl.size() > 64) return reject_as_given(reason::bad_payload, "too many payload fields");
        std::size_t matched = 0;
        for (std::size_t i = 0; i < decl.size(); ++i) {
            ordered[i] = nullptr;
            for (const auto& [name, val] : given.fields())
                if (name == decl[i].name) ordered[i] = &val;
            if (!ordered[i])
                return reject_as_given(reason::bad_payload,
                                       "event '" + std::string(ev) + "' needs field '" + decl[i].name + "'");
            ++matched;
        }
        if (matched != given.fields().size())
            return reject_as_given(reason::bad_payload, "event '" + std::string(ev) + "' has no such payload field");
        step_lease lease(*this);
        lease.s.reset(slot, t, actor, *e);
        if (!load_fields(lease.s, p.events()[*e], {ordered, decl.size()}, why))
            return reject_as_given(reason::bad_payload, why);
        lease.s.in = in;
        return run_event(lease.s, t);
    });
}

result engine_impl::dispatch(case_id id, event_index e, std::span<const value> given, ticks t, std::uint32_t actor) {
    // The hot path: the input record is built once, in the step that carries it.
    step_lease lease(*this);
    step& s = lease.s;
    record& in = s.in;
    in = input_record(record_kind::dispatch, id, t, actor);
    auto reject_typed = [&](reason code, std::string detail) {
        given_input g;
        if (in.prog != 0xFFFF && e < programs[in.prog].p->events().size()) {
            const auto& ev = programs[in.prog].p->events()[e];
            g.event = ev.name;
            for (std::size_t i = 0; i < given.size(); ++i)
                g.values.emplace_back(i < ev.payload.size() ? ev.payload[i].name : "#" + std::to_string(i), given[i]);
        } else {
            g.event = "#" + std::to_string(e);
        }
        return reject(in, code, std::move(detail), std::move(g));
    };
    const bool foreign = actor >= actors.size();
    if (foreign) in.actor = none32;
    if (busy) return reject_typed(reason::reentrant_input, reentrant_message);
    return top_level([&] {
        if (foreign)
            return reject_typed(reason::unknown_actor, "that actor_ref was not made by this engine's intern()");
        std::string why;
        reason code = reason::none;
        const std::uint32_t slot = admit(in, id, t, code, why);
        if (slot == none32) return reject_typed(code, why);
        const program& p = prog_of(slots[slot]);
        if (e >= p.events().size())
            return reject_typed(reason::unknown_event,
                                "procedure '" + p.name() + "' has no event #" + std::to_string(e));
        in.index = e;
        const auto& decl = p.events()[e].payload;
        if (given.size() != decl.size())
            return reject_typed(reason::bad_payload, "event '" + p.events()[e].name + "' takes " +
                                                         std::to_string(decl.size()) + " fields, not " +
                                                         std::to_string(given.size()));
        const value* ordered[64];
        if (decl.size() > 64) return reject_typed(reason::bad_payload, "too many payload fields");
        for (std::size_t i = 0; i < decl.size(); ++i) ordered[i] = &given[i];
        s.reset(slot, t, actor, e);
        if (!load_fields(s, p.events()[e], {ordered, decl.size()}, why)) return reject_typed(reason::bad_payload, why);
        return run_event(s, t);
    });
}

result engine_impl::run_event(step& s, ticks t) {
    if (queue.next_due() <= t) advance(t); // each fire is a step of its own, deeper in the pool
    clock = std::max(clock, t);
    const case_data& c = slots[s.slot];
    s.undo.saved = {c.state, c.entered_at};
    s.in.from = s.in.to = c.state;
    s.in.payload = store_payload(s.fields, s.field_texts, false);
    result r;
    try {
        r = apply_event(s);
    } catch (step_failure& f) {
        rollback(s);
        s.in.result = outcome::error;
        s.in.code = f.code;
        s.in.to = s.in.from;
        s.in.text = store_text(f.detail);
        r = failed(f.code, std::move(f.detail));
        r.from = r.to = s.in.from;
    }
    commit(s);
    return r;
}

// ---- assign, advance, erase ---------------------------------------------------------------

result engine_impl::assign(case_id id, std::string_view duty, std::string_view person, ticks t, std::uint32_t actor) {
    record in = input_record(record_kind::assign, id, t, actor);
    auto reject_as_given = [&](reason code, std::string detail) {
        payload values;
        values.set("person", value(std::string(person)));
        return reject(in, code, std::move(detail), as_given({}, duty, values));
    };
    if (busy) return reject_as_given(reason::reentrant_input, reentrant_message);
    return top_level([&] {
        std::string why;
        reason code = reason::none;
        const std::uint32_t slot = admit(in, id, t, code, why);
        if (slot == none32) return reject_as_given(code, why);
        const program& p = prog_of(slots[slot]);
        const auto d = p.find_duty(duty);
        if (!d)
            return reject_as_given(reason::unknown_duty,
                                   "procedure '" + p.name() + "' has no duty '" + std::string(duty) + "'");
        in.index = *d;
        if (queue.next_due() <= t) advance(t);
        clock = std::max(clock, t);
        step_lease lease(*this);
        step& s = lease.s;
        const case_data& c = slots[slot];
        s.reset(slot, t, actor, no_index);
        s.undo.saved = {c.state, c.entered_at};
        s.in = in;
        s.in.from = s.in.to = c.state;
        s.in.text = store_text(std::string(person));
        result r;
        r.from = r.to = c.state;
        if (finished(c)) {
            s.in.result = r.kind = outcome::ignored; // a finished case has no duties left
        } else {
            assignee(s, *d) = person_of(person);
            s.in.result = r.kind = outcome::applied;
        }
        commit(s);
        return r;
    });
}

result engine_impl::advance_input(ticks t) {
    record in = input_record(record_kind::advance, 0, t, none32);
    if (busy) return reject(in, reason::reentrant_input, reentrant_message);
    return top_level([&] {
        std::string why;
        if (const reason r = precheck(in, t, why); r != reason::none) return reject(in, r, why);
        log(in);
        advance(t);
        result r;
        r.kind = outcome::applied;
        return r;
    });
}

bool engine_impl::erase(case_id id) {
    record in = input_record(record_kind::erase, id, clock == no_time ? 0 : clock, none32);
    if (busy) {
        (void)reject(in, reason::reentrant_input, reentrant_message);
        return false;
    }
    const result r = top_level([&] {
        const std::uint32_t slot = index.find(id);
        if (slot == none32) return reject(in, reason::unknown_case, "no case " + std::to_string(id));
        case_data& c = slots[slot];
        in.prog = c.prog;
        in.from = in.to = c.state;
        if (!finished(c)) return reject(in, reason::not_finished, "case " + std::to_string(id) + " has not finished");
        for (auto& t : c.timers)
            if (!t.handle.empty()) queue.cancel(t.handle);
        c = case_data{};
        free_slots.push_back(slot);
        index.erase(id);
        if (durable.to) durable.erased.push_back(id);
        log(in);
        result ok;
        ok.kind = outcome::applied;
        return ok;
    });
    return r.applied();
}

} // namespace careflow::detail
