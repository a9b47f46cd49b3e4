// Decision tables: every hit policy and aggregation, every kind of unary test, input
// expressions, the static checks (overlap, conflict, gap), malformed tables refused with
// their ids, the JSON format both ways, and DMN 1.x import (namespaces, refusals).
#include "fixtures.hpp"

#include <careflow/model/decision.hpp>
#include <careflow/model/decision_file.hpp>

#include <filesystem>

using namespace careflow;
using namespace careflow::test;

namespace {

// score (integer) → grade (text), with a bonus (integer) per rule.
decision_table_decl scores(hit_policy p, aggregation a = aggregation::none) {
    decision_table_decl t{.name = "scores", .policy = p, .collect = a};
    t.inputs = {{"score", value_type::integer}};
    t.outputs = {{"grade", value_type::text, {"\"gold\"", "\"silver\"", "\"bronze\""}}, {"bonus", value_type::integer}};
    t.rules = {
        {{">= 90"}, {"\"gold\"", "30"}}, {{">= 70"}, {"\"silver\"", "20"}}, {{"[50..100]"}, {"\"bronze\"", "10"}}};
    return t;
}

std::vector<std::uint32_t> rules_of(const decision_table_decl& d, std::int64_t score) {
    return decision_table::compile(d).decide({{"score", score}}).rules;
}

std::vector<std::string> ids(const std::vector<diagnostic>& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds) out.push_back(d.id);
    return out;
}

} // namespace

TEST_CASE("hit policies: first, unique, any, priority, collect, rule order, output order") {
    using v = std::vector<std::uint32_t>;
    CHECK(rules_of(scores(hit_policy::first), 95) == v{0});
    CHECK(rules_of(scores(hit_policy::first), 75) == v{1});
    CHECK(rules_of(scores(hit_policy::first), 10).empty());
    CHECK(rules_of(scores(hit_policy::rule_order), 95) == v{0, 1, 2});
    CHECK(rules_of(scores(hit_policy::collect), 75) == v{1, 2});
    // Output order and priority rank by the grade's value list: gold, silver, bronze.
    auto reordered = scores(hit_policy::output_order);
    std::swap(reordered.rules[0], reordered.rules[2]); // bronze first in rule order
    CHECK(rules_of(reordered, 95) == v{2, 1, 0});
    reordered.policy = hit_policy::priority;
    CHECK(rules_of(reordered, 95) == v{2});
    CHECK(rules_of(reordered, 60) == v{0});
    // Unique: two matches violate it.
    const auto unique = decision_table::compile(scores(hit_policy::unique));
    CHECK(unique.decide({{"score", 60}}).rules == v{2});
    const auto twice = unique.decide({{"score", 75}});
    CHECK_FALSE(twice.ok);
    CHECK(twice.error == "careflow.decision.not_unique");
    CHECK(twice.rules == v{1, 2});
    // Any: matches must agree.
    auto any = scores(hit_policy::any);
    CHECK_FALSE(decision_table::compile(any).decide({{"score", 75}}).ok);
    any.rules[2].outputs = {"\"silver\"", "20"};
    const auto agree = decision_table::compile(any).decide({{"score", 75}});
    CHECK(agree.ok);
    CHECK(agree.rules == v{1});
    CHECK(agree.outputs[0] == std::vector<value>{value("silver"), value(20)});
}

TEST_CASE("collect aggregates: sum, count, min, max") {
    auto with = [](aggregation a) {
        decision_table_decl t = scores(hit_policy::collect, a);
        t.outputs = {{"bonus", value_type::integer}};
        for (auto& r : t.rules) r.outputs = {r.outputs[1]};
        return decision_table::compile(t);
    };
    CHECK(with(aggregation::sum).decide({{"score", 95}}).aggregate == value(60));
    CHECK(with(aggregation::count).decide({{"score", 95}}).aggregate == value(3));
    CHECK(with(aggregation::min).decide({{"score", 75}}).aggregate == value(10));
    CHECK(with(aggregation::max).decide({{"score", 75}}).aggregate == value(20));
    CHECK(with(aggregation::count).decide({{"score", 5}}).aggregate == value(0));
    CHECK(with(aggregation::sum).decide({{"score", 5}}).aggregate.empty()); // nothing to add: no value
    decision_table_decl real = scores(hit_policy::collect, aggregation::sum);
    real.outputs = {{"weight", value_type::real}};
    real.rules = {{{"-"}, {"0.5"}}, {{">= 50"}, {"0.25"}}};
    CHECK(decision_table::compile(real).decide({{"score", 60}}).aggregate == value(0.75));
    CHECK(to_string(hit_policy::collect, aggregation::sum) == "C+");
    CHECK(to_string(hit_policy::output_order) == "O");
}

TEST_CASE("unary tests: any, literals, comparisons, ranges with open and closed ends, lists, not()") {
    decision_table_decl t{.name = "tests", .policy = hit_policy::rule_order};
    t.inputs = {{"n", value_type::integer}, {"x", value_type::real},     {"s", value_type::text},
                {"b", value_type::boolean}, {"d", value_type::duration}, {"at", value_type::time}};
    t.outputs = {{"rule", value_type::integer}};
    auto rule = [&](std::vector<std::string> in, int n) { t.rules.push_back({std::move(in), {std::to_string(n)}}); };
    rule({"3", "-", "-", "-", "-", "-"}, 1);
    rule({"[1..3]", "-", "-", "-", "-", "-"}, 2);
    rule({"(1..3)", "-", "-", "-", "-", "-"}, 3);
    rule({"]1..3[", "-", "-", "-", "-", "-"}, 4);
    rule({"[1..3)", "-", "-", "-", "-", "-"}, 5);
    rule({"1, 5, < -10", "-", "-", "-", "-", "-"}, 6);
    rule({"not(1, 2, 3)", "-", "-", "-", "-", "-"}, 7);
    rule({"-", "> 0.5", "-", "-", "-", "-"}, 8);
    rule({"-", "[0.25..0.5]", "-", "-", "-", "-"}, 9);
    rule({"-", "-", "\"high\", 'medium'", "-", "-", "-"}, 10);
    rule({"-", "-", "not(\"high\")", "-", "-", "-"}, 11);
    rule({"-", "-", "-", "true", "-", "-"}, 12);
    rule({"-", "-", "-", "-", "<= 15min", "-"}, 13);
    rule({"-", "-", "-", "-", "-", ">= time('2026-11-23T00:00:00Z')"}, 14);
    rule({"-", "-", "-", "-", "= 1h", "-"}, 15);
    const auto d = decision_table::compile(t);
    auto matched = [&](std::int64_t n, double x, std::string s, bool b, duration du, time_point at_) {
        std::vector<int> out;
        CAPTURE(n);
        const auto r = d.decide({{"n", n}, {"x", x}, {"s", s}, {"b", b}, {"d", du}, {"at", at_}});
        for (const auto& row : r.outputs) out.push_back(static_cast<int>(std::get<std::int64_t>(row[0].get())));
        return out;
    };
    const time_point before = at(2026, 11, 22, 12, 0), after = at(2026, 11, 23, 0, 0);
    using v = std::vector<int>;
    CHECK(matched(3, 0, "low", false, hours(2), before) == v{1, 2, 11}); // [1..3) and (1..3) leave 3 out
    CHECK(matched(1, 0, "low", false, hours(2), before) == v{2, 5, 6, 11});
    CHECK(matched(2, 0, "low", false, hours(2), before) == v{2, 3, 4, 5, 11});
    CHECK(matched(-11, 0, "low", false, hours(2), before) == v{6, 7, 11});
    CHECK(matched(0, 0.5, "high", true, minutes(15), after) == v{7, 9, 10, 12, 13, 14});
    CHECK(matched(0, 0.75, "medium", false, hours(1), before) == v{7, 8, 10, 11, 15});
    CHECK(matched(0, 0.2, "Medium", false, hours(1), before) == v{7, 11, 15}); // texts compare exactly
}

TEST_CASE("input expressions compute the tested value from the inputs") {
    decision_table_decl t{.name = "bands", .policy = hit_policy::first};
    t.inputs = {{"age", value_type::integer, "age / 10"},
                {"waited", value_type::duration},
                {"urgent", value_type::boolean, "waited > 30min"}};
    t.outputs = {{"band", value_type::integer}};
    t.rules = {{{"-", "-", "true"}, {"99"}}, {{"[2..3]", "-", "-"}, {"2"}}, {{"-", "-", "-"}, {"0"}}};
    const auto d = decision_table::compile(t);
    auto band = [&](int age, duration w) {
        return d.decide({{"age", age}, {"waited", w}, {"urgent", false}}).outputs[0][0];
    };
    CHECK(band(25, minutes(5)) == value(2));
    CHECK(band(39, minutes(5)) == value(2));
    CHECK(band(40, minutes(5)) == value(0));
    CHECK(band(40, minutes(45)) == value(99));
    t.inputs[0].expression = "age / 10.0"; // a real where the column is an integer
    CHECK_THROWS_WITH_AS(decision_table::compile(t), doctest::Contains("careflow.decision.bad_table"), careflow::error);
}

TEST_CASE("static checks: overlaps under Unique, conflicts under Any, gaps as warnings") {
    CHECK(ids(decision_table::compile(scores(hit_policy::unique)).check()) ==
          std::vector<std::string>{"careflow.decision.overlap", "careflow.decision.overlap",
                                   "careflow.decision.overlap", "careflow.decision.gap"});
    decision_table_decl u{.name = "bands", .policy = hit_policy::unique};
    u.inputs = {{"n", value_type::integer}, {"s", value_type::text}};
    u.outputs = {{"o", value_type::integer}};
    u.rules = {{{"< 0", "-"}, {"1"}},
               {{"[0..10)", "\"a\""}, {"2"}},
               {{"[0..10)", "not(\"a\")"}, {"3"}},
               {{">= 10", "-"}, {"4"}}};
    CHECK(decision_table::compile(u).check().empty()); // complete and disjoint, boundaries included
    u.rules[1].inputs[0] = "[0..10]";                  // 10 now in rules 2 and 4
    const auto overlap = decision_table::compile(u).check();
    REQUIRE(overlap.size() == 1);
    CHECK(overlap[0].id == "careflow.decision.overlap");
    CHECK(overlap[0].message.find("rules 2 and 4") != std::string::npos);
    u.rules[1].inputs[0] = "(0..10)"; // 0 with "a" now uncovered
    const auto gap = decision_table::compile(u).check();
    REQUIRE(gap.size() == 1);
    CHECK(gap[0].level == severity::warning);
    CHECK(gap[0].id == "careflow.decision.gap");
    CHECK(gap[0].message == "no rule matches n = 0, s = \"a\"");
    // Any: overlaps are fine while the outputs agree.
    decision_table_decl a = u;
    a.policy = hit_policy::any;
    a.rules = {{{"-", "-"}, {"1"}}, {{"> 5", "-"}, {"1"}}};
    CHECK(decision_table::compile(a).check().empty());
    a.rules[1].outputs = {"2"};
    CHECK(ids(decision_table::compile(a).check()) == std::vector<std::string>{"careflow.decision.conflict"});
    // Reals: a gap between two open bounds is found.
    decision_table_decl r{.name = "r", .policy = hit_policy::first};
    r.inputs = {{"x", value_type::real}};
    r.outputs = {{"o", value_type::integer}};
    r.rules = {{{"< 0.5"}, {"1"}}, {{"> 0.5"}, {"2"}}};
    const auto real_gap = decision_table::compile(r).check();
    REQUIRE(real_gap.size() == 1);
    CHECK(real_gap[0].message == "no rule matches x = 0.5");
    // Too many combinations: said, not searched.
    decision_table_decl wide{.name = "wide", .policy = hit_policy::first};
    for (int i = 0; i < 8; ++i) wide.inputs.push_back({"i" + std::to_string(i), value_type::integer});
    wide.outputs = {{"o", value_type::integer}};
    for (int k = 0; k < 4; ++k) {
        std::vector<std::string> in;
        for (int i = 0; i < 8; ++i) in.push_back(std::to_string(k * 10 + i));
        wide.rules.push_back({in, {"1"}});
    }
    CHECK(ids(decision_table::compile(wide).check()) == std::vector<std::string>{"careflow.decision.gaps_unchecked"});
}

TEST_CASE("malformed tables and inputs are refused with their ids") {
    auto refused = [](decision_table_decl t, const std::string& says) {
        CAPTURE(says);
        CHECK_THROWS_WITH_AS(decision_table::compile(t), doctest::Contains(says.c_str()), careflow::error);
        CHECK_THROWS_WITH_AS(decision_table::compile(t), doctest::Contains("careflow.decision.bad_table"),
                             careflow::error);
    };
    auto t = scores(hit_policy::first);
    t.rules[0].inputs = {">= x +"};
    refused(t, "does not read");
    t = scores(hit_policy::first);
    t.rules[0].inputs = {">= score + 1"};
    refused(t, "is not a literal");
    t.rules[0].inputs = {"date(\"2020-01-01\")"};
    refused(t, "is not a literal");
    t.rules[0].inputs = {"\"ninety\""};
    refused(t, "is text, the column is integer");
    t = scores(hit_policy::first);
    t.rules[0].inputs = {"1", "2"};
    refused(t, "rule 1: has 2 input and 2 output entries");
    t = scores(hit_policy::first);
    t.rules[0].outputs = {"\"platinum\"", "1"};
    refused(t, "not one of the output's values");
    t = scores(hit_policy::first, aggregation::sum);
    refused(t, "needs the Collect hit policy");
    t = scores(hit_policy::collect, aggregation::sum);
    refused(t, "exactly one number or duration output");
    t = scores(hit_policy::priority);
    for (auto& o : t.outputs) o.values.clear();
    refused(t, "value lists");
    t = scores(hit_policy::first);
    t.inputs[0].type = value_type::text;
    t.rules = {{{"[\"a\"..\"b\"]"}, {"\"gold\"", "1"}}};
    refused(t, "a range needs a number");
    t.rules = {{{"(1..3"}, {"\"gold\"", "1"}}};
    t.inputs[0].type = value_type::integer;
    refused(t, "is not closed");

    const auto d = decision_table::compile(scores(hit_policy::first));
    CHECK_THROWS_WITH_AS((void)d.decide({}), doctest::Contains("careflow.decision.bad_input"), careflow::error);
    CHECK_THROWS_WITH_AS((void)d.decide({{"score", "high"}}), doctest::Contains("is integer"), careflow::error);
    CHECK_THROWS_WITH_AS((void)d.decide({{"score", 1}, {"extra", 2}}), doctest::Contains("no input 'extra'"),
                         careflow::error);
}

TEST_CASE("the JSON format reads what it writes and names what is wrong") {
    const auto t = scores(hit_policy::collect);
    const std::string text = to_decision_json(t);
    const auto back = read_decision_json(text);
    CHECK(to_decision_json(back) == text);
    CHECK(decision_table::compile(back).decide({{"score", 75}}).rules == std::vector<std::uint32_t>{1, 2});
    auto bad = [](const std::string& s, const std::string& says) {
        CAPTURE(s);
        CHECK_THROWS_WITH_AS((void)read_decision_json(s), doctest::Contains(says.c_str()), careflow::error);
    };
    bad("{", "not JSON");
    bad(R"({"format": "x", "name": "t", "hit_policy": "F"})", "not a careflow decision table");
    bad(R"({"format": "careflow.decision/1", "name": "t", "hit_policy": "Z"})", "unknown hit policy 'Z'");
    bad(R"({"format": "careflow.decision/1", "name": "t", "hit_policy": "C", "aggregation": "AVG"})",
        "unknown aggregation 'AVG'");
    bad(R"({"format": "careflow.decision/1", "name": "t", "hit_policy": "F", "inputs": [{"name": "a", "type": "int"}]})",
        "/inputs/0/type: unknown type 'int'");
    bad(R"({"format": "careflow.decision/1", "name": "t", "hit_policy": "F", "rules": [{"inputs": [1]}]})",
        "/rules/0/inputs/0: expected a string");
    bad(R"({"format": "careflow.decision/1", "name": "t", "hit_policy": "F", "colour": 1})", "unknown member 'colour'");
}

TEST_CASE("DMN: a namespaced document's decision tables are read; other logic and FEEL are refused by name") {
    const auto path = std::filesystem::path(CAREFLOW_SOURCE_DIR) / "examples" / "decisions" / "triage.dmn";
    const auto triage = load_decision(path, "triage");
    CHECK(triage.policy == hit_policy::first);
    REQUIRE(triage.inputs.size() == 3);
    CHECK(triage.inputs[1].name == "self_harm");
    CHECK(triage.inputs[1].type == value_type::boolean);
    CHECK(triage.outputs[0].values.size() == 4);
    CHECK(triage.rules.size() == 5);
    CHECK(triage.rules[0].inputs[1] == "-");
    const auto d = decision_table::compile(triage);
    CHECK(d.decide({{"urgency", 3}, {"self_harm", true}, {"age", 30}}).outputs[0][0] == value("crisis_counselor"));
    CHECK(d.decide({{"urgency", 1}, {"self_harm", false}, {"age", 30}}).outputs[0][1] == value("1 working day"));
    CHECK_THROWS_WITH_AS((void)load_decision(path, "greeting"), doctest::Contains("literalExpression"),
                         careflow::error);
    CHECK_THROWS_WITH_AS((void)load_decision(path, "nope"), doctest::Contains("careflow.decision.unknown"),
                         careflow::error);

    // DMN 1.1 with a prefix: the namespace, not the prefix, makes it DMN.
    const std::string prefixed = R"(<?xml version="1.0"?>
<dmn:definitions xmlns:dmn="http://www.omg.org/spec/DMN/20151101/dmn.xsd" xmlns:x="urn:vendor" id="d" name="d">
  <dmn:decision id="fee" name="fee">
    <dmn:extensionElements><x:anything>ignored</x:anything></dmn:extensionElements>
    <dmn:decisionTable hitPolicy="COLLECT" aggregation="SUM">
      <dmn:input label="Sessions"><dmn:inputExpression typeRef="number"><dmn:text>sessions</dmn:text></dmn:inputExpression></dmn:input>
      <dmn:output name="fee" typeRef="number"/>
      <dmn:rule><dmn:inputEntry><dmn:text></dmn:text></dmn:inputEntry><dmn:outputEntry><dmn:text>100</dmn:text></dmn:outputEntry></dmn:rule>
      <dmn:rule><dmn:inputEntry><dmn:text>&gt; 10</dmn:text></dmn:inputEntry><dmn:outputEntry><dmn:text>-20.5</dmn:text></dmn:outputEntry></dmn:rule>
    </dmn:decisionTable>
  </dmn:decision>
</dmn:definitions>)";
    const auto model = read_dmn(prefixed);
    REQUIRE(model.tables.size() == 1);
    CHECK(model.tables[0].collect == aggregation::sum);
    CHECK(decision_table::compile(model.find("fee")).decide({{"sessions", 12.0}}).aggregate == value(79.5));

    auto refused = [](const std::string& xml, const std::string& id, const std::string& says) {
        CAPTURE(xml);
        try {
            (void)read_dmn(xml);
            FAIL("read");
        } catch (const careflow::error& e) {
            CHECK(e.id() == id);
            CHECK_MESSAGE(std::string(e.what()).find(says) != std::string::npos, e.what());
        }
    };
    const std::string head =
        R"(<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"><decision id="t" name="t">)";
    const std::string tail = "</decision></definitions>";
    const std::string in =
        R"(<input label="a"><inputExpression typeRef="integer"><text>a</text></inputExpression></input>)";
    const std::string out = R"(<output name="o" typeRef="integer"/>)";
    refused("<definitions", "careflow.dmn.syntax", "1:");
    refused(head + "<decisionTable>" + in + out + "</decision></definitions>", "careflow.dmn.syntax", "mismatched tag");
    refused(R"(<definitions xmlns="urn:other"/>)", "careflow.dmn.not_dmn", "not DMN");
    refused(head + "<decisionTable>" + in + out + "<defaultOutputEntry/></decisionTable>" + tail,
            "careflow.dmn.unsupported", "<defaultOutputEntry> in a decision table");
    refused(
        head +
            R"(<decisionTable><input label="a"><inputExpression typeRef="integer"><text>a.b</text></inputExpression></input>)" +
            out + "</decisionTable>" + tail,
        "careflow.dmn.unsupported", "input expression 'a.b'");
    refused(
        head +
            R"(<decisionTable><input label="a"><inputExpression typeRef="date"><text>a</text></inputExpression></input>)" +
            out + "</decisionTable>" + tail,
        "careflow.dmn.unsupported", "typeRef=\"date\"");
    refused(head + R"(<decisionTable hitPolicy="SOMETIMES">)" + in + out + "</decisionTable>" + tail,
            "careflow.dmn.unsupported", "hitPolicy=\"SOMETIMES\"");
    refused(head + "<decisionTable>" + in + out +
                "<rule><inputEntry><text>date(\"2020-01-01\")</text></inputEntry><outputEntry><text>1</text></"
                "outputEntry></rule>"
                "</decisionTable>" +
                tail,
            "careflow.decision.bad_table", "is not a literal");
}
