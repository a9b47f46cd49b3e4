// to_definition: a procedure as a JSON definition ("careflow.procedure/1"), members in the
// documented order, defaults left out, expressions as rule texts.
#include "definition_format.hpp"
#include <careflow/model/definition.hpp>

#include <nlohmann/json.hpp>

namespace careflow {

namespace {

using json = nlohmann::ordered_json;
using namespace detail::definition_format;

json span_json(const span& s) {
    switch (s.kind) {
    case span_kind::elapsed: return value(s.elapsed).to_string();
    case span_kind::working_days: return json{{"working_days", s.days}};
    case span_kind::working_day_close: return json{{"close_of_working_day", s.days}};
    }
    return nullptr;
}

json field_json(const std::string& name, value_type t, const std::vector<std::string>& symbols, sensitivity personal) {
    json f{{"name", name}, {"type", std::string(to_string(t))}};
    if (!symbols.empty()) f["symbols"] = symbols;
    if (personal != sensitivity::none) f["personal"] = std::string(to_string(personal));
    return f;
}

json action_json(const action& a) {
    switch (a.kind) {
    case action_kind::call: return json{{"call", a.target}};
    case action_kind::set: return json{{"set", a.target}, {"value", a.value.to_string()}};
    case action_kind::assign: return json{{"assign", a.target}, {"who", a.value.to_string()}};
    case action_kind::unassign: return json{{"unassign", a.target}};
    case action_kind::spawn: {
        json j{{"spawn", a.target}};
        if (!a.bindings.empty()) {
            json b = json::array();
            for (const auto& [name, e] : a.bindings) b.push_back(json{{"variable", name}, {"value", e.to_string()}});
            j["bind"] = std::move(b);
        }
        return j;
    }
    case action_kind::notify: {
        json j{{"notify", a.target}};
        if (!a.text.empty()) j["message"] = a.text;
        return j;
    }
    }
    return nullptr;
}

json actions_json(const std::vector<action>& as) {
    json out = json::array();
    for (const auto& a : as) out.push_back(action_json(a));
    return out;
}

json conditions_json(const std::vector<sla_condition>& cs) {
    json out = json::array();
    for (const auto& c : cs) {
        const char* k = c.on == sla_condition::kind::entered ? "entered"
                        : c.on == sla_condition::kind::left  ? "left"
                                                             : "event";
        out.push_back(json{{k, c.name}});
    }
    return out;
}

} // namespace

std::string to_definition(const procedure& p) {
    json d;
    d["format"] = format_name;
    d["name"] = p.name();
    d["version"] = p.version();
    if (!p.description().empty()) d["description"] = p.description();
    if (!p.initial().empty()) d["initial"] = p.initial();

    json vars = json::array();
    for (const auto& v : p.variables()) {
        json j = field_json(v.name, v.type, v.symbols, v.personal);
        if (!v.initial.empty()) j["initial"] = constant_json<json>(v.initial);
        vars.push_back(std::move(j));
    }
    if (!vars.empty()) d["variables"] = std::move(vars);

    json events = json::array();
    for (const auto& e : p.events()) {
        json j{{"name", e.name}};
        if (!e.payload.empty()) {
            json payload = json::array();
            for (const auto& f : e.payload) payload.push_back(field_json(f.name, f.type, f.symbols, f.personal));
            j["payload"] = std::move(payload);
        }
        events.push_back(std::move(j));
    }
    if (!events.empty()) d["events"] = std::move(events);
    if (!p.duties().empty()) d["duties"] = p.duties();
    if (!p.host_actions().empty()) {
        json hosts = json::array();
        for (const auto& h : p.host_actions()) hosts.push_back(h.name);
        d["hosts"] = std::move(hosts);
    }
    if (!p.consents().empty()) {
        json cs = json::array();
        for (const auto& c : p.consents()) {
            json j{{"topic", c.topic}};
            if (!c.description.empty()) j["description"] = c.description;
            cs.push_back(std::move(j));
        }
        d["consents"] = std::move(cs);
    }
    if (!p.read_rules().empty()) {
        json rs = json::array();
        for (const auto& r : p.read_rules()) {
            json j = json::object();
            if (!r.items.empty()) j["items"] = r.items;
            if (r.up_to != sensitivity::none) j["up_to"] = std::string(to_string(r.up_to));
            if (!r.roles.empty()) j["roles"] = r.roles;
            if (!r.duty.empty()) j["duty"] = r.duty;
            if (!r.states.empty()) j["states"] = r.states;
            if (!r.description.empty()) j["description"] = r.description;
            rs.push_back(std::move(j));
        }
        d["read_rules"] = std::move(rs);
    }

    json states = json::array();
    for (std::size_t s = 0; s < p.state_count(); ++s) {
        const state_decl& st = p.state(s);
        json j{{"name", st.name}};
        if (!st.parent.empty()) j["parent"] = st.parent;
        if (!st.initial.empty()) j["initial"] = st.initial;
        if (st.is_final) j["final"] = true;
        if (st.open_ended) j["open_ended"] = true;
        if (!st.description.empty()) j["description"] = st.description;
        if (!st.on_entry.empty()) j["on_entry"] = actions_json(st.on_entry);
        if (!st.on_exit.empty()) j["on_exit"] = actions_json(st.on_exit);
        states.push_back(std::move(j));
    }
    d["states"] = std::move(states);

    json transitions = json::array();
    for (const auto t : p.transitions()) {
        const transition_decl& tr = p.transition(t);
        json j{{"source", tr.source}};
        if (!tr.target.empty()) j["target"] = tr.target;
        if (!tr.event.empty()) j["event"] = tr.event;
        if (!tr.when.condition.empty()) {
            j["when"] = tr.when.condition.to_string();
        } else if (tr.when.predicate) {
            json g{{"host", tr.when.label}};
            if (!tr.when.reads.empty()) {
                json reads = json::array();
                for (const auto& [name, type] : tr.when.reads)
                    reads.push_back(json{{"name", name}, {"type", std::string(to_string(type))}});
                g["reads"] = std::move(reads);
            }
            j["when"] = std::move(g);
        }
        if (!tr.roles.empty()) j["roles"] = tr.roles;
        if (!tr.duty.empty()) j["duty"] = tr.duty;
        if (!tr.actions.empty()) j["actions"] = actions_json(tr.actions);
        transitions.push_back(std::move(j));
    }
    if (!transitions.empty()) d["transitions"] = std::move(transitions);

    json timers = json::array();
    for (const auto& t : p.timers()) {
        json j{{"state", t.state}, {"event", t.event}};
        if (t.name != t.state + "." + t.event) j["name"] = t.name;
        switch (t.kind) {
        case timer_kind::after: j["after"] = span_json(t.delay); break;
        case timer_kind::every:
            j["every"] = span_json(t.delay);
            j["count"] = t.count;
            break;
        case timer_kind::at: j["at"] = t.deadline.to_string(); break;
        }
        if (!t.calendar.empty()) j["calendar"] = t.calendar;
        timers.push_back(std::move(j));
    }
    if (!timers.empty()) d["timers"] = std::move(timers);

    json slas = json::array();
    for (const auto& s : p.slas()) {
        json j{{"name", s.name}};
        for (const auto& [key, cs] :
             {std::pair{"start", &s.start}, std::pair{"stop", &s.stop}, std::pair{"pause", &s.pause},
              std::pair{"resume", &s.resume}, std::pair{"cancel", &s.cancel}})
            if (!cs->empty()) j[key] = conditions_json(*cs);
        if (s.goal != span()) j["goal"] = span_json(s.goal);
        if (!s.deadline.empty()) j["deadline"] = s.deadline.to_string();
        if (!s.calendar.empty()) j["calendar"] = s.calendar;
        if (s.warnings != sla_decl{}.warnings) j["warnings"] = s.warnings;
        if (!s.warning_event.empty()) j["warning_event"] = s.warning_event;
        if (!s.breach_event.empty()) j["breach_event"] = s.breach_event;
        if (!s.duty.empty()) j["duty"] = s.duty;
        slas.push_back(std::move(j));
    }
    if (!slas.empty()) d["slas"] = std::move(slas);
    return d.dump(2) + "\n";
}

} // namespace careflow
