// The engine: inputs, the transactional step, timers and SLA clocks.
#include "engine_impl.hpp"

#include "../detail/expr_compiler.hpp"

#include <careflow/error.hpp>
#include <careflow/program/context.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <type_traits>

namespace careflow {

std::string_view to_string(outcome o) noexcept {
    switch (o) {
    case outcome::applied: return "applied";
    case outcome::ignored: return "ignored";
    case outcome::refused: return "refused";
    case outcome::error: return "error";
    }
    return "?";
}

std::string_view to_string(sla_status s) noexcept {
    switch (s) {
    case sla_status::inactive: return "inactive";
    case sla_status::running: return "running";
    case sla_status::paused: return "paused";
    case sla_status::met: return "met";
    case sla_status::breached: return "breached";
    case sla_status::cancelled: return "cancelled";
    }
    return "?";
}

std::string_view to_string(sla_event e) noexcept {
    switch (e) {
    case sla_event::started: return "started";
    case sla_event::paused: return "paused";
    case sla_event::resumed: return "resumed";
    case sla_event::warning: return "warning";
    case sla_event::breached: return "breached";
    case sla_event::met: return "met";
    case sla_event::stopped_late: return "stopped_late";
    case sla_event::cancelled: return "cancelled";
    }
    return "?";
}

namespace detail {

std::string_view code_of(reason r) noexcept {
    switch (r) {
    case reason::none: return {};
    case reason::guard_false: return "careflow.runtime.guard_false";
    case reason::role_missing: return "careflow.runtime.role_missing";
    case reason::not_assignee: return "careflow.runtime.not_assignee";
    case reason::unknown_case: return "careflow.runtime.unknown_case";
    case reason::unknown_event: return "careflow.runtime.unknown_event";
    case reason::bad_payload: return "careflow.runtime.bad_payload";
    case reason::time_backwards: return "careflow.runtime.time_backwards";
    case reason::duplicate_case: return "careflow.runtime.duplicate_case";
    case reason::unknown_program: return "careflow.runtime.unknown_program";
    case reason::unknown_calendar: return "careflow.runtime.unknown_calendar";
    case reason::action_failed: return "careflow.runtime.action_failed";
    case reason::unbound_action: return "careflow.runtime.unbound_action";
    case reason::eventless_loop: return "careflow.runtime.eventless_loop";
    case reason::spawn_failed: return "careflow.runtime.spawn_failed";
    case reason::unknown_duty: return "careflow.runtime.unknown_duty";
    case reason::unknown_variable: return "careflow.runtime.unknown_variable";
    case reason::unknown_actor: return "careflow.runtime.unknown_actor";
    }
    return "?";
}

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

namespace {

result failed(reason code, std::string detail, outcome kind = outcome::error) {
    result r;
    r.kind = kind;
    r.code = code_of(code);
    r.reason = std::move(detail);
    return r;
}

// Write `v` into a slot of type `t` (text goes to `text`). False when it does not fit.
bool store(const value& v, value_type t, const std::vector<std::string>& symbols, cell& c, std::string* text) {
    if (t == value_type::text) {
        if (v.type() != value_type::text || !text) return false;
        *text = std::get<std::string>(v.get());
        return true;
    }
    return to_cell(v, t, symbols, c);
}

} // namespace

engine_impl::engine_impl(engine_options o) : options(o), next_spawn(o.spawn_base) {
    system = actor_of(system_actor_id, {}); // interned once: timers act as it on every fire
}

// ---- setup ------------------------------------------------------------------

std::uint16_t engine_impl::install(std::shared_ptr<const program> p) {
    for (std::size_t i = 0; i < programs.size(); ++i)
        if (programs[i].p == p) return static_cast<std::uint16_t>(i);
    installed in;
    in.p = std::move(p);
    resolve(in);
    programs.push_back(std::move(in));
    return static_cast<std::uint16_t>(programs.size() - 1);
}

void engine_impl::resolve(installed& in) {
    const program& p = *in.p;
    in.calendars.assign(p.calendars().size(), nullptr);
    for (std::size_t i = 0; i < p.calendars().size(); ++i) {
        auto it = calendars.find(p.calendars()[i]);
        if (it != calendars.end()) in.calendars[i] = &it->second;
    }
    in.hosts.assign(p.host_actions().size(), nullptr);
    for (std::size_t i = 0; i < p.host_actions().size(); ++i) {
        const auto& h = p.host_actions()[i];
        auto it = bindings.find(h.name);
        if (it != bindings.end())
            in.hosts[i] = &it->second;
        else if (h.fn)
            in.hosts[i] = &h.fn;
    }
}

std::uint32_t engine_impl::person_of(std::string_view id) {
    auto it = person_index.find(id);
    if (it != person_index.end()) return it->second;
    const auto n = static_cast<std::uint32_t>(people.size());
    people.emplace_back(id);
    person_index.emplace(std::string(id), n);
    return n;
}

std::uint32_t engine_impl::actor_of(std::string_view id, const std::vector<std::string>& roles) {
    // Looked up without building a key: a warm dispatch must not allocate.
    const std::uint32_t person = person_of(id);
    auto& known = actor_index[person];
    for (std::uint32_t a : known)
        if (actors[a].roles == roles) return a;
    const auto n = static_cast<std::uint32_t>(actors.size());
    actors.push_back({person, roles, {}});
    known.push_back(n);
    return n;
}

std::uint64_t engine_impl::mask_of(std::uint32_t a, std::uint16_t prog) {
    actor_identity& who_ = actors[a];
    if (who_.masks.size() <= prog) {
        const std::size_t from = who_.masks.size();
        who_.masks.resize(programs.size());
        for (std::size_t i = from; i < programs.size(); ++i) who_.masks[i] = programs[i].p->role_mask(who_.roles);
    }
    return who_.masks[prog];
}

const installed* engine_impl::find_program(std::string_view name) const {
    // The latest installed version of that name.
    for (auto it = programs.rbegin(); it != programs.rend(); ++it)
        if (it->p->name() == name) return &*it;
    return nullptr;
}

// ---- the step ---------------------------------------------------------------

eval_context engine_impl::context() const {
    const case_data& c = slots[cur];
    const std::uint32_t person = person_acting();
    return eval_context{c.vars.data(), c.texts.data(),
                        fields.data(), field_texts.data(),
                        now,           person == none32 ? nullptr : &people[person]};
}

void engine_impl::begin(std::uint32_t slot, ticks t, std::uint32_t actor, event_index e) {
    cur = slot;
    now = t;
    who = actor;
    event = e;
    effects.clear();
    spawns.clear();
    triggers.clear();
    const case_data& c = slots[slot];
    saved = {c.state, c.finished, c.entered_at};
    undo_vars.clear();
    undo_text_count = 0;
    undo_assignees.clear();
    undo_timers.clear();
    undo_slas.clear();
}

cell& engine_impl::var(std::uint16_t i) {
    cell& v = slots[cur].vars[i];
    undo_vars.emplace_back(i, v);
    return v;
}

std::string& engine_impl::text(std::uint16_t slot) {
    std::string& v = slots[cur].texts[slot];
    if (undo_text_count == undo_texts.size()) undo_texts.emplace_back();
    undo_texts[undo_text_count].first = slot;
    undo_texts[undo_text_count].second.assign(v);
    ++undo_text_count;
    return v;
}

std::uint32_t& engine_impl::assignee(std::uint16_t duty) {
    std::uint32_t& v = slots[cur].assignees[duty];
    undo_assignees.emplace_back(duty, v);
    return v;
}

timer_state& engine_impl::timer(std::uint16_t i) {
    timer_state& v = slots[cur].timers[i];
    for (const auto& u : undo_timers)
        if (u.first == i) return v;
    undo_timers.emplace_back(i, v);
    return v;
}

sla_clock& engine_impl::clock_of(std::uint16_t sla) {
    sla_clock& v = slots[cur].slas[sla];
    for (const auto& u : undo_slas)
        if (u.first == sla) return v;
    undo_slas.emplace_back(sla, v);
    return v;
}

void engine_impl::rollback() {
    case_data& c = slots[cur];
    c.state = saved.state;
    c.finished = saved.finished;
    c.entered_at = saved.entered_at;
    // Newest first, so each part ends at the value it had before the step.
    for (auto it = undo_vars.rbegin(); it != undo_vars.rend(); ++it) c.vars[it->first] = it->second;
    for (std::size_t i = undo_text_count; i-- > 0;) c.texts[undo_texts[i].first].assign(undo_texts[i].second);
    for (auto it = undo_assignees.rbegin(); it != undo_assignees.rend(); ++it) c.assignees[it->first] = it->second;
    for (const auto& [i, t] : undo_timers) c.timers[i] = t;
    for (const auto& [i, k] : undo_slas) c.slas[i] = k;
    effects.clear();
    spawns.clear();
}

ticks engine_impl::business_add(std::uint16_t cal, ticks t, ticks d) const {
    if (cal == no_index) return t + d;
    return programs[slots[cur].prog].calendars[cal]->add(t, d);
}

ticks engine_impl::span_end(const program_span& s, std::uint16_t cal, ticks from) const {
    const calendar* c = cal == no_index ? nullptr : programs[slots[cur].prog].calendars[cal];
    switch (s.kind) {
    case span_kind::elapsed: return c ? c->add(from, s.elapsed) : from + s.elapsed;
    case span_kind::working_days:
        return c ? c->add_working_days(from, s.days) : from + static_cast<ticks>(s.days) * ticks_per_day;
    case span_kind::working_day_close: {
        if (c) return c->close_of_working_day(from, s.days);
        const ticks day = from >= 0 ? from / ticks_per_day : (from - ticks_per_day + 1) / ticks_per_day;
        return (day + 1 + s.days) * ticks_per_day; // 24×7: the end of the UTC day
    }
    }
    return from;
}

ticks engine_impl::business_between(std::uint16_t cal, ticks a, ticks b) const {
    if (cal == no_index) return b - a;
    return programs[slots[cur].prog].calendars[cal]->between(a, b);
}

ticks engine_impl::elapsed(const sla_clock& c, std::uint16_t cal, ticks at_) const {
    if (c.status != sla_status::running) return c.elapsed_before;
    return c.elapsed_before + business_between(cal, c.resumed_at, at_);
}

void engine_impl::arm(std::uint16_t t) {
    case_data& c = slots[cur];
    const program_timer& spec = prog_of(c).timers()[t];
    timer_state& ts = timer(t);
    ts.fires = 0;
    ++ts.epoch;
    if (spec.kind == timer_kind::at) {
        const ticks deadline = std::max(prog_of(c).expressions()[spec.deadline].evaluate(context()).i, now);
        // In a calendar, a deadline that falls while it is closed moves to the next opening.
        ts.due = spec.calendar == no_index ? deadline : programs[c.prog].calendars[spec.calendar]->next_open(deadline);
        return;
    }
    ts.due = span_end(spec.delay, spec.calendar, now);
}

void engine_impl::enter(state_index s) {
    case_data& c = slots[cur];
    const program& p = prog_of(c);
    const program_state& st = p.states()[s];
    current_path = &st.path;
    for (const auto& a : p.actions(st.entry_actions)) run(a);
    for (auto t : p.state_timers(st.timers)) arm(t);
    for (const auto& tr : p.on_enter(s)) triggers.push_back(tr);
}

void engine_impl::exit(state_index s) {
    case_data& c = slots[cur];
    const program& p = prog_of(c);
    const program_state& st = p.states()[s];
    current_path = &st.path;
    for (const auto& a : p.actions(st.exit_actions)) run(a);
    for (auto t : p.state_timers(st.timers)) {
        timer_state& ts = timer(t);
        ts.due = no_time;
        ++ts.epoch;
    }
    for (const auto& tr : p.on_leave(s)) triggers.push_back(tr);
}

void engine_impl::run(const program_action& a) {
    case_data& c = slots[cur];
    const program& p = prog_of(c);
    switch (a.kind) {
    case action_kind::call: {
        const host_action* fn = programs[c.prog].hosts[a.target];
        if (!fn || !*fn) throw step_failure{reason::unbound_action, "host action '" + a.name + "' is not bound"};
        action_context ctx(this);
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
        const cell r = p.expressions()[a.value].evaluate(context());
        if (v.type == value_type::text)
            text(v.text_slot).assign(*r.s);
        else
            var(a.target) = r;
        return;
    }
    case action_kind::assign: {
        const cell r = p.expressions()[a.value].evaluate(context());
        assignee(a.target) = person_of(*r.s);
        return;
    }
    case action_kind::unassign: assignee(a.target) = none32; return;
    case action_kind::spawn: {
        const installed* child = find_program(a.name);
        if (!child) throw step_failure{reason::spawn_failed, "spawn of unknown procedure '" + a.name + "'"};
        pending_spawn s;
        s.prog = static_cast<std::uint16_t>(child - programs.data());
        for (const auto& [name, ex] : a.bindings) {
            const expression& e = p.expressions()[ex];
            const cell r = e.evaluate(context());
            const auto vi = child->p->find_variable(name);
            if (!vi)
                throw step_failure{reason::spawn_failed, "procedure '" + a.name + "' has no variable '" + name + "'"};
            const auto& target = child->p->variables()[*vi];
            if (!assignable(target.type, e.type))
                throw step_failure{reason::spawn_failed, "binding '" + name + "' is " + std::string(to_string(e.type)) +
                                                             ", the child's variable is " +
                                                             std::string(to_string(target.type))};
            s.variables.set(name, e.type == value_type::text ? value(*r.s) : cell_value(r, e.type, {}));
        }
        spawns.push_back(std::move(s));
        return;
    }
    case action_kind::notify: {
        effect f;
        f.what = effect::kind::notify;
        f.index = static_cast<std::uint16_t>(&a - p.actions().data());
        f.time = now;
        effects.push_back(f);
        return;
    }
    }
}

void engine_impl::take(const program_transition& t) {
    case_data& c = slots[cur];
    const program& p = prog_of(c);
    // Reported first, so that what the transition does (notifications, SLA changes)
    // follows it in the journal and for observers.
    effect f;
    f.what = effect::kind::transition;
    f.event = event;
    f.from = c.state;
    f.to = t.target == no_index ? c.state : t.target;
    f.time = now;
    effects.push_back(f);
    const auto states = p.states();
    for (auto s : p.sequence(t.exits))
        if (!states[s].inert) exit(s);
    current_path = &states[c.state].path;
    for (const auto& a : p.actions(t.actions)) run(a);
    for (auto s : p.sequence(t.entries))
        if (!states[s].inert) enter(s);
    if (t.target != no_index) {
        c.state = t.target;
        c.entered_at = now;
    }
}

void engine_impl::settle() {
    case_data& c = slots[cur];
    const program& p = prog_of(c);
    const event_index saved_event = event;
    event = no_index; // eventless transitions see no payload
    for (int steps = 0;; ++steps) {
        if (p.states()[c.state].is_final) break;
        const program_transition* chosen = nullptr;
        for (const auto& t : p.eventless(c.state)) {
            if (t.guard != no_index) {
                const program_guard& g = p.guards()[t.guard];
                const eval_context ctx = context();
                const bool ok =
                    g.expression != no_index ? p.test(g, ctx) : g.predicate(guard_context(p, no_index, ctx));
                if (!ok) continue;
            }
            chosen = &t;
            break;
        }
        if (!chosen) break;
        if (steps >= options.eventless_limit)
            throw step_failure{reason::eventless_loop, "more than " + std::to_string(options.eventless_limit) +
                                                           " eventless steps from '" + p.states()[c.state].path + "'"};
        take(*chosen);
    }
    event = saved_event;
}

void engine_impl::apply_sla(const sla_trigger& t) {
    case_data& c = slots[cur];
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
    sla_clock& k = clock_of(t.sla);
    auto report = [&](sla_event e) {
        effect f;
        f.what = effect::kind::sla;
        f.index = t.sla;
        f.sla = e;
        f.time = now;
        effects.push_back(f);
    };
    auto accountable = [&] { return spec.duty == no_index ? none32 : c.assignees[spec.duty]; };
    switch (t.effect) {
    case sla_effect::start: {
        const std::uint16_t cycles = k.cycles;
        k = sla_clock{};
        k.cycles = cycles;
        k.status = sla_status::running;
        k.started_at = k.resumed_at = now;
        if (spec.deadline != no_index) {
            // "By this instant": the goal is the open time from now until then (0 if past).
            const ticks end = std::max(p.expressions()[spec.deadline].evaluate(context()).i, now);
            k.goal = business_between(spec.calendar, now, end);
        } else if (spec.goal.kind == span_kind::elapsed) {
            k.goal = spec.goal.elapsed;
        } else {
            k.goal = business_between(spec.calendar, now, span_end(spec.goal, spec.calendar, now));
        }
        k.due = business_add(spec.calendar, now, k.goal);
        report(sla_event::started);
        break;
    }
    case sla_effect::stop: {
        k.elapsed_before = elapsed(k, spec.calendar, now);
        if (k.status == sla_status::paused) k.paused_total += now - k.paused_at;
        const bool late = k.elapsed_before > k.goal;
        if (late && k.breached_at == no_time) k.breached_at = now; // reached between timer checks
        k.status = late ? sla_status::breached : sla_status::met;
        k.stopped_at = now;
        k.accountable = accountable();
        ++k.cycles;
        report(late ? sla_event::stopped_late : sla_event::met);
        break;
    }
    case sla_effect::pause:
        k.elapsed_before = elapsed(k, spec.calendar, now);
        k.status = sla_status::paused;
        k.paused_at = now;
        report(sla_event::paused);
        break;
    case sla_effect::resume:
        k.paused_total += now - k.paused_at;
        k.status = sla_status::running;
        k.resumed_at = now;
        k.due = business_add(spec.calendar, now, std::max<ticks>(k.goal - k.elapsed_before, 0));
        report(sla_event::resumed);
        break;
    case sla_effect::cancel:
        k.elapsed_before = elapsed(k, spec.calendar, now);
        if (k.status == sla_status::paused) k.paused_total += now - k.paused_at;
        k.status = sla_status::cancelled;
        k.stopped_at = now;
        report(sla_event::cancelled);
        break;
    }
    schedule_sla(t.sla);
}

void engine_impl::apply_triggers() {
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
    for (std::size_t i = 1; i < triggers.size(); ++i) {
        const sla_trigger t = triggers[i];
        std::size_t j = i;
        for (; j > 0 && rank(triggers[j - 1].effect) > rank(t.effect); --j) triggers[j] = triggers[j - 1];
        triggers[j] = t;
    }
    for (const auto& tr : triggers) apply_sla(tr);
    triggers.clear();
}

void engine_impl::schedule_sla(std::uint16_t s) {
    case_data& c = slots[cur];
    const program& p = prog_of(c);
    const program_sla& spec = p.slas()[s];
    const sla_clock& k = c.slas[s];
    timer_state& ts = timer(static_cast<std::uint16_t>(p.timers().size() + s));
    ++ts.epoch;
    ts.due = no_time;
    if (k.status != sla_status::running) return;
    ticks target; // elapsed open time at which the next threshold is reached
    if (k.warnings_fired < spec.warnings.size())
        target = static_cast<ticks>(std::ceil(spec.warnings[k.warnings_fired] * static_cast<double>(k.goal)));
    else if (k.breached_at == no_time)
        target = k.goal + 1; // a clock breaches once more than its goal has elapsed
    else
        return;
    ts.due = business_add(spec.calendar, k.resumed_at, std::max<ticks>(target - k.elapsed_before, 0));
    ts.due = std::max(ts.due, now);
}

void engine_impl::finish_slas() {
    // A case that finishes cancels the clocks still counting: nobody can meet them now.
    case_data& c = slots[cur];
    for (std::uint16_t s = 0; s < c.slas.size(); ++s)
        if (c.slas[s].status == sla_status::running || c.slas[s].status == sla_status::paused)
            apply_sla({s, sla_effect::cancel});
    for (std::uint16_t i = 0; i < c.timers.size(); ++i) {
        if (c.timers[i].due == no_time) continue;
        timer_state& t = timer(i);
        t.due = no_time;
        ++t.epoch;
    }
}

result engine_impl::apply(event_index e, record_kind kind, std::uint32_t payload_ref) {
    case_data& c = slots[cur];
    const program& p = prog_of(c);
    record in;
    in.time = now;
    in.kind = kind;
    in.id = c.id;
    in.prog = c.prog;
    in.index = e;
    in.actor = who;
    in.from = c.state;
    in.payload = payload_ref;

    const auto candidates = p.candidates(c.state, e);
    if (candidates.empty() || c.finished) {
        in.result = outcome::ignored;
        in.to = c.state;
        log(in);
        result r;
        r.kind = outcome::ignored;
        r.from = r.to = c.state;
        return r;
    }
    const bool by_system = who == system;
    const program_transition* chosen = nullptr;
    // Why the first (or the most telling) candidate failed, and which one: the message is
    // only written if every candidate fails (a taken step must not pay for it).
    reason why = reason::none;
    const program_transition* blamed = nullptr;
    std::string detail; // a host guard's exception message
    for (const auto& t : candidates) {
        if (t.guard != no_index) {
            const program_guard& g = p.guards()[t.guard];
            const eval_context ctx = context();
            bool ok;
            try {
                ok = g.expression != no_index ? p.test(g, ctx) : g.predicate(guard_context(p, e, ctx));
            } catch (const std::exception& ex) {
                ok = false;
                if (why == reason::none) why = reason::action_failed, blamed = &t, detail = ex.what();
            }
            if (!ok) {
                if (why == reason::none) why = reason::guard_false, blamed = &t;
                continue;
            }
        }
        if (!by_system && t.roles != 0 && (mask_of(who, c.prog) & t.roles) == 0) {
            if (why == reason::none || why == reason::guard_false) why = reason::role_missing, blamed = &t;
            continue;
        }
        if (!by_system && t.duty != no_index && c.assignees[t.duty] != actors[who].person) {
            if (why == reason::none || why == reason::guard_false) why = reason::not_assignee, blamed = &t;
            continue;
        }
        chosen = &t;
        break;
    }
    if (!chosen) {
        const program_transition& t = *blamed;
        switch (why) {
        case reason::action_failed: detail = "guard '" + p.guards()[t.guard].label + "' threw: " + detail; break;
        case reason::guard_false: detail = "guard [" + p.guards()[t.guard].label + "] is false"; break;
        case reason::role_missing:
            detail = "'" + people[actors[who].person] + "' has none of the roles:";
            for (std::size_t b = 0; b < p.roles().size(); ++b)
                if (t.roles & (std::uint64_t{1} << b)) detail += " " + p.roles()[b];
            break;
        case reason::not_assignee: {
            const auto a = c.assignees[t.duty];
            detail = "'" + people[actors[who].person] + "' is not the assignee of duty '" + p.duties()[t.duty] + "' (" +
                     (a == none32 ? std::string("nobody is") : "'" + people[a] + "' is") + ")";
            break;
        }
        default: break;
        }
        in.result = why == reason::action_failed ? outcome::error : outcome::refused;
        in.code = why;
        in.to = c.state;
        in.text = store_text(detail);
        log(in);
        result r = failed(why, detail, in.result);
        r.from = r.to = c.state;
        for (auto* o : observers) o->refused(view(cur), p.events()[e].name, r, to_time_point(now));
        return r;
    }
    begin(cur, now, who, e);
    try {
        take(*chosen);
        for (const auto& tr : p.on_event(e)) triggers.push_back(tr);
        apply_triggers();
        settle();
    } catch (const step_failure& f) {
        rollback();
        in.result = outcome::error;
        in.code = f.code;
        in.to = c.state;
        in.text = store_text(f.detail);
        log(in);
        result r = failed(f.code, f.detail);
        r.from = r.to = c.state;
        return r;
    }
    in.result = outcome::applied;
    in.to = c.state;
    const std::uint32_t slot = cur;
    commit(in); // may spawn cases: `c` can dangle after this
    result r;
    r.kind = outcome::applied;
    r.from = in.from;
    r.to = slots[slot].state;
    return r;
}

void engine_impl::commit(const record& input) {
    case_data& c = slots[cur];
    const program& p = prog_of(c);
    // Sorted priority put cancel first; apply_sla on a finished case handles the rest.
    if (!c.finished && p.states()[c.state].is_final) {
        c.finished = true;
        finish_slas();
        effect f;
        f.what = effect::kind::finish;
        f.to = c.state;
        f.time = now;
        effects.push_back(f);
    }
    // Reconcile the queue with each timer slot's desired state.
    for (const auto& [i, before] : undo_timers) {
        timer_state& t = c.timers[i];
        if (t.epoch == before.epoch && t.due == before.due) continue;
        if (!t.handle.empty()) queue.cancel(t.handle);
        t.handle = {};
        if (t.due != no_time)
            t.handle = queue.arm(t.due, timer_payload{cur, static_cast<std::uint16_t>(i), 0, t.epoch});
    }
    log(input);
    const case_id id = c.id;
    if (options.journal) // the records of what the step did (the input record covers transitions)
        for (const effect& f : effects) {
            record r;
            r.time = f.time;
            r.id = id;
            r.prog = c.prog;
            switch (f.what) {
            case effect::kind::transition: continue; // the input record covers it
            case effect::kind::start: continue;
            case effect::kind::notify:
                r.kind = record_kind::notify;
                r.index = f.index;
                break;
            case effect::kind::sla: {
                const sla_clock& k = c.slas[f.index];
                r.kind = record_kind::sla;
                r.index = f.index;
                r.sub = static_cast<std::uint8_t>(f.sla);
                r.value =
                    k.status == sla_status::running ? elapsed(k, p.slas()[f.index].calendar, f.time) : k.elapsed_before;
                r.value2 =
                    f.sla == sla_event::warning ? static_cast<std::int64_t>(std::llround(f.fraction * 1e6)) : k.goal;
                r.actor = k.accountable;
                break;
            }
            case effect::kind::finish:
                r.kind = record_kind::finish;
                r.to = f.to;
                break;
            }
            log(r);
        }
    // Observers see the committed case.
    const case_view v = view(cur);
    if (!observers.empty())
        for (const effect& f : effects) {
            const auto t = to_time_point(f.time);
            for (auto* o : observers) {
                switch (f.what) {
                case effect::kind::transition:
                    o->transition(v,
                                  f.event == no_index ? std::string_view() : std::string_view(p.events()[f.event].name),
                                  f.from, f.to, t);
                    break;
                case effect::kind::notify: {
                    const program_action& a = p.actions()[f.index];
                    o->notified(v, a.name, a.text, t);
                    break;
                }
                case effect::kind::sla: {
                    const program_sla& spec = p.slas()[f.index];
                    o->sla_changed(v, spec, f.sla, t);
                    if (f.sla == sla_event::warning) o->sla_warning(v, spec, f.fraction, t);
                    if (f.sla == sla_event::breached) o->sla_breach(v, spec, t);
                    if (f.sla == sla_event::met) o->sla_met(v, spec, t);
                    break;
                }
                case effect::kind::finish: o->finished(v, t); break;
                case effect::kind::start: o->started(v, t); break;
                }
            }
        }
    effects.clear();
    // Spawns start after their parent's step, as the same actor, at the same time.
    std::vector<pending_spawn> todo;
    todo.swap(spawns);
    const std::uint32_t parent_slot = cur;
    const std::uint32_t actor = who;
    const ticks at_ = now;
    for (auto& s : todo) {
        const case_id child = next_spawn++;
        record r;
        r.time = at_;
        r.kind = record_kind::spawn;
        r.id = id;
        r.other = child;
        r.prog = slots[parent_slot].prog;
        r.index = s.prog;
        r.actor = actor;
        log(r);
        const result sr = start(s.prog, child, s.variables, at_, actor, id);
        if (sr.applied()) {
            slots[parent_slot].children.push_back(child);
        }
    }
    cur = parent_slot;
}

// ---- inputs -----------------------------------------------------------------

result engine_impl::start(std::uint16_t prog, case_id id, const payload& vars, ticks t, std::uint32_t actor,
                          case_id parent) {
    const program& p = *programs[prog].p;
    record in = input(record_kind::start, id, t, actor);
    in.other = parent;
    in.prog = prog;
    auto reject = [&](reason code, std::string detail) { return this->reject(in, code, std::move(detail)); };
    if (clock != no_time && t < clock) return reject(reason::time_backwards, "time went backwards");
    if (index.contains(id)) return reject(reason::duplicate_case, "case " + std::to_string(id) + " already exists");
    for (std::size_t i = 0; i < p.calendars().size(); ++i)
        if (!programs[prog].calendars[i])
            return reject(reason::unknown_calendar, "calendar '" + p.calendars()[i] + "' is not set on the engine");
    if (parent == 0) (void)advance(t, false);
    clock = std::max(clock, t);

    std::uint32_t slot;
    if (free_slots.empty()) {
        slot = static_cast<std::uint32_t>(slots.size());
        slots.emplace_back();
    } else {
        slot = free_slots.back();
        free_slots.pop_back();
    }
    case_data& c = slots[slot];
    c = case_data{};
    c.id = id;
    c.prog = prog;
    c.live = true;
    c.started_at = c.entered_at = t;
    c.lay_out(p);
    for (const auto& [name, v] : vars.fields()) {
        const auto vi = p.find_variable(name);
        const auto release = [&] {
            c = case_data{};
            free_slots.push_back(slot);
        };
        if (!vi) {
            release();
            return reject(reason::unknown_variable, "procedure '" + p.name() + "' has no variable '" + name + "'");
        }
        const auto& decl = p.variables()[*vi];
        if (!store(v, decl.type, decl.symbols, c.vars[*vi],
                   decl.type == value_type::text ? &c.texts[decl.text_slot] : nullptr)) {
            release();
            return reject(reason::bad_payload, "variable '" + name + "' is " + std::string(to_string(decl.type)) +
                                                   "; " + v.to_string() + " does not fit");
        }
    }
    if (parent) {
        c.parent = parent;
        c.has_parent = true;
    }
    c.state = p.initial_leaf();
    index.insert(id, slot);
    order.push_back(id);
    // Journal the resolved initial variables so a replay starts from exactly these values.
    in.payload = store_payload(c.vars, c.texts, true);
    begin(slot, t, actor, no_index);
    try {
        const program& pr = *programs[prog].p;
        for (auto s : pr.initial_entries()) enter(s);
        apply_triggers();
        settle();
    } catch (const step_failure& f) {
        index.erase(id);
        order.pop_back();
        c = case_data{};
        free_slots.push_back(slot);
        in.result = outcome::error;
        in.code = f.code;
        in.text = store_text(f.detail);
        log(in);
        return failed(f.code, f.detail);
    }
    in.result = outcome::applied;
    in.to = slots[slot].state;
    effects.insert(effects.begin(), effect{effect::kind::start, no_index, no_index, in.to, 0, {}, 0, t});
    commit(in);
    result r;
    r.kind = outcome::applied;
    r.to = slots[slot].state;
    return r;
}

result engine_impl::dispatch(case_id id, std::string_view ev, const payload& given, ticks t, std::uint32_t actor,
                             record_kind kind) {
    record in = input(kind, id, t, actor);
    result rejected;
    const std::uint32_t slot = admit(in, id, t, rejected);
    if (slot == none32) return rejected;
    const program& p = prog_of(slots[slot]);
    const auto e = p.find_event(ev);
    if (!e)
        return reject(in, reason::unknown_event, "procedure '" + p.name() + "' has no event '" + std::string(ev) + "'");
    in.index = *e;
    // Resolve the payload against the event's declared fields before anything changes.
    const auto& decl = p.events()[*e].payload;
    prepare_fields(p.events()[*e]);
    std::size_t text = 0, matched = 0;
    for (std::size_t i = 0; i < decl.size(); ++i) {
        const value* v = nullptr;
        for (const auto& [name, val] : given.fields())
            if (name == decl[i].name) v = &val;
        if (!v)
            return reject(in, reason::bad_payload,
                          "event '" + std::string(ev) + "' needs field '" + decl[i].name + "'");
        ++matched;
        if (!load_field(decl[i], *v, i, text)) return bad_field(in, decl[i], *v);
    }
    if (matched != given.fields().size())
        return reject(in, reason::bad_payload, "event '" + std::string(ev) + "' has no such payload field");
    return run_input(in, slot, t);
}

result engine_impl::dispatch(case_id id, event_index e, std::span<const value> given, ticks t, std::uint32_t actor) {
    record in = input(record_kind::dispatch, id, t, actor);
    if (actor >= actors.size()) {
        in.actor = none32;
        return reject(in, reason::unknown_actor, "that actor_ref was not made by this engine's intern()");
    }
    result rejected;
    const std::uint32_t slot = admit(in, id, t, rejected);
    if (slot == none32) return rejected;
    const program& p = prog_of(slots[slot]);
    if (e >= p.events().size())
        return reject(in, reason::unknown_event, "procedure '" + p.name() + "' has no event #" + std::to_string(e));
    in.index = e;
    const auto& decl = p.events()[e].payload;
    if (given.size() != decl.size())
        return reject(in, reason::bad_payload,
                      "event '" + p.events()[e].name + "' takes " + std::to_string(decl.size()) + " fields, not " +
                          std::to_string(given.size()));
    prepare_fields(p.events()[e]);
    std::size_t text = 0;
    for (std::size_t i = 0; i < decl.size(); ++i)
        if (!load_field(decl[i], given[i], i, text)) return bad_field(in, decl[i], given[i]);
    return run_input(in, slot, t);
}

void engine_impl::prepare_fields(const program_event& ev) {
    fields.assign(ev.payload.size(), cell{});
    field_texts.resize(ev.payload_texts);
}

bool engine_impl::load_field(const field_decl& d, const value& v, std::size_t i, std::size_t& text) {
    const bool is_text = d.type == value_type::text;
    if (!store(v, d.type, d.symbols, fields[i], is_text ? &field_texts[text] : nullptr)) return false;
    if (is_text) ++text;
    return true;
}

result engine_impl::bad_field(const record& in, const field_decl& d, const value& v) {
    return reject(in, reason::bad_payload,
                  "field '" + d.name + "' is " + std::string(to_string(d.type)) + "; " + v.to_string() +
                      " does not fit");
}

std::uint32_t engine_impl::admit(record& in, case_id id, ticks t, result& rejected) {
    if (clock != no_time && t < clock) {
        rejected = reject(in, reason::time_backwards, "time went backwards");
        return none32;
    }
    // Slots are stable indexes and no case is erased while timers fire, so one lookup
    // serves the whole input.
    const std::uint32_t slot = index.find(id);
    if (slot == none32) {
        rejected = reject(in, reason::unknown_case, "no case " + std::to_string(id));
        return none32;
    }
    in.prog = slots[slot].prog;
    in.from = in.to = slots[slot].state;
    return slot;
}

result engine_impl::run_input(record& in, std::uint32_t slot, ticks t) {
    if (in.kind == record_kind::dispatch && queue.next_due() <= t) {
        // Hold the payload aside (by swapping buffers: no allocation) while the timers
        // about to fire use the field buffers for their own events.
        fields.swap(held_fields);
        field_texts.swap(held_field_texts);
        advance(t, false);
        fields.swap(held_fields);
        field_texts.swap(held_field_texts);
    }
    clock = std::max(clock, t);
    cur = slot;
    now = t;
    who = in.actor;
    event = in.index;
    return apply(in.index, in.kind, store_payload(fields, field_texts, false));
}

result engine_impl::assign(case_id id, std::string_view duty, std::string_view person_name, ticks t,
                           std::uint32_t actor) {
    record in = input(record_kind::assign, id, t, actor);
    auto reject = [&](reason code, std::string detail) { return this->reject(in, code, std::move(detail)); };
    if (clock != no_time && t < clock) return reject(reason::time_backwards, "time went backwards");
    const std::uint32_t slot = index.find(id);
    if (slot == none32) return reject(reason::unknown_case, "no case " + std::to_string(id));
    const program& p = prog_of(slots[slot]);
    in.prog = slots[slot].prog;
    const auto d = p.find_duty(duty);
    if (!d) return reject(reason::unknown_duty, "procedure '" + p.name() + "' has no duty '" + std::string(duty) + "'");
    in.index = *d;
    advance(t, false);
    clock = std::max(clock, t);
    case_data& c = slots[slot];
    c.assignees[*d] = person_of(person_name);
    in.result = outcome::applied;
    in.from = in.to = c.state;
    in.text = store_text(std::string(person_name));
    log(in);
    result r;
    r.kind = outcome::applied;
    r.from = r.to = c.state;
    return r;
}

result engine_impl::advance(ticks t, bool journaled) {
    if (clock != no_time && t < clock) {
        if (journaled) {
            record in;
            in.time = t;
            in.kind = record_kind::advance;
            in.result = outcome::error;
            in.code = reason::time_backwards;
            log(in);
        }
        return failed(reason::time_backwards, "time went backwards");
    }
    if (journaled) {
        record in;
        in.time = t;
        in.kind = record_kind::advance;
        log(in);
    }
    timer_queue<timer_payload>::fired f{};
    while (queue.pop_due(t, f)) {
        clock = std::max(clock, f.due);
        fire(f);
    }
    clock = std::max(clock, t);
    result r;
    r.kind = outcome::applied;
    return r;
}

void engine_impl::fire(const timer_queue<timer_payload>::fired& f) {
    case_data& c = slots[f.payload.slot];
    if (!c.live || f.payload.index >= c.timers.size()) return;
    timer_state& ts = c.timers[f.payload.index];
    if (ts.epoch != f.payload.epoch) return; // superseded (defensive: commit cancels these)
    ts.handle = {};
    const program& p = prog_of(c);

    cur = f.payload.slot;
    now = f.due;
    who = system;
    fields.clear();
    field_texts.clear();
    if (f.payload.index < p.timers().size()) {
        const program_timer& spec = p.timers()[f.payload.index];
        // Bookkeeping first (committed whatever the event does): count, and re-arm a
        // repeating timer from its due time so it never drifts.
        ++ts.fires;
        ts.due = no_time;
        if (spec.kind == timer_kind::every && static_cast<int>(ts.fires) < spec.count) {
            ts.due = span_end(spec.delay, spec.calendar, f.due);
            ts.handle = queue.arm(ts.due, timer_payload{f.payload.slot, f.payload.index, 0, ts.epoch});
        }
        for (auto* o : observers) o->timer_fired(view(cur), spec, to_time_point(f.due));
        event = spec.event;
        apply(spec.event, record_kind::fire, 0);
        return;
    }
    // An SLA clock reached its next threshold: bookkeeping only, committed at once.
    const auto s = static_cast<std::uint16_t>(f.payload.index - p.timers().size());
    const program_sla& spec = p.slas()[s];
    sla_clock& k = c.slas[s];
    sla_event what;
    double fraction = 0;
    event_index send;
    if (k.warnings_fired < spec.warnings.size()) {
        what = sla_event::warning;
        fraction = spec.warnings[k.warnings_fired];
        k.warned_at[k.warnings_fired] = f.due;
        ++k.warnings_fired;
        send = spec.warning_event;
    } else {
        what = sla_event::breached;
        k.breached_at = f.due;
        k.accountable = spec.duty == no_index ? none32 : c.assignees[spec.duty];
        send = spec.breach_event;
    }
    schedule_sla(s);
    if (ts.due != no_time) ts.handle = queue.arm(ts.due, timer_payload{cur, f.payload.index, 0, ts.epoch});
    record r;
    r.time = f.due;
    r.id = c.id;
    r.prog = c.prog;
    r.kind = record_kind::sla;
    r.index = s;
    r.sub = static_cast<std::uint8_t>(what);
    r.value = elapsed(k, spec.calendar, f.due);
    r.value2 = what == sla_event::warning ? static_cast<std::int64_t>(std::llround(fraction * 1e6)) : k.goal;
    r.actor = k.accountable;
    log(r);
    const case_view v = view(cur);
    for (auto* o : observers) {
        o->sla_changed(v, spec, what, to_time_point(f.due));
        if (what == sla_event::warning)
            o->sla_warning(v, spec, fraction, to_time_point(f.due));
        else
            o->sla_breach(v, spec, to_time_point(f.due));
    }
    if (send != no_index) {
        event = send;
        apply(send, record_kind::fire, 0);
    }
}

// ---- journal ----------------------------------------------------------------

record engine_impl::input(record_kind kind, case_id id, ticks t, std::uint32_t actor) {
    record in;
    in.time = t;
    in.kind = kind;
    in.id = id;
    in.actor = actor;
    return in;
}

result engine_impl::reject(record in, reason code, std::string detail) {
    in.result = outcome::error;
    in.code = code;
    in.text = store_text(detail);
    log(in);
    return failed(code, std::move(detail));
}

std::uint32_t engine_impl::store_payload(std::span<const cell> cells, std::span<const std::string> texts,
                                         bool variables) {
    if (!options.journal || (cells.empty() && !variables)) return 0;
    stored_payload sp;
    sp.cells = static_cast<std::uint32_t>(journal_cells.size());
    sp.texts = static_cast<std::uint32_t>(journal_texts.size());
    sp.variables = variables;
    for (const cell& c : cells) journal_cells.push_back(c);
    journal_texts.insert(journal_texts.end(), texts.begin(), texts.end());
    payloads.push_back(sp);
    return static_cast<std::uint32_t>(payloads.size());
}

std::uint32_t engine_impl::store_text(std::string s) {
    if (!options.journal || s.empty()) return 0;
    journal_texts.push_back(std::move(s));
    payloads.push_back({0, static_cast<std::uint32_t>(journal_texts.size() - 1), false});
    return static_cast<std::uint32_t>(payloads.size());
}

void engine_impl::log(const record& r) {
    if (options.journal) journal.push_back(r);
}

} // namespace detail
} // namespace careflow
