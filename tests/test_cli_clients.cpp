// Client files and sealed personal data through the command line: `careflow run --keys`
// with a "client" on each start leaves nothing personal readable in the database file;
// export and history read it back with the key file (and refuse, exit 2, without it);
// `careflow erase-client` erases only as a manager, after which no output — nor the file —
// holds the client's strings, verify still passes and the other client is untouched.
#include "process.hpp"
#include "store_fixtures.hpp"

#include <nlohmann/json.hpp>

using namespace careflow;
using namespace careflow::test;
using nlohmann::json;

namespace {

const std::string cli = CAREFLOW_CLI;
const std::vector<std::string> zhuge{"Zhuge Kongming-7731", "+86-139-7731-0042", "insomnia-after-loss-7731"};
const std::vector<std::string> sima{"Sima Zhongda-8842", "+86-138-8842-0099", "panic-at-work-8842"};
const std::string manager = R"({"id":"mgr-liu","roles":["manager"]})";
const std::string agent = R"({"id":"temp-qian","roles":["callback_agent"]})";

const char* inputs_text =
    R"({"at":"2025-01-24T14:30:00+08:00","op":"start","case":17,"procedure":"hotline_call","client":"C-7731","actor":{"id":"switchboard","roles":[]}}
{"at":"2025-01-24T14:30:20+08:00","op":"dispatch","case":17,"event":"answer","actor":{"id":"op-7","roles":["operator"]}}
{"at":"2025-01-24T06:32:00Z","op":"dispatch","case":17,"event":"register","fields":{"name":"Zhuge Kongming-7731","withheld":false,"contact":"+86-139-7731-0042","reason":"insomnia-after-loss-7731"},"actor":{"id":"op-7","roles":["operator"]}}
{"at":"2025-01-24T06:40:00Z","op":"start","case":18,"procedure":"hotline_call","client":"C-8842","actor":{"id":"switchboard","roles":[]}}
{"at":"2025-01-24T06:40:20Z","op":"dispatch","case":18,"event":"answer","actor":{"id":"op-7","roles":["operator"]}}
{"at":"2025-01-24T06:42:00Z","op":"dispatch","case":18,"event":"register","fields":{"name":"Sima Zhongda-8842","withheld":false,"contact":"+86-138-8842-0099","reason":"panic-at-work-8842"},"actor":{"id":"op-7","roles":["operator"]}}
)";

bool any_of(const std::string& text, const std::vector<std::string>& strings) {
    return std::any_of(strings.begin(), strings.end(),
                       [&](const std::string& s) { return text.find(s) != std::string::npos; });
}

bool all_of(const std::string& text, const std::vector<std::string>& strings) {
    return std::all_of(strings.begin(), strings.end(),
                       [&](const std::string& s) { return text.find(s) != std::string::npos; });
}

struct sealed_store {
    scratch tmp;
    std::string inputs = tmp.file("in.jsonl");
    std::string keys = tmp.file("keys.json");
    std::string file = tmp.file("c.db");
    std::string store = "sqlite:" + file;
    sealed_store() {
        std::ofstream(inputs) << inputs_text;
        std::ofstream(keys) << R"({"keys":[{"id":"2026-a","key":")" << std::string(64, '7') << R"("}]})";
        const ran r = run_to_end({cli, "run", "--builtin", "--store", store, "--keys", keys, "--inputs", inputs});
        INFO(r.err);
        REQUIRE(r.status == 0);
        REQUIRE(r.out.find("\"outcome\":\"applied\"") != std::string::npos);
    }
    std::string file_bytes() const { return bytes_of(file) + bytes_of(file + "-wal"); }
};

} // namespace

TEST_CASE("careflow run --keys seals personal data; export and history read it back with the keys") {
    sealed_store s;
    CHECK_FALSE(any_of(s.file_bytes(), zhuge));
    CHECK_FALSE(any_of(s.file_bytes(), sima));

    const ran exported = run_to_end({cli, "export", "--store", s.store, "--as", manager, "--keys", s.keys});
    INFO(exported.err);
    REQUIRE(exported.status == 0);
    CHECK(all_of(exported.out, zhuge));
    CHECK(exported.out.find("\tc:C-7731") != std::string::npos); // the start names the client
    const ran as_agent = run_to_end({cli, "export", "--store", s.store, "--as", agent, "--keys", s.keys});
    REQUIRE(as_agent.status == 0);
    CHECK_FALSE(any_of(as_agent.out, zhuge));

    // Without the key file, or with another key under the same id: exit 2, a typed message.
    const ran no_keys = run_to_end({cli, "export", "--store", s.store, "--as", manager});
    CHECK(no_keys.status == 2);
    CHECK(no_keys.err.find("careflow.store.missing_key") != std::string::npos);
    const std::string wrong = s.tmp.file("wrong.json");
    std::ofstream(wrong) << R"({"keys":[{"id":"2026-a","key":")" << std::string(64, '8') << R"("}]})";
    const ran bad = run_to_end({cli, "inspect", "--store", s.store, "--keys", wrong});
    CHECK(bad.status == 2);
    CHECK(bad.err.find("careflow.store.bad_key") != std::string::npos);
    CHECK_FALSE(any_of(no_keys.out + no_keys.err + bad.out + bad.err, zhuge));

    // A client's file: both cases' dates and people; values only for a reader allowed them.
    const ran file =
        run_to_end({cli, "history", "--store", s.store, "--client", "C-7731", "--as", manager, "--keys", s.keys});
    INFO(file.err);
    REQUIRE(file.status == 0);
    const json f = json::parse(file.out);
    CHECK(f["client"] == "C-7731");
    REQUIRE(f["cases"].size() == 1);
    CHECK(f["cases"][0]["case"] == 17);
    CHECK(f["cases"][0]["procedure"] == "hotline_call@1");
    CHECK(f["cases"][0]["assignees"]["operator"] == "op-7");
    CHECK(all_of(file.out, zhuge));
    CHECK_FALSE(any_of(file.out, sima));
    const ran hidden =
        run_to_end({cli, "history", "--store", s.store, "--client", "C-7731", "--as", agent, "--keys", s.keys});
    REQUIRE(hidden.status == 0);
    CHECK_FALSE(any_of(hidden.out, zhuge));
    CHECK(json::parse(hidden.out)["cases"].size() == 1);
}

TEST_CASE("careflow erase-client: only an erasure role; then the client is gone from every output and the file") {
    sealed_store s;
    const ran refused = run_to_end({cli, "erase-client", "--store", s.store, "--client", "C-7731", "--as", agent,
                                    "--keys", s.keys, "--at", "2025-01-24T06:59:00Z"});
    CHECK(refused.status == 1);
    CHECK(refused.err.find("careflow.access.denied") != std::string::npos);

    const ran erased = run_to_end({cli, "erase-client", "--store", s.store, "--client", "C-7731", "--as", manager,
                                   "--keys", s.keys, "--at", "2025-01-24T07:00:00Z"});
    INFO(erased.err);
    REQUIRE(erased.status == 0);
    CHECK(erased.out.find("client C-7731 erased") != std::string::npos);

    const ran exported = run_to_end({cli, "export", "--store", s.store, "--as", manager, "--keys", s.keys});
    REQUIRE(exported.status == 0);
    CHECK_FALSE(any_of(exported.out, zhuge));
    CHECK(all_of(exported.out, sima));
    CHECK(exported.out.find("[erased]") != std::string::npos);
    const ran state = run_to_end({cli, "inspect", "--store", s.store, "--json", "--as", manager, "--keys", s.keys});
    REQUIRE(state.status == 0);
    CHECK_FALSE(any_of(state.out, zhuge));
    const ran verified = run_to_end({cli, "verify", "--store", s.store});
    CHECK(verified.status == 0);
    CHECK(verified.out.find("journal verified:") == 0);

    // The erasure is in the journal: who, when, which client.
    const ran lines =
        run_to_end({cli, "export", "--store", s.store, "--as", manager, "--keys", s.keys, "--format", "jsonl"});
    bool found = false;
    std::istringstream in(lines.out);
    for (std::string line; std::getline(in, line);) {
        const json j = json::parse(line);
        if (j["kind"] == "erase" && j["event"] == "client" && j["result"] == "applied") {
            found = true;
            CHECK(j["client"] == "C-7731");
            CHECK(j["actor"] == "mgr-liu");
            CHECK(j["time"] == "2025-01-24T07:00:00.000000Z");
        }
    }
    CHECK(found);

    // Bad lines: exit 2, nothing erased.
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{cli, "erase-client", "--store", s.store, "--as", manager, "--keys", s.keys},
          std::vector<std::string>{cli, "erase-client", "--store", s.store, "--client", "C-8842", "--as", "manager",
                                   "--keys", s.keys},
          std::vector<std::string>{cli, "erase-client", "--store", s.store, "--client", "C-8842", "--as", manager,
                                   "--keys", s.keys, "--at", "yesterday"},
          std::vector<std::string>{cli, "erase-client", "--store", "sqlite:" + s.tmp.file("none.db"), "--client",
                                   "C-8842", "--as", manager},
          std::vector<std::string>{cli, "history", "--store", s.store, "--client", "C-8842", "--as", manager, "--keys",
                                   s.tmp.file("missing.json")},
          std::vector<std::string>{cli, "history", "--store", s.store, "--client", "C-8842", "--as", manager, "--keys",
                                   s.inputs}}) {
        const ran r = run_to_end(args);
        INFO(args[1] << " " << r.err);
        CHECK(r.status == 2);
    }
    const ran still = run_to_end({cli, "export", "--store", s.store, "--as", manager, "--keys", s.keys});
    CHECK(all_of(still.out, sima));
}

TEST_CASE("careflow run records consent lines; history and inspect show them; a bad line says what is wrong") {
    sealed_store s;
    const std::string more = s.tmp.file("consent.jsonl");
    std::ofstream(more)
        << R"({"key":"c1","at":"2025-01-24T07:00:00Z","op":"consent","client":"C-7731","topic":"callback","granted":true,"until":"2025-04-24T07:00:00Z","actor":{"id":"op-7","roles":["operator"]}}
{"key":"c2","at":"2025-01-24T07:01:00Z","op":"consent","client":"C-7731","topic":"sms","granted":true,"actor":{"id":"op-7","roles":["operator"]}}
{"key":"c3","at":"2025-01-24T07:02:00Z","op":"consent","client":"C-7731","topic":"referral","actor":{"id":"op-7","roles":["operator"]}}
{"key":"c4","at":"2025-01-24T07:03:00Z","op":"consent","client":"C-7731","topic":"referral","granted":true,"until":"soon","actor":{"id":"op-7","roles":["operator"]}}
{"key":"c5","at":"2025-01-24T07:04:00Z","op":"consent","client":"C-8842","topic":"referral","granted":false,"actor":{"id":"op-7","roles":["operator"]}}
)";
    const ran r = run_to_end({cli, "run", "--builtin", "--store", s.store, "--keys", s.keys, "--inputs", more});
    INFO(r.err);
    REQUIRE(r.status == 0);
    std::vector<json> lines;
    std::istringstream out(r.out);
    for (std::string line; std::getline(out, line);) lines.push_back(json::parse(line));
    REQUIRE(lines.size() == 5);
    CHECK(lines[0].at("outcome") == "applied");
    CHECK(lines[0].at("state") == "");
    CHECK(lines[1].at("code") == "careflow.runtime.unknown_consent"); // no shipped procedure asks for "sms"
    CHECK(lines[2].at("code") == "careflow.cli.bad_input");
    CHECK(lines[2].at("reason").get<std::string>().find("granted") != std::string::npos);
    CHECK(lines[3].at("code") == "careflow.cli.bad_input");
    CHECK(lines[3].at("reason").get<std::string>().find("until") != std::string::npos);
    CHECK(lines[4].at("outcome") == "applied");

    const ran history =
        run_to_end({cli, "history", "--store", s.store, "--keys", s.keys, "--client", "C-7731", "--as", manager});
    INFO(history.err);
    REQUIRE(history.status == 0);
    const json file = json::parse(history.out);
    CHECK(file.at("consents") == json::parse(R"([{"topic":"callback","granted":true,"at":"2025-01-24T07:00:00.000000Z",
        "until":"2025-04-24T07:00:00.000000Z","recorded_by":"op-7"}])"));
    const auto& entries = file.at("entries");
    const auto given = std::count_if(entries.begin(), entries.end(), [](const json& x) {
        return x.at("kind") == "consent" && x.at("result") == "applied";
    });
    CHECK(given == 1); // C-8842's answer is in C-8842's file, not this one

    const ran state = run_to_end({cli, "inspect", "--store", s.store, "--keys", s.keys, "--json"});
    REQUIRE(state.status == 0);
    const json consents = json::parse(state.out).at("consents");
    CHECK(consents.at("C-7731").size() == 1);
    CHECK(consents.at("C-8842").at(0).at("granted") == false);

    // Erasing the client withdraws their consents, in the store too.
    REQUIRE(
        run_to_end({cli, "erase-client", "--store", s.store, "--keys", s.keys, "--client", "C-7731", "--as", manager})
            .status == 0);
    const json after = json::parse(run_to_end({cli, "inspect", "--store", s.store, "--keys", s.keys, "--json"}).out);
    CHECK_FALSE(after.at("consents").contains("C-7731"));
}
