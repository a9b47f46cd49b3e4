// The engine's public face: thin wrappers that turn the API's types (ptime, names,
// actors) into the pipeline's (ticks, indexes, interned actors), and the journal reads.
#include "engine_impl.hpp"

#include <careflow/error.hpp>

#include <algorithm>

namespace careflow {

using detail::engine_impl;
using detail::none32;

namespace {

// An instant from the host; a special value (not_a_date_time, ±infinity) is no instant,
// which the pipeline refuses as `bad_time`.
ticks input_time(time_point t) { return t.is_special() ? no_time : to_ticks(t); }

} // namespace

engine::engine(engine_options options) : impl_(std::make_unique<engine_impl>(options)) {}
engine::~engine() = default;
engine::engine(engine&&) noexcept = default;
engine& engine::operator=(engine&&) noexcept = default;

void engine::install(std::shared_ptr<const program> p) {
    if (!p) throw error(codes::unknown_program, "install() of a null program");
    (void)impl_->install(std::move(p));
}

std::shared_ptr<const program> engine::find_program(std::string_view procedure) const {
    const auto* in = impl_->find_program(procedure);
    return in ? in->p : nullptr;
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

void engine::set_journal_sink(journal_sink* sink) { impl_->sink = sink; }

result engine::start(const std::shared_ptr<const program>& p, case_id id, const payload& variables, time_point now,
                     const actor& who, std::string_view client) {
    if (!p) throw error(codes::unknown_program, "start() of a null program");
    const auto prog = impl_->install(p);
    return impl_->start(prog, id, variables, input_time(now), impl_->actor_of(who.id, who.roles), client);
}

result engine::start(std::string_view procedure, case_id id, const payload& variables, time_point now, const actor& who,
                     std::string_view client) {
    return impl_->start_by_name(procedure, id, variables, input_time(now), impl_->actor_of(who.id, who.roles), client);
}

result engine::dispatch(case_id id, std::string_view event, const payload& fields, time_point now, const actor& who) {
    return impl_->dispatch(id, event, fields, input_time(now), impl_->actor_of(who.id, who.roles));
}

actor_ref engine::intern(const actor& who) { return actor_ref{impl_->ref_of(impl_->actor_of(who.id, who.roles))}; }

result engine::dispatch(case_id id, event_index event, std::span<const value> fields, time_point now, actor_ref who) {
    // A ref the engine never made maps to no actor, which the input refuses (unknown_actor).
    const auto& refs = impl_->refs;
    return impl_->dispatch(id, event, fields, input_time(now),
                           who.index < refs.size() ? refs[who.index] : detail::none32);
}

result engine::dispatch(case_id id, std::string_view event, time_point now, const actor& who) {
    static const payload none;
    return dispatch(id, event, none, now, who);
}

result engine::assign(case_id id, std::string_view duty, std::string_view person, time_point now, const actor& who) {
    return impl_->assign(id, duty, person, input_time(now), impl_->actor_of(who.id, who.roles));
}

result engine::advance(time_point now) { return impl_->advance_input(input_time(now)); }

bool engine::erase(case_id id) { return impl_->erase(id); }

bool engine::contains(case_id id) const { return impl_->index.contains(id); }

case_view engine::get(case_id id) const {
    const auto slot = impl_->index.find(id);
    if (slot == none32) throw error(codes::unknown_case, "no case " + std::to_string(id));
    return impl_->view(slot);
}

std::size_t engine::size() const { return impl_->index.size(); }

std::vector<case_id> engine::cases() const {
    std::vector<case_id> out;
    for (std::uint32_t slot : impl_->ordered_slots()) out.push_back(impl_->slots[slot].id);
    return out;
}

std::vector<case_id> engine::cases_of(std::string_view client) const {
    std::vector<case_id> out;
    if (client.empty()) return out;
    for (std::uint32_t slot : impl_->ordered_slots())
        if (impl_->slots[slot].client == client) out.push_back(impl_->slots[slot].id);
    return out;
}

time_point engine::now() const {
    return impl_->clock == no_time ? time_point(boost::posix_time::not_a_date_time) : to_time_point(impl_->clock);
}

std::size_t engine::pending_timers() const { return impl_->queue.size(); }

std::vector<journal_entry> engine::journal(std::size_t from) const {
    std::vector<journal_entry> out;
    const auto& e = *impl_;
    for (std::size_t i = std::max(from, e.journal_base); i < e.journal_end(); ++i)
        out.push_back(e.entry(e.journal[i - e.journal_base]));
    return out;
}

std::size_t engine::journal_size() const { return impl_->journal_end(); }
std::size_t engine::journal_begin() const { return impl_->journal_base; }

void engine::clear_journal() {
    auto& e = *impl_;
    e.journal_base = e.journal_end();
    e.journal.clear();
    e.payloads.clear();
    e.journal_cells.clear();
    e.journal_texts.clear();
    e.givens.clear();
}

std::vector<journal_entry> engine::history(case_id id) const {
    std::vector<journal_entry> out;
    const auto& e = *impl_;
    for (std::size_t i = 0; i < e.journal.size(); ++i) {
        const detail::record& r = e.journal[i];
        if (r.id == id) out.push_back(e.entry(r));
    }
    return out;
}

} // namespace careflow
