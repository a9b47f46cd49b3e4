// Fuzz target: `careflow run`'s input lines (JSON read by nlohmann/json, then the fields,
// ISO 8601 instants and durations, values by declared type). Every line is blank, a stop
// (not an input, no key) or one printed JSON object of the documented shape with a
// documented code; the lines run twice on one engine: the second time every recorded key
// prints its first line again with "replayed":true and the engine does not change.
#include "../../src/cli/inputs.hpp"
#include "fuzz_setup.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

using namespace careflow;

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty() && out.size() < 64) {
        const auto nl = text.find('\n');
        out.push_back(text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

nlohmann::ordered_json checked(const std::string& line) {
    fuzz::require(!line.empty() && line.back() == '\n', "a printed line does not end with its newline");
    nlohmann::ordered_json j;
    try {
        j = nlohmann::ordered_json::parse(line);
    } catch (const nlohmann::json::exception&) {
        fuzz::broken("a printed line is not JSON");
    }
    fuzz::require(j.is_object() && j.contains("key") && j.contains("outcome") && j.contains("code") &&
                      j.contains("state") && j.contains("replayed"),
                  "a printed line lacks a documented field");
    const std::string code = j.at("code");
    fuzz::require(code.empty() || code.rfind("careflow.runtime.", 0) == 0 || code == "careflow.cli.bad_input",
                  "a printed line has an undocumented code");
    return j;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto lines = lines_of(std::string_view(reinterpret_cast<const char*>(data), size));
    engine e;
    fuzz::setup(e);
    std::vector<std::string> first(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto out = cli::apply_line(e, lines[i]);
        if (out.what == cli::line_outcome::kind::stop) {
            fuzz::require(!out.why.empty(), "a stop without a reason");
            break;
        }
        if (out.what == cli::line_outcome::kind::printed) {
            fuzz::require(!out.write_failed, "an engine in memory failed a write");
            (void)checked(out.line);
            first[i] = out.line;
        }
    }
    const std::string state = e.snapshot();
    const auto journal = e.journal_size();
    // Again: recorded keys replay their first line; nothing changes for them.
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (first[i].empty()) continue;
        auto was = checked(first[i]);
        if (!was.at("key").is_string() || was.at("code") == "careflow.cli.bad_input" ||
            was.at("code") == "careflow.runtime.key_reused" || was.at("replayed") == true)
            continue;
        const std::string key = was.at("key");
        const auto rec = e.recorded(key);
        fuzz::require(rec.has_value(), "a printed keyed input is not recorded");
        const auto out = cli::apply_line(e, lines[i]);
        fuzz::require(out.what == cli::line_outcome::kind::printed, "a recorded line no longer reads");
        auto now = checked(out.line);
        if (now.at("code") == "careflow.runtime.key_reused") continue; // an earlier line used the key first
        fuzz::require(now.at("replayed") == true, "a recorded key applied again");
        now["replayed"] = false;
        fuzz::require(now == was, "a replayed line differs from the first");
    }
    fuzz::require(e.snapshot() == state && e.journal_size() == journal, "replaying recorded keys changed the engine");
    return 0;
}
