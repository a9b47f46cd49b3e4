// Client files: the cases linked to a client (`engine::client_history`, a journaled read
// under the read rules) and erasure of a client's personal data (`engine::erase_client`:
// the cases held, the journal in memory, and a durable engine's sealed rows and data key).
#include "engine_impl.hpp"

#include "../detail/cells.hpp"

#include <careflow/error.hpp>

#include <algorithm>
#include <set>

namespace careflow {

using detail::none32;

namespace detail {

bool client_ok(std::string_view client) noexcept {
    return client.size() <= 128 && !client.starts_with("case:") &&
           std::none_of(client.begin(), client.end(),
                        [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7F; });
}

namespace {

// A text cell of the journal shows `erased`; any other cell its type's initial value.
void blank(cell& c, std::string* text, const cell& initial) {
    if (text)
        *text = std::string(erased);
    else
        c = initial;
}

} // namespace

void engine_impl::erase_values(const record& r) {
    if (r.given) { // a rejected input's values as given: none can be told apart
        for (auto& [name, v] : givens[r.given - 1].values) v = value(std::string(erased));
    }
    if (!r.payload || r.prog == 0xFFFF) return;
    const program& p = *programs[r.prog].p;
    const stored_payload& sp = payloads[r.payload - 1];
    if (sp.variables) {
        for (std::size_t i = 0; i < p.variables().size(); ++i) {
            if (p.item_of(static_cast<var_index>(i)) == no_index) continue;
            const auto& v = p.variables()[i];
            blank(journal_cells[sp.cells + i],
                  v.type == value_type::text ? &journal_texts[sp.texts + v.text_slot] : nullptr, v.initial);
        }
    } else if (r.index != 0xFFFF) {
        const auto& ev = p.events()[r.index];
        std::size_t text = 0;
        for (std::size_t i = 0; i < ev.payload.size(); ++i) {
            const bool is_text = ev.payload[i].type == value_type::text;
            if (p.item_of(r.index, static_cast<std::uint16_t>(i)) != no_index)
                blank(journal_cells[sp.cells + i], is_text ? &journal_texts[sp.texts + text] : nullptr, cell{});
            text += is_text;
        }
    }
}

result engine_impl::erase_client(std::string_view client, ticks t, std::uint32_t actor) {
    record in = input_record(record_kind::erase, 0, t, actor);
    in.sub = 1;
    in.client = store_text(std::string(client));
    if (busy) return reject(in, reason::reentrant_input, reentrant_message);
    return top_level([&] {
        std::string why;
        if (const reason code = precheck(in, t, why); code != reason::none) return reject(in, code, why);
        if (client.empty() || !client_ok(client)) return reject(in, reason::bad_client, client_rule);
        if (queue.next_due() <= t) advance(t); // a refusal is at its time too, like any input's
        clock = std::max(clock, t);
        const auto& roles = actors[actor].roles;
        const bool may = std::any_of(roles.begin(), roles.end(), [&](const std::string& r) {
            return std::find(options.erasure_roles.begin(), options.erasure_roles.end(), r) !=
                   options.erasure_roles.end();
        });
        if (!may) {
            in.result = outcome::refused;
            in.code = reason::access_denied;
            log(in);
            return failed(reason::access_denied, "erasing a client's personal data needs an erasure role",
                          outcome::refused);
        }
        // The client's cases: those held, and those the journal in memory saw start.
        std::set<case_id> ids;
        for (std::uint32_t slot : ordered_slots()) {
            case_data& c = slots[slot];
            if (c.client != client) continue;
            ids.insert(c.id);
            const program& p = prog_of(c);
            for (const auto& item : p.personal_items()) {
                if (item.variable == no_index) continue;
                const auto& v = p.variables()[item.variable];
                if (v.type == value_type::text)
                    c.texts[v.text_slot] = v.initial_text;
                else
                    c.vars[item.variable] = v.initial;
            }
            mark(slot);
        }
        const auto of_client = [&](const record& r) {
            return r.kind == record_kind::start && r.client && journal_texts[payloads[r.client - 1].texts] == client;
        };
        for (std::size_t i = 0; i < journal.size(); ++i)
            if (of_client(journal[i]) && journal[i].result == outcome::applied) ids.insert(journal[i].id);
        for (std::size_t i = 0; i < journal.size(); ++i)
            if (ids.count(journal[i].id) != 0 || of_client(journal[i])) erase_values(journal[i]);
        if (durable.to) durable.shred.emplace_back(client);
        forget_consents(client); // nobody is left to have consented
        in.result = outcome::applied;
        log(in);
        result ok;
        ok.kind = outcome::applied;
        return ok;
    });
}

client_file engine_impl::client_history(std::string_view client, std::span<const journal_entry> entries, ticks t,
                                        std::uint32_t actor) {
    if (client.empty() || !client_ok(client)) throw error(codes::bad_client, client_rule);
    // The client's cases: started for the client (or spawned from one), and held.
    std::set<case_id> ids;
    for (const auto& e : entries)
        if (e.kind == record_kind::start && e.result == outcome::applied && e.client == client) ids.insert(e.id);
    for (std::uint32_t slot : ordered_slots())
        if (slots[slot].client == client) ids.insert(slots[slot].id);
    std::vector<journal_entry> mine;
    for (const auto& e : entries)
        if (e.kind == record_kind::consent ? e.client == client : ids.count(e.id) != 0) mine.push_back(e);
    client_file out;
    out.client = std::string(client);
    out.entries = journal_for(mine, t, actor, client);
    out.consents = consent_states(client);
    const time_point never(boost::posix_time::not_a_date_time);
    auto file_of = [&](case_id id) -> client_case& {
        const auto it =
            std::find_if(out.cases.begin(), out.cases.end(), [&](const client_case& c) { return c.id == id; });
        if (it != out.cases.end()) return *it;
        client_case c;
        c.id = id;
        c.started = c.ended = never;
        return out.cases.emplace_back(std::move(c));
    };
    for (const auto& e : mine) {
        if (e.result != outcome::applied) continue;
        switch (e.kind) {
        case record_kind::start: {
            client_case& c = file_of(e.id);
            c.procedure = e.procedure;
            c.parent = e.other;
            c.started = to_time_point(e.time);
            c.state = e.to;
            break;
        }
        case record_kind::dispatch:
        case record_kind::fire: file_of(e.id).state = e.to; break;
        case record_kind::finish: file_of(e.id).ended = to_time_point(e.time); break;
        case record_kind::assign: {
            auto& a = file_of(e.id).assignees;
            const auto it = std::find_if(a.begin(), a.end(), [&](const auto& d) { return d.first == e.event; });
            if (it == a.end())
                a.emplace_back(e.event, e.detail);
            else
                it->second = e.detail;
            break;
        }
        default: break;
        }
    }
    for (std::uint32_t slot : ordered_slots()) { // the cases held: as they are now
        const case_data& c = slots[slot];
        if (c.client != client) continue;
        client_case& f = file_of(c.id);
        const program& p = prog_of(c);
        f.held = true;
        f.procedure = p.qualified_name();
        f.parent = c.parent;
        f.started = to_time_point(c.started_at);
        f.state = p.states()[c.state].path;
        f.assignees.clear();
        for (std::size_t d = 0; d < c.assignees.size(); ++d)
            if (c.assignees[d] != none32) f.assignees.emplace_back(p.duties()[d], people[c.assignees[d]]);
    }
    std::stable_sort(out.cases.begin(), out.cases.end(),
                     [](const client_case& a, const client_case& b) { return a.started < b.started; });
    return out;
}

} // namespace detail

result engine::erase_client(std::string_view client, time_point now, const actor& who) {
    return impl_->erase_client(client, now.is_special() ? no_time : to_ticks(now), impl_->actor_of(who.id, who.roles));
}

client_file engine::client_history(std::string_view client, const actor& reader, time_point now,
                                   std::span<const journal_entry> entries) {
    return impl_->client_history(client, entries, now.is_special() ? no_time : to_ticks(now),
                                 impl_->actor_of(reader.id, reader.roles));
}

client_file engine::client_history(std::string_view client, const actor& reader, time_point now) {
    const auto mine = journal(journal_begin());
    return client_history(client, reader, now, mine);
}

} // namespace careflow
