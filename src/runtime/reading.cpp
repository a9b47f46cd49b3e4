// Reading personal data: which items of a case a reader may read now (the program's read
// rules against the case's state and assignees), the reader view (`engine::read`) and the
// journal as a reader may see it (`engine::journal_for`), each journaled as a `read` input.
#include "engine_impl.hpp"
#include "restore.hpp"

#include "../detail/cells.hpp"
#include "../program/read_rules.hpp"

#include <careflow/error.hpp>

#include <algorithm>

namespace careflow {

using detail::none32;

value case_reading::get(std::string_view name) const {
    for (const auto& [n, v] : values)
        if (n == name) return v;
    if (std::find(withheld.begin(), withheld.end(), name) != withheld.end())
        throw error(codes::access_denied, "the reader may not read '" + std::string(name) + "' of case " +
                                              std::to_string(id) + " in state '" + state + "'");
    throw error(codes::unknown_variable,
                "the reading of case " + std::to_string(id) + " has no variable '" + std::string(name) + "'");
}

bool case_reading::shows(std::string_view name) const noexcept {
    return std::any_of(values.begin(), values.end(), [&](const auto& nv) { return nv.first == name; });
}

namespace detail {

namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
    return out;
}

} // namespace

std::uint64_t engine_impl::readable(const case_data* c, std::uint16_t prog, std::uint32_t actor) {
    const actor_identity& who = actors[actor];
    // A case no longer held has no state or assignees to judge by.
    const state_index leaf = c ? c->state : no_index;
    const auto holds = [&](std::uint16_t duty) { return c && c->assignees[duty] == who.person; };
    std::uint64_t may = programs[prog].p->readable(leaf, mask_of(actor, prog), holds);
    for (const auto& h : programs[prog].host_rules) {
        const bool role = h.roles.empty() || std::any_of(who.roles.begin(), who.roles.end(), [&](const std::string& r) {
                              return std::find(h.roles.begin(), h.roles.end(), r) != h.roles.end();
                          });
        if (role && h.rule.in(leaf) && (h.rule.duty == no_index || holds(h.rule.duty))) may |= h.rule.items;
    }
    return may;
}

case_reading engine_impl::read(case_id id, std::span<const std::string> items, ticks t, std::uint32_t actor) {
    record in = input_record(record_kind::read, id, t, actor);
    case_reading out;
    out.id = id;
    auto as_asked = [&] {
        given_input g;
        for (const auto& n : items) g.values.emplace_back(n, value(false));
        return g;
    };
    if (busy) {
        out.outcome = reject(in, reason::reentrant_input, reentrant_message, as_asked());
        return out;
    }
    out.outcome = top_level([&] {
        std::string why;
        reason code = reason::none;
        const std::uint32_t slot = admit(in, id, t, code, why);
        if (slot == none32) return reject(in, code, why, as_asked());
        const program& p = prog_of(slots[slot]);
        std::vector<var_index> vars;
        for (const auto& name : items) {
            const auto v = p.find_variable(name);
            if (!v)
                return reject(in, reason::unknown_variable,
                              "procedure '" + p.name() + "' has no variable '" + name + "'", as_asked());
            vars.push_back(*v);
        }
        if (items.empty())
            for (std::size_t v = 0; v < p.variables().size(); ++v) vars.push_back(static_cast<var_index>(v));
        if (queue.next_due() <= t) advance(t); // a timer may spawn cases: find the slot's case after it
        clock = std::max(clock, t);
        const case_data& c = slots[slot];
        const std::uint64_t may = readable(&c, c.prog, actor);
        std::string shown; // the record's text: "shown,items|refused,items"
        for (const var_index v : vars) {
            const auto& decl = p.variables()[v];
            const std::uint16_t item = p.item_of(v);
            if (item == no_index || (may >> item & 1U) != 0) {
                out.values.emplace_back(decl.name, read_variable(decl, c.vars, c.texts, v));
                if (item != no_index) shown += (shown.empty() ? "" : ",") + decl.name;
            } else {
                out.withheld.push_back(decl.name);
            }
        }
        // Withheld items asked for by name are refused; a read of everything refuses nothing.
        const bool refused = !items.empty() && !out.withheld.empty();
        std::string refused_text;
        if (refused)
            for (const auto& n : out.withheld) refused_text += (refused_text.empty() ? "" : ",") + n;
        out.procedure = p.qualified_name();
        out.state = p.states()[c.state].path;
        out.finished = finished(c);
        in.from = in.to = c.state;
        in.text = store_text(shown + "|" + refused_text);
        result r;
        r.from = r.to = c.state;
        if (!refused) {
            r.kind = outcome::applied;
        } else {
            r = failed(reason::access_denied, "may not read " + joined(out.withheld) + " of case " + std::to_string(id),
                       outcome::refused);
            r.from = r.to = c.state;
            in.result = outcome::refused;
            in.code = reason::access_denied;
        }
        log(in);
        return r;
    });
    return out;
}

std::vector<std::uint16_t> engine_impl::value_items(const journal_entry& e, const installed* known) const {
    std::vector<std::uint16_t> out;
    if (e.values.empty() ||
        (e.kind != record_kind::start && e.kind != record_kind::dispatch && e.kind != record_kind::fire))
        return out;
    out.assign(e.values.size(), no_index);
    if (!known) { // nothing to tell personal values from others by: none a host gave is shown
        if (e.kind != record_kind::fire) out.assign(e.values.size(), unnamed_item);
        return out;
    }
    const program& p = *known->p;
    const auto ev = p.find_event(e.event);
    for (std::size_t i = 0; i < e.values.size(); ++i) {
        const std::string& name = e.values[i].first; // not a structured binding: lambdas capture it
        std::uint16_t item = no_index;
        bool named = true; // a name the procedure declares (a rejected input may carry others)
        if (e.kind == record_kind::start) {
            item = p.find_item(name);
            named = p.find_variable(name).has_value();
        } else if (ev) {
            item = p.find_item(e.event + "." + name);
            const auto& fields = p.events()[*ev].payload;
            named = e.kind == record_kind::fire ||
                    std::any_of(fields.begin(), fields.end(), [&](const field_decl& f) { return f.name == name; });
        } else {
            named = e.kind == record_kind::fire;
        }
        out[i] = named ? item : unnamed_item;
    }
    return out;
}

std::string engine_impl::owner_of(case_id id, const std::string& client) const {
    if (!client.empty()) return client;
    const std::uint32_t slot = index.find(id);
    if (slot != none32 && !slots[slot].client.empty()) return slots[slot].client;
    return {}; // the cases without a client share one data key: none can be erased alone
}

std::vector<journal_entry> engine_impl::disclose(std::span<const journal_entry> entries, std::uint32_t actor,
                                                 std::vector<shown_case>& shown) {
    std::vector<journal_entry> out(entries.begin(), entries.end());
    for (auto& e : out) {
        const installed* known = e.values.empty() ? nullptr : find_qualified(e.procedure);
        const auto items = value_items(e, known);
        if (items.empty()) continue;
        if (!known) {
            for (std::size_t i = 0; i < items.size(); ++i)
                if (items[i] != no_index) e.values[i].second = value(std::string(withheld));
            continue;
        }
        const program& p = *known->p;
        const auto prog = static_cast<std::uint16_t>(known - programs.data());
        const std::uint32_t slot = index.find(e.id);
        const case_data* c = slot != none32 && slots[slot].prog == prog ? &slots[slot] : nullptr;
        const std::uint64_t may = actor == none32 ? 0 : readable(c, prog, actor);
        for (std::size_t i = 0; i < items.size(); ++i) {
            const std::uint16_t item = items[i];
            value& v = e.values[i].second;
            if (item == unnamed_item || (item != no_index && (may >> item & 1U) == 0)) {
                v = value(std::string(withheld));
            } else if (item != no_index && !v.empty() && v != value(std::string())) { // "" tells nothing
                auto it = std::find_if(shown.begin(), shown.end(),
                                       [&](const shown_case& s) { return s.id == e.id && s.prog == prog; });
                if (it == shown.end()) it = shown.insert(shown.end(), shown_case{e.id, prog, {}});
                const std::string& item_name = p.personal_items()[item].name;
                if (std::find(it->items.begin(), it->items.end(), item_name) == it->items.end())
                    it->items.push_back(item_name);
            }
        }
    }
    return out;
}

std::vector<journal_entry> engine_impl::journal_for(std::span<const journal_entry> entries, ticks t,
                                                    std::uint32_t actor, std::string_view client) {
    record in = input_record(record_kind::read, 0, t, actor);
    in.sub = client.empty() ? 1 : 2; // an export, or a look at a client's file
    in.client = store_text(std::string(client));
    if (busy) {
        const result r = reject(in, reason::reentrant_input, reentrant_message);
        throw error(r.code, r.reason);
    }
    std::vector<journal_entry> out;
    const result r = top_level([&] {
        std::string why;
        if (const reason code = precheck(in, t, why); code != reason::none) return reject(in, code, why);
        if (queue.next_due() <= t) advance(t);
        clock = std::max(clock, t);
        std::vector<shown_case> shown;
        out = disclose(entries, actor, shown);
        for (const auto& s : shown) {
            record rd = in;
            rd.id = s.id;
            rd.prog = s.prog;
            const std::uint32_t slot = index.find(s.id);
            if (slot != none32 && slots[slot].prog == s.prog) rd.from = rd.to = slots[slot].state;
            std::string text;
            for (const auto& n : s.items) text += (text.empty() ? "" : ",") + n;
            rd.text = store_text(text + "|");
            log(rd);
        }
        if (shown.empty()) log(in); // the export itself is an input, read or not
        result ok;
        ok.kind = outcome::applied;
        return ok;
    });
    if (r.kind == outcome::error) throw error(r.code, r.reason);
    return out;
}

std::string engine_impl::snapshot_for(ticks t, std::uint32_t actor, snapshot_format format) {
    record in = input_record(record_kind::read, 0, t, actor);
    in.sub = 3; // a snapshot
    if (busy) {
        const result r = reject(in, reason::reentrant_input, reentrant_message);
        throw error(r.code, r.reason);
    }
    std::string out;
    const result r = top_level([&] {
        std::string why;
        if (const reason code = precheck(in, t, why); code != reason::none) return reject(in, code, why);
        if (queue.next_due() <= t) advance(t);
        clock = std::max(clock, t);
        std::vector<std::uint64_t> shown(slots.size(), 0);
        bool any = false;
        for (const std::uint32_t slot : ordered_slots()) {
            const case_data& c = slots[slot];
            const program& p = prog_of(c);
            shown[slot] = readable(&c, c.prog, actor);
            std::string text; // the personal items whose values the snapshot shows
            for (const auto& item : p.personal_items()) {
                const auto bit = static_cast<std::size_t>(&item - p.personal_items().data());
                if (item.variable == no_index || (shown[slot] >> bit & 1U) == 0) continue;
                const auto& v = p.variables()[item.variable];
                const bool set = v.type == value_type::text ? c.texts[v.text_slot] != v.initial_text
                                                            : c.vars[item.variable].i != v.initial.i;
                if (set) text += (text.empty() ? "" : ",") + item.name;
            }
            if (text.empty()) continue;
            record rd = in;
            rd.id = c.id;
            rd.prog = c.prog;
            rd.from = rd.to = c.state;
            rd.text = store_text(text + "|");
            log(rd);
            any = true;
        }
        if (!any) log(in);
        out =
            format == snapshot_format::binary ? write_binary_snapshot(*this, shown) : write_text_snapshot(*this, shown);
        result ok;
        ok.kind = outcome::applied;
        return ok;
    });
    if (r.kind == outcome::error) throw error(r.code, r.reason);
    return out;
}

} // namespace detail

std::string engine::snapshot_for(const actor& reader, time_point now, snapshot_format format) {
    return impl_->snapshot_for(now.is_special() ? no_time : to_ticks(now), impl_->actor_of(reader.id, reader.roles),
                               format);
}

void engine::allow_read(std::string_view procedure, const read_rule& rule) {
    std::vector<std::pair<detail::installed*, detail::host_read_rule>> compiled;
    for (auto& in : impl_->programs)
        if (in.p->name() == procedure) {
            detail::host_read_rule h{detail::compile_read_rule(*in.p, rule), rule.roles};
            h.rule.roles = 0; // checked by name
            compiled.emplace_back(&in, std::move(h));
        }
    if (compiled.empty())
        throw error(codes::unknown_program, "allow_read: no procedure '" + std::string(procedure) + "' is installed");
    for (auto& [in, h] : compiled) in->host_rules.push_back(std::move(h)); // all checked: now add them all
}

case_reading engine::read(case_id id, const actor& reader, time_point now, std::span<const std::string> items) {
    return impl_->read(id, items, now.is_special() ? no_time : to_ticks(now), impl_->actor_of(reader.id, reader.roles));
}

std::vector<journal_entry> engine::journal_for(const actor& reader, time_point now,
                                               std::span<const journal_entry> entries) {
    return impl_->journal_for(entries, now.is_special() ? no_time : to_ticks(now),
                              impl_->actor_of(reader.id, reader.roles));
}

std::vector<journal_entry> engine::withhold(std::span<const journal_entry> entries) const {
    std::vector<detail::shown_case> none;
    return impl_->disclose(entries, none32, none);
}

std::vector<journal_entry> engine::journal_for(const actor& reader, time_point now) {
    const auto mine = journal(journal_begin());
    return journal_for(reader, now, mine);
}

} // namespace careflow
