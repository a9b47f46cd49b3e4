// Regressions of the run stage: each wrong result found in the engine before the step
// was rebuilt around one pipeline (issue "the run stage rebuilt around one step"), as a
// test that failed then and passes now.
#include "fixtures.hpp"

#include <sstream>

using namespace careflow;
using namespace careflow::test;

namespace {
const actor op{"op-7", {"operator"}};
const time_point t0 = at(2026, 11, 23, 1, 0);

// a -go-> decide ─(eventless)─► b -done-> end; clock X starts on entering b, clock Y runs
// from entering a until leaving decide.
std::shared_ptr<const program> eventless_clocks(bool start_in_decide = false) {
    procedure_builder b{"eventless"};
    b.event("go").event("done");
    if (start_in_decide) b.initial("decide");
    b.state("a");
    b.state("decide");
    b.state("b");
    b.state("end").final();
    b.transition("a", "decide").on("go");
    b.transition("decide", "b");
    b.transition("b", "end").on("done");
    if (start_in_decide) b.event("back"), b.transition("b", "a").on("back"); // keeps `a` reachable
    b.sla("x").start(entered("b")).stop(entered("end")).goal(hours(1));
    b.sla("y").start(entered("a")).stop(left("decide")).goal(hours(1));
    b.sla("z").start(left("decide")).stop(entered("end")).goal(hours(1));
    return compile(b.build());
}

// The engine b becomes by replaying a's whole journal from empty equals a.
void check_replays(engine& a, const std::function<void(engine&)>& setup) {
    engine b;
    setup(b);
    b.replay(a.journal());
    CHECK(b.snapshot() == a.snapshot());
}

std::shared_ptr<const program> parent_and_child() {
    static const auto p = [] {
        procedure_builder c{"child"};
        c.event("stop");
        c.state("open");
        c.state("shut").final();
        c.transition("open", "shut").on("stop");
        return compile(c.build());
    }();
    return p;
}

std::shared_ptr<const program> spawner() {
    static const auto p = [] {
        procedure_builder b{"parent"};
        b.event("go");
        b.state("idle");
        b.state("done").final();
        b.transition("idle", "done").on("go").then(spawn("child"));
        return compile(b.build());
    }();
    return p;
}

void setup_spawn(engine& e) {
    e.install(parent_and_child());
    e.install(spawner());
}
} // namespace

TEST_CASE("an eventless step runs its SLA triggers (through dispatch)") {
    engine e;
    e.start(eventless_clocks(), 1, {}, t0, op);
    REQUIRE(e.get(1).sla("y").status == sla_status::running);
    REQUIRE(e.dispatch(1, "go", t0 + minutes(5), op).applied());
    CHECK(e.get(1).path() == "b");
    CHECK(e.get(1).sla("x").status == sla_status::running); // entered b in the eventless step
    CHECK(e.get(1).sla("y").status == sla_status::met);     // left decide in the eventless step
    CHECK(e.get(1).sla("z").status == sla_status::running);
}

TEST_CASE("an eventless step runs its SLA triggers (through start)") {
    engine e;
    e.start(eventless_clocks(true), 1, {}, t0, op);
    CHECK(e.get(1).path() == "b");
    CHECK(e.get(1).sla("x").status == sla_status::running);
    CHECK(e.get(1).sla("z").status == sla_status::running);
    CHECK(e.get(1).sla("y").status == sla_status::inactive); // a was never entered
}

TEST_CASE("rejected inputs are journaled as given, so restore + replay reproduces them") {
    const auto p = eventless_clocks();
    auto setup = [&](engine& e) { e.install(p); };
    engine a;
    setup(a);
    CHECK(a.start(p, 1, {{"no_such_var", 1}}, t0, op).code == codes::unknown_variable);
    CHECK(a.start("nope", 2, {{"v", 1}}, t0, op).code == codes::unknown_program);
    REQUIRE(a.start(p, 1, {}, t0, op).applied());
    CHECK(a.dispatch(1, "go", {{"extra", 1}}, t0 + minutes(1), op).code == codes::bad_payload);
    CHECK(a.dispatch(9, "go", t0 + minutes(1), op).code == codes::unknown_case);
    CHECK(a.dispatch(1, "fly", t0 + minutes(1), op).code == codes::unknown_event);
    CHECK(a.dispatch(1, "go", t0 - minutes(1), op).code == codes::time_backwards);
    CHECK(a.assign(1, "nobody", "p", t0 + minutes(2), op).code == codes::unknown_duty);
    std::vector<journal_entry> errors;
    for (const auto& x : a.journal())
        if (x.result == outcome::error) errors.push_back(x);
    REQUIRE(errors.size() == 7);
    CHECK(errors[0].get("no_such_var") == value(1)); // the variables as given
    CHECK(errors[1].procedure == "nope");
    CHECK(errors[1].get("v") == value(1));
    CHECK(errors[2].get("extra") == value(1)); // the payload as given
    CHECK(errors[3].event == "go");
    CHECK(errors[4].event == "fly");
    CHECK(errors[5].event == "go");
    CHECK(errors[6].event == "nobody");
    check_replays(a, setup);
    // And through the text format.
    std::stringstream text;
    write_journal(text, a.journal());
    engine b;
    setup(b);
    CHECK(b.replay(read_journal(text)) == 8);
    CHECK(b.snapshot() == a.snapshot());
}

TEST_CASE("a spawn whose generated id a host case took gets the next free id") {
    engine e(engine_options{.spawn_base = 100});
    setup_spawn(e);
    REQUIRE(e.start(parent_and_child(), 100, {}, t0, op).applied()); // the host takes the first spawn id
    REQUIRE(e.start(spawner(), 1, {}, t0, op).applied());
    REQUIRE(e.dispatch(1, "go", t0 + minutes(1), op).applied());
    REQUIRE(e.get(1).children().size() == 1);
    const case_id child = e.get(1).children()[0];
    CHECK(child == 101);
    CHECK(e.get(child).parent() == case_id{1});
    const auto j = e.journal();
    const auto spawned = std::find_if(j.begin(), j.end(), [](const auto& x) { return x.kind == record_kind::spawn; });
    REQUIRE(spawned != j.end());
    CHECK(spawned->other == 101);
    for (const auto& x : j) CHECK(x.result != outcome::error);
    check_replays(e, [](engine& b) {
        b = engine(engine_options{.spawn_base = 100});
        setup_spawn(b);
    });
}

TEST_CASE("an observer that calls the engine back gets an error and loses nothing") {
    struct caller : observer {
        engine* e = nullptr;
        result got;
        void transition(const case_view&, std::string_view, state_index, state_index, time_point t) override {
            got = e->dispatch(1, "stop", t, actor{"op-7", {"operator"}});
        }
    } o;
    engine e;
    setup_spawn(e);
    o.e = &e;
    e.add_observer(&o);
    e.start(spawner(), 1, {}, t0, op);
    REQUIRE(e.dispatch(1, "go", t0 + minutes(1), op).applied());
    CHECK(o.got.code == codes::reentrant_input);
    REQUIRE(e.get(1).children().size() == 1); // the outer step's spawn was not lost
    CHECK(e.contains(e.get(1).children()[0]));
    e.remove_observer(&o);
    check_replays(e, setup_spawn);
}

TEST_CASE("an observer that throws loses nothing: spawns start, others are told, the exception comes after") {
    struct thrower : observer {
        void transition(const case_view&, std::string_view, state_index, state_index, time_point) override {
            throw std::runtime_error("observer failed");
        }
    } bad;
    struct counter : observer {
        int starts = 0;
        void started(const case_view&, time_point) override { ++starts; }
    } good;
    engine e;
    setup_spawn(e);
    e.start(spawner(), 1, {}, t0, op);
    e.add_observer(&bad);
    e.add_observer(&good);
    CHECK_THROWS_WITH(e.dispatch(1, "go", t0 + minutes(1), op), "observer failed");
    CHECK(good.starts == 1); // the child's start was reported to the other observer
    REQUIRE(e.get(1).children().size() == 1);
    CHECK(e.get(1).finished());
    e.remove_observer(&bad);
    e.remove_observer(&good);
    check_replays(e, setup_spawn); // the live engine equals its journal
    CHECK(e.dispatch(e.get(1).children()[0], "stop", t0 + minutes(2), op).applied()); // and is usable
}

TEST_CASE("no host actor can claim the engine's own identity") {
    engine e;
    e.install(compile(hotline_model().build()));
    REQUIRE(e.start("hotline_call", 1, {}, t0, op).applied());
    const auto r = e.dispatch(1, "answer", t0 + seconds(1), actor{"system", {}});
    CHECK(r.kind == outcome::error);
    CHECK(r.code == codes::reserved_actor);
    CHECK(e.dispatch(1, "answer", t0 + seconds(1), actor{"system", {"operator"}}).code == codes::reserved_actor);
    CHECK(e.start("hotline_call", 2, {}, t0 + seconds(1), actor{"system", {}}).code == codes::reserved_actor);
    const auto ref = e.intern(actor{"system", {}});
    CHECK(e.dispatch(1, *e.get(1).prog().find_event("answer"), t0 + seconds(1), ref).code == codes::reserved_actor);
    CHECK(e.get(1).path() == "call.ringing");
    // Timers still act as the engine.
    e.advance(t0 + seconds(5));
    CHECK(e.get(1).variable("rings") == value(1));
    CHECK(e.journal().back().actor == "system");
}

TEST_CASE("engines of different shards never spawn the same id") {
    engine a(engine_options{.shard = 0});
    engine b(engine_options{.shard = 1});
    setup_spawn(a);
    setup_spawn(b);
    for (engine* e : {&a, &b}) {
        e->start(spawner(), 1, {}, t0, op);
        e->dispatch(1, "go", t0 + minutes(1), op);
    }
    const case_id ca = a.get(1).children().at(0), cb = b.get(1).children().at(0);
    CHECK(ca != cb);
    CHECK(ca == (case_id{1} << 62));
    CHECK(cb == (case_id{1} << 62) + (case_id{1} << 40));
}

TEST_CASE("erase is journaled and replay checks codes and states") {
    engine a;
    setup_spawn(a);
    a.start(parent_and_child(), 1, {}, t0, op);
    a.start(parent_and_child(), 2, {}, t0, op);
    CHECK_FALSE(a.erase(1)); // not finished
    a.dispatch(1, "stop", t0 + minutes(1), op);
    CHECK(a.erase(1));
    CHECK_FALSE(a.erase(1)); // gone
    const auto j = a.journal();
    CHECK(std::count_if(j.begin(), j.end(), [](const auto& x) { return x.kind == record_kind::erase; }) == 3);
    CHECK(j.back().code == codes::unknown_case);
    check_replays(a, setup_spawn);
    CHECK_FALSE(a.contains(1));

    // A replay that ends in another state (or with another code) diverges.
    auto edited = a.journal();
    for (auto& x : edited)
        if (x.kind == record_kind::dispatch) x.to = "open";
    engine b;
    setup_spawn(b);
    CHECK_THROWS_WITH_AS(b.replay(edited), doctest::Contains("replayed into 'shut'"), careflow::error);
    auto recoded = a.journal();
    recoded[2].code = std::string(codes::unknown_case); // erase of a live case: not_finished
    engine c;
    setup_spawn(c);
    CHECK_THROWS_WITH_AS(c.replay(recoded), doctest::Contains("careflow.replay.diverged"), careflow::error);
}

TEST_CASE("an external self-transition counts as a visit in the dwell KPIs") {
    procedure_builder b{"loop"};
    b.event("again").event("done");
    b.state("waiting");
    b.state("over").final();
    b.transition("waiting", "waiting").on("again");
    b.transition("waiting", "over").on("done");
    engine e;
    const auto p = compile(b.build());
    e.start(p, 1, {}, t0, op);
    e.dispatch(1, "again", t0 + hours(1), op);
    e.dispatch(1, "done", t0 + hours(3), op);
    const auto k = compute_kpis(e.journal());
    const auto it = std::find_if(k.dwell.begin(), k.dwell.end(), [](const auto& d) { return d.state == "waiting"; });
    REQUIRE(it != k.dwell.end());
    CHECK(it->visits == 2);
    CHECK(it->longest == 2 * ticks_per_hour);
}

TEST_CASE("assign on a finished case is ignored and changes nothing") {
    engine e;
    e.install(compile(hotline_model().build()));
    e.start("hotline_call", 1, {}, t0, op);
    e.dispatch(1, "hang_up", t0 + seconds(1), op);
    REQUIRE(e.get(1).finished());
    const auto before = e.snapshot();
    CHECK(e.assign(1, "counselor", "c-1", t0 + seconds(1), op).kind == outcome::ignored);
    CHECK(e.get(1).assignee("counselor").empty());
    CHECK(e.snapshot() == before);
}

TEST_CASE("journal positions survive clear_journal, and written chunks append") {
    engine e;
    e.install(compile(hotline_model().build()));
    e.start("hotline_call", 1, {}, t0, op);
    e.dispatch(1, "answer", t0 + seconds(1), op);
    const std::size_t kept = e.journal_size();
    std::stringstream file;
    write_journal(file, e.journal());
    e.clear_journal();
    CHECK(e.journal_size() == kept);
    CHECK(e.journal_begin() == kept);
    CHECK(e.journal(0).empty());
    e.dispatch(1, "hang_up", t0 + seconds(9), op);
    const auto tail = e.journal(kept);
    REQUIRE(tail.size() == e.journal_size() - kept);
    CHECK(tail.front().event == "hang_up");
    write_journal(file, tail, false); // appended without a second header
    write_journal(file, tail);        // or with one: both read back
    const auto all = read_journal(file);
    CHECK(all.size() == kept + 2 * tail.size());
    CHECK(all[kept] == tail.front());
}

TEST_CASE("a failed start changes nothing, not even the clock") {
    engine e;
    const auto p = compile(hotline_model().build());
    e.start(p, 1, {}, t0, op);
    const auto before = e.snapshot();
    CHECK(e.start(p, 2, {{"nope", 1}}, t0 + hours(5), op).code == codes::unknown_variable);
    CHECK(e.snapshot() == before);
    CHECK(e.dispatch(1, "answer", t0 + seconds(2), op).applied()); // not time_backwards
}

TEST_CASE("special instants are refused as bad_time") {
    engine e;
    const auto p = compile(hotline_model().build());
    const auto before = e.snapshot();
    CHECK(e.start(p, 1, {}, time_point(boost::posix_time::not_a_date_time), op).code == codes::bad_time);
    CHECK(e.advance(time_point(boost::posix_time::pos_infin)).code == codes::bad_time);
    CHECK(e.snapshot() == before);
    std::stringstream out;
    write_journal(out, e.journal()); // still writable
    CHECK(read_journal(out).size() == 2);
}

TEST_CASE("an actor whose only role is empty survives the journal text") {
    engine e;
    e.install(compile(hotline_model().build()));
    e.start("hotline_call", 1, {}, t0, actor{"a", {""}});
    std::stringstream out;
    write_journal(out, e.journal());
    const auto back = read_journal(out);
    REQUIRE_FALSE(back.empty());
    CHECK(back[0].roles == std::vector<std::string>{""});
}

TEST_CASE("a spawn cycle validation cannot see fails the step at the depth limit, without a stack overflow") {
    // ping spawns pong on entry, pong spawns ping on entry: each is valid on its own.
    auto make = [](const char* name, const char* other) {
        procedure_builder b{name};
        b.event("go");
        b.state("open").on_entry(spawn(other));
        b.state("shut").final();
        b.transition("open", "shut").on("go");
        return compile(b.build());
    };
    engine e(engine_options{.spawn_depth_limit = 8});
    const auto ping = make("ping", "pong"), pong = make("pong", "ping");
    e.install(ping);
    e.install(pong);
    const auto r = e.start(ping, 1, {}, t0, op);
    CHECK(r.applied()); // the case itself starts; the spawn chain is cut where it gets too deep
    std::size_t failed = 0;
    for (const auto& x : e.journal())
        if (x.code == codes::spawn_failed) ++failed;
    CHECK(failed == 1);
    // The case and 7 below it; the 8th spawned start asks for a spawn past the limit, so
    // that start fails (and is rolled back), ending the chain.
    CHECK(e.size() == 8);
}

TEST_CASE("integer and time arithmetic saturates, and a deadline past 9999 is +infinity, never an exception") {
    // rings + 1 is the fast path (variable plus offset); n + $x and when + $d the general
    // interpreter. Both saturate at the ends of the 64-bit range instead of overflowing.
    constexpr std::int64_t top = std::numeric_limits<std::int64_t>::max();
    procedure_builder b{"far"};
    b.variable("n", value_type::integer, 0)
        .variable("m", value_type::integer, 0)
        .variable("when", value_type::time, at(2026, 1, 1, 0, 0))
        .variable("d", value_type::duration, hours(1))
        .event("go", {{"x", value_type::integer, {}}, {"t", value_type::time, {}}, {"span", value_type::duration, {}}})
        .event("tick");
    b.state("a");
    b.state("b").at(var("when") + var("d"), "tick");
    b.state("c").final();
    b.transition("a", "b")
        .on("go")
        .then(set("n", field("x") + field("x")))
        .then(set("m", field("x") - (expr(0) - field("x"))))
        .then(set("when", field("t")))
        .then(set("d", field("span")));
    b.internal("b").on("go").then(set("n", var("n") + 1));
    b.transition("b", "c").on("tick");
    b.sla("s").start(entered("b")).stop(entered("c")).goal_at(var("when") + var("d"));
    const auto p = compile(b.build());
    engine e;
    const time_point t0 = at(2026, 11, 23, 9, 0);
    const actor h{"h", {}};
    e.start(p, 1, {}, t0, h);
    const time_point last(boost::gregorian::date(9999, 12, 31), hours(23));
    REQUIRE(e.dispatch(1, "go", {{"x", top}, {"t", last}, {"span", hours(24 * 365 * 50)}}, t0, h).applied());
    CHECK(e.get(1).get<std::int64_t>("n") == top);
    CHECK(e.get(1).get<std::int64_t>("m") == top);
    REQUIRE(e.dispatch(1, "go", {{"x", 1}, {"t", last}, {"span", hours(1)}}, t0, h).applied());
    CHECK(e.get(1).get<std::int64_t>("n") == top); // top + 1 stays top
    // The SLA goal reaches past the years Boost holds: its due time reads as +infinity.
    const auto r = e.get(1).report("s");
    REQUIRE(r.due.has_value());
    CHECK(r.due->is_pos_infinity());
    CHECK(e.advance(last).applied());
    CHECK(e.get(1).path() == "b"); // the timer is due after the last representable instant
    std::stringstream out;
    write_journal(out, e.journal());
    CHECK(read_journal(out).size() == e.journal_size());
    engine back;
    back.install(p);
    back.restore(e.snapshot());
    CHECK(back.snapshot() == e.snapshot());
}

TEST_CASE("a journal entry a host made with a time outside the years 1400-9999 is a typed error") {
    journal_entry far;
    far.kind = record_kind::advance;
    far.time = std::numeric_limits<ticks>::max();
    std::stringstream out;
    CHECK_THROWS_WITH_AS(write_journal(out, std::vector<journal_entry>{far}),
                         doctest::Contains("careflow.journal.bad_value"), careflow::error);
    far.time = first_ticks - 1;
    CHECK_THROWS_WITH_AS(write_journal(out, std::vector<journal_entry>{far}),
                         doctest::Contains("careflow.journal.bad_value"), careflow::error);
    far.time = last_ticks;
    std::stringstream fine;
    write_journal(fine, std::vector<journal_entry>{far});
    CHECK(read_journal(fine).at(0).time == last_ticks);
}
