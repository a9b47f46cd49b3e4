// load_definition / check_definition: a JSON definition read member by member into a
// procedure_builder; every problem (JSON, format, rule text, validation) located by its
// JSON pointer, line and column.
#include "definition_format.hpp"
#include "definition_places.hpp"
#include "located_json.hpp"
#include <careflow/model/builder.hpp>
#include <careflow/model/definition.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

namespace careflow {

namespace {

using json = nlohmann::json;
using detail::pointer_append;
namespace fmtdef = detail::definition_format;

class loader {
public:
    loader(std::string_view text, const definition_bindings& bindings) : text_(text), bindings_(bindings) {}

    std::vector<definition_problem> problems;
    std::optional<procedure_builder> builder;

    void run() {
        if (auto bad = detail::parse_located(text_, doc_)) {
            // nlohmann's message without its own id and (byte-based) position.
            std::string m = bad->message;
            if (const auto c = m.find(", column "); c != std::string::npos)
                if (const auto colon = m.find(": ", c); colon != std::string::npos) m = m.substr(colon + 2);
            add_at(bad->offset, "", "careflow.definition.syntax", m);
            return;
        }
        for (const auto& d : doc_.duplicate_keys) problem(d, "careflow.definition.bad_value", "given twice", true);
        const json& d = doc_.doc;
        if (!d.is_object()) {
            problem("", "careflow.definition.format", "a definition is a JSON object");
            return;
        }
        const auto format = d.find("format");
        if (format == d.end() || !format->is_string() || *format != fmtdef::format_name) {
            problem(format == d.end() ? "" : "/format", "careflow.definition.format",
                    std::string("not a careflow procedure definition (\"format\": \"") + fmtdef::format_name +
                        "\" is required)");
            return;
        }
        members(d, "",
                {"$schema", "$comment", "format", "name", "version", "description", "initial", "variables", "events",
                 "duties", "hosts", "consents", "read_rules", "states", "transitions", "timers", "slas"});
        const std::string name = text(d, "", "name", true);
        const std::int64_t version = integer(d, "", "version", 1, 1, 1'000'000'000);
        builder.emplace(name, static_cast<int>(version));
        procedure_builder& b = *builder;
        if (auto s = text(d, "", "description"); !s.empty()) b.describe(s);
        variables(d);
        events(d);
        for_each(d, "", "duties", [&](const json& x, const std::string& at) { b.duty(string_value(x, at)); });
        for_each(d, "", "hosts", [&](const json& x, const std::string& at) {
            std::string h = string_value(x, at);
            const auto fn = bindings_.actions.find(h);
            b.host(h, fn == bindings_.actions.end() ? host_action{} : fn->second);
        });
        consents(d);
        read_rules(d);
        states(d);
        if (auto s = text(d, "", "initial"); !s.empty()) b.initial(s);
        transitions(d);
        timers(d);
        slas(d);
        if (has_errors()) return;
        for (const auto& diag : b.validate()) located(diag);
    }

private:
    // ---- problems ---------------------------------------------------------------------
    bool has_errors() const {
        return std::any_of(problems.begin(), problems.end(),
                           [](const definition_problem& p) { return p.what.level == severity::error; });
    }
    void add_at(std::size_t offset, const std::string& pointer, std::string id, std::string message,
                std::string subject = {}, severity level = severity::error) {
        const auto pos = detail::position_of(text_, offset);
        problems.push_back(
            {{level, std::move(id), std::move(subject), std::move(message)}, pointer, pos.line, pos.column});
    }
    // A problem at the value `pointer` names (or its key, for `at_key`).
    void problem(const std::string& pointer, std::string id, std::string message, bool at_key = false) {
        const auto& where = at_key ? doc_.keys : doc_.values;
        const auto it = where.find(pointer);
        if (it == where.end()) {
            problems.push_back({{severity::error, std::move(id), {}, std::move(message)}, pointer, 0, 0});
            return;
        }
        add_at(it->second, pointer, std::move(id), std::move(message));
    }
    void bad(const std::string& pointer, const std::string& message) {
        problem(pointer, "careflow.definition.bad_value", message);
    }

    // ---- typed members ----------------------------------------------------------------
    void members(const json& o, const std::string& at, std::initializer_list<std::string_view> allowed) {
        for (const auto& [k, v] : o.items()) {
            (void)v;
            if (std::find(allowed.begin(), allowed.end(), k) == allowed.end() && k != "$comment") {
                std::string list;
                for (auto a : allowed)
                    if (a[0] != '$') list += (list.empty() ? "" : ", ") + std::string(a);
                problem(pointer_append(at, k), "careflow.definition.bad_value",
                        "unknown member '" + k + "' (known: " + list + ")", true);
            }
        }
    }
    bool object_at(const json& x, const std::string& at) {
        if (x.is_object()) return true;
        bad(at, "expected an object");
        return false;
    }
    std::string string_value(const json& x, const std::string& at) {
        if (x.is_string()) return x.get<std::string>();
        bad(at, "expected a string");
        return {};
    }
    std::string text(const json& o, const std::string& at, const char* key, bool required = false) {
        const auto it = o.find(key);
        if (it == o.end()) {
            if (required) bad(at, std::string("member '") + key + "' is required");
            return {};
        }
        return string_value(*it, pointer_append(at, key));
    }
    bool flag(const json& o, const std::string& at, const char* key) {
        const auto it = o.find(key);
        if (it == o.end()) return false;
        if (!it->is_boolean()) {
            bad(pointer_append(at, key), "expected true or false");
            return false;
        }
        return it->get<bool>();
    }
    std::int64_t integer(const json& o, const std::string& at, const char* key, std::int64_t fallback, std::int64_t lo,
                         std::int64_t hi) {
        const auto it = o.find(key);
        if (it == o.end()) return fallback;
        if (!it->is_number_integer() || (it->is_number_unsigned() && it->get<std::uint64_t>() > std::uint64_t(hi)) ||
            it->get<std::int64_t>() < lo || it->get<std::int64_t>() > hi) {
            bad(pointer_append(at, key), fmt::format("expected an integer from {} to {}", lo, hi));
            return fallback;
        }
        return it->get<std::int64_t>();
    }
    std::vector<std::string> strings(const json& o, const std::string& at, const char* key) {
        std::vector<std::string> out;
        for_each(o, at, key, [&](const json& x, const std::string& p) { out.push_back(string_value(x, p)); });
        return out;
    }
    template <class F>
    void for_each(const json& o, const std::string& at, const char* key, F&& f) {
        const auto it = o.find(key);
        if (it == o.end()) return;
        const std::string here = pointer_append(at, key);
        if (!it->is_array()) {
            bad(here, "expected an array");
            return;
        }
        std::size_t i = 0;
        for (const json& x : *it) f(x, pointer_append(here, std::to_string(i++)));
    }
    template <class F>
    void for_each_object(const json& o, const std::string& at, const char* key, F&& f) {
        for_each(o, at, key, [&](const json& x, const std::string& p) {
            if (object_at(x, p)) f(x, p);
        });
    }

    // A rule text, its errors placed inside the JSON string when they can be.
    expr rule(const json& o, const std::string& at, const char* key) {
        const std::string here = pointer_append(at, key);
        const std::string s = text(o, at, key);
        if (s.empty()) {
            if (o.contains(key) && o.at(key).is_string()) bad(here, "an empty rule");
            return {};
        }
        try {
            return parse_rule(s);
        } catch (const rule_error& e) {
            const auto it = doc_.values.find(here);
            std::size_t offset = it == doc_.values.end() ? 0 : it->second;
            auto pos = detail::position_of(text_, offset);
            std::string message = e.detail();
            // On the rule's first line, before any escape, the rule's column maps into the file.
            const std::string raw = it == doc_.values.end() ? std::string() : std::string(text_.substr(offset + 1));
            const bool plain =
                e.line() == 1 && raw.substr(0, std::min(raw.size(), s.size())).find('\\') == std::string::npos;
            if (plain && it != doc_.values.end())
                pos.column += e.column();
            else
                message = fmt::format("rule {}:{}: {}", e.line(), e.column(), message);
            problems.push_back({{severity::error, e.id(), {}, message}, here, pos.line, pos.column});
            return {};
        }
    }

    value_type type_of(const json& o, const std::string& at) {
        const std::string t = text(o, at, "type", true);
        if (auto v = fmtdef::type_named(t)) return *v;
        if (!t.empty())
            bad(pointer_append(at, "type"),
                "unknown type '" + t + "' (boolean, integer, real, text, time, duration, enumeration)");
        return value_type::integer;
    }
    sensitivity personal_of(const json& o, const std::string& at, const char* key = "personal") {
        const std::string s = text(o, at, key);
        if (s.empty()) return sensitivity::none;
        if (auto v = fmtdef::sensitivity_named(s)) return *v;
        bad(pointer_append(at, key), "unknown sensitivity '" + s + "' (none, contact, clinical)");
        return sensitivity::none;
    }

    // An initial value of type `t` (see definition_format::constant_json).
    value constant(const json& x, const std::string& at, value_type t) {
        auto wrong = [&](const char* what) {
            bad(at, std::string("expected ") + what + " for a " + std::string(to_string(t)) + " variable");
            return value{};
        };
        switch (t) {
        case value_type::boolean: return x.is_boolean() ? value(x.get<bool>()) : wrong("true or false");
        case value_type::integer:
            return x.is_number_integer() &&
                           !(x.is_number_unsigned() &&
                             x.get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
                       ? value(x.get<std::int64_t>())
                       : wrong("an integer");
        case value_type::real: return x.is_number() ? value(x.get<double>()) : wrong("a number");
        case value_type::text: return x.is_string() ? value(x.get<std::string>()) : wrong("a string");
        case value_type::enumeration: return x.is_string() ? value(symbol{x.get<std::string>()}) : wrong("a symbol");
        case value_type::time:
        case value_type::duration: {
            if (!x.is_string()) return wrong(t == value_type::time ? "an ISO 8601 time" : "a duration like \"15min\"");
            const std::string s = x.get<std::string>();
            try {
                const expr e = parse_rule(t == value_type::time ? "time(" + detail_quote(s) + ")" : s);
                if (e.node()->op == expr_op::constant && e.node()->constant.type() == t) return e.node()->constant;
            } catch (const rule_error&) {
            }
            return wrong(t == value_type::time ? "an ISO 8601 time (2026-11-22T09:00:00Z)"
                                               : "a duration like \"15min\"");
        }
        }
        return {};
    }
    static std::string detail_quote(const std::string& s) {
        std::string q = "\"";
        for (char c : s) {
            if (c == '"' || c == '\\') q += '\\';
            q += c;
        }
        return q + "\"";
    }

    span span_of(const json& o, const std::string& at, const char* key) {
        const std::string here = pointer_append(at, key);
        const auto it = o.find(key);
        if (it == o.end()) return {};
        if (it->is_string()) {
            try {
                const expr e = parse_rule(it->get<std::string>());
                if (e.node()->op == expr_op::constant && e.node()->constant.type() == value_type::duration)
                    return span(std::get<duration>(e.node()->constant.get()));
            } catch (const rule_error&) {
            }
            bad(here, "expected a duration like \"15min\", or {\"working_days\": n} or {\"close_of_working_day\": n}");
            return {};
        }
        if (it->is_object() && it->size() == 1 &&
            (it->contains("working_days") || it->contains("close_of_working_day"))) {
            const bool days = it->contains("working_days");
            const std::int64_t n =
                integer(*it, here, days ? "working_days" : "close_of_working_day", -1, 0, span::max_days);
            return n < 0 ? span{} : days ? working_days(static_cast<int>(n)) : end_of_working_day(static_cast<int>(n));
        }
        bad(here, "expected a duration like \"15min\", or {\"working_days\": n} or {\"close_of_working_day\": n}");
        return {};
    }

    // ---- sections ---------------------------------------------------------------------
    void variables(const json& d) {
        for_each_object(d, "", "variables", [&](const json& v, const std::string& at) {
            members(v, at, {"name", "type", "symbols", "initial", "personal"});
            const std::string name = text(v, at, "name", true);
            const value_type t = type_of(v, at);
            const auto symbols = strings(v, at, "symbols");
            value init;
            if (auto it = v.find("initial"); it != v.end()) init = constant(*it, pointer_append(at, "initial"), t);
            if (t == value_type::enumeration)
                builder->enumeration(name, symbols, init.empty() ? std::string() : std::get<symbol>(init.get()).name);
            else {
                if (!symbols.empty()) bad(pointer_append(at, "symbols"), "only an enumeration has symbols");
                builder->variable(name, t, init);
            }
            if (const auto level = personal_of(v, at); level != sensitivity::none) builder->personal(name, level);
            names_.variables.push_back(name);
        });
    }

    void events(const json& d) {
        for_each_object(d, "", "events", [&](const json& e, const std::string& at) {
            members(e, at, {"name", "payload"});
            std::vector<field_decl> payload;
            for_each_object(e, at, "payload", [&](const json& f, const std::string& fat) {
                members(f, fat, {"name", "type", "symbols", "personal"});
                payload.push_back(
                    {text(f, fat, "name", true), type_of(f, fat), strings(f, fat, "symbols"), personal_of(f, fat)});
            });
            names_.events.push_back(text(e, at, "name", true));
            builder->event(names_.events.back(), std::move(payload));
        });
    }

    void consents(const json& d) {
        for_each_object(d, "", "consents", [&](const json& c, const std::string& at) {
            members(c, at, {"topic", "description"});
            names_.consents.push_back(text(c, at, "topic", true));
            builder->consent(names_.consents.back(), text(c, at, "description"));
        });
    }

    void read_rules(const json& d) {
        for_each_object(d, "", "read_rules", [&](const json& r, const std::string& at) {
            members(r, at, {"items", "up_to", "roles", "duty", "states", "description"});
            const sensitivity up_to = personal_of(r, at, "up_to");
            auto items = strings(r, at, "items");
            read_rule_builder rb =
                up_to == sensitivity::none ? builder->may_read(std::move(items)) : builder->may_read(up_to);
            if (up_to != sensitivity::none && !items.empty()) rb.items(std::move(items));
            for (auto& role : strings(r, at, "roles")) rb.by_role(std::move(role));
            if (auto duty = text(r, at, "duty"); !duty.empty()) rb.by_assignee(std::move(duty));
            for (auto& s : strings(r, at, "states")) rb.in(std::move(s));
            if (auto s = text(r, at, "description"); !s.empty()) rb.describe(std::move(s));
        });
    }

    std::vector<action> actions(const json& o, const std::string& at, const char* key) {
        std::vector<action> out;
        for_each_object(o, at, key, [&](const json& a, const std::string& p) {
            static constexpr const char* kinds[] = {"call", "set", "assign", "unassign", "spawn", "notify"};
            const char* kind = nullptr;
            for (const char* k : kinds)
                if (a.contains(k)) {
                    if (kind) bad(p, std::string("an action is one of call, set, assign, unassign, spawn, notify"));
                    kind = k;
                }
            if (!kind) {
                bad(p, "an action is one of call, set, assign, unassign, spawn, notify");
                return;
            }
            const std::string k = kind;
            const std::string target = text(a, p, kind);
            if (k == "call") {
                members(a, p, {"call"});
                out.push_back(call(target));
            } else if (k == "set") {
                members(a, p, {"set", "value"});
                if (!a.contains("value")) bad(p, "member 'value' is required");
                out.push_back(set(target, rule(a, p, "value")));
            } else if (k == "assign") {
                members(a, p, {"assign", "who"});
                if (!a.contains("who")) bad(p, "member 'who' is required");
                out.push_back(assign(target, rule(a, p, "who")));
            } else if (k == "unassign") {
                members(a, p, {"unassign"});
                out.push_back(unassign(target));
            } else if (k == "spawn") {
                members(a, p, {"spawn", "bind"});
                std::vector<std::pair<std::string, expr>> bindings;
                for_each_object(a, p, "bind", [&](const json& b, const std::string& bp) {
                    members(b, bp, {"variable", "value"});
                    std::string v = text(b, bp, "variable", true);
                    if (!b.contains("value")) bad(bp, "member 'value' is required");
                    bindings.emplace_back(std::move(v), rule(b, bp, "value"));
                });
                out.push_back(spawn(target, std::move(bindings)));
            } else {
                members(a, p, {"notify", "message"});
                out.push_back(notify(target, text(a, p, "message")));
            }
        });
        return out;
    }

    void states(const json& d) {
        if (!d.contains("states")) bad("", "member 'states' is required");
        for_each_object(d, "", "states", [&](const json& s, const std::string& at) {
            members(s, at, {"name", "parent", "initial", "final", "open_ended", "description", "on_entry", "on_exit"});
            const std::string name = text(s, at, "name", true);
            names_.states.push_back(name);
            state_builder sb = builder->state(name);
            if (auto v = text(s, at, "parent"); !v.empty()) sb.parent(v);
            if (auto v = text(s, at, "initial"); !v.empty()) sb.initial(v);
            if (flag(s, at, "final")) sb.final();
            if (flag(s, at, "open_ended")) sb.open_ended();
            if (auto v = text(s, at, "description"); !v.empty()) sb.describe(v);
            for (auto& a : actions(s, at, "on_entry")) sb.on_entry(std::move(a));
            for (auto& a : actions(s, at, "on_exit")) sb.on_exit(std::move(a));
        });
    }

    void transitions(const json& d) {
        for_each_object(d, "", "transitions", [&](const json& t, const std::string& at) {
            members(t, at, {"source", "target", "event", "when", "roles", "duty", "actions"});
            const std::string source = text(t, at, "source", true);
            const std::string target = text(t, at, "target");
            const std::string event = text(t, at, "event");
            names_.transitions.push_back({source, event, target});
            transition_builder tb = target.empty() ? builder->internal(source) : builder->transition(source, target);
            if (!event.empty()) tb.on(event);
            if (auto w = t.find("when"); w != t.end()) {
                if (w->is_object()) {
                    const std::string wat = pointer_append(at, "when");
                    members(*w, wat, {"host", "reads"});
                    const std::string label = text(*w, wat, "host", true);
                    std::vector<std::pair<std::string, value_type>> reads;
                    for_each_object(*w, wat, "reads", [&](const json& r, const std::string& rp) {
                        members(r, rp, {"name", "type"});
                        reads.emplace_back(text(r, rp, "name", true), type_of(r, rp));
                    });
                    const auto fn = bindings_.guards.find(label);
                    if (fn == bindings_.guards.end() || !fn->second)
                        problem(wat, "careflow.definition.unbound_guard",
                                "host guard '" + label + "' is not bound (definition_bindings::guards)");
                    else
                        tb.when(label, fn->second, std::move(reads));
                } else if (expr e = rule(t, at, "when"); !e.empty()) {
                    tb.when(std::move(e));
                }
            }
            for (auto& r : strings(t, at, "roles")) tb.require_role(std::move(r));
            if (auto duty = text(t, at, "duty"); !duty.empty()) tb.by_assignee(std::move(duty));
            for (auto& a : actions(t, at, "actions")) tb.then(std::move(a));
        });
    }

    void timers(const json& d) {
        for_each_object(d, "", "timers", [&](const json& t, const std::string& at) {
            members(t, at, {"state", "event", "name", "after", "every", "count", "at", "calendar"});
            const std::string state = text(t, at, "state", true);
            const std::string event = text(t, at, "event", true);
            const std::string calendar = text(t, at, "calendar");
            const int kinds = int(t.contains("after")) + int(t.contains("every")) + int(t.contains("at"));
            if (kinds != 1) {
                bad(at, "a timer has exactly one of after, every, at");
                return;
            }
            if (std::find(names_.states.begin(), names_.states.end(), state) == names_.states.end()) {
                bad(pointer_append(at, "state"), "no state '" + state + "' is declared");
                return;
            }
            if (t.contains("count") && !t.contains("every"))
                bad(pointer_append(at, "count"), "only an every timer counts");
            state_builder sb = builder->edit(state);
            if (t.contains("after"))
                sb.after(span_of(t, at, "after"), event, calendar);
            else if (t.contains("every"))
                sb.every(span_of(t, at, "every"), event, static_cast<int>(integer(t, at, "count", 1, 1, 100'000)),
                         calendar);
            else
                sb.at(rule(t, at, "at"), event, calendar);
            std::string name = text(t, at, "name");
            if (!name.empty()) sb.named(name);
            names_.timers.push_back(name.empty() ? state + "." + event : name);
        });
    }

    void slas(const json& d) {
        for_each_object(d, "", "slas", [&](const json& s, const std::string& at) {
            members(s, at,
                    {"name", "start", "stop", "pause", "resume", "cancel", "goal", "deadline", "calendar", "warnings",
                     "warning_event", "breach_event", "duty"});
            names_.slas.push_back(text(s, at, "name", true));
            sla_builder sb = builder->sla(names_.slas.back());
            using add = sla_builder& (sla_builder::*)(sla_condition);
            for (const auto& kind : {std::pair<const char*, add>{"start", &sla_builder::start},
                                     {"stop", &sla_builder::stop},
                                     {"pause", &sla_builder::pause},
                                     {"resume", &sla_builder::resume},
                                     {"cancel", &sla_builder::cancel}})
                for_each_object(s, at, kind.first, [&](const json& c, const std::string& cp) {
                    const add fn = kind.second;
                    members(c, cp, {"entered", "left", "event"});
                    if (c.size() != 1) {
                        bad(cp, "a condition is one of {\"entered\": state}, {\"left\": state}, {\"event\": event}");
                        return;
                    }
                    if (c.contains("entered")) (sb.*fn)(entered(text(c, cp, "entered")));
                    if (c.contains("left")) (sb.*fn)(left(text(c, cp, "left")));
                    if (c.contains("event")) (sb.*fn)(received(text(c, cp, "event")));
                });
            const std::string calendar = text(s, at, "calendar");
            sb.goal(span_of(s, at, "goal"), calendar);
            if (s.contains("deadline")) sb.goal_at(rule(s, at, "deadline"), calendar);
            if (s.contains("warnings")) {
                std::vector<double> ws;
                for_each(s, at, "warnings", [&](const json& w, const std::string& wp) {
                    if (w.is_number())
                        ws.push_back(w.get<double>());
                    else
                        bad(wp, "expected a fraction of the goal");
                });
                sb.warn_at(std::move(ws));
            }
            if (auto e = text(s, at, "warning_event"); !e.empty()) sb.on_warning(e);
            if (auto e = text(s, at, "breach_event"); !e.empty()) sb.on_breach(e);
            if (auto duty = text(s, at, "duty"); !duty.empty()) sb.accountable(duty);
        });
    }

    // ---- validation diagnostics, placed -----------------------------------------------
    void located(const diagnostic& d) {
        const std::string p = detail::definition_pointer(names_, d.subject);
        const auto it = doc_.values.find(p);
        const auto pos = it == doc_.values.end() ? detail::text_position{} : detail::position_of(text_, it->second);
        problems.push_back({d, p, pos.line, pos.column});
    }

    detail::definition_names names_;

    std::string_view text_;
    const definition_bindings& bindings_;
    detail::located_json doc_;
};

} // namespace

std::vector<definition_problem> check_definition(std::string_view text, const definition_bindings& bindings) {
    loader l(text, bindings);
    l.run();
    return std::move(l.problems);
}

procedure load_definition(std::string_view text, const definition_bindings& bindings) {
    loader l(text, bindings);
    l.run();
    if (std::any_of(l.problems.begin(), l.problems.end(),
                    [](const definition_problem& p) { return p.what.level == severity::error; }))
        throw definition_error(std::move(l.problems));
    return l.builder->build();
}

procedure load_definition_file(const std::filesystem::path& path, const definition_bindings& bindings) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw error("careflow.definition.unreadable", "cannot read '" + path.string() + "'");
    std::ostringstream s;
    s << in.rdbuf();
    if (in.bad()) throw error("careflow.definition.unreadable", "cannot read '" + path.string() + "'");
    return load_definition(s.str(), bindings);
}

} // namespace careflow
