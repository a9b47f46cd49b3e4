// Validation: one faulty procedure per rule, asserting the stable id and the named culprit.
#include "fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

namespace {
diagnostic only(const procedure_builder& b, const std::string& id) {
    const auto ds = b.validate();
    return find_id(ds, id);
}
} // namespace

TEST_CASE("a sound procedure validates clean and the hotline model has no errors") {
    CHECK(minimal().validate().empty());
    CHECK_FALSE(has_errors(hotline_model().validate()));
    CHECK_FALSE(has_errors(validate(hotline_model().build())));
}

TEST_CASE("duplicate names are errors naming the duplicate") {
    auto b = minimal();
    b.state("a");
    auto d = only(b, "careflow.model.duplicate_name");
    CHECK(d.subject == "state 'a'");
    CHECK(d.level == severity::error);
    auto e = minimal();
    e.event("go");
    CHECK(only(e, "careflow.model.duplicate_name").subject == "event 'go'");
    auto v = minimal();
    v.variable("x", value_type::integer).variable("x", value_type::real);
    CHECK(only(v, "careflow.model.duplicate_name").subject == "variable 'x'");
    auto f = minimal();
    f.event("fields", {{"n", value_type::integer, {}}, {"n", value_type::text, {}}});
    CHECK(only(f, "careflow.model.duplicate_name").subject.find("'fields'") != std::string::npos);
    auto s = minimal();
    s.sla("x").start(entered("a")).stop(left("a")).goal(hours(1));
    s.sla("x").start(entered("a")).stop(left("a")).goal(hours(1));
    CHECK(only(s, "careflow.model.duplicate_name").subject == "sla 'x'");
}

TEST_CASE("unknown states are errors naming the transition, parent, timer or clock") {
    auto t = minimal();
    t.transition("a", "nowhere").on("go");
    auto d = only(t, "careflow.model.unknown_state");
    CHECK(d.subject == "transition 'a' -go-> 'nowhere'");
    CHECK(d.message.find("'nowhere'") != std::string::npos);
    auto p = minimal();
    p.state("c").parent("ghost");
    CHECK(only(p, "careflow.model.unknown_state").subject == "state 'c'");
    auto tm = minimal();
    tm.state("c").after(hours(1), "go");
    // declared on c, which exists but is unreachable; the timer names a real state: no unknown_state
    CHECK_FALSE(has_id(tm.validate(), "careflow.model.unknown_state"));
    auto s = minimal();
    s.sla("x").start(entered("ghost")).stop(left("a")).goal(hours(1));
    CHECK(only(s, "careflow.model.unknown_state").subject == "sla 'x'");
}

TEST_CASE("unknown events are errors naming the transition, timer or clock") {
    auto t = minimal();
    t.transition("a", "b").on("went");
    CHECK(only(t, "careflow.model.unknown_event").subject == "transition 'a' -went-> 'b'");
    auto tm = minimal();
    tm.state("a2");
    procedure_builder x{"x"};
    x.event("go");
    x.state("a").after(hours(1), "tick");
    x.state("b").final();
    x.transition("a", "b").on("go");
    CHECK(only(x, "careflow.model.unknown_event").subject == "timer 'a.tick'");
    auto s = minimal();
    s.sla("x").start(entered("a")).stop(received("went")).goal(hours(1));
    CHECK(only(s, "careflow.model.unknown_event").subject == "sla 'x'");
    auto w = minimal();
    w.sla("y").start(entered("a")).stop(left("a")).goal(hours(1)).on_breach("late");
    CHECK(only(w, "careflow.model.unknown_event").message.find("'late'") != std::string::npos);
}

TEST_CASE("states unreachable from the initial state are errors") {
    auto b = minimal();
    b.state("island");
    b.transition("island", "b").on("go");
    auto d = only(b, "careflow.model.unreachable_state");
    CHECK(d.subject == "state 'island'");
}

TEST_CASE("a compound state is reachable through its initial child, and only through a leaf") {
    procedure_builder b{"h"};
    b.event("go").event("in");
    b.state("start");
    b.state("box").initial("first");
    b.state("first").parent("box");
    b.state("second").parent("box");
    b.state("end").final();
    b.transition("start", "box").on("in");
    b.transition("box", "end").on("go");
    CHECK(only(b, "careflow.model.unreachable_state").subject == "state 'second'");
}

TEST_CASE("non-final states with no path to a final state are errors unless open-ended") {
    auto b = minimal();
    b.event("stuck");
    b.state("trap");
    b.transition("a", "trap").on("stuck");
    CHECK(only(b, "careflow.model.no_path_to_final").subject == "state 'trap'");
    auto ok = minimal();
    ok.event("stuck");
    ok.state("trap").open_ended();
    ok.transition("a", "trap").on("stuck");
    CHECK_FALSE(has_errors(ok.validate()));
}

TEST_CASE("a transition on a parent gives each child a way out") {
    procedure_builder b{"p"};
    b.event("hang_up").event("next");
    b.state("call").initial("one");
    b.state("one").parent("call");
    b.state("two").parent("call");
    b.state("ended").final();
    b.transition("one", "two").on("next");
    b.transition("call", "ended").on("hang_up");
    CHECK_FALSE(has_errors(b.validate()));
}

TEST_CASE("two unguarded transitions on one event from one state are non-deterministic") {
    auto b = minimal();
    b.state("c").final();
    b.transition("a", "c").on("go");
    auto d = only(b, "careflow.model.nondeterministic");
    CHECK(d.subject == "state 'a'");
    CHECK(d.message.find("'go'") != std::string::npos);
    auto guarded = minimal();
    guarded.variable("x", value_type::boolean);
    guarded.state("c").final();
    guarded.transition("a", "c").on("go").when(var("x") == true);
    CHECK_FALSE(has_id(guarded.validate(), "careflow.model.nondeterministic"));
    auto eventless = minimal();
    eventless.state("c").final();
    eventless.transition("a", "b");
    eventless.transition("a", "c");
    CHECK(only(eventless, "careflow.model.nondeterministic").message.find("eventless") != std::string::npos);
}

TEST_CASE("type mismatches between guards, effects and declared variables are errors") {
    auto guard_not_bool = minimal();
    guard_not_bool.variable("n", value_type::integer);
    guard_not_bool.transition("a", "b").on("go").when(var("n") + 1);
    // two unguarded? no: the second has a guard; the first is unguarded
    CHECK(only(guard_not_bool, "careflow.model.type_mismatch").subject == "transition 'a' -go-> 'b'");

    auto compare = minimal();
    compare.variable("n", value_type::integer).variable("s", value_type::text);
    compare.transition("a", "b").on("go").when(var("n") == var("s"));
    CHECK(only(compare, "careflow.model.type_mismatch").message.find("integer with text") != std::string::npos);

    auto set_wrong = minimal();
    set_wrong.variable("s", value_type::text);
    set_wrong.transition("a", "b").on("go").then(set("s", 3));
    CHECK(only(set_wrong, "careflow.model.type_mismatch").message.find("'s'") != std::string::npos);

    auto set_real = minimal(); // an integer into a real is fine
    set_real.variable("r", value_type::real).event("score");
    set_real.internal("a").on("score").then(set("r", 3)).then(set("r", var("r") + 1));
    CHECK_FALSE(has_errors(set_real.validate()));

    auto assign_int = minimal();
    assign_int.duty("owner").variable("n", value_type::integer);
    assign_int.transition("a", "b").on("go").then(assign("owner", var("n")));
    CHECK(only(assign_int, "careflow.model.type_mismatch").message.find("owner") != std::string::npos);

    auto init = minimal();
    init.variable("n", value_type::integer, "three");
    CHECK(only(init, "careflow.model.type_mismatch").subject == "variable 'n'");

    auto time_plus = minimal();
    time_plus.variable("t", value_type::time);
    time_plus.transition("a", "b").on("go").when(var("t") + var("t") > now());
    CHECK(has_id(time_plus.validate(), "careflow.model.type_mismatch"));

    auto host_reads = minimal();
    host_reads.variable("age", value_type::integer);
    host_reads.transition("a", "b").on("go").when("adult", [](const guard_context&) { return true; },
                                                  {{"age", value_type::text}});
    CHECK(only(host_reads, "careflow.model.type_mismatch").message.find("adult") != std::string::npos);

    auto deadline = minimal();
    deadline.variable("n", value_type::integer);
    deadline.edit("a").at(var("n"), "go");
    CHECK(has_id(deadline.validate(), "careflow.model.type_mismatch"));
}

TEST_CASE("enumeration symbols are checked") {
    auto b = minimal();
    b.enumeration("risk", {"low", "high"});
    b.transition("a", "b").on("go").when(var("risk") == symbol{"medium"});
    CHECK(only(b, "careflow.model.unknown_symbol").subject == "transition 'a' -go-> 'b'");
    auto init = minimal();
    init.enumeration("risk", {"low", "high"}, "severe");
    CHECK(only(init, "careflow.model.unknown_symbol").subject == "variable 'risk'");
    auto setting = minimal();
    setting.enumeration("risk", {"low", "high"});
    setting.transition("a", "b").on("go").then(set("risk", symbol{"severe"}));
    CHECK(has_id(setting.validate(), "careflow.model.unknown_symbol"));
    auto empty = minimal();
    empty.enumeration("risk", {});
    CHECK(only(empty, "careflow.model.empty_enumeration").subject == "variable 'risk'");
}

TEST_CASE("unknown variables, payload fields, host actions and duties are errors") {
    auto v = minimal();
    v.transition("a", "b").on("go").when(var("ghost") > 1);
    CHECK(only(v, "careflow.model.unknown_variable").message.find("'ghost'") != std::string::npos);
    auto s = minimal();
    s.transition("a", "b").on("go").then(set("ghost", 1));
    CHECK(only(s, "careflow.model.unknown_variable").subject == "transition 'a' -go-> 'b'");
    auto f = minimal();
    f.variable("n", value_type::integer);
    f.transition("a", "b").on("go").when(field("level") > 1);
    CHECK(only(f, "careflow.model.unknown_field").message.find("'level'") != std::string::npos);
    auto entry_field = minimal();
    entry_field.variable("n", value_type::integer);
    entry_field.edit("a").on_entry(set("n", field("level")));
    CHECK(only(entry_field, "careflow.model.unknown_field").subject == "state 'a' entry");
    auto h = minimal();
    h.transition("a", "b").on("go").then(call("send_sms"));
    CHECK(only(h, "careflow.model.unknown_action").message.find("'send_sms'") != std::string::npos);
    auto d = minimal();
    d.transition("a", "b").on("go").by_assignee("responsible");
    CHECK(only(d, "careflow.model.unknown_duty").message.find("'responsible'") != std::string::npos);
}

TEST_CASE("hierarchy rules: initial child, cycles, finals") {
    auto no_initial = minimal();
    no_initial.state("box");
    no_initial.state("inner").parent("box");
    CHECK(only(no_initial, "careflow.model.compound_without_initial").subject == "state 'box'");

    auto not_child = minimal();
    not_child.state("box").initial("b");
    not_child.state("inner").parent("box");
    CHECK(only(not_child, "careflow.model.initial_not_child").subject == "state 'box'");

    auto cycle = minimal();
    cycle.state("x").parent("y").initial("y");
    cycle.state("y").parent("x").initial("x");
    CHECK(only(cycle, "careflow.model.hierarchy_cycle").subject.find("state '") == 0);

    auto final_kids = minimal();
    final_kids.state("end").final().initial("inner");
    final_kids.state("inner").parent("end");
    CHECK(only(final_kids, "careflow.model.final_with_children").subject == "state 'end'");

    auto from_final = minimal();
    from_final.transition("b", "a").on("go");
    CHECK(only(from_final, "careflow.model.transition_from_final").subject == "state 'b'");
}

TEST_CASE("a procedure needs a top-level initial state") {
    procedure_builder empty{"empty"};
    CHECK(only(empty, "careflow.model.no_initial_state").subject == "procedure 'empty'");
    auto ghost = minimal();
    ghost.initial("ghost");
    CHECK(only(ghost, "careflow.model.no_initial_state").message.find("'ghost'") != std::string::npos);
    procedure_builder nested{"nested"};
    nested.event("go");
    nested.state("box").initial("inner");
    nested.state("inner").parent("box");
    nested.state("end").final();
    nested.transition("inner", "end").on("go");
    nested.initial("inner");
    CHECK(only(nested, "careflow.model.no_initial_state").message.find("top-level") != std::string::npos);
}

TEST_CASE("timers need a positive delay and a repeat count") {
    auto zero = minimal();
    zero.edit("a").after(seconds(0), "go");
    CHECK(only(zero, "careflow.model.invalid_timer").subject == "timer 'a.go'");
    auto count = minimal();
    count.edit("a").every(seconds(5), "go", 0);
    CHECK(only(count, "careflow.model.invalid_timer").message.find("count") != std::string::npos);
    auto days = minimal();
    days.edit("a").after(working_days(-1), "go");
    CHECK(has_id(days.validate(), "careflow.model.invalid_timer"));
}

TEST_CASE("timers are bounded so that no definition can make an advance fire without end") {
    auto tiny = minimal();
    tiny.edit("a").every(boost::posix_time::microseconds(1), "go", 3);
    CHECK(only(tiny, "careflow.model.invalid_timer").message.find("at least 1 second") != std::string::npos);
    auto many = minimal();
    many.edit("a").every(seconds(5), "go", 2147483647);
    CHECK(only(many, "careflow.model.invalid_timer").message.find("100000") != std::string::npos);
    auto long_delay = minimal();
    long_delay.edit("a").after(hours(24 * 36'501), "go");
    CHECK(has_id(long_delay.validate(), "careflow.model.invalid_timer"));
    auto long_goal = minimal();
    long_goal.sla("x").start(entered("a")).stop(left("a")).goal(working_days(40'000));
    CHECK(has_id(long_goal.validate(), "careflow.model.invalid_sla"));
    auto fine = minimal();
    fine.edit("a").every(seconds(1), "go", 100'000);
    CHECK_FALSE(has_errors(fine.validate()));
    auto far = minimal();
    far.edit("a").after(hours(24 * 36'500), "go");
    CHECK_FALSE(has_errors(far.validate()));
}

TEST_CASE("SLA clocks need a start, a positive goal and thresholds within (0, 1)") {
    auto no_start = minimal();
    no_start.sla("x").stop(left("a")).goal(hours(1));
    CHECK(only(no_start, "careflow.model.invalid_sla").message.find("start") != std::string::npos);
    auto no_goal = minimal();
    no_goal.sla("x").start(entered("a")).stop(left("a"));
    CHECK(only(no_goal, "careflow.model.invalid_sla").message.find("goal") != std::string::npos);
    auto bad_warning = minimal();
    bad_warning.sla("x").start(entered("a")).stop(left("a")).goal(hours(1)).warn_at({0.5, 1.0});
    CHECK(only(bad_warning, "careflow.model.invalid_sla").message.find("threshold") != std::string::npos);
    auto many = minimal();
    many.sla("x").start(entered("a")).stop(left("a")).goal(hours(1)).warn_at({0.1, 0.2, 0.3, 0.4, 0.5});
    CHECK(only(many, "careflow.model.invalid_sla").message.find("at most 4") != std::string::npos);
    auto bad_duty = minimal();
    bad_duty.sla("x").start(entered("a")).stop(left("a")).goal(hours(1)).accountable("ghost");
    CHECK(only(bad_duty, "careflow.model.unknown_duty").subject == "sla 'x'");
    auto endless = minimal();
    endless.sla("x").start(entered("a")).goal(hours(1));
    CHECK(only(endless, "careflow.model.sla_never_stops").level == severity::warning);
}

TEST_CASE("unguarded eventless transitions in a cycle are an error") {
    auto b = minimal();
    b.state("x");
    b.state("y");
    b.event("jump");
    b.transition("a", "x").on("jump");
    b.transition("x", "y");
    b.transition("y", "x");
    b.transition("x", "b").on("go");
    CHECK(has_id(b.validate(), "careflow.model.eventless_cycle"));
}

TEST_CASE("warnings: a state only timers can leave, and an unused event") {
    auto b = minimal();
    b.event("tick").event("spare");
    b.edit("a").after(seconds(5), "tick");
    b.transition("a", "b").on("tick");
    const auto ds = b.validate();
    CHECK_FALSE(has_errors(ds));
    // a is left by go (not a timer event) too: no warning yet
    CHECK_FALSE(has_id(ds, "careflow.model.timer_only_exit"));
    CHECK(find_id(ds, "careflow.model.unused_event").subject == "event 'spare'");

    procedure_builder t{"t"};
    t.event("tick");
    t.state("wait").after(seconds(5), "tick");
    t.state("done").final();
    t.transition("wait", "done").on("tick");
    const auto w = find_id(t.validate(), "careflow.model.timer_only_exit");
    CHECK(w.subject == "state 'wait'");
    CHECK(w.level == severity::warning);
    CHECK_NOTHROW((void)t.build()); // warnings do not stop a build
}

TEST_CASE("diagnostics render with level, id, subject and message") {
    auto b = minimal();
    b.event("stuck");
    b.state("island");
    b.transition("a", "island").on("stuck");
    const auto d = find_id(b.validate(), "careflow.model.no_path_to_final");
    CHECK(d.to_string().rfind("error [careflow.model.no_path_to_final] state 'island': ", 0) == 0);
}

TEST_CASE("empty names are errors") {
    auto b = minimal();
    b.variable("", value_type::integer);
    CHECK(only(b, "careflow.model.empty_name").subject == "a variable");
    auto t = minimal();
    t.transition("a", "b").on("go").when(expr(true)).require_role("");
    CHECK(only(t, "careflow.model.empty_name").subject == "transition 'a' -go-> 'b'");
    auto n = minimal();
    n.edit("a").on_entry(notify(""));
    CHECK(only(n, "careflow.model.empty_name").subject == "state 'a' entry");
}

TEST_CASE("spans must be positive; a deadline goal must be a time") {
    auto zero_days = minimal();
    zero_days.edit("a").after(working_days(0), "go");
    CHECK(has_id(zero_days.validate(), "careflow.model.invalid_timer"));
    auto close = minimal();
    close.edit("a").after(end_of_working_day(0), "go");
    CHECK_FALSE(has_id(close.validate(), "careflow.model.invalid_timer"));
    auto before = minimal();
    before.edit("a").after(end_of_working_day(-1), "go");
    CHECK(has_id(before.validate(), "careflow.model.invalid_timer"));
    auto deadline = minimal();
    deadline.variable("n", value_type::integer);
    deadline.sla("x").start(entered("a")).stop(left("a")).goal_at(var("n"));
    CHECK(find_id(deadline.validate(), "careflow.model.type_mismatch").subject == "sla 'x'");
    CHECK(end_of_working_day(0).to_string() == "the same working day");
    CHECK(working_days(2).to_string() == "2 working days");
}

TEST_CASE("a procedure that spawns itself before its first event is an unbounded spawn cycle") {
    auto b = minimal("again");
    b.edit("a").on_entry(spawn("again"));
    CHECK(has_id(b.validate(), "careflow.model.spawn_cycle"));
    // Through an unguarded eventless step after the start too.
    procedure_builder c{"chain"};
    c.event("go");
    c.state("first");
    c.state("second");
    c.state("done").final();
    c.transition("first", "second").then(spawn("chain"));
    c.transition("second", "done").on("go");
    CHECK(has_id(c.validate(), "careflow.model.spawn_cycle"));
    // A spawn of itself behind an event is a bounded chain: each needs its own event.
    auto d = minimal("later");
    d.edit("b").on_entry(spawn("later"));
    CHECK_FALSE(has_id(d.validate(), "careflow.model.spawn_cycle"));
}
