// Test helper: every table of a compiled program written out as text, so that two
// programs compare table by table (states, events, variables, expressions with their code,
// actions, guards, timers, SLA clocks and triggers, personal items, read rules, the
// candidate table of every leaf and event, configurations) — not just by names.
#pragma once

#include <careflow/program/program.hpp>

#include <cstring>
#include <sstream>
#include <string>

namespace careflow::test {

inline std::string fingerprint(const program& p) {
    std::ostringstream o;
    auto bits = [](cell c) {
        std::uint64_t u;
        std::memcpy(&u, &c, sizeof u);
        return u;
    };
    auto range = [&](index_range r) { o << '[' << r.first << '+' << r.count << ']'; };
    o << p.name() << '@' << p.version() << " decls " << p.decl_count() << " texts " << p.text_count() << '\n';
    for (const auto& s : p.states()) {
        o << "state " << s.name << ' ' << s.path << ' ' << s.parent << ' ' << s.initial << ' ' << int(s.depth) << ' '
          << s.compound << s.is_final << s.inert;
        range(s.entry_actions);
        range(s.exit_actions);
        range(s.timers);
        o << '\n';
    }
    for (const auto& e : p.events()) {
        o << "event " << e.name << ' ' << e.payload_texts;
        for (const auto& f : e.payload) {
            o << ' ' << f.name << ':' << int(f.type) << ':' << int(f.personal);
            for (const auto& s : f.symbols) o << ',' << s;
        }
        o << '\n';
    }
    for (const auto& v : p.variables()) {
        o << "var " << v.name << ' ' << int(v.type) << ' ' << bits(v.initial) << " '" << v.initial_text << "' "
          << v.text_slot;
        for (const auto& s : v.symbols) o << ',' << s;
        o << '\n';
    }
    for (const auto& x : p.expressions()) {
        o << "expr " << x.source << " : " << int(x.type) << ' ' << int(x.form) << " |";
        for (const auto& in : x.code)
            o << ' ' << int(in.op) << '/' << int(in.cmp) << '/' << in.arg << '/' << bits(in.imm);
        for (const auto& t : x.text_constants) o << " '" << t << "'";
        for (const auto& t : x.tests) o << " t" << t.slot << t.field << t.real << int(t.mask) << '/' << bits(t.imm);
        o << " v" << int(x.simple.from) << '/' << x.simple.slot << '/' << bits(x.simple.imm) << '\n';
    }
    for (const auto& a : p.actions()) {
        o << "action " << int(a.kind) << ' ' << a.target << ' ' << a.value << ' ' << a.name << " '" << a.text << "'";
        for (const auto& [n, e] : a.bindings) o << ' ' << n << '=' << e;
        o << '\n';
    }
    for (const auto& g : p.guards())
        o << "guard " << g.expression << ' ' << g.label << ' ' << bool(g.predicate) << '\n';
    for (const auto& t : p.timers())
        o << "timer " << t.name << ' ' << t.state << ' ' << t.event << ' ' << int(t.kind) << ' ' << int(t.delay.kind)
          << '/' << t.delay.elapsed << '/' << t.delay.days << ' ' << t.count << ' ' << t.deadline << ' ' << t.calendar
          << '\n';
    for (const auto& s : p.slas()) {
        o << "sla " << s.name << ' ' << int(s.goal.kind) << '/' << s.goal.elapsed << '/' << s.goal.days << ' '
          << s.deadline << ' ' << s.calendar << ' ' << s.warning_event << ' ' << s.breach_event << ' ' << s.duty;
        for (double w : s.warnings) o << ' ' << w;
        o << '\n';
    }
    for (const auto& r : p.roles()) o << "role " << r << '\n';
    for (const auto& d : p.duties()) o << "duty " << d << '\n';
    for (const auto& c : p.calendars()) o << "calendar " << c << '\n';
    for (const auto& c : p.consent_topics()) o << "consent " << c << '\n';
    for (const auto& h : p.host_actions()) o << "host " << h.name << '\n';
    for (const auto& i : p.personal_items())
        o << "item " << i.name << ' ' << int(i.level) << ' ' << i.variable << ' ' << i.event << ' ' << i.field << '\n';
    for (const auto& r : p.read_rules()) {
        o << "read " << r.items << ' ' << r.roles << ' ' << r.duty;
        for (auto w : r.leaves) o << ' ' << w;
        o << '\n';
    }
    o << "initial " << p.initial_leaf() << ':';
    for (auto s : p.initial_entries()) o << ' ' << s;
    o << '\n';
    auto candidate = [&](const program_transition& t) {
        o << "  " << t.decl << ' ' << t.source << ' ' << t.target << ' ' << t.guard << ' ' << t.roles << ' ' << t.duty;
        range(t.actions);
        o << " exits";
        for (auto s : p.sequence(t.exits)) o << ' ' << s;
        o << " entries";
        for (auto s : p.sequence(t.entries)) o << ' ' << s;
        o << '\n';
    };
    const std::size_t words = (p.states().size() + 63) / 64;
    for (state_index s = 0; s < p.states().size(); ++s) {
        o << "leaf " << s << " in";
        for (std::size_t w = 0; w < words; ++w) o << ' ' << p.configuration(s)[w];
        o << " timers";
        for (auto t : p.state_timers(p.states()[s].timers)) o << ' ' << t;
        o << " enter";
        for (const auto& t : p.on_enter(s)) o << ' ' << t.sla << '/' << int(t.effect);
        o << " leave";
        for (const auto& t : p.on_leave(s)) o << ' ' << t.sla << '/' << int(t.effect);
        o << '\n';
        for (event_index e = 0; e < p.events().size(); ++e)
            for (const auto& t : p.candidates(s, e)) {
                o << " on " << e;
                candidate(t);
            }
        for (const auto& t : p.eventless(s)) {
            o << " eventless";
            candidate(t);
        }
    }
    for (event_index e = 0; e < p.events().size(); ++e) {
        o << "event-triggers " << e;
        for (const auto& t : p.on_event(e)) o << ' ' << t.sla << '/' << int(t.effect);
        o << '\n';
    }
    return o.str();
}

} // namespace careflow::test
