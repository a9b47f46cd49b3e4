// Binary snapshots: the engine's whole state as little-endian fixed-width records that
// refer to states, variables, clocks, duties and people by index — what a durable store
// checkpoints, and what restores a million cases faster than starting them. The layout
// is in docs/runtime.md ("Binary snapshots"); every count and index read is checked
// against what the bytes left can hold and what the installed programs have.
#include "binary_codec.hpp"
#include "restore.hpp"

#include <careflow/error.hpp>

#include <algorithm>
#include <limits>
#include <type_traits>

namespace careflow::detail {

error bad_value(const reader& r, std::string_view whole, const std::string& why) {
    return error("careflow.snapshot.bad_value", "binary snapshot byte " + std::to_string(r.at(whole)) + ": " + why);
}

// Each program's shape, so that a snapshot by index is read only into the same definition.
void put_shape(writer& w, const program& p) {
    w.str(p.name());
    w.put(static_cast<std::int32_t>(p.version()));
    w.put(static_cast<std::uint32_t>(p.states().size()));
    for (const auto& s : p.states()) w.str(s.name);
    w.put(static_cast<std::uint32_t>(p.variables().size()));
    for (const auto& v : p.variables()) w.str(v.name), w.put(v.type);
    w.put(static_cast<std::uint32_t>(p.slas().size()));
    for (const auto& s : p.slas()) w.str(s.name);
    w.put(static_cast<std::uint32_t>(p.timers().size()));
    w.put(static_cast<std::uint32_t>(p.duties().size()));
    for (const auto& d : p.duties()) w.str(d);
}

const installed& read_shape(reader& r, const engine_impl& e) {
    const std::string name(r.str());
    const int version = r.get<std::int32_t>();
    const installed* found = e.find_program(name, version);
    if (!found)
        throw error("careflow.snapshot.unknown_program",
                    "procedure '" + name + "' version " + std::to_string(version) + " is not installed");
    const program& p = *found->p;
    const auto differs = [&](const char* what) {
        return error("careflow.snapshot.unknown_program", "the installed " + p.qualified_name() + " has other " + what +
                                                              " than the one the binary snapshot was written with");
    };
    if (r.get<std::uint32_t>() != p.states().size()) throw differs("states");
    for (const auto& s : p.states())
        if (r.str() != s.name) throw differs("states");
    if (r.get<std::uint32_t>() != p.variables().size()) throw differs("variables");
    for (const auto& v : p.variables())
        if (r.str() != v.name || r.get<value_type>() != v.type) throw differs("variables");
    if (r.get<std::uint32_t>() != p.slas().size()) throw differs("SLA clocks");
    for (const auto& s : p.slas())
        if (r.str() != s.name) throw differs("SLA clocks");
    if (r.get<std::uint32_t>() != p.timers().size()) throw differs("timers");
    if (r.get<std::uint32_t>() != p.duties().size()) throw differs("duties");
    for (const auto& d : p.duties())
        if (r.str() != d) throw differs("duties");
    return *found;
}

namespace {

void put_clock(writer& w, const sla_clock& k) {
    w.put(k.status), w.put(k.warnings_fired), w.put(k.cycles), w.put(k.accountable);
    for (ticks x : {k.started_at, k.resumed_at, k.paused_at, k.stopped_at, k.breached_at, k.elapsed_before,
                    k.paused_total, k.goal})
        w.put(x);
    for (ticks x : k.warned_at) w.put(x);
}

void get_clock(reader& r, sla_clock& k) {
    k.status = r.get<sla_status>();
    k.warnings_fired = r.get<std::uint8_t>();
    k.cycles = r.get<std::uint16_t>();
    k.accountable = r.get<std::uint32_t>();
    for (ticks* x : {&k.started_at, &k.resumed_at, &k.paused_at, &k.stopped_at, &k.breached_at, &k.elapsed_before,
                     &k.paused_total, &k.goal})
        *x = r.get<ticks>();
    for (ticks& x : k.warned_at) x = r.get<ticks>();
}

constexpr std::size_t clock_bytes = 1 + 1 + 2 + 4 + 12 * 8;

} // namespace

namespace {

bool changed(const program& p, const case_data& c, std::size_t i) {
    const auto& v = p.variables()[i];
    return v.type == value_type::text ? c.texts[v.text_slot] != v.initial_text : c.vars[i].i != v.initial.i;
}

// Variables as put_case and put_personal write them: a u16 count, then each u16 index (in
// order; only personal ones when `personal_only`) and a string or an i64 cell, checked.
template <class Bad>
void get_variables(reader& r, const program& p, case_data& c, bool personal_only, const Bad& bad) {
    std::size_t last = 0;
    for (std::size_t k = r.count<std::uint16_t>(2 + 4); k > 0; --k) {
        const auto i = r.get<std::uint16_t>();
        if (i >= p.variables().size() || i < last || (personal_only && p.item_of(i) == no_index))
            throw bad("variables out of order, or one that is not personal");
        last = i + 1u;
        const auto& v = p.variables()[i];
        if (v.type == value_type::text) {
            c.texts[v.text_slot] = r.str();
            continue;
        }
        c.vars[i].i = r.get<std::int64_t>();
        if ((v.type == value_type::boolean && static_cast<std::uint64_t>(c.vars[i].i) > 1) ||
            (v.type == value_type::enumeration && static_cast<std::uint64_t>(c.vars[i].i) >= v.symbols.size()))
            throw bad("value does not fit '" + v.name + "'");
    }
}

} // namespace

bool holds_personal(const engine_impl& e, const case_data& c) {
    const program& p = e.prog_of(c);
    for (const auto& item : p.personal_items())
        if (item.variable != no_index && changed(p, c, item.variable)) return true;
    return false;
}

void put_personal(writer& w, const engine_impl& e, const case_data& c) {
    const program& p = e.prog_of(c);
    std::uint16_t n = 0;
    for (const auto& item : p.personal_items()) n += item.variable != no_index && changed(p, c, item.variable);
    w.put(n);
    for (std::size_t i = 0; i < p.variables().size(); ++i) {
        if (p.item_of(static_cast<var_index>(i)) == no_index || !changed(p, c, i)) continue;
        const auto& v = p.variables()[i];
        w.put(static_cast<std::uint16_t>(i));
        if (v.type == value_type::text)
            w.str(c.texts[v.text_slot]);
        else
            w.put(c.vars[i].i);
    }
}

void get_personal(reader& r, std::string_view whole, const engine_impl& e, case_data& c) {
    const auto bad = [&](const std::string& why) { return bad_value(r, whole, why); };
    const program& p = e.prog_of(c);
    get_variables(r, p, c, true, bad);
}

void put_case(writer& w, const engine_impl& e, const case_data& c, const std::vector<std::uint16_t>& table,
              std::uint64_t shown) {
    const program& p = e.prog_of(c);
    w.put(c.id), w.put(table[c.prog]), w.put(c.state), w.put(c.started_at), w.put(c.entered_at), w.put(c.parent);
    // As in the text: variables at their initial value and clocks never started are left out.
    const auto written = [&](std::size_t i) {
        const std::uint16_t item = p.item_of(static_cast<var_index>(i));
        return changed(p, c, i) && (item == no_index || (shown >> item & 1U) != 0);
    };
    std::uint16_t n = 0;
    for (std::size_t i = 0; i < p.variables().size(); ++i) n += written(i);
    w.put(n);
    for (std::size_t i = 0; i < p.variables().size(); ++i) {
        if (!written(i)) continue;
        const auto& v = p.variables()[i];
        w.put(static_cast<std::uint16_t>(i));
        if (v.type == value_type::text)
            w.str(c.texts[v.text_slot]);
        else
            w.put(c.vars[i].i);
    }
    n = 0;
    for (std::uint32_t person : c.assignees) n += person != none32;
    w.put(n);
    for (std::size_t d = 0; d < c.assignees.size(); ++d)
        if (c.assignees[d] != none32) w.put(static_cast<std::uint16_t>(d)), w.put(c.assignees[d]);
    n = 0;
    for (const auto& k : c.slas) n += !untouched(k);
    w.put(n);
    for (std::size_t s = 0; s < c.slas.size(); ++s)
        if (!untouched(c.slas[s])) w.put(static_cast<std::uint16_t>(s)), put_clock(w, c.slas[s]);
    n = 0;
    for (const auto& ts : c.timers) n += ts.due != no_time || ts.fires != 0;
    w.put(n);
    for (std::size_t i = 0; i < c.timers.size(); ++i) {
        const auto& ts = c.timers[i];
        if (ts.due == no_time && ts.fires == 0) continue;
        const bool pending = !ts.handle.empty() && e.queue.pending(ts.handle);
        w.put(static_cast<std::uint16_t>(i)), w.put(ts.due), w.put(ts.fires);
        w.put(pending ? e.queue.seq(ts.handle) : not_pending);
    }
    w.put(static_cast<std::uint32_t>(c.children.size()));
    for (case_id child : c.children) w.put(child);
    w.str(c.client);
}

void get_case(reader& r, std::string_view whole, engine_impl& e, const std::vector<std::uint16_t>& progs,
              std::size_t people, client_field client) {
    const auto bad = [&](const std::string& why) { return bad_value(r, whole, why); };
    const auto person_ok = [&](std::uint32_t x) { return x == none32 || x < people; };
    const auto id = r.get<case_id>();
    const auto prog = r.get<std::uint16_t>();
    if (prog >= progs.size()) throw bad("no program " + std::to_string(prog));
    if (progs[prog] == 0xFFFF)
        throw error("careflow.snapshot.unknown_program",
                    "case " + std::to_string(id) +
                        " is of a program not installed here, or installed with another shape");
    if (e.index.contains(id)) throw bad("case " + std::to_string(id) + " twice");
    const auto slot = static_cast<std::uint32_t>(e.slots.size());
    auto& c = e.slots.emplace_back();
    c.id = id;
    c.prog = progs[prog];
    c.live = true;
    c.seq = e.next_seq++;
    const program& p = *e.programs[c.prog].p;
    c.state = r.get<state_index>();
    if (c.state >= p.states().size() || p.states()[c.state].compound) throw bad("not a leaf state");
    c.started_at = r.get<ticks>();
    c.entered_at = r.get<ticks>();
    c.parent = r.get<case_id>();
    if (c.started_at == no_time || c.entered_at == no_time) throw bad("a case needs its start and entry times");
    c.lay_out(p);
    e.index.insert(id, slot);
    get_variables(r, p, c, false, bad);
    for (std::size_t k = r.count<std::uint16_t>(6); k > 0; --k) {
        const auto d = r.get<std::uint16_t>();
        const auto person = r.get<std::uint32_t>();
        if (d >= c.assignees.size() || person == none32 || !person_ok(person)) throw bad("bad assignee");
        c.assignees[d] = person;
    }
    for (std::size_t k = r.count<std::uint16_t>(2 + clock_bytes); k > 0; --k) {
        const auto s = r.get<std::uint16_t>();
        if (s >= c.slas.size()) throw bad("no SLA clock " + std::to_string(s));
        sla_clock& clock = c.slas[s];
        get_clock(r, clock);
        if (!person_ok(clock.accountable)) throw bad("an accountable person who is not one");
        if (const auto why = impossible(clock, p.slas()[s].warnings.size()); !why.empty())
            throw bad("SLA clock '" + p.slas()[s].name + "': " + std::string(why));
    }
    for (std::size_t k = r.count<std::uint16_t>(2 + 8 + 4 + 8); k > 0; --k) {
        const auto i = r.get<std::uint16_t>();
        if (i >= c.timers.size()) throw bad("no timer slot " + std::to_string(i));
        auto& ts = c.timers[i];
        ts.due = r.get<ticks>();
        ts.fires = r.get<std::uint32_t>();
        if (const auto why = impossible(ts, p, i); !why.empty())
            throw bad("timer slot " + std::to_string(i) + " " + std::string(why));
        if (const auto seq = r.get<std::uint64_t>(); seq != not_pending) {
            if (ts.due == no_time || !ts.handle.empty()) throw bad("a pending timer needs a due time, once");
            rearm(e, slot, i, seq); // now, while the case is in cache
        }
    }
    c.children.resize(r.count<std::uint32_t>(8));
    for (auto& child : c.children) child = r.get<case_id>();
    if (client == client_field::present || (client == client_field::trailing && r.left() != 0)) {
        c.client = r.str();
        if (c.client.size() > 128) throw bad("a client id longer than 128 bytes");
    }
}

void put_consent(writer& w, const engine_impl& e, std::string_view client, const consent_record& c) {
    w.str(client), w.str(e.consent_topics[c.topic]);
    w.put(static_cast<std::uint8_t>(c.granted ? 1 : 0));
    w.put(c.at), w.put(c.until), w.put(c.person);
}

bool get_consent(reader& r, engine_impl& e, std::size_t people, std::string& client, consent_record& c) {
    client = std::string(r.str());
    const std::string_view topic = r.str();
    const auto granted = r.get<std::uint8_t>();
    c.at = r.get<ticks>();
    c.until = r.get<ticks>();
    c.person = r.get<std::uint32_t>();
    if (client.empty() || !client_ok(client) || !consent_topic_ok(topic) || granted > 1 || c.person == 0 ||
        c.person >= people || c.at == no_time || (c.until != no_time && (granted == 0 || c.until <= c.at)))
        return false;
    c.granted = granted == 1;
    c.topic = e.intern_consent(topic);
    return true;
}

/// The byte that opens the consent section after the cases.
constexpr std::uint8_t consent_section = 'C';

std::string write_binary_snapshot(const engine_impl& e, std::span<const std::uint64_t> shown) {
    std::string out;
    out.reserve(256 + e.index.size() * 200);
    writer w(out);
    out.append(binary_snapshot_magic);
    w.put(e.clock), w.put(e.next_spawn), w.put(e.queue.next_seq());
    // The programs the cases use, each name and version once, in order of first use (so
    // the bytes do not depend on what else is installed, or installed twice).
    const auto order = e.ordered_slots();
    std::vector<std::uint16_t> table(e.programs.size(), 0xFFFF); // installed index → table index
    std::vector<const program*> used;
    for (std::uint32_t slot : order) {
        auto& t = table[e.slots[slot].prog];
        if (t != 0xFFFF) continue;
        const program& p = e.prog_of(e.slots[slot]);
        const auto same = std::find_if(used.begin(), used.end(), [&](const program* q) {
            return q->name() == p.name() && q->version() == p.version();
        });
        t = static_cast<std::uint16_t>(same - used.begin());
        if (same == used.end()) used.push_back(&p);
    }
    w.put(static_cast<std::uint32_t>(used.size()));
    for (const program* p : used) put_shape(w, *p);
    w.put(static_cast<std::uint32_t>(e.people.size()));
    for (const auto& person : e.people) w.str(person);
    w.put(static_cast<std::uint32_t>(e.refs.size()));
    for (std::uint32_t a : e.refs) {
        const auto& who = e.actors[a];
        w.put(who.person);
        w.put(static_cast<std::uint32_t>(who.roles.size()));
        for (const auto& role : who.roles) w.str(role);
    }
    w.put(static_cast<std::uint64_t>(order.size()));
    for (std::uint32_t slot : order)
        put_case(w, e, e.slots[slot], table, shown.empty() ? ~std::uint64_t{0} : shown[slot]);
    // Clients' consents, after the cases and only when there are any (so a snapshot of an
    // engine without them is what it was before consents existed).
    std::uint32_t answers = 0;
    for (const auto& [client, mine] : e.consents) answers += static_cast<std::uint32_t>(mine.size());
    if (answers != 0) {
        w.put(consent_section);
        w.put(answers);
        for (const auto& [client, mine] : e.consents)
            for (const consent_record& c : mine) put_consent(w, e, client, c);
    }
    return out;
}

std::unique_ptr<engine_impl> read_binary_snapshot(const engine_impl& from, std::string_view bytes) {
    auto fresh = restore_target(from);
    engine_impl& e = *fresh;
    // Version 1 (before clients) reads with no client; the magics are of equal length.
    const auto client = bytes.starts_with(binary_snapshot_magic) ? client_field::present : client_field::absent;
    reader r(bytes.substr(binary_snapshot_magic.size()));
    const auto bad = [&](const std::string& why) { return bad_value(r, bytes, why); };
    e.clock = r.get<ticks>();
    e.next_spawn = r.get<std::uint64_t>();
    const auto next_seq = r.get<std::uint64_t>();
    // The programs the snapshot was written with, as installed here (by table index).
    std::vector<std::uint16_t> progs(r.count<std::uint32_t>(4 + 4 + 5 * 4));
    for (auto& i : progs) i = static_cast<std::uint16_t>(&read_shape(r, e) - e.programs.data());
    // People keep their indexes: assignees and clocks refer to them so. people[0] is the engine.
    const std::size_t people = r.count<std::uint32_t>(4);
    if (people == 0 || r.str() != e.people[0]) throw bad("the first person must be the engine's own");
    for (std::size_t i = 1; i < people; ++i)
        if (e.person_of(r.str()) != i) throw bad("person " + std::to_string(i) + " twice");
    const std::size_t refs = r.count<std::uint32_t>(8);
    for (std::size_t i = 0; i < refs; ++i) {
        const auto person = r.get<std::uint32_t>();
        if (person >= people) throw bad("an actor of no person");
        std::vector<std::string> roles(r.count<std::uint32_t>(4));
        for (auto& role : roles) role = r.str();
        const auto a = e.actor_of(e.people[person], roles);
        if (e.actors[a].ref != none32) throw bad("actor " + std::to_string(i) + " twice");
        e.ref_of(a);
    }
    constexpr std::size_t case_bytes = 8 + 2 + 2 + 8 + 8 + 8 + 2 * 4 + 4;
    const std::size_t cases = r.count<std::uint64_t>(case_bytes);
    e.slots.reserve(cases);
    for (std::size_t n = 0; n < cases; ++n) get_case(r, bytes, e, progs, people, client);
    if (client == client_field::present && r.peek() == consent_section) { // the consents, when there are any
        r.get<std::uint8_t>();
        const std::size_t answers = r.count<std::uint32_t>(consent_bytes);
        if (answers == 0) throw bad("an empty consent section");
        for (std::size_t n = 0; n < answers; ++n) {
            std::string name;
            consent_record c;
            if (!get_consent(r, e, people, name, c)) throw bad("a consent out of range");
            if (e.has_consent(name, c.topic)) throw bad("a second consent for one client and topic");
            e.set_consent(name, c);
        }
    }
    if (r.left() != 0) throw bad("bytes after the last case");
    settle_arming(e, next_seq);
    return fresh;
}

} // namespace careflow::detail
