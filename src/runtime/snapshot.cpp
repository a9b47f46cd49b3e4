// Snapshots: the engine's whole state in a stable, versioned text format, and restore,
// which rebuilds an engine from one without re-running anything.
#include "engine_impl.hpp"
#include "restore.hpp"

#include "../detail/cells.hpp"
#include "../detail/text.hpp"

#include <careflow/error.hpp>
#include <careflow/program/context.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <iterator>
#include <optional>

namespace careflow {

using detail::decode_value;
using detail::encode_value;

namespace {

constexpr std::string_view snapshot_header = "careflow-snapshot 2";

// Fields are separated by white space (every white-space character is escaped, and so is
// the escape character); a lone % stands for the empty string.
constexpr std::string_view special = " \t\n\r\v\f%";

constexpr auto blanks = [] {
    std::array<bool, 256> t{};
    for (unsigned char c : std::string_view(" \t\n\r\v\f")) t[c] = true;
    return t;
}();

constexpr bool is_blank(char c) noexcept { return blanks[static_cast<unsigned char>(c)]; }

// Does `s` need escaping? (A loop over the characters: find_first_of calls memchr per character.)
bool needs_escape(std::string_view s) noexcept {
    for (char c : s)
        if (is_blank(c) || c == '%') return true;
    return false;
}

// The fields of the line that starts at `p`, as views into the text, in one pass; `p`
// moves past the line's '\n' (or to `end`).
void split_line(const char*& p, const char* const end, std::vector<std::string_view>& w) {
    w.clear();
    while (true) {
        while (p != end && *p != '\n' && is_blank(*p)) ++p;
        if (p == end) return;
        if (*p == '\n') {
            ++p;
            return;
        }
        const char* const from = p;
        while (p != end && !is_blank(*p)) ++p;
        w.emplace_back(from, static_cast<std::size_t>(p - from));
    }
}

} // namespace

std::string engine::snapshot(snapshot_format format) const {
    return format == snapshot_format::binary ? detail::write_binary_snapshot(*impl_)
                                             : detail::write_text_snapshot(*impl_);
}

std::string detail::write_text_snapshot(const detail::engine_impl& e, std::span<const std::uint64_t> shown) {
    fmt::memory_buffer out;
    out.reserve(64 + e.index.size() * 640); // about what a case takes: grow once, not by doubling
    auto put = [&](std::string_view sv) { out.append(sv.data(), sv.data() + sv.size()); };
    auto esc = [&](std::string_view sv) { // the common case, nothing to escape, is a plain copy
        if (sv.empty())
            put("%");
        else if (!needs_escape(sv))
            put(sv);
        else
            put(detail::percent_encode(sv, special));
    };
    auto n = [&](auto v) { // integers without a format string to parse
        const fmt::format_int f(v);
        out.append(f.data(), f.data() + f.size());
    };
    auto t = [&](ticks v) {
        if (v == no_time) {
            put(" -");
        } else {
            put(" ");
            n(v);
        }
    };
    fmt::format_to(fmt::appender(out), "{}\nclock", snapshot_header);
    t(e.clock);
    fmt::format_to(fmt::appender(out), "\nspawn {}\nseq {}\n", e.next_spawn, e.queue.next_seq());
    // The actors handed out as actor_refs, in ref order, so that a ref stays valid in the
    // restored engine. (People are named where cases refer to them.)
    for (std::size_t i = 0; i < e.refs.size(); ++i) {
        const auto& a = e.actors[e.refs[i]];
        fmt::format_to(fmt::appender(out), "actor {} ", i);
        esc(e.people[a.person]);
        fmt::format_to(fmt::appender(out), " {}", a.roles.size());
        for (const auto& r : a.roles) put(" "), esc(r);
        put("\n");
    }
    // Clients' consents: client, topic, given (1) or withdrawn (0), at, until, recorded by.
    for (const auto& [client, answers] : e.consents)
        for (const auto& r : answers) {
            put("consent ");
            esc(client);
            put(" ");
            esc(e.consent_topics[r.topic]);
            put(r.granted ? " 1" : " 0");
            t(r.at);
            t(r.until);
            put(" ");
            esc(e.people[r.person]);
            put("\n");
        }
    for (std::uint32_t slot : e.ordered_slots()) {
        const auto& c = e.slots[slot];
        const program& p = e.prog_of(c);
        fmt::format_to(fmt::appender(out), "case {} ", c.id);
        esc(p.name());
        fmt::format_to(fmt::appender(out), " {} ", p.version());
        esc(p.states()[c.state].name);
        fmt::format_to(fmt::appender(out), " {} {} ", c.started_at, c.entered_at);
        if (c.parent)
            fmt::format_to(fmt::appender(out), "{}\n", c.parent);
        else
            put("-\n");
        // A variable at its declared initial value and a clock never started are not
        // written: restore lays each case out with exactly those (case_data::lay_out).
        for (std::size_t i = 0; i < p.variables().size(); ++i) {
            const auto& v = p.variables()[i];
            if (v.type == value_type::text ? c.texts[v.text_slot] == v.initial_text : c.vars[i].i == v.initial.i)
                continue; // (bit for bit: a real -0.0 is not the initial 0.0)
            if (const auto item = p.item_of(static_cast<var_index>(i));
                !shown.empty() && item != no_index && (shown[slot] >> item & 1U) == 0)
                continue; // a personal value this snapshot's reader may not read
            put("var ");
            esc(v.name);
            // The value as encode_value writes it; integers, times, durations and booleans
            // without building a value first.
            switch (v.type) {
            case value_type::integer: put(" i:"), n(c.vars[i].i); break;
            case value_type::time: put(" t:"), n(c.vars[i].i); break;
            case value_type::duration: put(" d:"), n(c.vars[i].i); break;
            case value_type::boolean: put(c.vars[i].i ? " b:true" : " b:false"); break;
            default: put(" "), esc(encode_value(detail::read_variable(v, c.vars, c.texts, i)));
            }
            put("\n");
        }
        for (std::size_t d = 0; d < c.assignees.size(); ++d)
            if (c.assignees[d] != detail::none32) {
                put("assignee ");
                esc(p.duties()[d]);
                put(" ");
                esc(e.people[c.assignees[d]]);
                put("\n");
            }
        for (std::size_t s = 0; s < c.slas.size(); ++s) {
            const sla_clock& k = c.slas[s];
            if (detail::untouched(k)) continue;
            put("sla ");
            esc(p.slas()[s].name);
            fmt::format_to(fmt::appender(out), " {}", static_cast<int>(k.status));
            for (ticks x : {k.started_at, k.resumed_at, k.paused_at, k.stopped_at, k.breached_at}) t(x);
            fmt::format_to(fmt::appender(out), " {} {} {} {}", k.elapsed_before, k.paused_total, k.goal,
                           static_cast<int>(k.warnings_fired));
            for (ticks x : k.warned_at) t(x);
            fmt::format_to(fmt::appender(out), " {} ", k.cycles);
            if (k.accountable == detail::none32)
                put("-");
            else
                esc(e.people[k.accountable]);
            put("\n");
        }
        for (std::size_t i = 0; i < c.timers.size(); ++i) {
            const auto& ts = c.timers[i];
            if (ts.due == no_time && ts.fires == 0) continue;
            const bool pending = !ts.handle.empty() && e.queue.pending(ts.handle);
            fmt::format_to(fmt::appender(out), "timer {}", i);
            t(ts.due);
            fmt::format_to(fmt::appender(out), " {} ", ts.fires);
            if (pending)
                fmt::format_to(fmt::appender(out), "{}\n", e.queue.seq(ts.handle));
            else
                put("-\n");
        }
        for (case_id child : c.children) fmt::format_to(fmt::appender(out), "child {}\n", child);
        if (!c.client.empty()) put("client "), esc(c.client), put("\n");
        put("end\n");
    }
    return fmt::to_string(out);
}

void engine::restore(std::string_view text) {
    if (impl_->durable.to)
        throw error("careflow.store.attached", "a durable engine is what its store holds: restore into another engine");
    if (text.starts_with(detail::binary_snapshot_magic) || text.starts_with(detail::binary_snapshot_magic_v1)) {
        impl_ = detail::read_binary_snapshot(*impl_, text);
        return;
    }
    auto fresh = detail::restore_target(*impl_);

    std::size_t number = 0, at = 0;
    std::string_view line;
    auto next_line = [&] {
        if (at >= text.size()) return false;
        const std::size_t end = text.find('\n', at);
        line = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
        at = end == std::string_view::npos ? text.size() : end + 1;
        ++number;
        return true;
    };
    auto bad = [&](const std::string& id, const std::string& why) {
        return error(id, "snapshot line " + std::to_string(number) + ": " + why);
    };
    if (!next_line()) {
        number = 1;
        throw bad("careflow.snapshot.bad_header", "empty snapshot");
    }
    if (line.rfind("careflow-snapshot ", 0) != 0) throw bad("careflow.snapshot.bad_header", "not a careflow snapshot");
    if (line != snapshot_header)
        throw bad("careflow.snapshot.unsupported_version",
                  "'" + std::string(line) + "' is not '" + std::string(snapshot_header) + "'");

    auto num = [&](std::string_view f, auto& v) {
        if (f == "-") {
            v = static_cast<std::remove_reference_t<decltype(v)>>(no_time);
            return;
        }
        const auto r = std::from_chars(f.data(), f.data() + f.size(), v);
        if (r.ec != std::errc() || r.ptr != f.data() + f.size())
            throw bad("careflow.snapshot.bad_line", "bad number '" + std::string(f) + "'");
    };
    // A field's text: the field itself unless it has escapes (decoded into scratch that
    // lives until the next line).
    std::vector<std::string> scratch;
    std::size_t used = 0;
    auto str = [&](std::string_view f) -> std::string_view {
        if (f == "%") return {};
        if (f.find('%') == std::string_view::npos) return f;
        if (used == scratch.size()) scratch.emplace_back();
        std::string& out = scratch[used++];
        if (!detail::percent_decode(f, out))
            throw bad("careflow.snapshot.bad_line", "bad escape in '" + std::string(f) + "'");
        return out;
    };
    std::vector<std::string_view> w;
    std::size_t next_var = 0; // the variable expected next in the current case
    std::uint64_t next_seq = 0;
    detail::case_data* c = nullptr;
    std::uint32_t slot = 0;
    const program* p = nullptr;
    bool saw_clock = false;
    const char* read = text.data() + at;
    const char* const text_end = text.data() + text.size();
    while (read != text_end) {
        ++number;
        split_line(read, text_end, w);
        used = 0;
        if (w.empty()) continue; // a blank line, or one of white space only
        const std::string_view tag = w[0];
        auto need = [&](std::size_t n) {
            if (w.size() != n)
                throw bad("careflow.snapshot.bad_line",
                          "'" + std::string(tag) + "' needs " + std::to_string(n - 1) + " fields");
        };
        auto in_case = [&] {
            if (!c) throw bad("careflow.snapshot.bad_line", "'" + std::string(tag) + "' outside a case");
        };
        if (tag == "clock") {
            need(2);
            num(w[1], fresh->clock);
            saw_clock = true;
        } else if (tag == "spawn") {
            need(2);
            num(w[1], fresh->next_spawn);
        } else if (tag == "seq") {
            need(2);
            num(w[1], next_seq);
        } else if (tag == "actor") {
            if (w.size() < 4) throw bad("careflow.snapshot.bad_line", "'actor' needs an index, a person and roles");
            if (c) throw bad("careflow.snapshot.bad_line", "'actor' inside a case");
            std::uint32_t at = 0;
            std::size_t n = 0;
            num(w[1], at);
            num(w[3], n);
            if (at != fresh->refs.size()) // dense: a restore holds no more refs than the text has lines
                throw bad("careflow.snapshot.bad_value", "actor " + std::string(w[1]) + " out of order");
            if (w.size() != 4 + n) throw bad("careflow.snapshot.bad_line", "'actor' has the wrong number of roles");
            const std::string person(str(w[2]));
            // (A ref made for "system" is kept too: inputs through it stay reserved_actor.)
            std::vector<std::string> roles;
            for (std::size_t i = 0; i < n; ++i) roles.emplace_back(str(w[4 + i]));
            const auto made = fresh->actor_of(person, roles);
            if (fresh->actors[made].ref != detail::none32)
                throw bad("careflow.snapshot.bad_value", "actor " + std::string(w[1]) + " twice");
            fresh->ref_of(made);
        } else if (tag == "consent") {
            need(7);
            if (c) throw bad("careflow.snapshot.bad_line", "'consent' inside a case");
            const std::string client(str(w[1]));
            const std::string topic(str(w[2]));
            detail::consent_record r;
            if (w[3] != "0" && w[3] != "1")
                throw bad("careflow.snapshot.bad_value", "a consent is given (1) or not (0)");
            const bool granted = w[3] == "1";
            num(w[4], r.at);
            num(w[5], r.until);
            if (client.empty() || !detail::client_ok(client) || !consent_topic_ok(topic) || r.at == no_time ||
                (r.until != no_time && (!granted || r.until <= r.at)))
                throw bad("careflow.snapshot.bad_value", "a consent out of range");
            r.granted = granted;
            r.topic = fresh->intern_consent(topic);
            if (fresh->has_consent(client, r.topic))
                throw bad("careflow.snapshot.bad_value", "a second consent line for one client and topic");
            r.person = fresh->person_of(str(w[6]));
            if (r.person == 0) throw bad("careflow.snapshot.bad_value", "a consent recorded by the engine itself");
            fresh->set_consent(client, r);
        } else if (tag == "case") {
            need(8);
            if (c) throw bad("careflow.snapshot.bad_line", "case without 'end'");
            case_id id = 0;
            num(w[1], id);
            const std::string name(str(w[2]));
            int version = 0;
            num(w[3], version);
            const detail::installed* found = fresh->find_program(name, version);
            if (!found)
                throw bad("careflow.snapshot.unknown_program",
                          "procedure '" + name + "' version " + std::to_string(version) + " is not installed");
            if (fresh->index.contains(id))
                throw bad("careflow.snapshot.bad_line", "case " + std::to_string(id) + " twice");
            p = found->p.get();
            slot = static_cast<std::uint32_t>(fresh->slots.size());
            fresh->slots.emplace_back();
            c = &fresh->slots.back();
            c->id = id;
            c->prog = static_cast<std::uint16_t>(found - fresh->programs.data());
            c->live = true;
            c->seq = fresh->next_seq++;
            const auto s = p->find_state(str(w[4]));
            if (!s || p->states()[*s].compound)
                throw bad("careflow.snapshot.unknown_state",
                          "'" + std::string(str(w[4])) + "' is not a leaf state of " + name);
            c->state = *s;
            num(w[5], c->started_at);
            num(w[6], c->entered_at);
            if (c->started_at == no_time || c->entered_at == no_time)
                throw bad("careflow.snapshot.bad_value", "a case needs its start and entry times");
            if (w[7] != "-") {
                num(w[7], c->parent);
                if (c->parent == 0) throw bad("careflow.snapshot.bad_value", "parent 0");
            }
            c->lay_out(*p);
            next_var = 0;
            fresh->index.insert(id, slot);
        } else if (tag == "var") {
            in_case();
            need(3);
            // Variables are written in declaration order: try the next one before searching.
            const std::string_view name = str(w[1]);
            std::optional<var_index> i;
            if (next_var < p->variables().size() && p->variables()[next_var].name == name)
                i = static_cast<var_index>(next_var);
            else
                i = p->find_variable(name);
            if (!i) throw bad("careflow.snapshot.bad_value", "no variable '" + std::string(name) + "'");
            next_var = *i + 1u;
            const auto& decl = p->variables()[*i];
            // Integers, booleans, times and durations go straight into their cell.
            const std::string_view text = w[2];
            const char want = decl.type == value_type::integer    ? 'i'
                              : decl.type == value_type::time     ? 't'
                              : decl.type == value_type::duration ? 'd'
                                                                  : '\0';
            if (want && text.size() > 2 && text[0] == want && text[1] == ':') {
                num(text.substr(2), c->vars[*i].i);
                continue;
            }
            value v;
            if (!decode_value(str(text), v))
                throw bad("careflow.snapshot.bad_value", "bad value for '" + decl.name + "'");
            if (!detail::write_slot(v, decl.type, decl.symbols, c->vars[*i],
                                    decl.type == value_type::text ? &c->texts[decl.text_slot] : nullptr))
                throw bad("careflow.snapshot.bad_value", "value does not fit '" + decl.name + "'");
        } else if (tag == "assignee") {
            in_case();
            need(3);
            const auto d = p->find_duty(str(w[1]));
            if (!d) throw bad("careflow.snapshot.bad_value", "no duty '" + std::string(str(w[1])) + "'");
            c->assignees[*d] = fresh->person_of(str(w[2]));
        } else if (tag == "sla") {
            in_case();
            need(18);
            std::size_t s = p->slas().size();
            if (const auto found = p->find_sla(str(w[1]))) s = *found;
            if (s == p->slas().size())
                throw bad("careflow.snapshot.bad_value", "no SLA clock '" + std::string(str(w[1])) + "'");
            sla_clock& k = c->slas[s];
            int status = 0, warnings = 0;
            num(w[2], status);
            if (status < 0 || status > static_cast<int>(sla_status::cancelled))
                throw bad("careflow.snapshot.bad_value", "bad SLA status");
            k.status = static_cast<sla_status>(status);
            num(w[3], k.started_at);
            num(w[4], k.resumed_at);
            num(w[5], k.paused_at);
            num(w[6], k.stopped_at);
            num(w[7], k.breached_at);
            num(w[8], k.elapsed_before);
            num(w[9], k.paused_total);
            num(w[10], k.goal);
            num(w[11], warnings);
            if (warnings < 0 || warnings > static_cast<int>(sla_clock::max_warnings))
                throw bad("careflow.snapshot.bad_value", "bad warning count");
            k.warnings_fired = static_cast<std::uint8_t>(warnings);
            for (std::size_t i = 0; i < sla_clock::max_warnings; ++i) num(w[12 + i], k.warned_at[i]);
            num(w[16], k.cycles);
            k.accountable = w[17] == "-" ? detail::none32 : fresh->person_of(str(w[17]));
            if (const auto why = detail::impossible(k, p->slas()[s].warnings.size()); !why.empty())
                throw bad("careflow.snapshot.bad_value",
                          "SLA clock '" + std::string(str(w[1])) + "': " + std::string(why));
        } else if (tag == "timer") {
            in_case();
            need(5);
            std::size_t i = 0;
            num(w[1], i);
            if (i >= c->timers.size()) throw bad("careflow.snapshot.bad_value", "no timer slot " + std::string(w[1]));
            auto& ts = c->timers[i];
            num(w[2], ts.due);
            num(w[3], ts.fires);
            if (const auto why = detail::impossible(ts, *p, i); !why.empty())
                throw bad("careflow.snapshot.bad_value", "timer slot " + std::to_string(i) + " " + std::string(why));
            if (w[4] != "-") {
                std::uint64_t seq = 0;
                num(w[4], seq);
                if (ts.due == no_time || !ts.handle.empty())
                    throw bad("careflow.snapshot.bad_value", "a pending timer needs a due time, once");
                detail::rearm(*fresh, slot, static_cast<std::uint16_t>(i), seq); // as the binary reader does
            }
        } else if (tag == "child") {
            in_case();
            need(2);
            case_id child = 0;
            num(w[1], child);
            c->children.push_back(child);
        } else if (tag == "client") {
            in_case();
            need(2);
            if (!c->client.empty()) throw bad("careflow.snapshot.bad_line", "a second client line");
            c->client = str(w[1]);
            if (c->client.empty() || c->client.size() > 128)
                throw bad("careflow.snapshot.bad_value", "a client id is 1 to 128 bytes");
        } else if (tag == "end") {
            in_case();
            c = nullptr;
        } else {
            throw bad("careflow.snapshot.bad_line", "unknown record '" + std::string(tag) + "'");
        }
    }
    if (c) throw bad("careflow.snapshot.truncated", "the last case has no 'end'");
    if (!saw_clock) throw bad("careflow.snapshot.truncated", "no clock");
    // Timers were re-armed as read, with their original arming numbers; the counter goes on after them.
    detail::settle_arming(*fresh, next_seq);
    impl_ = std::move(fresh);
}

} // namespace careflow
