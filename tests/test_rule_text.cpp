// The rule language: every construct parses to the tree the C++ operators build, every
// error names its line, column and what was expected, to_string and parse_rule are
// inverse on random trees, and the new operations (* / %, In(), _event.name) compile
// and evaluate as documented, in a program and in an engine.
#include "fixtures.hpp"

#include <careflow/model/rule_text.hpp>

#include <limits>

using namespace careflow;
using namespace careflow::test;

namespace {

const time_point t0 = at(2026, 11, 23, 9, 0);

void same(std::string_view text, const expr& want) {
    CAPTURE(text);
    const expr got = parse_rule(text);
    CHECK_MESSAGE(got.same_as(want), got.to_string() << " is not " << want.to_string());
}

} // namespace

TEST_CASE("literals of every type parse to constants") {
    same("3", expr(3));
    same("0", expr(0));
    same("-3", expr(-3));
    same("9223372036854775807", expr(std::numeric_limits<std::int64_t>::max()));
    same("-9223372036854775808", expr(std::numeric_limits<std::int64_t>::min()));
    same("2.5", expr(2.5));
    same("-0.25", expr(-0.25));
    same("1e3", expr(1000.0));
    same("2.5E-1", expr(0.25));
    same("'single'", expr("single"));
    same("\"double\"", expr("double"));
    same(R"("a \"quoted\" \\ line\nnext\ttab \u00e9 'x'")", expr("a \"quoted\" \\ line\nnext\ttab \xc3\xa9 'x'"));
    same(R"('it\'s')", expr("it's"));
    same("true", expr(true));
    same("false", expr(false));
    same("15min", expr(minutes(15)));
    same("1h30min", expr(minutes(90)));
    same("1.5h", expr(minutes(90)));
    same("2w", expr(hours(24 * 14)));
    same("3d", expr(hours(72)));
    same("-1h", expr(hours(-1)));
    same("500ms", expr(boost::posix_time::milliseconds(500)));
    same("20us", expr(boost::posix_time::microseconds(20)));
    same("0s", expr(seconds(0)));
    same("#high", expr(symbol{"high"}));
    same("symbol('very high')", expr(symbol{"very high"}));
    same("time('2026-11-22T09:00:00Z')", expr(at(2026, 11, 22, 9, 0)));
    same("time(\"2026-11-22T09:00:00.250000\")", expr(at(2026, 11, 22, 9, 0) + boost::posix_time::milliseconds(250)));
}

TEST_CASE("names, fields, the clock, the actor, the event, states and consents") {
    same("urgency", var("urgency"));
    same("var('now')", var("now"));
    same("var(\"call.reason\")", var("call.reason"));
    same("$risk", field("risk"));
    same("_event.data.risk", field("risk"));
    same("field('a b')", field("a b"));
    same("now", now());
    same("now()", now());
    same("actor", actor_id());
    same("actor()", actor_id());
    same("_event.name", event_name());
    same("In('talking')", in_state("talking"));
    same("consent(\"callback\")", consent("callback"));
    same("local_day(now, 'center')", local_day(now(), "center"));
    same("close_of_day(due, 'center')", close_of_day(var("due"), "center"));
    same("plus_days(now, 2, 'center')", plus_days(now(), 2, "center"));
    same("plus_months(consulted_at, 1 + extra, 'center')",
         plus_months(var("consulted_at"), 1 + var("extra"), "center"));
    same("working_day(now(), -1, 'center')", working_day(now(), -1, "center"));
    same("close_of_day(working_day(plus_months(consulted_at, 1, 'c'), 0, 'c'), 'c')",
         close_of_day(working_day(plus_months(var("consulted_at"), 1, "c"), 0, "c"), "c"));
}

TEST_CASE("operators bind as in C and associate to the left") {
    const expr a = var("a"), b = var("b"), c = var("c");
    same("a + b * c", a + b * c);
    same("a * b + c", a * b + c);
    same("a - b - c", (a - b) - c);
    same("a - (b - c)", a - (b - c));
    same("a / b % c", (a / b) % c);
    same("a < b == c", (a < b) == c);
    same("a || b && c", a || (b && c));
    same("(a || b) && c", (a || b) && c);
    same("!a && b", !a && b);
    same("!(a && b)", !(a && b));
    same("!!a", !!a);
    same("-a", expr(0) - a);
    same("a - -1", a - expr(-1));
    same("-2 * a", expr(-2) * a);
    same("a === 1 && b !== 2", a == 1 && b != 2); // ECMAScript's strict forms, as SCXML writes them
    same("a <= 1 || a >= 2 || a > 3 || a < 4 || a != 5", a <= 1 || a >= 2 || a > 3 || a < 4 || a != 5);
    same("  urgency >= 3\n\t&& !withheld  ", var("urgency") >= 3 && !var("withheld"));
    same("_event.name == 'answer' && In('ringing')", event_name() == "answer" && in_state("ringing"));
}

TEST_CASE("every error names its kind, line, column and what was expected") {
    struct bad {
        std::string text, id;
        std::size_t line, column;
        std::string expected; // a part of expected() (syntax errors) or of the message
    };
    const std::vector<bad> cases = {
        {"", "careflow.rules.syntax", 1, 1, "an operand"},
        {"   ", "careflow.rules.syntax", 1, 4, "an operand"},
        {"a &&", "careflow.rules.syntax", 1, 5, "an operand"},
        {"(a", "careflow.rules.syntax", 1, 3, "')'"},
        {"a b", "careflow.rules.syntax", 1, 3, "an operator or the end of the rule"},
        {"a = 1", "careflow.rules.syntax", 1, 3, "'=='"},
        {"a ^ 1", "careflow.rules.syntax", 1, 3, "an operand or an operator"},
        {"a &&\n  (b ||", "careflow.rules.syntax", 2, 8, "an operand"},
        {"x\n\n   )", "careflow.rules.syntax", 3, 4, "an operator or the end"},
        {"'\xc3\xa9' + @", "careflow.rules.syntax", 1, 7, "an operand or an operator"},
        {"_event.foo", "careflow.rules.syntax", 1, 8, "'name' or 'data'"},
        {"_event.data.", "careflow.rules.syntax", 1, 13, "a payload field's name"},
        {"# + 1", "careflow.rules.syntax", 1, 1, "a name"},
        {"$1", "careflow.rules.syntax", 1, 1, "a name"},
        {"In(talking)", "careflow.rules.syntax", 1, 4, "a quoted name"},
        {"plus_days(now, 1)", "careflow.rules.syntax", 1, 17, "','"},
        {"plus_days(now, 1, 2)", "careflow.rules.syntax", 1, 19, "a quoted name"},
        {"local_day(now 'c')", "careflow.rules.syntax", 1, 15, "','"},
        {"3q", "careflow.rules.bad_literal", 1, 2, "unknown duration unit 'q'"},
        {"1h30", "careflow.rules.bad_literal", 1, 3, "without a unit"},
        {"1.5us", "careflow.rules.bad_literal", 1, 1, "finer than a microsecond"},
        {"99999999999999999999999d", "careflow.rules.bad_literal", 1, 1, "out of range"},
        {"2e5h", "careflow.rules.bad_literal", 1, 4, "runs into a name"},
        {"'open", "careflow.rules.bad_literal", 1, 1, "not closed"},
        {"'bad \\q'", "careflow.rules.bad_literal", 1, 6, "unknown escape"},
        {"'\\u12'", "careflow.rules.bad_literal", 1, 6, "four hex digits"},
        {"'\\ud800'", "careflow.rules.bad_literal", 1, 2, "surrogate"},
        {"9223372036854775808", "careflow.rules.bad_literal", 1, 1, "out of range"},
        {"99999999999999999999", "careflow.rules.bad_literal", 1, 1, "out of range"},
        {"time('2026-13-01T00:00:00')", "careflow.rules.bad_literal", 1, 6, "is not a time"},
        {"time('tomorrow')", "careflow.rules.bad_literal", 1, 6, "is not a time"},
        {"foo(1)", "careflow.rules.unknown_function", 1, 1, "unknown function 'foo'"},
        {std::string(300, '(') + "a" + std::string(300, ')'), "careflow.rules.too_deep", 1, 201, "deeper than 200"},
        {std::string(300, '!') + "a", "careflow.rules.too_deep", 1, 200, "deeper than 200"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        try {
            (void)parse_rule(c.text);
            FAIL("parsed");
        } catch (const rule_error& e) {
            CHECK(e.id() == c.id);
            CHECK(e.line() == c.line);
            CHECK(e.column() == c.column);
            if (c.id == "careflow.rules.syntax")
                CHECK_MESSAGE(e.expected().find(c.expected) != std::string::npos, e.what());
            else
                CHECK_MESSAGE(e.detail().find(c.expected) != std::string::npos, e.what());
            CHECK(std::string(e.what()).find(std::to_string(c.line) + ":" + std::to_string(c.column) + ": ") !=
                  std::string::npos);
        }
    }
    // A long chain of operators is as deep as it is long.
    std::string chain = "a";
    for (int i = 0; i < 250; ++i) chain += " + a";
    CHECK_THROWS_WITH_AS(parse_rule(chain), doctest::Contains("careflow.rules.too_deep"), rule_error);
    std::string fine = "a";
    for (int i = 0; i < 150; ++i) fine += " + a";
    CHECK_NOTHROW((void)parse_rule(fine));
}

namespace {

// A random tree over every operation, with names and constants that need quoting.
struct tree_maker {
    std::uint64_t seed;
    std::uint64_t next() {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return seed >> 33;
    }
    std::string name() {
        static const std::vector<std::string> names = {"a",      "urgency", "now",         "actor", "true",
                                                       "_event", "x y",     "call.reason", "In",    "local_day",
                                                       "b2",     "_x",      "\xe5\x90\x8d"};
        return names[next() % names.size()];
    }
    expr constant() {
        switch (next() % 8) {
        case 0: return expr(static_cast<std::int64_t>(next()) - (1LL << 30));
        case 1: return expr(std::numeric_limits<std::int64_t>::min() + static_cast<std::int64_t>(next() % 2));
        case 2: return expr(static_cast<double>(static_cast<std::int64_t>(next()) - (1LL << 30)) / 7.0);
        case 3: return expr(next() % 2 == 0);
        case 4: {
            static const std::vector<std::string> texts = {"",
                                                           "plain",
                                                           "q\"uote",
                                                           "back\\slash",
                                                           "line\nbreak",
                                                           "tab\tand\x01",
                                                           "'single'",
                                                           "\xe4\xb8\xad\xe6\x96\x87"};
            return expr(texts[next() % texts.size()]);
        }
        case 5:
            return expr(boost::posix_time::microseconds(static_cast<std::int64_t>(next() % 5'000'000'000ULL) -
                                                        2'500'000'000LL) *
                        static_cast<int>(next() % 3 == 0 ? 1000 : 1));
        case 6:
            return expr(at(2026, 11, 22, 9, 0) + boost::posix_time::microseconds(static_cast<std::int64_t>(next())));
        default: return expr(symbol{next() % 2 ? "high" : "very high"});
        }
    }
    expr make(int depth) {
        if (depth == 0 || next() % 4 == 0) {
            switch (next() % 7) {
            case 0: return var(name());
            case 1: return field(name());
            case 2: return now();
            case 3: return next() % 2 ? actor_id() : event_name();
            case 4: return next() % 2 ? in_state(name()) : consent(name());
            default: return constant();
            }
        }
        static const std::vector<expr_op> binary = {
            expr_op::add, expr_op::sub, expr_op::mul, expr_op::div, expr_op::mod,  expr_op::eq, expr_op::ne,
            expr_op::lt,  expr_op::le,  expr_op::gt,  expr_op::ge,  expr_op::and_, expr_op::or_};
        switch (next() % 6) {
        case 0: return expr::make(expr_op::not_, make(depth - 1));
        case 1: {
            static const std::vector<expr_op> dated = {expr_op::local_day, expr_op::close_of_day, expr_op::plus_days,
                                                       expr_op::plus_months, expr_op::working_day};
            const expr_op op = dated[next() % dated.size()];
            const bool two = op != expr_op::local_day && op != expr_op::close_of_day;
            return expr::make_dated(op, name(), make(depth - 1), two ? make(depth - 1) : expr());
        }
        default: return expr::make(binary[next() % binary.size()], make(depth - 1), make(depth - 1));
        }
    }
};

} // namespace

TEST_CASE("property: parse_rule(e.to_string()) is e, for random trees over every construct") {
    tree_maker m{20261205};
    for (int i = 0; i < 3000; ++i) {
        const expr e = m.make(6);
        const std::string text = e.to_string();
        CAPTURE(text);
        expr back;
        REQUIRE_NOTHROW(back = parse_rule(text));
        REQUIRE(back.same_as(e));
        CHECK(back.to_string() == text);
    }
}

namespace {

// The value of `text` set into a variable of type `type`, in a program with x = 7,
// y = -2, r = 1.5, d = 90min and the minimum integer m.
cell value_of(const std::string& text, value_type type) {
    procedure_builder b{"arith"};
    b.variable("x", value_type::integer, 7)
        .variable("y", value_type::integer, -2)
        .variable("r", value_type::real, 1.5)
        .variable("d", value_type::duration, minutes(90))
        .variable("m", value_type::integer, std::numeric_limits<std::int64_t>::min())
        .variable("out", type)
        .event("go");
    b.state("a");
    b.state("b").final();
    b.transition("a", "b").on("go").then(set("out", parse_rule(text)));
    const auto p = compile(b.build());
    std::vector<cell> vars(6);
    vars[0].i = 7;
    vars[1].i = -2;
    vars[2].r = 1.5;
    vars[3].i = 90 * ticks_per_minute;
    vars[4].i = std::numeric_limits<std::int64_t>::min();
    const eval_context ctx{vars.data()};
    const auto& x = p->expressions()[p->actions()[0].value];
    const cell fast = x.evaluate(ctx), code = x.interpret(ctx);
    CHECK(std::memcmp(&fast, &code, sizeof(cell)) == 0);
    return fast;
}

std::int64_t integer(const std::string& text) { return value_of(text, value_type::integer).i; }
double real(const std::string& text) { return value_of(text, value_type::real).r; }
std::int64_t ticks_of(const std::string& text) { return value_of(text, value_type::duration).i; }

std::vector<std::string> errors_of(const std::string& guard) {
    procedure_builder b{"typed"};
    b.variable("x", value_type::integer).variable("name", value_type::text).variable("d", value_type::duration);
    b.event("go");
    b.state("call");
    b.state("ringing").parent("call");
    b.edit("call").initial("ringing");
    b.state("done").final();
    b.transition("call", "done").on("go").when(parse_rule(guard));
    std::vector<std::string> out;
    for (const auto& d : b.validate())
        if (d.level == severity::error) out.push_back(d.id);
    return out;
}

} // namespace

TEST_CASE("multiplication, division and remainder: integers, reals and durations") {
    CHECK(integer("x * y") == -14);
    CHECK(integer("x / 2") == 3);
    CHECK(integer("-x / 2") == -3); // truncates toward zero
    CHECK(integer("x % 3") == 1);
    CHECK(integer("-x % 3") == -1); // the sign of the dividend
    CHECK(integer("x % -3") == 1);
    CHECK(integer("x / 0") == 0); // no trap: a guard never fails on data
    CHECK(integer("x % 0") == 0);
    CHECK(integer("m / -1") == std::numeric_limits<std::int64_t>::max()); // the one overflow saturates
    CHECK(integer("m % -1") == 0);
    CHECK(integer("m * 2") == std::numeric_limits<std::int64_t>::min());
    CHECK(integer("m * -1") == std::numeric_limits<std::int64_t>::max());
    CHECK(integer("x + y * 3") == 1);
    CHECK(real("r * 2") == 3.0);
    CHECK(real("x / 2.0") == 3.5);
    CHECK(real("r % 1") == 0.5);
    CHECK(real("r / 0") == std::numeric_limits<double>::infinity());
    CHECK(std::isnan(real("0.0 / 0")));
    CHECK(ticks_of("d * 2") == 180 * ticks_per_minute);
    CHECK(ticks_of("3 * 15min") == 45 * ticks_per_minute);
    CHECK(ticks_of("d / 4") == 22 * ticks_per_minute + 30 * ticks_per_second);
    CHECK(integer("d / 15min") == 6);
    CHECK(ticks_of("d % 1h") == 30 * ticks_per_minute);
    CHECK(errors_of("x * 2 > 3").empty());
    CHECK(errors_of("name * 2 == name") == std::vector<std::string>{"careflow.model.type_mismatch"});
    CHECK(errors_of("d * 1.5 > 1h") == std::vector<std::string>{"careflow.model.type_mismatch"});
    CHECK(errors_of("2 / d > 1") == std::vector<std::string>{"careflow.model.type_mismatch"});
    CHECK(errors_of("d % 2 > 1h") == std::vector<std::string>{"careflow.model.type_mismatch"});
    CHECK(errors_of("In('ringing') && _event.name == 'go'").empty());
    CHECK(errors_of("In('nowhere')") == std::vector<std::string>{"careflow.model.unknown_state"});
    CHECK(errors_of("_event.name == 3") == std::vector<std::string>{"careflow.model.type_mismatch"});
    CHECK(errors_of("$nope > 1") == std::vector<std::string>{"careflow.model.unknown_field"});
    CHECK(errors_of("ghost > 1") == std::vector<std::string>{"careflow.model.unknown_variable"});
}

TEST_CASE("In() reads the case's state and its ancestors; _event.name the event being processed") {
    // call { ringing ─answer─► talking } ─hang_up─► ended; a ring timer sends 'tick'.
    procedure_builder b{"calls"};
    b.variable("last", value_type::text).variable("ticks", value_type::integer);
    b.event("answer").event("hang_up").event("tick");
    b.state("call").initial("ringing");
    b.state("ringing").parent("call").after(seconds(30), "tick");
    b.state("talking").parent("call");
    b.state("ended").final();
    b.transition("ringing", "talking").on("answer");
    b.internal("ringing")
        .on("tick")
        .when(parse_rule("_event.name == 'tick' && In('ringing')"))
        .then(set("ticks", parse_rule("ticks + 1")));
    b.transition("call", "ended").on("hang_up").when(parse_rule("In('talking') || _event.name != 'hang_up'"));
    // Which event applied is in `last` (set on entry of ended, from the step's event).
    b.edit("ended").on_entry(set("last", parse_rule("_event.name")));
    const auto p = compile(b.build());
    engine e;
    e.install(p);
    const actor op{"op-1", {"operator"}};
    REQUIRE(e.start(p, 1, {}, t0, op).applied());
    CHECK_FALSE(e.dispatch(1, "hang_up", t0 + seconds(1), op).applied()); // In('talking') is false while ringing
    REQUIRE(e.advance(t0 + seconds(31)).applied());                       // the timer's event is 'tick'
    CHECK(e.get(1).get<std::int64_t>("ticks") == 1);
    REQUIRE(e.dispatch(1, "answer", t0 + minutes(1), op).applied());
    REQUIRE(e.dispatch(1, "hang_up", t0 + minutes(2), op).applied());
    CHECK(e.get(1).in("ended"));
    CHECK(e.get(1).get<std::string>("last") == "hang_up");
    // A machine has no configuration or event names: it refuses them by name.
    procedure_builder m{"lean"};
    m.variable("n", value_type::integer).event("go");
    m.state("a");
    m.state("b").final();
    m.transition("a", "b").on("go").when(parse_rule("In('a')"));
    CHECK_THROWS_WITH_AS(machine{compile(m.build())}, doctest::Contains("In() or _event.name"), careflow::error);
}
