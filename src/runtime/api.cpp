// The engine's public face: thin wrappers over engine_impl, case_view and action_context.
#include "engine_impl.hpp"

#include "../detail/expr_compiler.hpp"

#include <careflow/error.hpp>
#include <careflow/program/context.hpp>

#include <algorithm>

namespace careflow {

using detail::case_data;
using detail::engine_impl;
using detail::none32;

// ---- engine -----------------------------------------------------------------

engine::engine(engine_options options) : impl_(std::make_unique<engine_impl>(options)) {}
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

void engine::install(std::shared_ptr<const program> p) {
    if (!p) throw error("careflow.runtime.unknown_program", "install() of a null program");
    (void)impl_->install(std::move(p));
}

void engine::set_calendar(std::string name, calendar c) {
    impl_->calendars.insert_or_assign(std::move(name), std::move(c));
    for (auto& in : impl_->programs) impl_->resolve(in);
}

void engine::bind(std::string name, host_action fn) {
    impl_->bindings.insert_or_assign(std::move(name), std::move(fn));
    for (auto& in : impl_->programs) impl_->resolve(in);
}

void engine::add_observer(observer* o) {
    if (o) impl_->observers.push_back(o);
}

void engine::remove_observer(observer* o) {
    auto& os = impl_->observers;
    os.erase(std::remove(os.begin(), os.end(), o), os.end());
}

result engine::start(const std::shared_ptr<const program>& p, case_id id, const payload& variables, time_point now,
                     const actor& who) {
    if (!p) throw error("careflow.runtime.unknown_program", "start() of a null program");
    const auto prog = impl_->install(p);
    return impl_->start(prog, id, variables, to_ticks(now), impl_->actor_of(who.id, who.roles), 0);
}

result engine::start(std::string_view procedure, case_id id, const payload& variables, time_point now,
                     const actor& who) {
    const auto* in = impl_->find_program(procedure);
    if (!in) {
        detail::record r;
        r.time = to_ticks(now);
        r.kind = record_kind::start;
        r.id = id;
        r.result = outcome::error;
        r.code = detail::reason::unknown_program;
        r.actor = impl_->actor_of(who.id, who.roles);
        r.text = impl_->store_text("no procedure '" + std::string(procedure) + "' is installed");
        impl_->log(r);
        result res;
        res.code = detail::code_of(detail::reason::unknown_program);
        res.reason = "no procedure '" + std::string(procedure) + "' is installed";
        return res;
    }
    return start(in->p, id, variables, now, who);
}

result engine::dispatch(case_id id, std::string_view event, const payload& fields, time_point now, const actor& who) {
    return impl_->dispatch(id, event, fields, to_ticks(now), impl_->actor_of(who.id, who.roles), record_kind::dispatch);
}

actor_ref engine::intern(const actor& who) { return actor_ref{impl_->actor_of(who.id, who.roles)}; }

result engine::dispatch(case_id id, event_index event, std::span<const value> fields, time_point now, actor_ref who) {
    return impl_->dispatch(id, event, fields, to_ticks(now), who.index);
}

result engine::dispatch(case_id id, std::string_view event, time_point now, const actor& who) {
    static const payload none;
    return dispatch(id, event, none, now, who);
}

result engine::assign(case_id id, std::string_view duty, std::string_view person, time_point now, const actor& who) {
    return impl_->assign(id, duty, person, to_ticks(now), impl_->actor_of(who.id, who.roles));
}

result engine::advance(time_point now) { return impl_->advance(to_ticks(now), true); }

bool engine::contains(case_id id) const { return impl_->index.contains(id); }

case_view engine::get(case_id id) const {
    const auto slot = impl_->index.find(id);
    if (slot == none32) throw error("careflow.runtime.unknown_case", "no case " + std::to_string(id));
    return impl_->view(slot);
}

std::size_t engine::size() const { return impl_->index.size(); }
std::vector<case_id> engine::cases() const { return impl_->order; }

bool engine::erase(case_id id) {
    const std::uint32_t slot = impl_->index.find(id);
    if (slot == none32 || !impl_->slots[slot].finished) return false;
    for (auto& t : impl_->slots[slot].timers)
        if (!t.handle.empty()) impl_->queue.cancel(t.handle);
    impl_->slots[slot] = case_data{};
    impl_->free_slots.push_back(slot);
    impl_->index.erase(id);
    auto& o = impl_->order;
    o.erase(std::remove(o.begin(), o.end(), id), o.end());
    return true;
}

time_point engine::now() const {
    return impl_->clock == no_time ? time_point(boost::posix_time::not_a_date_time) : to_time_point(impl_->clock);
}

std::size_t engine::pending_timers() const { return impl_->queue.size(); }

std::vector<journal_entry> engine::journal(std::size_t from) const {
    std::vector<journal_entry> out;
    for (std::size_t i = from; i < impl_->journal.size(); ++i) out.push_back(impl_->entry(impl_->journal[i]));
    return out;
}

std::size_t engine::journal_size() const { return impl_->journal.size(); }

void engine::clear_journal() {
    impl_->journal.clear();
    impl_->payloads.clear();
    impl_->journal_cells.clear();
    impl_->journal_texts.clear();
}

// ---- case_view --------------------------------------------------------------

namespace {
const case_data& data(const engine_impl* e, std::uint32_t slot) { return e->slots[slot]; }
} // namespace

case_id case_view::id() const { return data(e_, slot_).id; }
const program& case_view::prog() const { return e_->prog_of(data(e_, slot_)); }
state_index case_view::state() const { return data(e_, slot_).state; }
const std::string& case_view::path() const { return prog().states()[state()].path; }
bool case_view::finished() const { return data(e_, slot_).finished; }
time_point case_view::started_at() const { return to_time_point(data(e_, slot_).started_at); }
time_point case_view::entered_at() const { return to_time_point(data(e_, slot_).entered_at); }

bool case_view::in(std::string_view state) const {
    const auto s = prog().find_state(state);
    if (!s) throw error("careflow.runtime.unknown_state", "no state '" + std::string(state) + "' in " + prog().name());
    return prog().within(this->state(), *s);
}

value case_view::variable(std::string_view name) const {
    const auto i = prog().find_variable(name);
    if (!i)
        throw error("careflow.runtime.unknown_variable", "no variable '" + std::string(name) + "' in " + prog().name());
    const auto& v = prog().variables()[*i];
    const case_data& c = data(e_, slot_);
    if (v.type == value_type::text) return value(c.texts[v.text_slot]);
    return cell_value(c.vars[*i], v.type, v.symbols);
}

std::string_view case_view::assignee(std::string_view duty) const {
    const auto d = prog().find_duty(duty);
    if (!d) throw error("careflow.runtime.unknown_duty", "no duty '" + std::string(duty) + "' in " + prog().name());
    const auto who = data(e_, slot_).assignees[*d];
    return who == none32 ? std::string_view() : std::string_view(e_->people[who]);
}

const sla_clock& case_view::sla(std::string_view name) const {
    const auto& slas = prog().slas();
    for (std::size_t i = 0; i < slas.size(); ++i)
        if (slas[i].name == name) return data(e_, slot_).slas[i];
    throw error("careflow.runtime.unknown_sla", "no SLA clock '" + std::string(name) + "' in " + prog().name());
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

std::optional<case_id> case_view::parent() const {
    const case_data& c = data(e_, slot_);
    if (!c.has_parent) return std::nullopt;
    return c.parent;
}

std::vector<case_id> case_view::children() const { return data(e_, slot_).children; }

// ---- action_context ---------------------------------------------------------

case_id action_context::id() const { return e_->slots[e_->cur].id; }
const program& action_context::prog() const { return e_->prog_of(e_->slots[e_->cur]); }
time_point action_context::now() const { return to_time_point(e_->now); }
std::string_view action_context::actor_id() const {
    const auto p = e_->person_acting();
    return p == none32 ? std::string_view() : std::string_view(e_->people[p]);
}
const std::string& action_context::path() const { return *e_->current_path; }

value action_context::variable(std::string_view name) const { return e_->view(e_->cur).variable(name); }

void action_context::set(std::string_view name, const value& v) {
    const auto i = prog().find_variable(name);
    if (!i)
        throw error("careflow.runtime.unknown_variable", "no variable '" + std::string(name) + "' in " + prog().name());
    const auto& decl = prog().variables()[*i];
    if (decl.type == value_type::text) {
        if (v.type() != value_type::text)
            throw error("careflow.runtime.bad_payload", "variable '" + std::string(name) + "' is text");
        e_->text(decl.text_slot) = std::get<std::string>(v.get());
        return;
    }
    cell out{};
    if (!detail::to_cell(v, decl.type, decl.symbols, out))
        throw error("careflow.runtime.bad_payload", "variable '" + std::string(name) + "' is " +
                                                        std::string(to_string(decl.type)) + "; " + v.to_string() +
                                                        " does not fit");
    e_->var(*i) = out;
}

value action_context::field(std::string_view name) const {
    const eval_context ctx = e_->context();
    return guard_context(prog(), e_->event, ctx).field(name);
}

} // namespace careflow
