// Expressions: rendering, type checking and compiled evaluation.
#include "fixtures.hpp"

#include <limits>

using namespace careflow;
using namespace careflow::test;

TEST_CASE("expressions render infix with the parentheses they need") {
    CHECK((var("urgency") >= 3 && !var("withheld")).to_string() == "urgency >= 3 && !withheld");
    CHECK(((var("a") || var("b")) && var("c")).to_string() == "(a || b) && c");
    CHECK((var("a") - (var("b") - var("c"))).to_string() == "a - (b - c)");
    CHECK((field("risk") == symbol{"high"}).to_string() == "$risk == #high");
    CHECK((var("due") - now() < hours(24)).to_string() == "due - now < 1d");
    CHECK(expr("text").to_string() == "'text'");
    CHECK(expr().empty());
}

TEST_CASE("values report their type and render readably") {
    CHECK(value(true).type() == value_type::boolean);
    CHECK(value(3).type() == value_type::integer);
    CHECK(value(std::int64_t{3}).type() == value_type::integer);
    CHECK(value(1.5).type() == value_type::real);
    CHECK(value("x").type() == value_type::text);
    CHECK(value(hours(2)).type() == value_type::duration);
    CHECK(value(at(2026, 11, 22, 9, 0)).type() == value_type::time);
    CHECK(value(symbol{"low"}).type() == value_type::enumeration);
    CHECK_FALSE(value().type().has_value());
    CHECK(value(hours(2)).to_string() == "2h");
    CHECK(value(minutes(90)).to_string() == "90min");
    CHECK(value(at(2026, 11, 22, 9, 0)).to_string() == "2026-Nov-22 09:00:00");
    CHECK(assignable(value_type::real, value_type::integer));
    CHECK_FALSE(assignable(value_type::integer, value_type::real));
}

namespace {
// A program whose single guard is `condition`, over a fixed set of variables and payload.
std::shared_ptr<const program> guarded(expr condition) {
    procedure_builder b{"expr"};
    b.variable("urgency", value_type::integer, 2)
        .variable("score", value_type::real, 0.5)
        .variable("withheld", value_type::boolean, false)
        .variable("name", value_type::text, "Li")
        .variable("due", value_type::time, at(2026, 11, 23, 9, 0))
        .variable("wait", value_type::duration, minutes(10))
        .enumeration("risk", {"low", "medium", "high"}, "medium")
        .event("go", {{"level", value_type::integer, {}}, {"who", value_type::text, {}}});
    b.state("a");
    b.state("b").final();
    b.transition("a", "b").on("go").when(std::move(condition));
    return compile(b.build());
}

struct harness {
    std::vector<cell> vars;
    std::vector<std::string> texts{"Li"};
    std::vector<cell> fields;
    std::vector<std::string> field_texts{"Wang"};
    std::string who = "op-7";

    explicit harness(const program& p) {
        for (const auto& v : p.variables()) vars.push_back(v.initial);
        fields.resize(2);
        fields[0].i = 4;
    }
    bool run(const program& p, ticks now = to_ticks(at(2026, 11, 22, 9, 0))) {
        eval_context ctx{vars.data(), texts.data(), fields.data(), field_texts.data(), now, &who};
        return p.test(p.guards()[0], ctx);
    }
};
} // namespace

TEST_CASE("compiled guards evaluate integers, reals, booleans and mixed numbers") {
    auto p = guarded(var("urgency") >= 2 && var("score") < 1 && !var("withheld"));
    harness h(*p);
    CHECK(h.run(*p));
    h.vars[0].i = 1;
    CHECK_FALSE(h.run(*p));
    auto mixed = guarded(var("score") + var("urgency") > 2.4);
    harness m(*mixed);
    CHECK(m.run(*mixed)); // 0.5 + 2 > 2.4
    m.vars[1].r = 0.3;
    CHECK_FALSE(m.run(*mixed));
}

TEST_CASE("compiled guards read payload fields, text, enumerations and the actor") {
    auto p = guarded(field("level") > var("urgency") && field("who") == "Wang" && var("risk") == symbol{"medium"} &&
                     actor_id() != var("name"));
    harness h(*p);
    CHECK(h.run(*p));
    h.field_texts[0] = "Zhao";
    CHECK_FALSE(h.run(*p));
    h.field_texts[0] = "Wang";
    h.vars[6].i = 2; // high
    CHECK_FALSE(h.run(*p));
}

TEST_CASE("compiled guards do time arithmetic") {
    // At least 24 h between now and the due time.
    auto p = guarded(var("due") - now() >= hours(24));
    harness h(*p);
    CHECK(h.run(*p, to_ticks(at(2026, 11, 22, 9, 0))));
    CHECK_FALSE(h.run(*p, to_ticks(at(2026, 11, 22, 9, 1))));
    auto q = guarded(now() + var("wait") > var("due"));
    harness k(*q);
    CHECK_FALSE(k.run(*q, to_ticks(at(2026, 11, 23, 8, 50))));
    CHECK(k.run(*q, to_ticks(at(2026, 11, 23, 8, 51))));
}

TEST_CASE("an expression nested past the evaluator's stack is refused at build") {
    expr e = var("urgency");
    for (int i = 0; i < 40; ++i) e = expr(1) + e; // right-nested: the stack grows with every level
    procedure_builder b{"deep"};
    b.variable("urgency", value_type::integer).event("go");
    b.state("a");
    b.state("b").final();
    b.transition("a", "b").on("go").when(e > 0);
    CHECK(has_id(b.validate(), "careflow.model.expression_too_deep"));
}

TEST_CASE("chains of simple tests compile to the fast form") {
    auto all = guarded(var("urgency") >= 2 && !var("withheld") && var("score") < 0.8 && field("level") != 3);
    const auto& e = all->expressions()[all->guards()[0].expression];
    CHECK(e.form == expression_form::all_of);
    CHECK(e.tests.size() == 4);
    auto any = guarded(var("urgency") >= 4 || var("withheld"));
    CHECK(any->expressions()[any->guards()[0].expression].form == expression_form::any_of);
    auto mixed = guarded(var("urgency") >= 4 || (var("withheld") && var("score") > 0.1));
    CHECK(mixed->expressions()[mixed->guards()[0].expression].form == expression_form::code);
    auto text = guarded(var("name") == "Li");
    CHECK(text->expressions()[text->guards()[0].expression].form == expression_form::code);
}

TEST_CASE("the fast form and the general code agree on every input, NaN included") {
    // Property: for many guard shapes and many random cases, evaluate() == interpret().
    const std::vector<expr> shapes = {
        var("urgency") >= 2,
        2 < var("urgency"), // constant on the left: the comparison is flipped
        var("urgency") == 3 && !var("withheld"),
        var("score") <= 0.5 || var("withheld") || field("level") > 1,
        var("score") != 0.25 && var("risk") == symbol{"high"} && var("wait") >= minutes(5),
        var("due") < at(2026, 11, 23, 0, 0) && var("score") > -1.0,
        !var("withheld") && var("score") == 0.5,
    };
    std::uint64_t seed = 12345;
    auto next = [&] {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        return seed >> 33;
    };
    for (const auto& shape : shapes) {
        auto p = guarded(shape);
        const auto& e = p->expressions()[p->guards()[0].expression];
        REQUIRE(e.form != expression_form::code);
        harness h(*p);
        for (int i = 0; i < 2000; ++i) {
            h.vars[0].i = static_cast<std::int64_t>(next() % 5);
            const auto pick = next() % 8;
            h.vars[1].r = pick == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(pick) / 4.0 - 0.5;
            h.vars[2].i = static_cast<std::int64_t>(next() % 2);
            h.vars[4].i = to_ticks(at(2026, 11, 22, 0, 0)) + static_cast<std::int64_t>(next() % 3) * ticks_per_day;
            h.vars[5].i = static_cast<std::int64_t>(next() % 10) * ticks_per_minute;
            h.vars[6].i = static_cast<std::int64_t>(next() % 3);
            h.fields[0].i = static_cast<std::int64_t>(next() % 3);
            eval_context ctx{h.vars.data(), h.texts.data(), h.fields.data(), h.field_texts.data(), 0, &h.who};
            REQUIRE_MESSAGE(e.evaluate(ctx).i == e.interpret(ctx).i, shape.to_string() << " at case " << i);
        }
    }
}

namespace {
// A program whose single action sets `target` to `value`.
std::shared_ptr<const program> setting(const std::string& target, expr value) {
    procedure_builder b{"set"};
    b.variable("urgency", value_type::integer, 2)
        .variable("score", value_type::real, 0.5)
        .variable("wait", value_type::duration, minutes(10))
        .variable("name", value_type::text, "Li")
        .event("go", {{"level", value_type::integer, {}}});
    b.state("a");
    b.state("b").final();
    b.transition("a", "b").on("go").then(set(target, std::move(value)));
    return compile(b.build());
}
} // namespace

TEST_CASE("constants and variables plus a constant compile to the value form, and agree with the code") {
    struct shape {
        std::string target;
        expr value;
        expression_form form;
    };
    const std::vector<shape> shapes = {
        {"urgency", expr(3), expression_form::value},
        {"urgency", var("urgency") + 1, expression_form::value},
        {"urgency", var("urgency") - 2, expression_form::value},
        {"urgency", field("level"), expression_form::value},
        {"urgency", field("level") + 10, expression_form::value},
        {"score", var("score"), expression_form::value},
        {"score", expr(0.25), expression_form::value},
        {"wait", var("wait") + minutes(5), expression_form::value},
        {"urgency", 1 + var("urgency"), expression_form::code}, // constant first: not recognised
        {"urgency", var("urgency") + field("level"), expression_form::code},
        {"score", var("score") + 0.5, expression_form::code}, // real arithmetic
        {"name", expr("Wang"), expression_form::code},        // text never
    };
    for (const auto& s : shapes) {
        auto p = setting(s.target, s.value);
        const auto& e = p->expressions()[p->actions()[0].value];
        CAPTURE(s.value.to_string());
        CHECK(e.form == s.form);
        if (e.type == value_type::text) continue;
        for (std::int64_t u : {-5, 0, 2, 7}) {
            std::vector<cell> vars(4);
            vars[0].i = u;
            vars[1].r = static_cast<double>(u) / 4.0;
            vars[2].i = u * ticks_per_minute;
            cell field_cell{u * 3};
            const eval_context ctx{vars.data(), nullptr, &field_cell, nullptr, 0, nullptr};
            CHECK(e.evaluate(ctx).i == e.interpret(ctx).i);
        }
    }
}
