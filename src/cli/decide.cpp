// careflow decide: evaluate a decision table from a DMN model or a careflow JSON table on
// inputs given as one JSON object, and print the result ({"result": …} with --json).
#include "commands.hpp"
#include "json_values.hpp"

#include <careflow/careflow.hpp>

#include <iostream>

namespace careflow::cli {

int decide(const std::vector<std::string>& args) {
    po::options_description opts("decide");
    opts.add_options()("help", "this text")("decision", po::value<std::string>()->default_value(""),
                                            "the decision's name (DMN: name or id; optional when there is one)")(
        "input", po::value<std::string>(), "the inputs as one JSON object")("json", "print {\"result\": …}")(
        "check", "also print the table's static checks (overlaps, conflicts, gaps) on stderr")(
        "file", po::value<std::string>(), "MODEL.dmn or TABLE.json");
    po::positional_options_description pos;
    pos.add("file", 1);
    const auto vm = parse(args, opts, &pos);
    if (vm.count("help")) {
        std::cout << "usage: careflow decide MODEL.dmn|TABLE.json [--decision NAME] --input JSON [--json] [--check]\n"
                     "  evaluates a decision table: a value for one output, an object for several,\n"
                     "  a list for multi-hit policies (C, R, O), null when no rule matches\n";
        return 0;
    }
    if (!vm.count("file") || !vm.count("input"))
        throw usage_error("usage: careflow decide MODEL.dmn|TABLE.json [--decision NAME] --input JSON [--json]");
    decision_table_decl decl;
    try {
        decl = load_decision(vm["file"].as<std::string>(), vm["decision"].as<std::string>());
    } catch (const careflow::error& e) {
        if (e.id() == "careflow.decision.unreadable") throw usage_error(e.what());
        std::cerr << e.what() << '\n';
        return 1;
    }
    const decision_table table = decision_table::compile(decl);
    if (vm.count("check"))
        for (const auto& d : table.check()) std::cerr << d.to_string() << '\n';
    json in;
    try {
        in = json::parse(vm["input"].as<std::string>());
    } catch (const json::parse_error& e) {
        throw usage_error(std::string("--input is not JSON: ") + e.what());
    }
    if (!in.is_object()) throw usage_error("--input must be a JSON object of input names and values");
    payload inputs;
    for (const auto& [name, v] : in.items()) {
        std::optional<value_type> type;
        for (const auto& col : decl.inputs)
            if (col.name == name) type = col.type;
        try {
            inputs.set(name, to_value(v, type));
        } catch (const std::invalid_argument&) {
            throw usage_error("--input: '" + name + "' must be a number, string or boolean");
        }
    }
    decision_result r;
    try {
        r = table.decide(inputs);
    } catch (const careflow::error& e) {
        throw usage_error(e.what());
    }
    if (!r.ok) {
        if (vm.count("json"))
            std::cout << json{{"error", r.error}, {"message", r.message}}.dump() << '\n';
        else
            std::cerr << "[" << r.error << "] " << r.message << '\n';
        return 1;
    }
    auto row = [&](const std::vector<value>& outs) -> json {
        if (outs.size() == 1) return to_json(outs[0]);
        json o = json::object();
        for (std::size_t k = 0; k < outs.size(); ++k) o[decl.outputs[k].name] = to_json(outs[k]);
        return o;
    };
    json result;
    const bool multi = decl.policy == hit_policy::collect || decl.policy == hit_policy::rule_order ||
                       decl.policy == hit_policy::output_order;
    if (decl.policy == hit_policy::collect && decl.collect != aggregation::none) {
        result = to_json(r.aggregate);
    } else if (multi) {
        result = json::array();
        for (const auto& outs : r.outputs) result.push_back(row(outs));
    } else {
        result = r.outputs.empty() ? json(nullptr) : row(r.outputs[0]);
    }
    if (vm.count("json")) {
        std::cout << json{{"result", result}}.dump() << '\n';
    } else {
        std::cout << result.dump() << '\n';
        for (const auto rule : r.rules) std::cerr << "matched rule " << rule + 1 << '\n';
    }
    return 0;
}

} // namespace careflow::cli
