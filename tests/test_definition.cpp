// Procedures as files: the six shipped procedures survive builder → JSON → load → compile
// table for table, the committed definition files are what the builders give, random
// valid procedures round-trip, every problem is placed at its line and column, host
// guards and actions bind by name.
#include "fixtures.hpp"
#include "program_fingerprint.hpp"

#include <careflow/model/definition.hpp>
#include <careflow/model/rule_text.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace careflow;
using namespace careflow::test;

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<procedure> shipped() {
    return {procedures::hotline_call(), procedures::phone_callback(),    procedures::first_visit(),
            procedures::appointment(),  procedures::counseling_course(), procedures::complaint()};
}

} // namespace

TEST_CASE("each shipped procedure: builder → file → load → compile gives the same program, table for table") {
    for (const procedure& p : shipped()) {
        CAPTURE(p.name());
        const std::string file = to_definition(p);
        const procedure back = load_definition(file);
        CHECK(fingerprint(*compile(back)) == fingerprint(*compile(p)));
        CHECK(to_definition(back) == file);
        CHECK(check_definition(file).size() == validate(p).size()); // the same warnings, none added
    }
}

TEST_CASE("the definition files in docs/procedures are what the builders give") {
    const std::filesystem::path dir = std::filesystem::path(CAREFLOW_SOURCE_DIR) / "docs" / "procedures";
    for (const procedure& p : shipped()) {
        CAPTURE(p.name());
        const auto path = dir / (p.name() + ".json");
        REQUIRE_MESSAGE(std::filesystem::exists(path), "regenerate with: careflow definition " << p.name());
        CHECK_MESSAGE(read_file(path) == to_definition(p),
                      "stale; regenerate with: careflow definition " << p.name() << " > " << path.string());
        CHECK(fingerprint(*compile(load_definition_file(path))) == fingerprint(*compile(p)));
    }
}

namespace {

// Random procedures over every declaration the format carries; most are valid.
struct procedure_maker {
    std::uint64_t seed;
    std::uint64_t next() {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return seed >> 33;
    }
    bool coin() { return next() % 2 == 0; }

    procedure_builder make(int n) {
        procedure_builder b{"random_" + std::to_string(n), 1 + static_cast<int>(next() % 5)};
        if (coin()) b.describe("a \"random\" procedure\nnumber " + std::to_string(n));
        b.variable("count", value_type::integer, static_cast<std::int64_t>(next() % 100) - 50)
            .variable("score", value_type::real, static_cast<double>(next() % 1000) / 8.0)
            .variable("flag", value_type::boolean, coin())
            .variable("note", value_type::text, coin() ? "" : "caf\xc3\xa9 \"x\"")
            .variable("due", value_type::time, at(2026, 1 + static_cast<int>(next() % 12), 3, 9, 30))
            .variable("wait", value_type::duration, minutes(static_cast<int>(next() % 600)))
            .enumeration("risk", {"low", "medium", "high"}, coin() ? "" : "medium");
        const bool personal_note = coin();
        if (personal_note) b.personal("note", coin() ? sensitivity::contact : sensitivity::clinical);
        b.event("go", {{"level", value_type::integer, {}}, {"who", value_type::text, {}, sensitivity::contact}})
            .event("tick")
            .event("late")
            .event("stop");
        b.duty("owner");
        if (coin()) b.host("log");
        if (coin()) b.consent("callback", coin() ? "to be called back" : "");
        const int states = 3 + static_cast<int>(next() % 4);
        b.state("work").initial("s0");
        for (int i = 0; i < states; ++i) {
            auto s = b.state("s" + std::to_string(i)).parent("work");
            if (coin()) s.describe("step " + std::to_string(i));
            if (coin()) s.on_entry(set("count", parse_rule("count + " + std::to_string(next() % 9))));
            if (coin()) s.on_exit(notify("left", coin() ? "" : "left s" + std::to_string(i)));
            switch (next() % 5) {
            case 0: s.after(minutes(1 + static_cast<int>(next() % 90)), "tick", coin() ? "center" : ""); break;
            case 1: s.every(seconds(5), "tick", 1 + static_cast<int>(next() % 5)); break;
            case 2: s.at(parse_rule("due + 1h"), "tick", "center"); break;
            case 3:
                s.after(working_days(1 + static_cast<int>(next() % 3)), "late", "center")
                    .named("t" + std::to_string(i));
                break;
            default: break;
            }
        }
        b.state("done").final().describe("finished");
        if (coin()) {
            b.state("parked").open_ended();
            b.transition("s0", "parked").on("late").when(parse_rule("count > 100"));
        }
        static const std::vector<std::string> guards = {"$level >= 3 && !flag",
                                                        "count * 2 > score",
                                                        "risk == #high || In('s0')",
                                                        "now - due > wait",
                                                        "_event.name == 'go' && $who != actor",
                                                        "note != \"\"",
                                                        "count % 3 == 1"};
        for (int i = 0; i + 1 < states; ++i) {
            const std::size_t g = next() % (guards.size() + 1);
            const bool payload = g == 0 || g == 4; // the guards reading the payload need "go"
            auto t = b.transition("s" + std::to_string(i), "s" + std::to_string(i + 1))
                         .on(payload || coin() ? "go" : "tick");
            if (g < guards.size()) t.when(parse_rule(guards[g]));
            if (coin()) t.require_role(coin() ? "counselor" : "operator");
            if (coin()) t.then(assign("owner", actor_id()));
            if (coin()) t.then(set("risk", symbol{"high"}));
            if (coin()) t.then(spawn("other", {{"x", var("count")}, {"y", parse_rule("'z'")}}));
        }
        b.transition("work", "done").on("stop").then(unassign("owner"));
        b.internal("work").on("late").then(set("flag", true)).then(call("log_late"));
        b.host("log_late");
        if (coin()) b.transition("s" + std::to_string(states - 1), "done");
        if (personal_note) b.may_read({"note"}).by_role("counselor").in("s0").describe("counselors read notes");
        if (coin()) b.may_read(sensitivity::clinical).by_assignee("owner");
        auto sla = b.sla("finish");
        sla.start(entered("s0")).stop(entered("done")).cancel(received("stop"));
        if (coin()) sla.pause(entered("s1")).resume(left("s1"));
        if (coin())
            sla.goal(end_of_working_day(static_cast<int>(next() % 2)), "center");
        else
            sla.goal(hours(1 + static_cast<int>(next() % 48)));
        if (coin()) sla.warn_at({0.25, 0.9}).on_warning("late").on_breach("late").accountable("owner");
        if (coin()) b.sla("by_due").start(entered("s1")).stop(left("s1")).goal_at(parse_rule("due"), "center");
        return b;
    }
};

} // namespace

TEST_CASE("property: random valid procedures survive builder → JSON → load unchanged") {
    procedure_maker m{42};
    int valid = 0;
    for (int i = 0; i < 300; ++i) {
        procedure_builder b = m.make(i);
        if (has_errors(b.validate())) continue;
        ++valid;
        const procedure p = b.build();
        const std::string file = to_definition(p);
        CAPTURE(file);
        procedure back;
        REQUIRE_NOTHROW(back = load_definition(file));
        REQUIRE(to_definition(back) == file);
        REQUIRE(fingerprint(*compile(back)) == fingerprint(*compile(p)));
    }
    CHECK(valid > 200);
}

namespace {

// A small valid definition; `patch` replaces one line of it (1-based) to make it bad.
const std::string base_definition = R"({
  "format": "careflow.procedure/1",
  "name": "intake",
  "version": 2,
  "variables": [
    {"name": "urgency", "type": "integer", "initial": 0}
  ],
  "events": [{"name": "assess", "payload": [{"name": "level", "type": "integer"}]}, {"name": "close"}],
  "states": [
    {"name": "open"},
    {"name": "done", "final": true}
  ],
  "transitions": [
    {"source": "open", "target": "done", "event": "assess", "when": "$level >= 3"},
    {"source": "open", "target": "done", "event": "close"}
  ]
}
)";

std::string patched(std::size_t line, const std::string& text) {
    std::istringstream in(base_definition);
    std::string out, l;
    for (std::size_t n = 1; std::getline(in, l); ++n) out += (n == line ? text : l) + "\n";
    return out;
}

} // namespace

TEST_CASE("a definition's problems name their id, JSON pointer, line and column") {
    REQUIRE(check_definition(base_definition).empty());
    const procedure ok = load_definition(base_definition);
    CHECK(ok.name() == "intake");
    CHECK(ok.version() == 2);

    struct bad {
        std::string text, id, pointer;
        std::size_t line, column;
        std::string says;
    };
    const std::vector<bad> cases = {
        {"{", "careflow.definition.syntax", "", 1, 2, "unexpected end of input"},
        {patched(5, "  \"variables\": [,"), "careflow.definition.syntax", "", 5, 17, "unexpected ','"},
        {"[]", "careflow.definition.format", "", 1, 1, "a JSON object"},
        {"{}", "careflow.definition.format", "", 1, 1, "\"format\""},
        {patched(2, "  \"format\": \"careflow.procedure/2\","), "careflow.definition.format", "/format", 2, 13,
         "careflow.procedure/1"},
        {patched(4, "  \"version\": 2, \"colour\": \"red\","), "careflow.definition.bad_value", "/colour", 4, 17,
         "unknown member 'colour'"},
        {patched(4, "  \"version\": \"two\","), "careflow.definition.bad_value", "/version", 4, 14, "an integer"},
        {patched(4, "  \"version\": 0,"), "careflow.definition.bad_value", "/version", 4, 14, "from 1"},
        {patched(6, "    {\"name\": \"urgency\", \"type\": \"int\", \"initial\": 0}"), "careflow.definition.bad_value",
         "/variables/0/type", 6, 33, "unknown type 'int'"},
        {patched(6, "    {\"name\": \"urgency\", \"type\": \"integer\", \"initial\": 1.5}"),
         "careflow.definition.bad_value", "/variables/0/initial", 6, 55, "an integer"},
        {patched(6, "    {\"name\": \"urgency\", \"type\": \"integer\", \"name\": \"u\"}"),
         "careflow.definition.bad_value", "/variables/0/name", 6, 44, "given twice"},
        {patched(10, "    {\"final\": true},"), "careflow.definition.bad_value", "/states/0", 10, 5,
         "'name' is required"},
        {patched(10, "    {\"name\": 3},"), "careflow.definition.bad_value", "/states/0/name", 10, 14,
         "expected a string"},
        {patched(14, R"(    {"source": "open", "target": "done", "event": "assess", "when": "$level >= "},)"),
         "careflow.rules.syntax", "/transitions/0/when", 14, 80, "expected an operand"},
        {patched(14, R"(    {"source": "open", "target": "done", "event": "assess", "when": "$level = 3"},)"),
         "careflow.rules.syntax", "/transitions/0/when", 14, 77, "'=='"},
        {patched(14, R"(    {"source": "open", "target": "done", "event": "assess", "when": "$level >= 3q"},)"),
         "careflow.rules.bad_literal", "/transitions/0/when", 14, 81, "unknown duration unit"},
        {patched(14, R"(    {"source": "open", "target": "nowhere", "event": "assess"},)"),
         "careflow.model.unknown_state", "/transitions/0", 14, 5, "nowhere"},
        {patched(14, R"(    {"source": "open", "target": "done", "event": "assess", "when": "$grade >= 3"},)"),
         "careflow.model.unknown_field", "/transitions/0", 14, 5, "grade"},
        {patched(14, R"(    {"source": "open", "target": "done", "event": "assess", "when": "urgency"},)"),
         "careflow.model.type_mismatch", "/transitions/0", 14, 5, "guard"},
        {patched(14, R"(    {"source": "open", "target": "done", "event": "assess", "when": {"host": "adult"}},)"),
         "careflow.definition.unbound_guard", "/transitions/0/when", 14, 69, "'adult'"},
        {patched(14, R"(    {"source": "open", "target": "done", "event": "assess", "actions": [{"shout": "x"}]},)"),
         "careflow.definition.bad_value", "/transitions/0/actions/0", 14, 73, "one of call, set"},
        {patched(11, "    {\"name\": \"done\", \"final\": \"yes\"}"), "careflow.definition.bad_value",
         "/states/1/final", 11, 31, "true or false"},
        {patched(10, "    {\"name\": \"open\", \"on_entry\": [{\"set\": \"urgency\", \"value\": \"'high'\"}]},"),
         "careflow.model.type_mismatch", "/states/0/on_entry", 10, 34, "urgency"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        const auto problems = check_definition(c.text);
        REQUIRE_FALSE(problems.empty());
        const auto& p = problems.front();
        CAPTURE(p.to_string());
        CHECK(p.what.level == severity::error);
        CHECK(p.what.id == c.id);
        CHECK(p.pointer == c.pointer);
        CHECK(p.line == c.line);
        CHECK(p.column == c.column);
        CHECK(p.to_string().find(c.says) != std::string::npos);
        try {
            (void)load_definition(c.text);
            FAIL("loaded");
        } catch (const definition_error& e) {
            CHECK(e.id() == c.id);
            CHECK(e.problems().size() == problems.size());
        }
    }
    // Every problem is reported, not only the first.
    const auto many = check_definition(patched(4, "  \"version\": \"x\", \"colour\": 1, \"shape\": 2,"));
    CHECK(many.size() == 3);
    // A warning does not stop a load, and is listed with its place.
    const std::string unused = patched(
        8,
        R"(  "events": [{"name": "assess", "payload": [{"name": "level", "type": "integer"}]}, {"name": "close"}, {"name": "spare"}],)");
    const auto warnings = check_definition(unused);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].what.level == severity::warning);
    CHECK(warnings[0].what.id == "careflow.model.unused_event");
    CHECK(warnings[0].pointer == "/events/2");
    CHECK(warnings[0].line == 8);
    CHECK_NOTHROW((void)load_definition(unused));
}

TEST_CASE("definition files: read from disk, unreadable ones refused, host guards and actions bound by name") {
    const auto dir = std::filesystem::temp_directory_path() / "careflow_test_definition";
    std::filesystem::create_directories(dir);
    const auto path = dir / "intake.json";
    {
        std::ofstream out(path, std::ios::binary);
        out << base_definition;
    }
    CHECK(load_definition_file(path).name() == "intake");
    CHECK_THROWS_WITH_AS(load_definition_file(dir / "missing.json"),
                         doctest::Contains("careflow.definition.unreadable"), careflow::error);
    std::filesystem::remove_all(dir);

    const std::string hosted = patched(
        14,
        R"(    {"source": "open", "target": "done", "event": "assess", "when": {"host": "adult", "reads": [{"name": "urgency", "type": "integer"}]}, "actions": [{"call": "log"}]},)");
    const std::string with_host = hosted.substr(0, hosted.find("\"states\"")) + "\"hosts\": [\"log\"],\n  " +
                                  hosted.substr(hosted.find("\"states\""));
    int logged = 0;
    definition_bindings bind;
    bind.guards["adult"] = [](const guard_context& g) { return std::get<std::int64_t>(g.field("level").get()) >= 3; };
    bind.actions["log"] = [&](action_context&) { ++logged; };
    const procedure p = load_definition(with_host, bind);
    CHECK(to_definition(p).find(R"("host": "adult")") != std::string::npos);
    engine e;
    e.install(compile(p));
    const actor desk{"desk", {}};
    const time_point t0 = at(2026, 11, 23, 9, 0);
    REQUIRE(e.start("intake", 1, {}, t0, desk).applied());
    CHECK_FALSE(e.dispatch(1, "assess", {{"level", 2}}, t0, desk).applied());
    REQUIRE(e.dispatch(1, "assess", {{"level", 4}}, t0, desk).applied());
    CHECK(logged == 1);
    CHECK(e.get(1).in("done"));
}
