// The lean path: careflow::machine steps cases of a program without clock, timers or
// journal — with the engine's semantics, which a property test checks event by event.
#include "fixtures.hpp"

#include <careflow/runtime/machine.hpp>

using namespace careflow;
using namespace careflow::test;

namespace {

// Hierarchy, guards, set actions on transitions and on entry/exit, roles, an internal
// transition, an eventless choice and two final states.
procedure_builder call_model() {
    procedure_builder b{"call"};
    b.variable("rings", value_type::integer, 0)
        .variable("urgency", value_type::integer, 0)
        .variable("entered", value_type::integer, 0)
        .variable("left", value_type::integer, 0)
        .event("ring")
        .event("answer")
        .event("assess", {{"urgency", value_type::integer, {}}})
        .event("done")
        .event("hang_up");
    b.initial("ringing");
    b.state("ringing");
    b.state("talking")
        .initial("assessment")
        .on_entry(set("entered", var("entered") + 1))
        .on_exit(set("left", var("left") + 1));
    b.state("assessment").parent("talking");
    b.state("counseling").parent("talking");
    b.state("triage"); // eventless: routes on urgency
    b.state("referral");
    b.state("ended").final();
    b.state("missed").final();
    b.internal("ringing").on("ring").when(var("rings") < 3).then(set("rings", var("rings") + 1));
    b.transition("ringing", "missed").on("ring");
    b.transition("ringing", "talking").on("answer").require_role("operator");
    b.transition("assessment", "triage")
        .on("assess")
        .when(field("urgency") >= 0)
        .then(set("urgency", field("urgency")));
    b.transition("triage", "counseling").when(var("urgency") >= 2);
    b.transition("triage", "referral");
    b.transition("referral", "ended").on("done");
    b.transition("counseling", "ended").on("done").when(var("urgency") < 5);
    b.transition("talking", "ended").on("hang_up");
    return b;
}

state_index state_of(const program& p, std::string_view name) { return *p.find_state(name); }
event_index event_of(const program& p, std::string_view name) { return *p.find_event(name); }

} // namespace

TEST_CASE("a machine steps cases with guards, actions, hierarchy, roles and eventless steps") {
    auto p = compile(call_model().build());
    machine m(p);
    const auto c = m.add();
    CHECK(c == 0);
    CHECK(m.size() == 1);
    CHECK(m.state(c) == state_of(*p, "ringing"));
    const auto ring = event_of(*p, "ring"), answer = event_of(*p, "answer"), assess = event_of(*p, "assess"),
               done = event_of(*p, "done");
    CHECK(m.dispatch(c, ring) == outcome::applied); // internal: stays, counts
    CHECK(m.state(c) == state_of(*p, "ringing"));
    CHECK(m.variable(c, 0).i == 1);
    CHECK(m.dispatch(c, done) == outcome::ignored);
    const std::uint64_t clerk = p->role_mask(std::vector<std::string>{"clerk"});
    const std::uint64_t op = p->role_mask(std::vector<std::string>{"operator"});
    CHECK(m.dispatch(c, answer, {}, clerk) == outcome::refused);
    CHECK(m.state(c) == state_of(*p, "ringing"));
    CHECK(m.dispatch(c, answer, {}, op) == outcome::applied);
    CHECK(m.state(c) == state_of(*p, "assessment"));
    CHECK(m.variable(c, 2).i == 1); // talking's entry action
    const cell low{1}, high{3}, negative{-1};
    CHECK(m.dispatch(c, assess, std::span(&negative, 1)) == outcome::refused); // guard false
    CHECK(m.variable(c, 1).i == 0);
    CHECK(m.dispatch(c, assess, std::span(&high, 1)) == outcome::applied);
    CHECK(m.state(c) == state_of(*p, "counseling")); // through triage, eventless
    CHECK(m.variable(c, 1).i == 3);
    CHECK(m.variable(c, 3).i == 1); // talking's exit action ran leaving for triage,
    CHECK(m.variable(c, 2).i == 2); // its entry action again entering counseling
    CHECK_FALSE(m.finished(c));
    CHECK(m.dispatch(c, done) == outcome::applied);
    CHECK(m.finished(c));
    CHECK(m.dispatch(c, ring) == outcome::ignored); // a finished case ignores everything

    const auto d = m.add();
    CHECK(d == 1);
    CHECK(m.dispatch(d, answer) == outcome::applied); // any_role by default
    CHECK(m.dispatch(d, assess, std::span(&low, 1)) == outcome::applied);
    CHECK(m.state(d) == state_of(*p, "referral"));
    CHECK(m.state(c) == state_of(*p, "ended")); // cases are independent
}

TEST_CASE("a missed call: the ring counter's guard decides between staying and leaving") {
    auto p = compile(call_model().build());
    machine m(p);
    const auto c = m.add();
    const auto ring = event_of(*p, "ring");
    for (int i = 0; i < 3; ++i) CHECK(m.dispatch(c, ring) == outcome::applied);
    CHECK(m.state(c) == state_of(*p, "ringing"));
    CHECK(m.dispatch(c, ring) == outcome::applied);
    CHECK(m.state(c) == state_of(*p, "missed"));
    CHECK(m.variable(c, 0).i == 3);
}

TEST_CASE("bad inputs to a machine are errors that change nothing") {
    auto p = compile(call_model().build());
    machine m(p);
    const auto c = m.add();
    const cell one{1};
    CHECK(m.dispatch(7, event_of(*p, "ring")) == outcome::error);                         // no such case
    CHECK(m.dispatch(c, static_cast<event_index>(p->events().size())) == outcome::error); // no such event
    CHECK(m.dispatch(c, event_of(*p, "ring"), std::span(&one, 1)) == outcome::error);     // ring has no payload
    CHECK(m.dispatch(c, event_of(*p, "answer")) == outcome::applied);
    CHECK(m.dispatch(c, event_of(*p, "assess")) == outcome::error); // assess needs its field
    CHECK(m.state(c) == state_of(*p, "assessment"));
    CHECK(m.variable(c, 0).i == 0);
    CHECK_THROWS_WITH_AS((void)m.state(9), doctest::Contains("careflow.machine.out_of_range"), careflow::error);
    CHECK_THROWS_WITH_AS((void)m.variable(c, 4), doctest::Contains("careflow.machine.out_of_range"), careflow::error);
    CHECK_THROWS_WITH_AS((void)m.variable(3, 0), doctest::Contains("careflow.machine.out_of_range"), careflow::error);
    CHECK_THROWS_WITH_AS(machine(nullptr), doctest::Contains("careflow.machine.null_program"), careflow::error);
}

TEST_CASE("an eventless loop fails the step and restores the case") {
    procedure_builder b{"loop"};
    b.variable("n", value_type::integer, 0).event("go").event("stop");
    b.state("a");
    b.state("b").open_ended();
    b.state("c").open_ended();
    b.state("z").final();
    b.transition("a", "b").on("go").then(set("n", var("n") + 1));
    b.transition("b", "c").then(set("n", var("n") + 1));
    b.transition("c", "b").when(var("n") > 0);
    b.transition("a", "z").on("stop");
    auto p = compile(b.build());
    machine m(p, 10);
    const auto c = m.add();
    CHECK(m.dispatch(c, event_of(*p, "go")) == outcome::error);
    CHECK(m.state(c) == state_of(*p, "a"));
    CHECK(m.variable(c, 0).i == 0);
    CHECK(m.dispatch(c, event_of(*p, "stop")) == outcome::applied);

    procedure_builder l{"born_looping"};
    l.variable("n", value_type::integer, 1).event("go");
    l.state("b");
    l.state("c").open_ended();
    l.state("z").final();
    l.transition("b", "c").when(var("n") > 0);
    l.transition("c", "b");
    l.transition("b", "z").on("go");
    machine looping(compile(l.build()), 5);
    CHECK_THROWS_WITH_AS(looping.add(), doctest::Contains("careflow.machine.eventless_loop"), careflow::error);
    CHECK(looping.size() == 0);
}

TEST_CASE("a machine refuses programs that need an engine, naming the feature") {
    auto refused = [](procedure_builder b, const char* what) {
        CAPTURE(what);
        auto p = compile(b.build());
        CHECK_THROWS_WITH_AS(machine{p}, doctest::Contains(what), careflow::error);
        CHECK_THROWS_WITH_AS(machine{p}, doctest::Contains("careflow.machine.unsupported"), careflow::error);
    };
    {
        auto b = minimal("timed");
        b.edit("a").after(minutes(5), "go");
        refused(b, "timer");
    }
    refused(hotline_model(), "uses timer");
    {
        auto b = minimal("texts");
        b.variable("name", value_type::text, "Li");
        refused(b, "text variables");
    }
    {
        auto b = minimal("clock");
        b.variable("due", value_type::time, at(2026, 11, 23, 9, 0));
        b.transition("a", "b").on("go").when(var("due") > now());
        refused(b, "reads text, the time, the actor, a consent, In() or _event.name");
    }
    {
        auto b = minimal("notifying");
        b.edit("a").on_exit(notify("ops", "left a"));
        refused(b, "notification");
    }
    {
        auto b = minimal("hosted");
        b.host("log");
        b.edit("a").on_exit(call("log"));
        refused(b, "host action 'log'");
    }
    {
        auto b = minimal("predicate");
        b.transition("a", "b").on("go").when("always", [](const guard_context&) { return true; });
        refused(b, "host guard [always]");
    }
}

TEST_CASE("property: a machine and an engine agree on every step of random event streams") {
    auto p = compile(call_model().build());
    machine m(p);
    engine e({.journal = false});
    const actor op{"op", {"operator"}}, clerk{"clerk", {"clerk"}};
    const std::uint64_t op_mask = p->role_mask(op.roles), clerk_mask = p->role_mask(clerk.roles);
    const time_point t0 = at(2026, 11, 23, 9, 0);
    std::uint64_t seed = 99;
    auto next = [&] {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        return seed >> 33;
    };
    constexpr int cases = 1000;
    for (int c = 0; c < cases; ++c) {
        REQUIRE(m.add() == static_cast<machine::handle>(c));
        REQUIRE(e.start(p, static_cast<case_id>(c), {}, t0, op).applied());
    }
    int applied = 0, refused = 0, ignored = 0;
    for (int step = 0; step < 20'000; ++step) {
        const auto c = static_cast<std::uint32_t>(next() % cases);
        const auto ev = static_cast<event_index>(next() % p->events().size());
        const bool as_op = next() % 4 != 0;
        const auto& decl = p->events()[ev];
        const cell urgency{static_cast<std::int64_t>(next() % 8) - 1};
        payload fields;
        if (!decl.payload.empty()) fields.set("urgency", urgency.i);
        const auto got = m.dispatch(c, ev, decl.payload.empty() ? std::span<const cell>() : std::span(&urgency, 1),
                                    as_op ? op_mask : clerk_mask);
        const auto want = e.dispatch(c, decl.name, fields, t0, as_op ? op : clerk);
        REQUIRE_MESSAGE(got == want.kind, "step " << step << " event " << decl.name);
        REQUIRE(m.state(c) == e.get(c).state());
        for (var_index v = 0; v < p->variables().size(); ++v)
            REQUIRE(m.variable(c, v).i == std::get<std::int64_t>(e.get(c).variable(p->variables()[v].name).get()));
        applied += got == outcome::applied;
        refused += got == outcome::refused;
        ignored += got == outcome::ignored;
    }
    CHECK(applied > 1000); // the stream exercised every outcome
    CHECK(refused > 100);
    CHECK(ignored > 1000);
}

TEST_CASE("a machine's case costs four bytes for the state and one cell per variable") {
    auto p = compile(call_model().build());
    machine m(p);
    CHECK(m.bytes_per_case() == 4 + 4 * sizeof(cell));
    m.reserve(1000);
    for (int i = 0; i < 1000; ++i) m.add();
    CHECK(m.size() == 1000);
    CHECK(&m.prog() == p.get());
}
