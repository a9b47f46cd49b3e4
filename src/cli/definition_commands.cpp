// careflow dot / definition / validate: procedures as files on the command line — draw a
// shipped procedure or a definition file, print a shipped one's definition, check a file.
#include "commands.hpp"

#include <careflow/careflow.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

namespace careflow::cli {

std::vector<procedure> shipped() {
    return {procedures::hotline_call(), procedures::phone_callback(),    procedures::first_visit(),
            procedures::appointment(),  procedures::counseling_course(), procedures::complaint()};
}

namespace {

void print_problems(const std::string& file, const std::vector<definition_problem>& ps) {
    for (const auto& p : ps) std::cerr << file << (p.line ? ":" : ": ") << p.to_string() << '\n';
}

// A shipped procedure by name, or a definition file by path; a definition with errors
// prints them (file:line:column) and gives nothing.
std::optional<procedure> procedure_named(const std::string& arg) {
    for (auto& p : shipped())
        if (p.name() == arg) return std::move(p);
    if (!std::filesystem::is_regular_file(arg))
        throw usage_error("no procedure '" + arg + "' and no such file (careflow procedures lists them)");
    try {
        return load_definition_file(arg);
    } catch (const definition_error& e) {
        print_problems(arg, e.problems());
        return std::nullopt;
    }
}

} // namespace

int dot(const std::vector<std::string>& args) {
    if (!args.empty() && args[0] == "--help") {
        std::cout << "usage: careflow dot <procedure>|FILE.json\n  prints a shipped procedure (careflow procedures "
                     "lists them) or a definition file as Graphviz DOT\n";
        return 0;
    }
    if (args.size() != 1) throw usage_error("usage: careflow dot <procedure>|FILE.json");
    const auto p = procedure_named(args[0]);
    if (!p) return 1;
    std::cout << to_dot(*p);
    return 0;
}

int definition(const std::vector<std::string>& args) {
    if (!args.empty() && args[0] == "--help") {
        std::cout << "usage: careflow definition <procedure>\n  prints a shipped procedure as a JSON definition "
                     "(format careflow.procedure/1, docs/definitions.md)\n";
        return 0;
    }
    if (args.size() != 1) throw usage_error("usage: careflow definition <procedure>");
    for (const auto& p : shipped())
        if (p.name() == args[0]) {
            std::cout << to_definition(p);
            return 0;
        }
    throw usage_error("no procedure '" + args[0] + "' (careflow procedures lists them)");
}

int validate_file(const std::vector<std::string>& args) {
    po::options_description opts("validate");
    opts.add_options()("help", "this text")("json", "the problems as one JSON object")("file", po::value<std::string>(),
                                                                                       "the definition file");
    po::positional_options_description pos;
    pos.add("file", 1);
    const auto vm = parse(args, opts, &pos);
    if (vm.count("help")) {
        std::cout << "usage: careflow validate FILE.json [--json]\n  checks a definition file: prints every problem "
                     "as FILE:LINE:COLUMN: level [id] pointer: message;\n  exit 0 when it loads (warnings allowed), 1 "
                     "when it has errors\n";
        return 0;
    }
    if (!vm.count("file")) throw usage_error("usage: careflow validate FILE.json [--json]");
    const std::string file = vm["file"].as<std::string>();
    std::ifstream in(file, std::ios::binary);
    if (!in) throw usage_error("cannot read '" + file + "'");
    std::ostringstream text;
    text << in.rdbuf();
    const auto problems = check_definition(text.str());
    const bool errors = std::any_of(problems.begin(), problems.end(),
                                    [](const definition_problem& p) { return p.what.level == severity::error; });
    if (vm.count("json")) {
        nlohmann::ordered_json out{{"valid", !errors}, {"problems", nlohmann::ordered_json::array()}};
        for (const auto& p : problems)
            out["problems"].push_back({{"level", p.what.level == severity::error ? "error" : "warning"},
                                       {"id", p.what.id},
                                       {"pointer", p.pointer},
                                       {"line", p.line},
                                       {"column", p.column},
                                       {"subject", p.what.subject},
                                       {"message", p.what.message}});
        std::cout << out.dump() << '\n';
    } else {
        for (const auto& p : problems) std::cout << file << (p.line ? ":" : ": ") << p.to_string() << '\n';
        if (!errors) std::cout << file << ": valid\n";
    }
    return errors ? 1 : 0;
}

} // namespace careflow::cli
