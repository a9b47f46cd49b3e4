// The command line's durable front, as scripts use it: `careflow run` prints one line per
// input (exactly the documented shape), a re-run of the same file on the same store
// replays every key, batch and per-input and in-memory runs print the same lines and end
// in the same state; values, times and spawned ids read and write exactly; bad lines,
// bad stores and missing files are typed, one-line errors; inspect and backup work on
// real files.
#include "process.hpp"
#include "store_fixtures.hpp"

#include <nlohmann/json.hpp>

using namespace careflow;
using namespace careflow::test;
using nlohmann::json;

namespace {

const std::string cli = CAREFLOW_CLI;

std::string write(const scratch& tmp, const std::string& name, const std::string& text) {
    const std::string path = tmp.file(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::string read_file(const std::string& path) { return bytes_of(path); }

// One call through the hotline to its follow-up callbacks (which it spawns on `record`: the
// caller consented to be called back).
const char* call_inputs =
    R"({"key":"k1","at":"2025-01-24T14:30:00+08:00","op":"start","case":17,"procedure":"hotline_call","variables":{},"client":"caller-17","actor":{"id":"switchboard","roles":[]}}
{"key":"k2","at":"2025-01-24T14:30:20+08:00","op":"dispatch","case":17,"event":"answer","fields":{},"actor":{"id":"op-7","roles":["operator"]}}
{"key":"k3","at":"2025-01-24T14:31:00.25+08:00","op":"assign","case":17,"duty":"counselor","person":"c-1","actor":{"id":"op-7","roles":["operator"]}}
{"key":"k4","at":"2025-01-24T06:32:00Z","op":"dispatch","case":17,"event":"register","fields":{"name":"Li Wei","withheld":false,"contact":"138-0000-0000","reason":"sleep"},"actor":{"id":"op-7","roles":["operator"]}}
{"key":"k5","at":"2025-01-24T06:33:00Z","op":"dispatch","case":17,"event":"assess","fields":{"urgency":1},"actor":{"id":"op-7","roles":["operator"]}}
{"key":"k6","at":"2025-01-24T06:40:00Z","op":"dispatch","case":17,"event":"resolve","fields":{"needs_follow_up":true},"actor":{"id":"op-7","roles":["operator"]}}
{"key":"k6c","at":"2025-01-24T06:40:30Z","op":"consent","client":"caller-17","topic":"callback","granted":true,"until":null,"actor":{"id":"op-7","roles":["operator"]}}
{"key":"k7","at":"2025-01-24T06:41:00Z","op":"dispatch","case":17,"event":"hang_up","actor":{"id":"op-7","roles":["operator"]}}
{"key":"k8","at":"2025-01-24T06:50:00Z","op":"dispatch","case":17,"event":"record","actor":{"id":"op-7","roles":["operator"]}}
{"key":"k9","at":"2025-01-24T06:51:00Z","op":"dispatch","case":17,"event":"no_such_event","actor":{"id":"op-7","roles":["operator"]}}
{"key":"k10","at":"2025-02-28T00:00:00Z","op":"advance"}
)";

} // namespace

TEST_CASE("careflow run prints one line per input in the documented shape, and a re-run replays every key") {
    scratch tmp;
    const std::string inputs = write(tmp, "in.jsonl", call_inputs);
    const std::string store = "sqlite:" + tmp.file("c.db");
    const ran first = run_to_end({cli, "run", "--builtin", "--store", store, "--inputs", inputs});
    INFO(first.err);
    REQUIRE(first.status == 0);
    const auto lines = lines_of(first.out);
    REQUIRE(lines.size() == 11);
    CHECK(lines[0] == R"({"key":"k1","outcome":"applied","code":"","state":"call.ringing","replayed":false})");
    CHECK(lines[1] ==
          R"({"key":"k2","outcome":"applied","code":"","state":"call.talking.registration","replayed":false})");
    CHECK(lines[2] ==
          R"({"key":"k3","outcome":"applied","code":"","state":"call.talking.registration","replayed":false})");
    CHECK(lines[6] == R"({"key":"k6c","outcome":"applied","code":"","state":"","replayed":false})");
    CHECK(lines[8] ==
          R"({"key":"k8","outcome":"applied","code":"","state":"after_call.awaiting_feedback","replayed":false})");
    CHECK(json::parse(lines[9]).at("code") == "careflow.runtime.unknown_event");
    CHECK(lines[10] == R"({"key":"k10","outcome":"applied","code":"","state":"","replayed":false})");

    const ran again = run_to_end({cli, "run", "--builtin", "--store", store, "--inputs", inputs});
    REQUIRE(again.status == 0);
    const auto replayed = lines_of(again.out);
    REQUIRE(replayed.size() == lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto want = nlohmann::ordered_json::parse(lines[i]);
        want["replayed"] = true;
        CHECK(replayed[i] == want.dump());
    }
    // The re-run changed nothing: the store's state is the first run's.
    const ran state = run_to_end({cli, "inspect", "--store", store, "--json"});
    const ran memory = run_to_end({cli, "run", "--builtin", "--inputs", inputs, "--final-state", tmp.file("m.json")});
    REQUIRE(memory.status == 0);
    CHECK(memory.out == first.out); // in memory: the same lines
    CHECK(state.out == read_file(tmp.file("m.json")));
}

TEST_CASE("the state JSON: values, times, assignees, SLA clocks, timers, fires and spawned ids, exactly") {
    scratch tmp;
    const std::string inputs = write(tmp, "in.jsonl", call_inputs);
    const std::string store = "sqlite:" + tmp.file("c.db");
    REQUIRE(run_to_end({cli, "run", "--builtin", "--store", store, "--inputs", inputs}).status == 0);
    // A manager may read the personal variables (docs/security.md); without --as they are withheld.
    const json s = json::parse(
        run_to_end({cli, "inspect", "--store", store, "--json", "--as", R"({"id":"mgr","roles":["manager"]})"}).out);
    CHECK(s.at("clock") == "2025-02-28T00:00:00.000000Z");
    const json& cases = s.at("cases");
    REQUIRE(cases.size() >= 3);
    const json& call = cases[0];
    CHECK(call.at("id") == 17);
    CHECK(call.at("procedure") == "hotline_call@1");
    CHECK(call.at("finished") == true);
    CHECK(call.at("variables").at("caller") == "Li Wei");
    CHECK(call.at("variables").at("urgency") == 1);
    CHECK(call.at("variables").at("needs_follow_up") == true);
    CHECK(call.at("variables").at("consulted_at") == "2025-01-24T06:41:00.000000Z");
    CHECK(call.at("variables").at("feedback_channel") == "none");
    CHECK(call.at("assignees").at("operator") == "op-7");
    CHECK(call.at("assignees").at("counselor") == "c-1");
    CHECK(call.at("sla").at("answer_within_rings").at("status") == "breached"); // 20 s: past three 5 s rings
    CHECK(call.at("sla").at("answer_within_rings").at("goal") == "PT15S");
    CHECK(call.at("sla").at("answer_within_rings").at("accountable") == "op-7");
    CHECK(call.at("fired").at("ringing.ring") == 4); // rings at 5, 10, 15 and 20 s
    CHECK(call.at("timers").empty());
    // The spawned callbacks: ids from 2^62, written as exact integers.
    const json& children = call.at("children");
    REQUIRE(children.size() >= 1);
    CHECK(children[0].get<std::uint64_t>() == (std::uint64_t{1} << 62));
    CHECK(cases[1].at("id").get<std::uint64_t>() == (std::uint64_t{1} << 62));
    CHECK(cases[1].at("parent") == 17);
    CHECK(cases[1].at("procedure") == "phone_callback@1");
    CHECK(cases[1].at("variables").at("contact") == "138-0000-0000");
    // The caller's consent, as recorded.
    CHECK(s.at("consents") == json::parse(R"({"caller-17":[{"topic":"callback","granted":true,
          "at":"2025-01-24T06:40:30.000000Z","until":null,"recorded_by":"op-7"}]})"));
}

TEST_CASE("batch mode and standard input print the same lines as per input") {
    scratch tmp;
    const std::string inputs = write(tmp, "in.jsonl", call_inputs);
    const ran per_input = run_to_end({cli, "run", "--builtin", "--store", "sqlite:" + tmp.file("a.db"), "--inputs",
                                      inputs, "--final-state", tmp.file("a.json")});
    const ran batch = run_to_end({cli, "run", "--builtin", "--store", "sqlite:" + tmp.file("b.db"), "--sync", "batch",
                                  "--inputs", "-", "--final-state", tmp.file("b.json")},
                                 inputs);
    REQUIRE(per_input.status == 0);
    REQUIRE(batch.status == 0);
    CHECK(batch.out == per_input.out);
    CHECK(read_file(tmp.file("a.json")) == read_file(tmp.file("b.json")));
}

TEST_CASE("lines that are not inputs: an error line for a key, exit 2 without one; values the engine judges") {
    scratch tmp;
    const std::string inputs = write(
        tmp, "in.jsonl",
        R"({"key":"a","at":"2025-01-24T14:30:00+08:00","op":"start","case":1,"procedure":"phone_callback","variables":{"due":"2025-01-25T09:00:00.250+08:00","contact":"x"},"actor":{"id":"m","roles":["manager"]}}

{"key":"b","at":"yesterday","op":"advance"}
{"key":"c","op":"fly","at":"2025-01-24T14:30:00Z"}
{"key":"d","at":"2025-01-24T14:30:00Z","op":"dispatch","case":-3,"event":"x","actor":{"id":"m"}}
{"key":"e","at":"2025-01-24T14:30:00Z","op":"dispatch","case":1,"event":"x","fields":{"f":[1,2]},"actor":{"id":"m"}}
{"key":"f","at":"2025-01-24T14:30:00Z","op":"start","case":2,"procedure":"phone_callback","variables":{"due":"not a time"},"actor":{"id":"m"}}
{"key":"g","at":"2025-01-24T14:30:00Z","op":"start","case":3,"procedure":"no_such","actor":{"id":"m"}}
[1,2,3]
{"key":"h","at":"2025-01-24T14:31:00Z","op":"advance"}
)");
    const ran r = run_to_end({cli, "run", "--builtin", "--inputs", inputs, "--final-state", tmp.file("s.json")});
    CHECK(r.status == 2);
    CHECK(r.err == "careflow: line 9: an input is a JSON object\n");
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 7); // the blank line is skipped; nothing after the bad line runs
    CHECK(json::parse(lines[0]).at("outcome") == "applied");
    for (std::size_t i = 1; i <= 4; ++i) {
        const json l = json::parse(lines[i]);
        CHECK(l.at("code") == "careflow.cli.bad_input");
        CHECK(l.at("outcome") == "error");
        CHECK(l.at("state") == "");
        CHECK_FALSE(l.at("reason").get<std::string>().empty());
    }
    CHECK(json::parse(lines[5]).at("code") == "careflow.runtime.bad_payload"); // the engine judged the text
    CHECK(json::parse(lines[6]).at("code") == "careflow.runtime.unknown_program");
    CHECK_FALSE(fs::exists(tmp.file("s.json"))); // an interrupted run writes no final state
    // The time with fractional seconds and an offset was read exactly.
    const ran ok = run_to_end({cli, "run", "--builtin", "--inputs", "-", "--final-state", tmp.file("one.json")},
                              write(tmp, "one.jsonl", lines_of(read_file(inputs))[0] + "\n"));
    REQUIRE(ok.status == 0);
    const json state = json::parse(read_file(tmp.file("one.json")));
    CHECK(state.at("cases")[0].at("variables").at("due") == "2025-01-25T01:00:00.250000Z");
}

TEST_CASE("a number too large for a double is a line that is not JSON, not a crash") {
    // Found by fuzz_inputs: nlohmann's reader reports it as out_of_range, not parse_error.
    scratch tmp;
    const std::string inputs =
        write(tmp, "big.jsonl",
              R"({"key":"a","at":"2025-01-24T14:30:00Z","op":"advance","n":888888888888888e88888888})"
              "\n");
    const ran r = run_to_end({cli, "run", "--builtin", "--inputs", inputs});
    CHECK(r.status == 2);
    CHECK(r.err.rfind("careflow: line 1: not JSON: ", 0) == 0);
    CHECK(r.out.empty());
}

TEST_CASE("a re-sent line is the same input whatever has happened to its case since") {
    // First the case does not exist (a time-like text stays text); then it is started, and
    // the re-sent line — whose text would now read as a time — still replays its record.
    scratch tmp;
    const std::string store = "sqlite:" + tmp.file("c.db");
    const std::string early = write(
        tmp, "early.jsonl",
        R"({"key":"x","at":"2025-01-24T00:00:00Z","op":"start","case":5,"procedure":"phone_callback","variables":{"due":"2025-01-25T09:00:00+08:00"},"actor":{"id":"m","roles":["manager"]}}
)");
    const std::string late = write(
        tmp, "late.jsonl",
        R"({"key":"e1","at":"2025-01-24T00:00:01Z","op":"dispatch","case":9,"event":"reschedule","fields":{"at":"2025-01-26T09:00:00+08:00"},"actor":{"id":"m","roles":["manager"]}}
{"key":"s9","at":"2025-01-24T00:00:02Z","op":"start","case":9,"procedure":"appointment","actor":{"id":"m","roles":["manager"]}}
{"key":"e1","at":"2025-01-24T00:00:03Z","op":"dispatch","case":9,"event":"reschedule","fields":{"at":"2025-01-26T09:00:00+08:00"},"actor":{"id":"m","roles":["manager"]}}
)");
    REQUIRE(run_to_end({cli, "run", "--builtin", "--store", store, "--inputs", early}).status == 0);
    const ran r = run_to_end({cli, "run", "--builtin", "--store", store, "--inputs", late});
    REQUIRE(r.status == 0);
    const auto lines = lines_of(r.out);
    REQUIRE(lines.size() == 3);
    CHECK(json::parse(lines[0]).at("code") == "careflow.runtime.unknown_case");
    const json again = json::parse(lines[2]);
    CHECK(again.at("replayed") == true);
    CHECK(again.at("code") == "careflow.runtime.unknown_case");
}

TEST_CASE("bad command lines, stores and files are one-line errors with exit 2") {
    scratch tmp;
    const std::string inputs = write(tmp, "in.jsonl", call_inputs);
    std::ofstream(tmp.file("notes.txt")) << "these are notes, not a database, as anyone can see\n";
    const std::vector<std::vector<std::string>> bad = {
        {cli, "run", "--inputs", inputs},
        {cli, "run", "--builtin", "--inputs", tmp.file("missing.jsonl")},
        {cli, "run", "--builtin", "--inputs", inputs, "--sync", "sometimes"},
        {cli, "run", "--builtin", "--inputs", inputs, "--store", "postgres:x"},
        {cli, "run", "--builtin", "--inputs", inputs, "--store", "sqlite:" + tmp.file("notes.txt")},
        {cli, "run", "--builtin", "--inputs", inputs, "--store", "sqlite:" + tmp.file("no/such/dir/c.db")},
        {cli, "inspect", "--store", "sqlite:" + tmp.file("missing.db")},
        {cli, "inspect", "--store", "sqlite:" + tmp.file("notes.txt")},
        {cli, "backup", "--store", "sqlite:" + tmp.file("missing.db"), "--to", tmp.file("b.db")},
        {cli, "backup", "--store", "sqlite:" + tmp.file("x.db")},
        {cli, "backup", "--restore", tmp.file("notes.txt"), "--store", "sqlite:" + tmp.file("y.db")},
    };
    for (const auto& args : bad) {
        const ran r = run_to_end(args);
        INFO(args[1] << " " << args[2] << ": " << r.err);
        CHECK(r.status == 2);
        CHECK(r.err.rfind("careflow: ", 0) == 0);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    CHECK_FALSE(fs::exists(tmp.file("missing.db")));
    CHECK(bytes_of(tmp.file("notes.txt")) == "these are notes, not a database, as anyone can see\n");
}

TEST_CASE("careflow backup copies a store in use and restores it; inspect prints a table") {
    scratch tmp;
    const std::string inputs = write(tmp, "in.jsonl", call_inputs);
    const std::string store = "sqlite:" + tmp.file("c.db");
    REQUIRE(run_to_end({cli, "run", "--builtin", "--store", store, "--inputs", inputs}).status == 0);
    const std::string before = run_to_end({cli, "inspect", "--store", store, "--json"}).out;
    const ran copy = run_to_end({cli, "backup", "--store", store, "--to", tmp.file("b.db")});
    REQUIRE(copy.status == 0);
    CHECK(copy.out == "backed up " + tmp.file("c.db") + " to " + tmp.file("b.db") + "\n");
    CHECK(run_to_end({cli, "backup", "--store", store, "--to", tmp.file("b.db")}).status == 2); // not over a file
    // The store moves on; restoring takes it back (only with --replace).
    const std::string more = write(tmp, "more.jsonl", R"({"key":"m1","at":"2025-03-01T00:00:00Z","op":"advance"}
)");
    REQUIRE(run_to_end({cli, "run", "--builtin", "--store", store, "--inputs", more}).status == 0);
    CHECK(run_to_end({cli, "inspect", "--store", store, "--json"}).out != before);
    CHECK(run_to_end({cli, "backup", "--restore", tmp.file("b.db"), "--store", store}).status == 2);
    const ran restored = run_to_end({cli, "backup", "--restore", tmp.file("b.db"), "--store", store, "--replace"});
    REQUIRE(restored.status == 0);
    CHECK(run_to_end({cli, "inspect", "--store", store, "--json"}).out == before);
    const ran table = run_to_end({cli, "inspect", "--store", store});
    CHECK(table.out.find("hotline_call@1") != std::string::npos);
    CHECK(table.out.find("closed (finished)") != std::string::npos);
    CHECK(table.out.find("4611686018427387904  phone_callback@1") != std::string::npos);
}
