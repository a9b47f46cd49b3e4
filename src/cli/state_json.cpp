// An engine's state as JSON (inspect, run --final-state), and timer fires counted from
// the journal (each fire entry names its timer).
#include "state_json.hpp"

#include "disclosure.hpp"

#include <careflow/store/sqlite.hpp>

#include <algorithm>
#include <sstream>

namespace careflow::cli {

void fire_counts::add(const journal_entry& e) {
    if (e.kind == record_kind::start && e.result == outcome::applied) {
        fired_.erase(e.id); // counts start with the case
    } else if (e.kind == record_kind::fire) {
        const value timer = e.get("timer");
        if (const auto* name = std::get_if<std::string>(&timer.get())) ++fired_[e.id][*name];
    }
}

void fire_counts::add_store(sqlite_store& s) {
    for (const auto& e : store_journal(s)) add(e);
}

const std::map<std::string, std::uint64_t>* fire_counts::of(case_id id) const {
    const auto it = fired_.find(id);
    return it == fired_.end() ? nullptr : &it->second;
}

namespace {

json instant(const std::optional<time_point>& t) { return t ? to_json(value(*t)) : json(nullptr); }

json sla_json(const sla_report& r) {
    json warnings = json::array();
    for (const auto& w : r.warnings) warnings.push_back(to_json(value(w)));
    return json{{"status", std::string(to_string(r.status))},
                {"started", instant(r.started)},
                {"stopped", instant(r.stopped)},
                {"breached", instant(r.breached)},
                {"due", instant(r.due)},
                {"elapsed", format_duration(r.elapsed)},
                {"goal", format_duration(r.goal)},
                {"paused_total", format_duration(r.paused_total)},
                {"warnings", std::move(warnings)},
                {"cycles", r.cycles},
                {"accountable", r.accountable.empty() ? json(nullptr) : json(r.accountable)}};
}

json case_json(const case_view& c, const fire_counts& fired, const case_reading* seen) {
    const program& p = c.prog();
    json variables = json::object();
    for (std::size_t i = 0; i < p.variables().size(); ++i) {
        const auto& v = p.variables()[i];
        const bool personal = p.item_of(static_cast<var_index>(i)) != no_index;
        variables[v.name] = !personal                     ? to_json(c.variable(v.name))
                            : seen && seen->shows(v.name) ? to_json(seen->get(v.name))
                                                          : json(std::string(withheld));
    }
    json assignees = json::object();
    for (const auto& duty : p.duties()) {
        const auto who = c.assignee(duty);
        assignees[duty] = who.empty() ? json(nullptr) : json(std::string(who));
    }
    json slas = json::object();
    for (const auto& s : p.slas()) slas[s.name] = sla_json(c.report(s.name));
    json timers = json::array();
    for (const auto& [name, due] : c.pending_timers()) timers.push_back(json::array({name, to_json(value(due))}));
    json fires = json::object();
    const auto* counted = fired.of(c.id());
    for (const auto& t : p.timers()) {
        std::uint64_t n = 0;
        if (counted)
            if (const auto it = counted->find(t.name); it != counted->end()) n = it->second;
        fires[t.name] = n;
    }
    json children = json::array();
    for (const case_id child : c.children()) children.push_back(child);
    const auto parent = c.parent();
    return json{{"id", c.id()},
                {"procedure", p.qualified_name()},
                {"state", c.path()},
                {"finished", c.finished()},
                {"started", to_json(value(c.started_at()))},
                {"entered", to_json(value(c.entered_at()))},
                {"variables", std::move(variables)},
                {"assignees", std::move(assignees)},
                {"sla", std::move(slas)},
                {"timers", std::move(timers)},
                {"fired", std::move(fires)},
                {"client", c.client().empty() ? json(nullptr) : json(c.client())},
                {"parent", parent ? json(*parent) : json(nullptr)},
                {"children", std::move(children)}};
}

} // namespace

json consent_json(const consent_state& c) {
    return json{{"topic", c.topic},
                {"granted", c.granted},
                {"at", to_json(value(c.at))},
                {"until", c.until.is_special() ? json(nullptr) : to_json(value(c.until))},
                {"recorded_by", c.recorded_by}};
}

json state_json(engine& e, const fire_counts& fired, const std::optional<actor>& reader) {
    std::vector<case_id> ids = e.cases();
    std::sort(ids.begin(), ids.end());
    json cases = json::array();
    for (const case_id id : ids) {
        std::optional<case_reading> seen;
        if (reader) seen = e.read(id, *reader, e.now());
        cases.push_back(case_json(e.get(id), fired, seen ? &*seen : nullptr));
    }
    const time_point now = e.now();
    json out{{"clock", now.is_special() ? json(nullptr) : to_json(value(now))}, {"cases", std::move(cases)}};
    json consents = json::object();
    for (const auto& client : e.consenting_clients()) {
        json answers = json::array();
        for (const auto& c : e.consents(client)) answers.push_back(consent_json(c));
        consents[client] = std::move(answers);
    }
    if (!consents.empty()) out["consents"] = std::move(consents);
    return out;
}

} // namespace careflow::cli
