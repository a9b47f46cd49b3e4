// Reading one line of `careflow run`'s inputs and applying it: the fields of each
// operation, values by their declared types, and the output line (a keyed input's from
// its record, so that a replay prints the very same line).
#include "inputs.hpp"

#include "json_values.hpp"

#include <optional>
#include <stdexcept>

namespace careflow::cli {

namespace {

// A line that is not an input; `key` is set when the line had a readable key.
struct unreadable {
    std::optional<std::string> key;
    std::string why;
};

const json& field(const json& j, const char* name, json::value_t type, const char* what) {
    const auto it = j.find(name);
    if (it == j.end()) throw unreadable{{}, std::string("no \"") + name + "\""};
    const bool ok = it->type() == type || (type == json::value_t::number_unsigned &&
                                           it->type() == json::value_t::number_integer && it->get<std::int64_t>() >= 0);
    if (!ok) throw unreadable{{}, std::string("\"") + name + "\" must be " + what};
    return *it;
}

std::string text(const json& j, const char* name) {
    return field(j, name, json::value_t::string, "a string").get<std::string>();
}

actor actor_of(const json& j) {
    const json& a = field(j, "actor", json::value_t::object, "an object {\"id\":…,\"roles\":[…]}");
    actor who;
    who.id = text(a, "id");
    if (const auto roles = a.find("roles"); roles != a.end()) {
        if (!roles->is_array()) throw unreadable{{}, "\"actor\".\"roles\" must be an array of strings"};
        for (const auto& r : *roles) {
            if (!r.is_string()) throw unreadable{{}, "\"actor\".\"roles\" must be an array of strings"};
            who.roles.push_back(r.get<std::string>());
        }
    }
    return who;
}

// Named values (initial variables or event fields), each converted for its declared type.
template <class TypeOf>
payload values_of(const json& j, const char* name, TypeOf type_of) {
    payload out;
    const auto it = j.find(name);
    if (it == j.end()) return out;
    if (!it->is_object()) throw unreadable{{}, std::string("\"") + name + "\" must be an object"};
    for (const auto& [k, v] : it->items()) {
        try {
            out.set(k, to_value(v, type_of(k)));
        } catch (const std::invalid_argument& x) {
            throw unreadable{{}, std::string("\"") + name + "\".\"" + k + "\": " + x.what()};
        }
    }
    return out;
}

// What a line says, applied to `e`: the result and the case it named (0: none).
struct applied {
    result r;
    case_id id = 0;
};

// What identifies a keyed line: the line without its time and key, fields sorted, empty
// objects left out — so a re-sent line is the same input whatever the engine's state
// (values are converted by types that depend on the case, which may come and go).
std::string request_of(const json& in) {
    nlohmann::json canon = in; // nlohmann::json keeps object fields sorted
    canon.erase("at");
    canon.erase("key");
    for (const char* name : {"fields", "variables"})
        if (const auto it = canon.find(name); it != canon.end() && it->is_object() && it->empty()) canon.erase(it);
    return canon.dump();
}

applied apply(engine& e, const json& in, const std::string& key) {
    const std::string op = text(in, "op");
    time_point at;
    if (!parse_instant(text(in, "at"), at))
        throw unreadable{{}, "\"at\" must be an ISO 8601 instant with an offset, like 2025-01-24T14:30:00+08:00"};
    const std::string request = key.empty() ? std::string() : request_of(in);
    auto keyed = e.with_key(key, request);
    if (op == "advance") return {keyed.advance(at), 0};
    if (op == "consent") { // a client's answer: no case
        const actor who = actor_of(in);
        const bool granted = field(in, "granted", json::value_t::boolean, "true or false").get<bool>();
        time_point until(boost::posix_time::not_a_date_time);
        if (const auto u = in.find("until"); u != in.end() && !u->is_null())
            if (!u->is_string() || !parse_instant(u->get<std::string>(), until))
                throw unreadable{{}, "\"until\" must be an ISO 8601 instant with an offset, or null"};
        return {keyed.record_consent(text(in, "client"), text(in, "topic"), granted, at, who, until), 0};
    }
    const case_id id = field(in, "case", json::value_t::number_unsigned, "a non-negative integer").get<case_id>();
    const actor who = actor_of(in);
    if (op == "start") {
        const std::string procedure = text(in, "procedure");
        const auto p = e.find_program(procedure);
        const payload vars = values_of(in, "variables", [&](const std::string& name) -> std::optional<value_type> {
            const auto v = p ? p->find_variable(name) : std::nullopt;
            return v ? std::optional(p->variables()[*v].type) : std::nullopt;
        });
        std::string client;
        if (const auto c = in.find("client"); c != in.end()) {
            if (!c->is_string()) throw unreadable{{}, "\"client\" must be a string"};
            client = c->get<std::string>();
        }
        return {keyed.start(procedure, id, vars, at, who, client), id};
    }
    if (op == "dispatch") {
        const std::string event = text(in, "event");
        const program* p = e.contains(id) ? &e.get(id).prog() : nullptr;
        const auto ev = p ? p->find_event(event) : std::nullopt;
        const payload fields = values_of(in, "fields", [&](const std::string& name) -> std::optional<value_type> {
            if (!ev) return std::nullopt;
            for (const auto& f : p->events()[*ev].payload)
                if (f.name == name) return f.type;
            return std::nullopt;
        });
        return {keyed.dispatch(id, event, fields, at, who), id};
    }
    if (op == "assign") return {keyed.assign(id, text(in, "duty"), text(in, "person"), at, who), id};
    throw unreadable{{}, "\"op\" must be start, dispatch, assign, advance or consent, not \"" + op + "\""};
}

json output_line(const std::optional<std::string>& key, std::string_view outcome_name, std::string_view code,
                 const std::string& state, bool replayed, const std::string& reason) {
    json line{{"key", key ? json(*key) : json(nullptr)},
              {"outcome", outcome_name},
              {"code", code},
              {"state", state},
              {"replayed", replayed}};
    if (!reason.empty()) line["reason"] = reason;
    return line;
}

// The line for an input. A replayed key's comes from its record (the state then); a fresh
// input's state is read as the engine recorded it (the case's path after the input, or
// ""), so the first line and every replay of it are the same.
json line_for(const engine& e, const std::optional<std::string>& key, const applied& a) {
    if (key && a.r.replayed)
        if (const auto rec = e.recorded(*key))
            return output_line(key, to_string(rec->kind), rec->code, rec->state, true, rec->reason);
    const std::string state = a.id != 0 && e.contains(a.id) ? e.get(a.id).path() : std::string();
    return output_line(key, to_string(a.r.kind), a.r.code, state, a.r.replayed, a.r.reason);
}

} // namespace

line_outcome apply_line(engine& e, std::string_view text) {
    line_outcome out;
    if (text.find_first_not_of(" \t\r") == std::string_view::npos) return out;
    std::optional<std::string> key;
    try {
        json in;
        try {
            in = json::parse(text);
        } catch (const json::exception& x) { // a syntax error, or a number too large (out_of_range)
            throw unreadable{{}, std::string("not JSON: ") + x.what()};
        }
        if (!in.is_object()) throw unreadable{{}, "an input is a JSON object"};
        if (const auto k = in.find("key"); k != in.end()) {
            if (!k->is_string() || k->get_ref<const std::string&>().empty())
                throw unreadable{{}, "\"key\" must be a non-empty string"};
            key = k->get<std::string>();
        }
        try {
            const applied a = apply(e, in, key.value_or(std::string()));
            out.what = line_outcome::kind::printed;
            out.line = line_for(e, key, a).dump() + "\n";
            if (a.r.code == codes::store_write_failed && !a.r.replayed) {
                out.write_failed = true;
                out.why = a.r.reason;
            }
        } catch (unreadable& u) {
            u.key = key;
            throw;
        }
    } catch (const unreadable& u) {
        if (!u.key) {
            out.what = line_outcome::kind::stop;
            out.why = u.why;
            return out;
        }
        out.what = line_outcome::kind::printed;
        out.line = output_line(u.key, "error", "careflow.cli.bad_input", "", false, u.why).dump() + "\n";
    }
    return out;
}

} // namespace careflow::cli
