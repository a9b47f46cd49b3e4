// compile(): hierarchy resolved into flat tables; candidate order; exit/entry sequences.
#include "fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

namespace {
struct fixture {
    std::shared_ptr<const program> p = compile(hotline_model().build());
    state_index s(const char* name) const { return *p->find_state(name); }
    event_index e(const char* name) const { return *p->find_event(name); }
    std::vector<std::string> names(std::span<const state_index> xs) const {
        std::vector<std::string> out;
        for (auto x : xs) out.push_back(p->states()[x].name);
        return out;
    }
    std::vector<std::string> targets(std::span<const program_transition> cs) const {
        std::vector<std::string> out;
        for (const auto& c : cs) out.push_back(c.target == no_index ? "(internal)" : p->states()[c.target].name);
        return out;
    }
};
using list = std::vector<std::string>;
} // namespace

TEST_CASE_FIXTURE(fixture, "states get dense ids, paths, parents and depths") {
    REQUIRE(p->states().size() == 13);
    const auto& counseling = p->states()[s("counseling")];
    CHECK(counseling.path == "call.talking.transfer.counseling");
    CHECK(counseling.depth == 3);
    CHECK(counseling.parent == s("transfer"));
    CHECK_FALSE(counseling.compound);
    CHECK(p->states()[s("talking")].compound);
    CHECK(p->states()[s("talking")].initial == s("registration"));
    CHECK(p->states()[s("closed")].is_final);
    CHECK(p->within(s("counseling"), s("call")));
    CHECK_FALSE(p->within(s("call"), s("counseling")));
    CHECK_FALSE(p->find_state("ghost").has_value());
}

TEST_CASE_FIXTURE(fixture, "a new case enters the initial states down to a leaf") {
    CHECK(p->initial_leaf() == s("ringing"));
    CHECK(names(p->initial_entries()) == list{"call", "ringing"});
}

TEST_CASE_FIXTURE(fixture, "a transition on a parent applies in every child, behind the child's own") {
    // ringing has no hang_up of its own: call's applies
    CHECK(targets(p->candidates(s("ringing"), e("hang_up"))) == list{"abandoned"});
    // counseling: talking's hang_up (nearer ancestor) before call's
    const auto cs = p->candidates(s("counseling"), e("hang_up"));
    CHECK(targets(cs) == list{"recording", "abandoned"});
    CHECK(cs[0].source == s("talking"));
    CHECK(cs[1].source == s("call"));
    // no transition at all: an empty candidate list
    CHECK(p->candidates(s("closed"), e("hang_up")).empty());
    CHECK(p->candidates(s("ringing"), e("resolve")).empty());
}

TEST_CASE("a child's transition wins over its parent's even when declared later") {
    procedure_builder b{"order"};
    b.event("go");
    b.state("outer").initial("inner");
    b.state("inner").parent("outer");
    b.state("by_parent").final();
    b.state("by_child").final();
    b.transition("outer", "by_parent").on("go");
    b.transition("inner", "by_child").on("go");
    const auto p = compile(b.build());
    const auto cs = p->candidates(*p->find_state("inner"), *p->find_event("go"));
    REQUIRE(cs.size() == 2);
    CHECK(p->states()[cs[0].target].name == "by_child");
    CHECK(p->states()[cs[1].target].name == "by_parent");
    CHECK(cs[0].decl == 1); // the declaration it came from
    CHECK(p->states()[cs[0].source].name == "inner");
}

TEST_CASE_FIXTURE(fixture, "guarded candidates keep declaration order, unguarded fallback last") {
    const auto cs = p->candidates(s("assessment"), e("assess"));
    CHECK(targets(cs) == list{"crisis", "handover", "resolution"}); // transfer is entered at its initial leaf
    REQUIRE(cs[0].guard != no_index);
    REQUIRE(cs[1].guard != no_index);
    CHECK(cs[2].guard == no_index);
    CHECK(p->guards()[cs[0].guard].label == "$urgency >= 4");
    CHECK(p->decl_count() == 13);
}

TEST_CASE_FIXTURE(fixture, "exit and entry sequences are precomputed per leaf") {
    // hang_up declared on talking, taken from counseling: leave innermost first
    const auto up = p->candidates(s("counseling"), e("hang_up"))[0];
    CHECK(names(p->sequence(up.exits)) == list{"counseling", "transfer", "talking", "call"});
    CHECK(names(p->sequence(up.entries)) == list{"recording"});
    // the same declaration taken from registration
    const auto up2 = p->candidates(s("registration"), e("hang_up"))[0];
    CHECK(names(p->sequence(up2.exits)) == list{"registration", "talking", "call"});
    // into a compound target: enter outermost first, then initial children
    const auto answer = p->candidates(s("ringing"), e("answer"))[0];
    CHECK(names(p->sequence(answer.exits)) == list{"ringing"});
    CHECK(names(p->sequence(answer.entries)) == list{"talking", "registration"});
    CHECK(answer.target == s("registration"));
    // between siblings' descendants: the common ancestor (talking) is neither left nor entered
    const auto join = p->candidates(s("crisis"), e("join"))[0];
    CHECK(names(p->sequence(join.exits)) == list{"crisis"});
    CHECK(names(p->sequence(join.entries)) == list{"transfer", "counseling"});
    // internal: nothing left, nothing entered
    const auto ring = p->candidates(s("ringing"), e("ring"))[0];
    CHECK(ring.target == no_index);
    CHECK(ring.exits.count == 0);
    CHECK(ring.entries.count == 0);
}

TEST_CASE("a self-transition leaves and re-enters its state; parent-to-child re-enters the parent") {
    procedure_builder b{"self"};
    b.event("again").event("restart").event("go");
    b.state("box").initial("first");
    b.state("first").parent("box");
    b.state("second").parent("box");
    b.state("end").final();
    b.transition("first", "first").on("again");
    b.transition("box", "second").on("restart");
    b.transition("second", "end").on("go");
    b.transition("first", "second").on("go");
    const auto p = compile(b.build());
    auto names = [&](index_range r) {
        std::vector<std::string> out;
        for (auto x : p->sequence(r)) out.push_back(p->states()[x].name);
        return out;
    };
    const auto first = *p->find_state("first");
    const auto again = p->candidates(first, *p->find_event("again"))[0];
    CHECK(names(again.exits) == std::vector<std::string>{"first"});
    CHECK(names(again.entries) == std::vector<std::string>{"first"});
    const auto restart = p->candidates(first, *p->find_event("restart"))[0];
    CHECK(names(restart.exits) == std::vector<std::string>{"first", "box"});
    CHECK(names(restart.entries) == std::vector<std::string>{"box", "second"});
}

TEST_CASE_FIXTURE(fixture, "roles become bit masks and duties indexes") {
    REQUIRE(p->roles().size() == 2);
    CHECK(p->roles()[0] == "operator");
    CHECK(p->roles()[1] == "counselor");
    const std::string both[] = {"counselor", "operator", "stranger"};
    CHECK(p->role_mask(both) == 0b11);
    CHECK(p->candidates(s("ringing"), e("answer"))[0].roles == 0b01);
    CHECK(p->candidates(s("ringing"), e("hang_up"))[0].roles == 0);
    const auto resolve = p->candidates(s("counseling"), e("resolve"))[0];
    CHECK(resolve.duty == *p->find_duty("counselor"));
    CHECK(p->candidates(s("ringing"), e("answer"))[0].duty == no_index);
}

TEST_CASE_FIXTURE(fixture, "actions compile to plain records with resolved indexes") {
    const auto reg = p->candidates(s("registration"), e("register"))[0];
    const auto acts = p->actions(reg.actions);
    REQUIRE(acts.size() == 2);
    CHECK(acts[0].kind == action_kind::set);
    CHECK(acts[0].target == *p->find_variable("caller"));
    CHECK(p->expressions()[acts[0].value].type == value_type::text);
    const auto crisis = p->actions(p->candidates(s("assessment"), e("assess"))[0].actions);
    CHECK(crisis[1].kind == action_kind::call);
    CHECK(p->host_actions()[crisis[1].target].name == "log_crisis");
    const auto late = p->actions(p->candidates(s("recording"), e("record_due"))[0].actions);
    CHECK(late[0].kind == action_kind::notify);
    CHECK(late[0].text == "record not filed within 2h");
}

TEST_CASE_FIXTURE(fixture, "timers compile to specs listed on their state") {
    const auto ts = p->state_timers(p->states()[s("ringing")].timers);
    REQUIRE(ts.size() == 1);
    const auto& ring = p->timers()[ts[0]];
    CHECK(ring.kind == timer_kind::every);
    CHECK(ring.delay.elapsed == 5 * ticks_per_second);
    CHECK(ring.count == 3);
    CHECK(ring.event == e("ring"));
    CHECK(ring.calendar == no_index);
    CHECK(p->state_timers(p->states()[s("counseling")].timers).empty());
}

TEST_CASE_FIXTURE(fixture, "SLA conditions compile to triggers per state and per event") {
    REQUIRE(p->slas().size() == 1);
    CHECK(p->slas()[0].goal.elapsed == 15 * ticks_per_second);
    CHECK(p->slas()[0].warnings == std::vector<double>{0.5, 0.75});
    REQUIRE(p->on_enter(s("ringing")).size() == 1);
    CHECK(p->on_enter(s("ringing"))[0].effect == sla_effect::start);
    CHECK(p->on_leave(s("ringing"))[0].effect == sla_effect::stop);
    CHECK(p->on_event(e("hang_up"))[0].effect == sla_effect::cancel);
    CHECK(p->on_enter(s("talking")).empty());
}

TEST_CASE("calendars and deadline timers compile by name and expression") {
    procedure_builder b{"appointment"};
    b.variable("appointment_at", value_type::time).event("remind").event("ack_due").event("go");
    b.state("booked")
        .at(var("appointment_at") - boost::posix_time::hours(24), "remind")
        .after(working_days(1), "ack_due", "center");
    b.state("done").final();
    b.transition("booked", "done").on("go");
    b.internal("booked").on("remind");
    b.internal("booked").on("ack_due");
    b.sla("confirm").start(entered("booked")).stop(received("go")).goal(hours(24), "center");
    const auto p = compile(b.build());
    REQUIRE(p->calendars().size() == 1);
    CHECK(p->calendars()[0] == "center");
    CHECK(p->timers()[1].calendar == 0);
    CHECK(p->timers()[1].delay.kind == span_kind::working_days);
    CHECK(p->timers()[1].delay.days == 1);
    CHECK(p->slas()[0].calendar == 0);
    const auto& deadline = p->timers()[0];
    REQUIRE(deadline.deadline != no_index);
    std::vector<cell> vars(1);
    vars[0].i = to_ticks(at(2026, 11, 25, 10, 0));
    eval_context ctx{vars.data(), nullptr, nullptr, nullptr, 0, nullptr};
    CHECK(p->expressions()[deadline.deadline].evaluate(ctx).i == to_ticks(at(2026, 11, 24, 10, 0)));
}

TEST_CASE("eventless transitions have their own column, in priority order") {
    procedure_builder b{"triage"};
    b.variable("urgency", value_type::integer, 0).event("start");
    b.state("intake");
    b.state("decide");
    b.state("crisis").final();
    b.state("routine").final();
    b.transition("intake", "decide").on("start");
    b.transition("decide", "crisis").when(var("urgency") >= 4);
    b.transition("decide", "routine");
    const auto p = compile(b.build());
    const auto cs = p->eventless(*p->find_state("decide"));
    REQUIRE(cs.size() == 2);
    CHECK(p->states()[cs[0].target].name == "crisis");
    CHECK(p->states()[cs[1].target].name == "routine");
    CHECK(p->eventless(*p->find_state("intake")).empty());
}

TEST_CASE_FIXTURE(fixture, "variables carry typed initial values and text slots") {
    const auto& urgency = p->variables()[*p->find_variable("urgency")];
    CHECK(urgency.type == value_type::integer);
    CHECK(urgency.initial.i == 0);
    const auto& caller = p->variables()[*p->find_variable("caller")];
    CHECK(caller.text_slot == 0);
    CHECK(p->text_count() == 1);
    CHECK(cell_value(urgency.initial, urgency.type, {}) == value(0));
}

TEST_CASE("host guards compile beside expression guards and read by name") {
    procedure_builder b{"host"};
    b.variable("age", value_type::integer, 20).event("go", {{"note", value_type::text, {}}});
    b.state("a");
    b.state("adult").final();
    b.state("minor").final();
    b.transition("a", "adult")
        .on("go")
        .when("is adult",
              [](const guard_context& g) {
                  return std::get<std::int64_t>(g.variable("age").get()) >= 18 && g.field("note") == value("ok");
              },
              {{"age", value_type::integer}});
    b.transition("a", "minor").on("go");
    const auto p = compile(b.build());
    const auto& g = p->guards()[p->candidates(*p->find_state("a"), *p->find_event("go"))[0].guard];
    CHECK(g.expression == no_index);
    CHECK(g.label == "is adult");
    std::vector<cell> vars{p->variables()[0].initial};
    std::vector<cell> fields(1);
    std::vector<std::string> field_texts{"ok"};
    eval_context ctx{vars.data(), nullptr, fields.data(), field_texts.data(), 0, nullptr};
    const guard_context gc(*p, *p->find_event("go"), ctx);
    CHECK(g.predicate(gc));
    CHECK_THROWS_WITH_AS((void)gc.variable("ghost"), doctest::Contains("careflow.runtime.unknown_variable"),
                         careflow::error);
    CHECK_THROWS_WITH_AS((void)gc.field("ghost"), doctest::Contains("careflow.runtime.unknown_field"), careflow::error);
}

TEST_CASE("more than 64 distinct roles cannot compile") {
    auto b = minimal();
    auto t = b.transition("a", "b");
    t.on("go").when(expr(true));
    for (int i = 0; i < 65; ++i) t.require_role("role" + std::to_string(i));
    CHECK_THROWS_WITH_AS((void)compile(b.build()), doctest::Contains("careflow.program.too_many_roles"),
                         careflow::error);
}

TEST_CASE("a symbol bound to a spawned case is refused at compile with a typed error") {
    auto b = minimal();
    b.transition("a", "b").on("go").when(expr(true)).then(spawn("phone_callback", {{"risk", symbol{"high"}}}));
    CHECK_THROWS_WITH_AS((void)compile(b.build()), doctest::Contains("careflow.program.unsupported"), careflow::error);
    auto ok = minimal();
    ok.variable("when", value_type::time);
    ok.transition("a", "b")
        .on("go")
        .when(expr(true))
        .then(spawn("phone_callback", {{"due", var("when")}, {"note", "x"}}));
    const auto p = compile(ok.build());
    const auto& a = p->actions()[0];
    CHECK(a.kind == action_kind::spawn);
    CHECK(a.name == "phone_callback");
    REQUIRE(a.bindings.size() == 2);
    CHECK(p->expressions()[a.bindings[0].second].type == value_type::time);
    CHECK(p->expressions()[a.bindings[1].second].type == value_type::text);
}

TEST_CASE("more than 65,534 events cannot compile") {
    procedure_builder b{"huge"};
    for (int i = 0; i < 65535; ++i) b.event("e" + std::to_string(i));
    b.state("a");
    b.state("b").final();
    b.transition("a", "b").on("e0");
    CHECK_THROWS_WITH_AS((void)compile(b.build()), doctest::Contains("careflow.program.too_large"), careflow::error);
}

TEST_CASE("a state is inert when entering and leaving it does nothing") {
    auto p = compile(hotline_model().build());
    auto inert = [&](std::string_view name) { return p->states()[*p->find_state(name)].inert; };
    CHECK_FALSE(inert("ringing")); // a ring timer and the answer SLA clock
    CHECK(inert("registration"));  // nothing on entry or exit
    procedure_builder b{"acts"};
    b.variable("n", value_type::integer, 0).event("go");
    b.state("a").on_exit(set("n", 1));
    b.state("b").final();
    b.transition("a", "b").on("go");
    auto q = compile(b.build());
    CHECK_FALSE(q->states()[*q->find_state("a")].inert); // an exit action
    CHECK(q->states()[*q->find_state("b")].inert);
}
