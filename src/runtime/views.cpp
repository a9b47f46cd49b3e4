// Read access for hosts and callbacks: case_view (a case's state, variables, assignees,
// SLA clocks, timers and links), action_context (what a host action may read and set),
// and engine::options (what an actor could do to a case now, without doing it).
#include "engine_impl.hpp"

#include "../detail/cells.hpp"

#include <careflow/error.hpp>
#include <careflow/program/context.hpp>

#include <algorithm>

namespace careflow {

using detail::case_data;
using detail::engine_impl;
using detail::none32;

namespace {

const case_data& data(const engine_impl* e, std::uint32_t slot) { return e->slots[slot]; }

std::uint16_t sla_index(const program& p, std::string_view name) {
    if (const auto s = p.find_sla(name)) return *s;
    throw error(codes::unknown_sla, "no SLA clock '" + std::string(name) + "' in " + p.name());
}

} // namespace

// ---- case_view --------------------------------------------------------------------

case_id case_view::id() const { return data(e_, slot_).id; }
const program& case_view::prog() const { return e_->prog_of(data(e_, slot_)); }
state_index case_view::state() const { return data(e_, slot_).state; }
const std::string& case_view::path() const { return prog().states()[state()].path; }
bool case_view::finished() const { return e_->finished(data(e_, slot_)); }
time_point case_view::started_at() const { return to_time_point(data(e_, slot_).started_at); }
time_point case_view::entered_at() const { return to_time_point(data(e_, slot_).entered_at); }

bool case_view::in(std::string_view state) const {
    const auto s = prog().find_state(state);
    if (!s) throw error(codes::unknown_state, "no state '" + std::string(state) + "' in " + prog().name());
    return prog().within(this->state(), *s);
}

value case_view::variable(std::string_view name) const {
    const auto i = prog().find_variable(name);
    if (!i) throw error(codes::unknown_variable, "no variable '" + std::string(name) + "' in " + prog().name());
    const case_data& c = data(e_, slot_);
    return detail::read_variable(prog().variables()[*i], c.vars, c.texts, *i);
}

std::string_view case_view::assignee(std::string_view duty) const {
    const auto d = prog().find_duty(duty);
    if (!d) throw error(codes::unknown_duty, "no duty '" + std::string(duty) + "' in " + prog().name());
    const auto who = data(e_, slot_).assignees[*d];
    return who == none32 ? std::string_view() : std::string_view(e_->people[who]);
}

const sla_clock& case_view::sla(std::string_view name) const { return data(e_, slot_).slas[sla_index(prog(), name)]; }

std::string_view case_view::accountable(std::string_view name) const {
    const auto who = sla(name).accountable;
    return who == none32 ? std::string_view() : std::string_view(e_->people[who]);
}

sla_report case_view::report(std::string_view name) const {
    const auto s = sla_index(prog(), name);
    const case_data& c = data(e_, slot_);
    const sla_clock& k = c.slas[s];
    const program_sla& spec = prog().slas()[s];
    auto at = [](ticks t) { return t == no_time ? std::nullopt : std::optional<time_point>(to_time_point(t)); };
    sla_report r;
    r.name = spec.name;
    r.status = k.status;
    r.started = at(k.started_at);
    r.stopped = at(k.stopped_at);
    r.breached = at(k.breached_at);
    const ticks now = e_->clock == no_time ? k.resumed_at : e_->clock;
    r.elapsed = to_duration(k.status == sla_status::running ? e_->elapsed(c, k, spec.calendar, now) : k.elapsed_before);
    if (k.status == sla_status::running) r.due = to_time_point(e_->deadline(c, k, spec.calendar));
    r.goal = to_duration(k.goal);
    r.paused_total = to_duration(k.paused_total);
    for (std::size_t i = 0; i < k.warnings_fired; ++i) r.warnings.push_back(to_time_point(k.warned_at[i]));
    r.cycles = k.cycles;
    r.accountable = std::string(accountable(name));
    return r;
}

std::vector<std::pair<std::string, time_point>> case_view::pending_timers() const {
    std::vector<std::pair<std::string, time_point>> out;
    const case_data& c = data(e_, slot_);
    const auto& timers = prog().timers();
    for (std::size_t i = 0; i < timers.size(); ++i)
        if (c.timers[i].due != no_time) out.emplace_back(timers[i].name, to_time_point(c.timers[i].due));
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    return out;
}

const std::string& case_view::client() const { return data(e_, slot_).client; }

std::optional<case_id> case_view::parent() const {
    const case_data& c = data(e_, slot_);
    if (!c.parent) return std::nullopt;
    return c.parent;
}

std::vector<case_id> case_view::children() const { return data(e_, slot_).children; }

// ---- action_context -------------------------------------------------------------------

case_id action_context::id() const { return e_->slots[s_->slot].id; }
const program& action_context::prog() const { return e_->prog_of(e_->slots[s_->slot]); }
time_point action_context::now() const { return to_time_point(s_->now); }
std::string_view action_context::actor_id() const {
    return s_->actor == none32 ? std::string_view() : std::string_view(e_->people[e_->actors[s_->actor].person]);
}
const std::string& action_context::path() const { return *s_->path; }

value action_context::variable(std::string_view name) const { return e_->view(s_->slot).variable(name); }

void action_context::set(std::string_view name, const value& v) {
    const auto i = prog().find_variable(name);
    if (!i) throw error(codes::unknown_variable, "no variable '" + std::string(name) + "' in " + prog().name());
    const auto& decl = prog().variables()[*i];
    // Write into scratch first, so a value that does not fit changes nothing.
    cell out{};
    std::string text;
    if (!detail::write_slot(v, decl.type, decl.symbols, out, &text))
        throw error(codes::bad_payload, "variable '" + std::string(name) + "' is " + std::string(to_string(decl.type)) +
                                            "; " + v.to_string() + " does not fit");
    if (decl.type == value_type::text)
        e_->text(*s_, decl.text_slot) = std::move(text);
    else
        e_->var(*s_, *i) = out;
}

value action_context::field(std::string_view name) const {
    const eval_context ctx = e_->context(*s_);
    return guard_context(prog(), s_->event, ctx).field(name);
}

// ---- what an actor may do now -------------------------------------------------------------

std::vector<event_option> engine::options(case_id id, const actor& who) const {
    const auto& e = *impl_;
    const auto slot = e.index.find(id);
    if (slot == none32) throw error(codes::unknown_case, "no case " + std::to_string(id));
    std::vector<event_option> out;
    const case_data& c = e.slots[slot];
    if (e.finished(c)) return out;
    const program& p = e.prog_of(c);
    // The same selection dispatch makes, without a payload and without interning anyone:
    // nothing in the engine changes.
    const auto known = e.person_index.find(who.id);
    const engine_impl::acting as{known == e.person_index.end() ? none32 : known->second, p.role_mask(who.roles), false,
                                 who.id, true};
    const ticks now = e.clock == no_time ? c.entered_at : e.clock;
    const eval_context ctx{c.vars.data(),
                           c.texts.data(),
                           nullptr,
                           nullptr,
                           now,
                           &who.id,
                           e.programs[c.prog].calendars.data(),
                           e.consents_of(c, now),
                           p.configuration(c.state)};
    for (event_index ev = 0; ev < p.events().size(); ++ev) {
        const auto candidates = p.candidates(c.state, ev);
        if (candidates.empty()) continue;
        event_option o;
        o.event = p.events()[ev].name;
        o.needs_payload = !p.events()[ev].payload.empty();
        if (who.id == system_actor_id) {
            o.kind = outcome::error;
            o.code = codes::reserved_actor;
            o.reason = "the actor id 'system' is reserved for the engine itself";
        } else {
            engine_impl::acting a = as;
            a.guards = !o.needs_payload;
            detail::reason why = detail::reason::none;
            if (!e.select(c, ctx, ev, candidates, a, why, o.reason)) {
                o.kind = why == detail::reason::action_failed ? outcome::error : outcome::refused;
                o.code = detail::code_of(why);
            }
        }
        out.push_back(std::move(o));
    }
    return out;
}

} // namespace careflow
