// The engine: start, dispatch, results, refusals, errors, rollback, hierarchy, actors, links.
#include "fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

namespace {
const actor op{"op-7", {"operator"}};
const actor counselor{"c-1", {"counselor"}};
const actor counselor2{"c-2", {"counselor"}};
const actor nobody{"x-9", {}};
const time_point t0 = at(2026, 11, 23, 1, 0); // 09:00 in Shanghai, a Monday

std::shared_ptr<const program> hotline() {
    static const auto p = compile(hotline_model().build());
    return p;
}
} // namespace

TEST_CASE("a case starts in its initial leaf with declared defaults and its timers armed") {
    engine e;
    const auto r = e.start(hotline(), 1, {}, t0, op);
    REQUIRE(r.applied());
    const auto c = e.get(1);
    CHECK(c.path() == "call.ringing");
    CHECK(c.in("call"));
    CHECK_FALSE(c.in("talking"));
    CHECK(c.variable("urgency") == value(0));
    CHECK(c.variable("caller") == value(""));
    CHECK(c.started_at() == t0);
    CHECK_FALSE(c.finished());
    const auto timers = c.pending_timers();
    REQUIRE(timers.size() == 1);
    CHECK(timers[0].first == "ringing.ring");
    CHECK(timers[0].second == t0 + seconds(5));
    CHECK(c.sla("answer").status == sla_status::running);
    CHECK(e.size() == 1);
    CHECK(e.cases() == std::vector<case_id>{1});
}

TEST_CASE("initial variables override defaults and are type-checked") {
    engine e;
    REQUIRE(e.start(hotline(), 1, {{"urgency", 2}, {"caller", "Li"}}, t0, op).applied());
    CHECK(e.get(1).variable("urgency") == value(2));
    CHECK(e.get(1).variable("caller") == value("Li"));
    const auto bad = e.start(hotline(), 2, {{"urgency", "high"}}, t0, op);
    CHECK(bad.kind == outcome::error);
    CHECK(bad.code == "careflow.runtime.bad_payload");
    const auto unknown = e.start(hotline(), 3, {{"ghost", 1}}, t0, op);
    CHECK(unknown.code == "careflow.runtime.unknown_variable");
    CHECK_FALSE(e.contains(2));
    CHECK_FALSE(e.contains(3));
}

TEST_CASE("dispatch applies a transition and reports from and to") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    const auto r = e.dispatch(1, "answer", t0 + seconds(3), op);
    REQUIRE(r.applied());
    CHECK(hotline()->states()[r.from].path == "call.ringing");
    CHECK(hotline()->states()[r.to].path == "call.talking.registration");
    CHECK(e.get(1).entered_at() == t0 + seconds(3));
    CHECK(e.get(1).pending_timers().empty()); // the ring timer was cancelled on leaving ringing
}

TEST_CASE("payload fields feed guards and effects") {
    engine e;
    e.bind("log_crisis", [](action_context&) {});
    e.start(hotline(), 1, {}, t0, op);
    e.dispatch(1, "answer", t0, op);
    REQUIRE(e.dispatch(1, "register", {{"name", "Li"}, {"withheld", false}}, t0, op).applied());
    CHECK(e.get(1).variable("caller") == value("Li"));
    REQUIRE(e.dispatch(1, "assess", {{"urgency", 4}}, t0, op).applied());
    CHECK(e.get(1).path() == "call.talking.crisis");
    CHECK(e.get(1).variable("urgency") == value(4));
    engine f;
    f.start(hotline(), 1, {}, t0, op);
    f.dispatch(1, "answer", t0, op);
    f.dispatch(1, "register", {{"name", "Wang"}, {"withheld", true}}, t0, op);
    REQUIRE(f.dispatch(1, "assess", {{"urgency", 2}}, t0, op).applied());
    CHECK(f.get(1).path() == "call.talking.transfer.handover");
}

TEST_CASE("the typed dispatch is the named dispatch without the lookups: same results, same journal") {
    engine named, typed;
    typed.bind("log_crisis", [](action_context&) {});
    named.bind("log_crisis", [](action_context&) {});
    const auto& p = *hotline();
    const auto who = typed.intern(op);
    CHECK(typed.intern(op).index == who.index); // interning is idempotent
    for (case_id id : {1, 2}) {
        named.start(hotline(), id, {}, t0, op);
        typed.start(hotline(), id, {}, t0, op);
    }
    const auto answer = *p.find_event("answer"), reg = *p.find_event("register"), assess = *p.find_event("assess");
    CHECK(named.dispatch(1, "answer", t0 + seconds(2), op).to == typed.dispatch(1, answer, t0 + seconds(2), who).to);
    const std::vector<value> li{value("Li"), value(false)};
    REQUIRE(typed.dispatch(1, reg, li, t0 + seconds(3), who).applied());
    REQUIRE(named.dispatch(1, "register", {{"name", "Li"}, {"withheld", false}}, t0 + seconds(3), op).applied());
    const std::vector<value> four{value(4)};
    REQUIRE(typed.dispatch(1, assess, four, t0 + seconds(4), who).applied());
    REQUIRE(named.dispatch(1, "assess", {{"urgency", 4}}, t0 + seconds(4), op).applied());
    CHECK(typed.get(1).path() == "call.talking.crisis");
    CHECK(typed.get(1).variable("caller") == value("Li"));
    // Case 2 was never answered: both engines fire its ring timers on the way to t0 + 20 s.
    CHECK(typed.dispatch(2, answer, t0 + seconds(20), who).kind ==
          named.dispatch(2, "answer", t0 + seconds(20), op).kind);
    const auto a = named.journal(), b = typed.journal();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == b[i]);
}

TEST_CASE("the typed dispatch rejects a bad event index, field list or actor_ref and changes nothing") {
    engine e;
    const auto who = e.intern(op);
    e.start(hotline(), 1, {}, t0, op);
    const auto& p = *hotline();
    const auto answer = *p.find_event("answer"), reg = *p.find_event("register");
    const auto before = e.get(1).state();
    auto r = e.dispatch(1, static_cast<event_index>(p.events().size()), t0, who);
    CHECK(r.code == "careflow.runtime.unknown_event");
    const std::vector<value> one{value("Li")};
    CHECK(e.dispatch(1, answer, t0, who).applied());
    r = e.dispatch(1, reg, one, t0, who);
    CHECK(r.code == "careflow.runtime.bad_payload");
    CHECK(r.reason == "event 'register' takes 2 fields, not 1");
    const std::vector<value> wrong{value(3), value(false)};
    r = e.dispatch(1, reg, wrong, t0, who);
    CHECK(r.code == "careflow.runtime.bad_payload");
    r = e.dispatch(1, answer, t0, actor_ref{});
    CHECK(r.code == "careflow.runtime.unknown_actor");
    r = e.dispatch(9, answer, t0, who);
    CHECK(r.code == "careflow.runtime.unknown_case");
    r = e.dispatch(1, answer, t0 - seconds(1), who);
    CHECK(r.code == "careflow.runtime.time_backwards");
    CHECK(e.get(1).state() != before);
    CHECK(e.get(1).path() == "call.talking.registration"); // only the answer was applied
    // The journal records every rejected input and replays onto a fresh engine.
    engine f;
    f.install(hotline());
    CHECK_NOTHROW(f.replay(e.journal()));
    CHECK(f.get(1).path() == "call.talking.registration");
}

TEST_CASE("a parent's transition applies from a deep child, behind the nearer ancestor's") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    e.dispatch(1, "answer", t0, op);
    e.dispatch(1, "register", {{"name", "Li"}, {"withheld", false}}, t0, op);
    e.dispatch(1, "assess", {{"urgency", 2}}, t0, op);
    e.dispatch(1, "join", t0, counselor);
    REQUIRE(e.get(1).path() == "call.talking.transfer.counseling");
    REQUIRE(e.dispatch(1, "hang_up", t0, op).applied());
    CHECK(e.get(1).path() == "recording"); // talking's hang_up, not call's
    engine f;
    f.start(hotline(), 1, {}, t0, op);
    REQUIRE(f.dispatch(1, "hang_up", t0, op).applied());
    CHECK(f.get(1).path() == "abandoned");
    CHECK(f.get(1).finished());
}

TEST_CASE("an event with no transition here is ignored and changes nothing") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    const std::string before = e.snapshot();
    const auto r = e.dispatch(1, "resolve", t0, counselor);
    CHECK(r.kind == outcome::ignored);
    CHECK(r.code.empty());
    CHECK(e.snapshot() == before);
}

TEST_CASE("refusals say why and change nothing") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    std::string before = e.snapshot();
    const auto role = e.dispatch(1, "answer", t0, nobody);
    CHECK(role.kind == outcome::refused);
    CHECK(role.code == "careflow.runtime.role_missing");
    CHECK(role.reason.find("operator") != std::string::npos);
    CHECK(e.snapshot() == before);

    e.dispatch(1, "answer", t0, op);
    e.dispatch(1, "register", {{"name", "Li"}, {"withheld", false}}, t0, op);
    e.dispatch(1, "assess", {{"urgency", 2}}, t0, op);
    e.dispatch(1, "join", t0, counselor);
    REQUIRE(e.get(1).assignee("counselor") == "c-1");
    before = e.snapshot();
    const auto duty = e.dispatch(1, "resolve", t0, counselor2);
    CHECK(duty.kind == outcome::refused);
    CHECK(duty.code == "careflow.runtime.not_assignee");
    CHECK(duty.reason.find("'c-1' is") != std::string::npos);
    CHECK(e.snapshot() == before);
    CHECK(e.dispatch(1, "resolve", t0, counselor).applied());
}

TEST_CASE("a false guard refuses with the guard named") {
    procedure_builder b{"g"};
    b.variable("ok", value_type::boolean, false).event("go");
    b.state("a");
    b.state("b").final();
    b.transition("a", "b").on("go").when(var("ok") == true);
    engine e;
    e.start(compile(b.build()), 1, {}, t0, op);
    const auto r = e.dispatch(1, "go", t0, op);
    CHECK(r.kind == outcome::refused);
    CHECK(r.code == "careflow.runtime.guard_false");
    CHECK(r.reason == "guard [ok == true] is false");
}

TEST_CASE("invalid inputs are error results that change nothing") {
    engine e;
    e.start(hotline(), 1, {}, t0 + seconds(10), op);
    const std::string before = e.snapshot();
    CHECK(e.dispatch(2, "answer", t0 + seconds(10), op).code == "careflow.runtime.unknown_case");
    CHECK(e.dispatch(1, "fly", t0 + seconds(10), op).code == "careflow.runtime.unknown_event");
    CHECK(e.dispatch(1, "answer", t0, op).code == "careflow.runtime.time_backwards");
    CHECK(e.advance(t0).code == "careflow.runtime.time_backwards");
    CHECK(e.start(hotline(), 1, {}, t0 + seconds(10), op).code == "careflow.runtime.duplicate_case");
    CHECK(e.assign(1, "ghost", "c-1", t0 + seconds(10), op).code == "careflow.runtime.unknown_duty");
    CHECK(e.start("no_such", 5, {}, t0 + seconds(10), op).code == "careflow.runtime.unknown_program");
    CHECK(e.snapshot() == before);
    CHECK(e.now() == t0 + seconds(10));
}

TEST_CASE("payloads must match the event's declared fields") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    e.dispatch(1, "answer", t0, op);
    const std::string before = e.snapshot();
    CHECK(e.dispatch(1, "register", {{"name", "Li"}}, t0, op).code == "careflow.runtime.bad_payload"); // missing
    CHECK(e.dispatch(1, "register", {{"name", 3}, {"withheld", false}}, t0, op).code ==
          "careflow.runtime.bad_payload"); // type
    CHECK(e.dispatch(1, "register", {{"name", "Li"}, {"withheld", false}, {"age", 3}}, t0, op).code ==
          "careflow.runtime.bad_payload"); // extra
    CHECK(e.snapshot() == before);
}

TEST_CASE("a host action that throws leaves the case unchanged and is reported") {
    engine e;
    int calls = 0;
    e.bind("log_crisis", [&](action_context& ctx) {
        ++calls;
        ctx.set("urgency", 99); // changes made before the throw must roll back
        throw std::runtime_error("pager offline");
    });
    e.start(hotline(), 1, {}, t0, op);
    e.dispatch(1, "answer", t0, op);
    e.dispatch(1, "register", {{"name", "Li"}, {"withheld", false}}, t0, op);
    const std::string before = e.snapshot();
    const auto r = e.dispatch(1, "assess", {{"urgency", 5}}, t0, op);
    CHECK(calls == 1);
    CHECK(r.kind == outcome::error);
    CHECK(r.code == "careflow.runtime.action_failed");
    CHECK(r.reason.find("pager offline") != std::string::npos);
    CHECK(e.snapshot() == before);
    CHECK(e.get(1).variable("urgency") == value(0));
    // once the host fixes its action, the same input applies
    e.bind("log_crisis", [](action_context& ctx) { CHECK(ctx.field("urgency") == value(5)); });
    CHECK(e.dispatch(1, "assess", {{"urgency", 5}}, t0, op).applied());
}

TEST_CASE("an unbound host action is an error result") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    e.dispatch(1, "answer", t0, op);
    e.dispatch(1, "register", {{"name", "Li"}, {"withheld", false}}, t0, op);
    const auto r = e.dispatch(1, "assess", {{"urgency", 5}}, t0, op);
    CHECK(r.code == "careflow.runtime.unbound_action");
    CHECK(e.get(1).path() == "call.talking.assessment");
}

TEST_CASE("eventless transitions are followed until stable, with a loop bound") {
    procedure_builder b{"triage"};
    b.variable("urgency", value_type::integer, 0)
        .variable("n", value_type::integer, 0)
        .event("assess", {{"level", value_type::integer, {}}});
    b.state("intake");
    b.state("decide");
    b.state("crisis").final();
    b.state("routine").final();
    b.state("spin");
    b.state("spun");
    b.transition("intake", "decide").on("assess").then(set("urgency", field("level")));
    b.transition("decide", "crisis").when(var("urgency") >= 4);
    b.transition("decide", "spin").when(var("urgency") == 3);
    b.transition("decide", "routine");
    b.transition("spin", "spun").when(var("n") >= 0).then(set("n", var("n") + 1));
    b.transition("spun", "spin").when(var("n") >= 0);
    b.transition("spun", "routine").when(var("n") < 0);
    const auto p = compile(b.build());
    engine e;
    e.start(p, 1, {}, t0, op);
    CHECK(e.dispatch(1, "assess", {{"level", 5}}, t0, op).applied());
    CHECK(e.get(1).path() == "crisis");
    e.start(p, 2, {}, t0, op);
    CHECK(e.dispatch(2, "assess", {{"level", 1}}, t0, op).applied());
    CHECK(e.get(2).path() == "routine");
    e.start(p, 3, {}, t0, op);
    const std::string before = e.snapshot();
    const auto r = e.dispatch(3, "assess", {{"level", 3}}, t0, op);
    CHECK(r.code == "careflow.runtime.eventless_loop");
    CHECK(e.snapshot() == before);
    CHECK(e.get(3).path() == "intake");
}

TEST_CASE("assign is an explicit, journaled change the duty check then honours") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    e.dispatch(1, "answer", t0, op);
    e.dispatch(1, "register", {{"name", "Li"}, {"withheld", false}}, t0, op);
    e.dispatch(1, "assess", {{"urgency", 2}}, t0, op);
    e.dispatch(1, "join", t0, counselor);
    REQUIRE(e.assign(1, "counselor", "c-2", t0, actor{"m-1", {"manager"}}).applied());
    CHECK(e.get(1).assignee("counselor") == "c-2");
    CHECK(e.dispatch(1, "resolve", t0, counselor).code == "careflow.runtime.not_assignee");
    CHECK(e.dispatch(1, "resolve", t0, counselor2).applied());
    const auto j = e.journal();
    const auto it =
        std::find_if(j.begin(), j.end(), [](const journal_entry& x) { return x.kind == record_kind::assign; });
    REQUIRE(it != j.end());
    CHECK(it->event == "counselor");
    CHECK(it->detail == "c-2");
    CHECK(it->actor == "m-1");
}

TEST_CASE("a spawn starts a linked case with bound variables, queryable both ways") {
    procedure_builder cb{"callback"};
    cb.variable("consulted_at", value_type::time).variable("caller", value_type::text).event("done");
    cb.state("planned");
    cb.state("closed").final();
    cb.transition("planned", "closed").on("done");
    const auto callback = compile(cb.build());

    procedure_builder b{"call"};
    b.variable("caller", value_type::text, "Li").event("end");
    b.state("talking");
    b.state("ended").final();
    b.transition("talking", "ended")
        .on("end")
        .then(spawn("callback", {{"consulted_at", now()}, {"caller", var("caller")}}))
        .then(spawn("callback", {{"consulted_at", now() + boost::posix_time::hours(24 * 30)}}));
    const auto call = compile(b.build());

    engine e({.journal = true, .eventless_limit = 64, .spawn_base = 1000});
    e.install(callback);
    e.start(call, 1, {}, t0, op);
    REQUIRE(e.dispatch(1, "end", t0 + hours(1), op).applied());
    CHECK(e.get(1).children() == std::vector<case_id>{1000, 1001});
    REQUIRE(e.contains(1000));
    CHECK(e.get(1000).parent() == case_id{1});
    CHECK(e.get(1000).variable("consulted_at") == value(t0 + hours(1)));
    CHECK(e.get(1000).variable("caller") == value("Li"));
    CHECK(e.get(1001).variable("consulted_at") == value(t0 + hours(1) + hours(24 * 30)));
    CHECK_FALSE(e.get(1).parent().has_value());
    // a spawn of a procedure the engine does not know fails the step
    engine f;
    f.start(call, 1, {}, t0, op);
    const auto r = f.dispatch(1, "end", t0, op);
    CHECK(r.code == "careflow.runtime.spawn_failed");
    CHECK(f.get(1).path() == "talking");
}

TEST_CASE("finished cases can be erased; running ones cannot") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    e.start(hotline(), 2, {}, t0, op);
    CHECK(e.pending_timers() == 4); // ring timer and SLA clock of each
    CHECK_FALSE(e.erase(1));
    e.dispatch(1, "hang_up", t0, op);
    CHECK(e.pending_timers() == 2);
    CHECK(e.erase(1));
    CHECK_FALSE(e.contains(1));
    CHECK(e.cases() == std::vector<case_id>{2});
    CHECK_THROWS_WITH_AS((void)e.get(1), doctest::Contains("careflow.runtime.unknown_case"), careflow::error);
}

TEST_CASE("observers see every committed change in order") {
    struct recorder : observer {
        std::vector<std::string> log;
        void started(const case_view& c, time_point) override { log.push_back("started " + c.path()); }
        void transition(const case_view& c, std::string_view ev, state_index, state_index to, time_point) override {
            log.push_back("transition " + std::string(ev) + " -> " + c.prog().states()[to].path);
        }
        void refused(const case_view&, std::string_view ev, const result& r, time_point) override {
            log.push_back("refused " + std::string(ev) + " " + std::string(r.code));
        }
        void notified(const case_view&, std::string_view topic, std::string_view, time_point) override {
            log.push_back("notify " + std::string(topic));
        }
        void sla_met(const case_view&, const program_sla& s, time_point) override { log.push_back("met " + s.name); }
        void sla_changed(const case_view&, const program_sla& s, sla_event ev, time_point) override {
            log.push_back("sla " + s.name + " " + std::string(to_string(ev)));
        }
        void finished(const case_view& c, time_point) override { log.push_back("finished " + c.path()); }
        void timer_fired(const case_view&, const program_timer& t, time_point) override {
            log.push_back("timer " + t.name);
        }
    } rec;
    engine e;
    e.add_observer(&rec);
    e.start(hotline(), 1, {}, t0, op);
    e.dispatch(1, "answer", t0 + seconds(6), nobody);
    e.dispatch(1, "answer", t0 + seconds(7), op);
    e.dispatch(1, "hang_up", t0 + seconds(8), op);
    e.advance(t0 + hours(3));
    const std::vector<std::string> expected = {
        "started call.ringing",
        "sla answer started",
        "timer ringing.ring",
        "transition ring -> call.ringing",
        "refused answer careflow.runtime.role_missing",
        "transition answer -> call.talking.registration",
        "sla answer met",
        "met answer",
        "transition hang_up -> recording",
        "timer recording.record_due",
        "transition record_due -> recording",
        "notify record_late",
    };
    CHECK(rec.log == expected);
    e.remove_observer(&rec);
    e.dispatch(1, "recorded", t0 + hours(4), op);
    CHECK(rec.log.size() == expected.size());
}
