// procedure_builder: what it declares ends up in the model graph as written.
#include "fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

TEST_CASE("the builder puts states on vertices and transitions on edges") {
    const procedure p = hotline_model().build();
    CHECK(p.name() == "hotline_call");
    CHECK(p.version() == 2);
    CHECK(p.description() == "A call to the mental-health hotline.");
    CHECK(p.state_count() == 13);
    CHECK(boost::num_vertices(p.graph()) == 13);
    CHECK(boost::num_edges(p.graph()) == 13);
    CHECK(p.initial() == "call");

    const auto ts = p.transitions();
    REQUIRE(ts.size() == 13);
    for (std::size_t i = 0; i < ts.size(); ++i) CHECK(p.transition(ts[i]).order == i); // declaration order
    const auto& answer = p.transition(ts[1]);
    CHECK(answer.source == "ringing");
    CHECK(answer.target == "talking");
    CHECK(answer.roles == std::vector<std::string>{"operator"});
    CHECK(p.state(boost::source(ts[1], p.graph())).name == "ringing");
    CHECK(p.state(boost::target(ts[1], p.graph())).name == "talking");
    // An internal transition is a self-loop with no target.
    CHECK(p.transition(ts[0]).target.empty());
    CHECK(boost::source(ts[0], p.graph()) == boost::target(ts[0], p.graph()));
}

TEST_CASE("the builder records hierarchy, paths and children in declaration order") {
    const procedure p = hotline_model().build();
    const auto counseling = *p.find_state("counseling");
    CHECK(p.path(counseling) == "call.talking.transfer.counseling");
    CHECK(p.state(*p.parent(counseling)).name == "transfer");
    const auto talking = *p.find_state("talking");
    std::vector<std::string> kids;
    for (auto c : p.children(talking)) kids.push_back(p.state(c).name);
    CHECK(kids == std::vector<std::string>{"registration", "assessment", "crisis", "transfer", "resolution"});
    CHECK(p.is_compound(talking));
    CHECK_FALSE(p.is_compound(counseling));
    CHECK_FALSE(p.parent(*p.find_state("call")).has_value());
    CHECK_FALSE(p.find_state("nowhere").has_value());
}

TEST_CASE("the builder declares variables, events, timers and SLA clocks") {
    const procedure p = hotline_model().build();
    REQUIRE(p.find_variable("urgency"));
    CHECK(p.find_variable("urgency")->type == value_type::integer);
    CHECK(p.find_event("assess")->payload.at(0).name == "urgency");
    REQUIRE(p.timers().size() == 2);
    CHECK(p.timers()[0].name == "ringing.ring");
    CHECK(p.timers()[0].kind == timer_kind::every);
    CHECK(p.timers()[0].count == 3);
    CHECK(p.timers()[0].delay == span(seconds(5)));
    CHECK(p.timers()[1].kind == timer_kind::after);
    CHECK(p.timers()[1].delay.elapsed == hours(2));
    REQUIRE(p.slas().size() == 1);
    CHECK(p.slas()[0].goal.elapsed == seconds(15));
    CHECK(p.slas()[0].warnings == std::vector<double>{0.5, 0.75});
    CHECK(p.slas()[0].cancel.at(0) == received("hang_up"));
    CHECK(p.duties() == std::vector<std::string>{"counselor"});
    CHECK(p.calendars().empty());
}

TEST_CASE("timers can be named, measured in a calendar, in working days, or at a computed deadline") {
    procedure_builder b{"t"};
    b.variable("appointment_at", value_type::time).event("remind").event("ack_due").event("go");
    b.state("waiting")
        .after(working_days(1), "ack_due", "center")
        .named("acknowledge")
        .at(var("appointment_at") - boost::posix_time::hours(24), "remind");
    b.state("done").final();
    b.transition("waiting", "done").on("go");
    b.internal("waiting").on("remind");
    b.internal("waiting").on("ack_due");
    const procedure p = b.build();
    CHECK(p.timers()[0].name == "acknowledge");
    CHECK(p.timers()[0].delay.kind == span_kind::working_days);
    CHECK(p.timers()[0].delay.days == 1);
    CHECK(p.timers()[0].delay.to_string() == "1 working day");
    CHECK(p.timers()[1].kind == timer_kind::at);
    CHECK(p.timers()[1].name == "waiting.remind");
    CHECK(p.calendars() == std::vector<std::string>{"center"});
}

TEST_CASE("edit reopens a declared state; editing an undeclared one is a typed error") {
    auto b = minimal();
    b.event("tick");
    b.edit("a").after(seconds(5), "tick");
    b.internal("a").on("tick");
    const procedure p = b.build();
    CHECK(p.state_count() == 2);
    CHECK(p.timers().at(0).state == "a");
    CHECK_THROWS_WITH_AS(b.edit("ghost"), doctest::Contains("careflow.model.unknown_state"), careflow::error);
}

TEST_CASE("naming a timer before declaring one is a typed error") {
    procedure_builder b{"t"};
    CHECK_THROWS_WITH_AS(b.state("s").named("x"), doctest::Contains("careflow.model.no_timer"), careflow::error);
}

TEST_CASE("build refuses a procedure with errors, listing every error") {
    auto b = minimal();
    b.transition("a", "nowhere").on("go");
    b.transition("a", "b").on("unknown");
    try {
        (void)b.build();
        FAIL("build() accepted an invalid procedure");
    } catch (const careflow::error& e) {
        CHECK(e.id() == "careflow.model.unknown_state");
        const std::string what = e.what();
        CHECK(what.find("[careflow.model.unknown_state]") == 0);
        CHECK(what.find("nowhere") != std::string::npos);
        CHECK(what.find("careflow.model.unknown_event") != std::string::npos);
    }
}

TEST_CASE("the first top-level state is the initial one unless named") {
    auto b = minimal();
    CHECK(b.build().initial() == "a");
    procedure_builder c{"c"};
    c.event("go");
    c.state("x").final();
    c.state("y");
    c.transition("y", "x").on("go");
    c.initial("y");
    CHECK(c.build().initial() == "y");
}

TEST_CASE("actions and guards render as they are written") {
    CHECK(set("rings", var("rings") + 1).to_string() == "rings := rings + 1");
    CHECK(assign("counselor", actor_id()).to_string() == "counselor <- actor");
    CHECK(call("log").to_string() == "log()");
    CHECK(notify("late").to_string() == "notify late");
    CHECK(spawn("phone_callback").to_string() == "spawn phone_callback");
    CHECK(unassign("counselor").to_string() == "unassign counselor");
    guard g{{}, [](const guard_context&) { return true; }, "is adult", {}};
    CHECK(g.to_string() == "is adult");
}
