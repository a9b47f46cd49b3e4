// Decision tables in careflow's JSON format ("careflow.decision/1"), both ways, and
// load_decision, which picks JSON or DMN by the file's name.
#include "definition_format.hpp"
#include <careflow/error.hpp>
#include <careflow/model/decision_file.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace careflow {

namespace {

using json = nlohmann::ordered_json;
constexpr const char* decision_format = "careflow.decision/1";

[[noreturn]] void bad(const std::string& pointer, const std::string& what) {
    throw error("careflow.decision.bad_table", (pointer.empty() ? std::string("/") : pointer) + ": " + what);
}

struct policy_name {
    const char* short_name;
    const char* long_name;
    hit_policy policy;
};
constexpr policy_name policies[] = {{"U", "UNIQUE", hit_policy::unique},
                                    {"A", "ANY", hit_policy::any},
                                    {"F", "FIRST", hit_policy::first},
                                    {"P", "PRIORITY", hit_policy::priority},
                                    {"C", "COLLECT", hit_policy::collect},
                                    {"R", "RULE ORDER", hit_policy::rule_order},
                                    {"O", "OUTPUT ORDER", hit_policy::output_order}};

std::string str(const json& o, const std::string& at, const char* key, bool required) {
    const auto it = o.find(key);
    if (it == o.end()) {
        if (required) bad(at, std::string("member '") + key + "' is required");
        return {};
    }
    if (!it->is_string()) bad(at + "/" + key, "expected a string");
    return it->get<std::string>();
}

void known(const json& o, const std::string& at, std::initializer_list<std::string_view> keys) {
    if (!o.is_object()) bad(at, "expected an object");
    for (const auto& [k, v] : o.items()) {
        (void)v;
        if (std::find(keys.begin(), keys.end(), k) == keys.end() && k != "$comment")
            bad(at + "/" + k, "unknown member '" + k + "'");
    }
}

std::vector<std::string> strings(const json& o, const std::string& at, const char* key) {
    std::vector<std::string> out;
    const auto it = o.find(key);
    if (it == o.end()) return out;
    if (!it->is_array()) bad(at + "/" + key, "expected an array of strings");
    for (std::size_t i = 0; i < it->size(); ++i) {
        if (!(*it)[i].is_string()) bad(at + "/" + key + "/" + std::to_string(i), "expected a string");
        out.push_back((*it)[i].get<std::string>());
    }
    return out;
}

value_type type_of(const json& o, const std::string& at) {
    const std::string t = str(o, at, "type", true);
    const auto v = detail::definition_format::type_named(t);
    if (!v) bad(at + "/type", "unknown type '" + t + "'");
    return *v;
}

} // namespace

decision_table_decl read_decision_json(std::string_view text) {
    json d;
    try {
        d = json::parse(text);
    } catch (const json::parse_error& e) {
        throw error("careflow.decision.bad_table", std::string("not JSON: ") + e.what());
    }
    known(d, "", {"$schema", "format", "name", "hit_policy", "aggregation", "inputs", "outputs", "rules"});
    if (str(d, "", "format", true) != decision_format)
        bad("/format", std::string("not a careflow decision table (\"format\": \"") + decision_format + "\")");
    decision_table_decl t;
    t.name = str(d, "", "name", true);
    const std::string policy = str(d, "", "hit_policy", true);
    bool found = false;
    for (const auto& p : policies)
        if (policy == p.short_name || policy == p.long_name) {
            t.policy = p.policy;
            found = true;
        }
    if (!found) bad("/hit_policy", "unknown hit policy '" + policy + "' (U, A, F, P, C, R, O)");
    const std::string agg = str(d, "", "aggregation", false);
    if (agg == "SUM" || agg == "+")
        t.collect = aggregation::sum;
    else if (agg == "COUNT" || agg == "#")
        t.collect = aggregation::count;
    else if (agg == "MIN" || agg == "<")
        t.collect = aggregation::min;
    else if (agg == "MAX" || agg == ">")
        t.collect = aggregation::max;
    else if (!agg.empty())
        bad("/aggregation", "unknown aggregation '" + agg + "' (SUM, COUNT, MIN, MAX)");
    auto array = [&](const char* key) -> const json& {
        static const json none = json::array();
        const auto it = d.find(key);
        if (it == d.end()) return none;
        if (!it->is_array()) bad(std::string("/") + key, "expected an array");
        return *it;
    };
    for (std::size_t i = 0; i < array("inputs").size(); ++i) {
        const std::string at = "/inputs/" + std::to_string(i);
        const json& x = array("inputs")[i];
        known(x, at, {"name", "type", "expression"});
        t.inputs.push_back({str(x, at, "name", true), type_of(x, at), str(x, at, "expression", false)});
    }
    for (std::size_t i = 0; i < array("outputs").size(); ++i) {
        const std::string at = "/outputs/" + std::to_string(i);
        const json& x = array("outputs")[i];
        known(x, at, {"name", "type", "values"});
        t.outputs.push_back({str(x, at, "name", true), type_of(x, at), strings(x, at, "values")});
    }
    for (std::size_t i = 0; i < array("rules").size(); ++i) {
        const std::string at = "/rules/" + std::to_string(i);
        const json& x = array("rules")[i];
        known(x, at, {"inputs", "outputs", "description"});
        t.rules.push_back({strings(x, at, "inputs"), strings(x, at, "outputs"), str(x, at, "description", false)});
    }
    return t;
}

std::string to_decision_json(const decision_table_decl& t) {
    json d;
    d["format"] = decision_format;
    d["name"] = t.name;
    for (const auto& p : policies)
        if (p.policy == t.policy) d["hit_policy"] = p.long_name;
    static const char* aggs[] = {"", "SUM", "COUNT", "MIN", "MAX"};
    if (t.collect != aggregation::none) d["aggregation"] = aggs[static_cast<int>(t.collect)];
    json inputs = json::array(), outputs = json::array(), rules = json::array();
    for (const auto& i : t.inputs) {
        json x{{"name", i.name}, {"type", std::string(to_string(i.type))}};
        if (!i.expression.empty()) x["expression"] = i.expression;
        inputs.push_back(std::move(x));
    }
    for (const auto& o : t.outputs) {
        json x{{"name", o.name}, {"type", std::string(to_string(o.type))}};
        if (!o.values.empty()) x["values"] = o.values;
        outputs.push_back(std::move(x));
    }
    for (const auto& r : t.rules) {
        json x{{"inputs", r.inputs}, {"outputs", r.outputs}};
        if (!r.description.empty()) x["description"] = r.description;
        rules.push_back(std::move(x));
    }
    d["inputs"] = std::move(inputs);
    d["outputs"] = std::move(outputs);
    d["rules"] = std::move(rules);
    return d.dump(2) + "\n";
}

const decision_table_decl& decision_model::find(std::string_view name) const {
    for (const auto& [n, what] : unsupported)
        if (n == name)
            throw error("careflow.dmn.unsupported",
                        "decision '" + n + "' is " + what + "; careflow runs decision tables only");
    if (name.empty() && tables.size() == 1) return tables[0];
    for (const auto& t : tables)
        if (t.name == name) return t;
    std::string known;
    for (const auto& t : tables) known += (known.empty() ? "" : ", ") + t.name;
    throw error("careflow.decision.unknown", "no decision '" + std::string(name) +
                                                 "' (decision tables here: " + (known.empty() ? "none" : known) + ")");
}

decision_table_decl load_decision(const std::filesystem::path& path, std::string_view name) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw error("careflow.decision.unreadable", "cannot read '" + path.string() + "'");
    std::ostringstream s;
    s << in.rdbuf();
    const auto ext = path.extension().string();
    if (ext == ".dmn" || ext == ".xml") return read_dmn(s.str()).find(name);
    decision_table_decl t = read_decision_json(s.str());
    if (!name.empty() && t.name != name)
        throw error("careflow.decision.unknown",
                    "no decision '" + std::string(name) + "' in '" + path.string() + "' (it holds '" + t.name + "')");
    return t;
}

} // namespace careflow
