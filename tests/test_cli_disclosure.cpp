// Personal data through the command line: a caller's distinctive name, contact and reason
// go in through `careflow run`; no output shows them to a reader without rights (or to no
// reader) — run's final state and journal, inspect (table and JSON), export (text and
// JSON Lines), dot, procedures, a simulation report, error lines — and the outputs for a
// reader with rights do, each such read journaled in the store.
#include "process.hpp"
#include "store_fixtures.hpp"

#include <nlohmann/json.hpp>

using namespace careflow;
using namespace careflow::test;
using nlohmann::json;

namespace {

const std::string cli = CAREFLOW_CLI;
const std::vector<std::string> secrets{"Zhuge Kongming-7731", "+86-139-7731-0042", "insomnia-after-loss-7731",
                                       "handover-note-7731"};
const std::string manager = R"({"id":"mgr-liu","roles":["manager"]})";
const std::string stranger = R"({"id":"temp-qian","roles":["callback_agent"]})";

const char* inputs_text =
    R"({"key":"k1","at":"2025-01-24T14:30:00+08:00","op":"start","case":17,"procedure":"hotline_call","variables":{},"actor":{"id":"switchboard","roles":[]}}
{"key":"k2","at":"2025-01-24T14:30:20+08:00","op":"dispatch","case":17,"event":"answer","fields":{},"actor":{"id":"op-7","roles":["operator"]}}
{"key":"k3","at":"2025-01-24T06:32:00Z","op":"dispatch","case":17,"event":"register","fields":{"name":"Zhuge Kongming-7731","withheld":false,"contact":"+86-139-7731-0042","reason":"insomnia-after-loss-7731"},"actor":{"id":"op-7","roles":["operator"]}}
{"key":"k4","at":"2025-01-24T06:33:00Z","op":"dispatch","case":17,"event":"assess","fields":{"urgency":2},"actor":{"id":"op-7","roles":["operator"]}}
{"key":"k5","at":"2025-01-24T06:34:00Z","op":"dispatch","case":17,"event":"handover","fields":{"note":"handover-note-7731"},"actor":{"id":"op-7","roles":["operator"]}}
{"key":"k6","at":"2025-01-24T06:35:00Z","op":"dispatch","case":17,"event":"handover","fields":{"note":17731},"actor":{"id":"op-7","roles":["operator"]}}
{"key":"k7","at":"2025-01-24T06:36:00Z","op":"start","case":18,"procedure":"hotline_call","variables":{"caller":"Zhuge Kongming-7731","rings":"many"},"actor":{"id":"switchboard","roles":[]}}
)";

void none_of(const std::string& where, const std::string& text) {
    for (const auto& s : secrets) {
        INFO(where << " shows '" << s << "'");
        CHECK(text.find(s) == std::string::npos);
    }
}

void all_of(const std::string& where, const std::string& text) {
    for (const auto& s : secrets) {
        INFO(where << " lacks '" << s << "'");
        CHECK(text.find(s) != std::string::npos);
    }
}

struct stored_call {
    scratch tmp;
    std::string inputs = tmp.file("in.jsonl");
    std::string store = "sqlite:" + tmp.file("c.db");
    ran first;
    stored_call() {
        std::ofstream(inputs) << inputs_text;
        first = run_to_end({cli, "run", "--builtin", "--store", store, "--inputs", inputs});
        INFO(first.err);
        REQUIRE(first.status == 0);
    }
};

} // namespace

TEST_CASE("no output of careflow shows personal data to a reader without rights") {
    stored_call c;
    none_of("run's lines", c.first.out + c.first.err);
    CHECK(c.first.out.find("\"code\":\"careflow.runtime.bad_payload\"") != std::string::npos); // k6, k7

    const ran table = run_to_end({cli, "inspect", "--store", c.store});
    REQUIRE(table.status == 0);
    none_of("inspect", table.out);
    const ran state = run_to_end({cli, "inspect", "--store", c.store, "--json"});
    REQUIRE(state.status == 0);
    none_of("inspect --json", state.out);
    CHECK(json::parse(state.out)["cases"][0]["variables"]["caller"] == "[withheld]");
    CHECK(json::parse(state.out)["cases"][0]["variables"]["rings"].is_number_integer()); // not personal: shown
    const ran as_stranger = run_to_end({cli, "inspect", "--store", c.store, "--json", "--as", stranger});
    REQUIRE(as_stranger.status == 0);
    none_of("inspect --json --as a callback agent", as_stranger.out);

    for (const char* format : {"text", "jsonl"}) {
        const ran exported = run_to_end({cli, "export", "--store", c.store, "--as", stranger, "--format", format});
        INFO(exported.err);
        REQUIRE(exported.status == 0);
        none_of(std::string("export --format ") + format, exported.out);
        CHECK(exported.out.find("[withheld]") != std::string::npos);
    }

    const std::string final_state = c.tmp.file("final.json"), journal = c.tmp.file("journal.txt");
    const ran memory =
        run_to_end({cli, "run", "--builtin", "--inputs", c.inputs, "--final-state", final_state, "--journal", journal});
    REQUIRE(memory.status == 0);
    none_of("run --final-state", bytes_of(final_state));
    none_of("run --journal", bytes_of(journal));

    for (const std::vector<std::string>& args :
         {std::vector<std::string>{cli, "dot", "hotline_call"},
          {cli, "procedures"},
          {cli, "simulate", "hotline", "--json", "--replications", "2", "--hours", "4"}}) {
        const ran r = run_to_end(args);
        INFO(r.err);
        CHECK(r.status == 0);
        none_of(args[1], r.out);
    }
}

TEST_CASE("a reader with rights sees personal data, and each read is journaled in the store") {
    stored_call c;
    const ran state = run_to_end({cli, "inspect", "--store", c.store, "--json", "--as", manager});
    INFO(state.err);
    REQUIRE(state.status == 0);
    const auto j = json::parse(state.out);
    CHECK(j["cases"][0]["variables"]["caller"] == "Zhuge Kongming-7731");
    CHECK(j["cases"][0]["variables"]["handover_note"] == "handover-note-7731");

    const ran exported = run_to_end({cli, "export", "--store", c.store, "--as", manager, "--format", "jsonl"});
    REQUIRE(exported.status == 0);
    all_of("export as a manager", exported.out);
    // The inspect read case 17 (and 18); the export shows its own reads only the next time.
    int reads = 0;
    for (const auto& line : lines_of(exported.out)) {
        const auto e = json::parse(line);
        if (e["kind"] != "read") continue;
        ++reads;
        CHECK(e["actor"] == "mgr-liu");
        CHECK(e["roles"] == json::array({"manager"}));
    }
    CHECK(reads == 1); // inspect read case 17, the only case (18's start was refused)
    // The export showed case 17's register fields, and the name its refused start carried.
    const ran again = run_to_end({cli, "export", "--store", c.store, "--as", manager, "--format", "jsonl"});
    std::vector<json> exports;
    for (const auto& line : lines_of(again.out)) {
        const auto e = json::parse(line);
        if (e["kind"] == "read" && e["event"] == "export") exports.push_back(e);
    }
    REQUIRE(exports.size() == 2);
    CHECK(exports[0]["case"] == 17);
    CHECK(exports[0]["values"].value("register.name", false));
    CHECK(exports[0]["values"].value("handover.note", false));
    CHECK(exports[1]["case"] == 18);
    CHECK(exports[1]["values"] == json{{"caller", true}});

    const std::string final_state = c.tmp.file("final.json"), journal = c.tmp.file("journal.txt");
    const ran memory = run_to_end({cli, "run", "--builtin", "--inputs", c.inputs, "--final-state", final_state,
                                   "--journal", journal, "--as", manager});
    REQUIRE(memory.status == 0);
    CHECK(bytes_of(final_state).find("Zhuge Kongming-7731") != std::string::npos);
    all_of("run --journal --as a manager", bytes_of(journal));
}

TEST_CASE("bad readers and formats are one-line errors") {
    stored_call c;
    const ran no_reader = run_to_end({cli, "export", "--store", c.store});
    CHECK(no_reader.status == 2);
    CHECK(no_reader.err.find("--as") != std::string::npos);
    for (const std::string bad : {"not json", "[]", R"({"roles":[]})", R"({"id":"x","roles":"manager"})",
                                  R"({"id":"x","roles":[1]})", R"({"id":"x","extra":1})", R"({"id":""})"}) {
        const ran r = run_to_end({cli, "export", "--store", c.store, "--as", bad});
        INFO(bad << " → " << r.err);
        CHECK(r.status == 2);
        CHECK(r.err.rfind("careflow: --as: ", 0) == 0);
        CHECK(r.out.empty());
    }
    const ran format = run_to_end({cli, "export", "--store", c.store, "--as", manager, "--format", "xml"});
    CHECK(format.status == 2);
    CHECK(format.err.find("xml") != std::string::npos);
    const ran missing = run_to_end({cli, "export", "--store", "sqlite:" + c.tmp.file("none.db"), "--as", manager});
    CHECK(missing.status == 2);
    const ran help = run_to_end({cli, "export", "--help"});
    CHECK(help.status == 0);
    CHECK(help.out.find("--format") != std::string::npos);
}
