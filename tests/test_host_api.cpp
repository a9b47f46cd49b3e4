// What a host reads and hooks into beyond start/dispatch: the events an actor may apply
// now, typed variable reads, SLA clocks in the API's time types with the accountable
// person, the journal sink, a case's history, and actor_refs across restore.
#include "fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

namespace {
const actor op{"op-7", {"operator"}};
const actor counselor{"c-1", {"counselor"}};
const actor other{"c-2", {"counselor"}};
const time_point t0 = at(2026, 11, 23, 1, 0);

std::shared_ptr<const program> hotline() {
    static const auto p = compile(hotline_model().build());
    return p;
}

const event_option* find(const std::vector<event_option>& os, std::string_view event) {
    for (const auto& o : os)
        if (o.event == event) return &o;
    return nullptr;
}
} // namespace

TEST_CASE("options lists what an actor may do now, with the refusal for each that is not allowed") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    const auto before = e.snapshot();
    auto os = e.options(1, op);
    REQUIRE(find(os, "answer"));
    CHECK(find(os, "answer")->kind == outcome::applied);
    CHECK(find(os, "hang_up")->kind == outcome::applied);
    CHECK(find(os, "ring"));
    CHECK_FALSE(find(os, "resolve")); // no transition from ringing
    os = e.options(1, actor{"visitor", {}});
    CHECK(find(os, "answer")->kind == outcome::refused);
    CHECK(find(os, "answer")->code == codes::role_missing);
    CHECK(find(os, "hang_up")->kind == outcome::applied);
    CHECK(e.snapshot() == before); // nothing changed, nobody was interned into a snapshot

    e.dispatch(1, "answer", t0 + seconds(1), op);
    e.dispatch(1, "register", {{"name", "A"}, {"withheld", false}}, t0 + seconds(2), op);
    os = e.options(1, op);
    CHECK(find(os, "assess")->needs_payload); // guards read the payload: not evaluated
    CHECK(find(os, "assess")->kind == outcome::applied);
    e.dispatch(1, "assess", {{"urgency", 3}}, t0 + seconds(3), op);
    e.dispatch(1, "join", t0 + seconds(4), counselor);
    os = e.options(1, other);
    CHECK(find(os, "resolve")->code == codes::not_assignee);
    CHECK(find(os, "resolve")->reason.find("'c-2' is not the assignee of duty 'counselor'") != std::string::npos);
    CHECK(find(e.options(1, counselor), "resolve")->kind == outcome::applied);
    CHECK(find(e.options(1, actor{"system", {}}), "resolve")->code == codes::reserved_actor);
    CHECK_THROWS_AS((void)e.options(99, op), careflow::error);
    e.dispatch(1, "hang_up", t0 + seconds(5), counselor);
    e.dispatch(1, "recorded", t0 + seconds(6), counselor);
    CHECK(e.options(1, counselor).empty()); // finished
}

TEST_CASE("options agrees with dispatch on guards") {
    procedure_builder b{"guarded"};
    b.variable("n", value_type::integer, 0).event("go");
    b.state("a");
    b.state("b").final();
    b.transition("a", "b").on("go").when(var("n") > 2);
    engine e;
    e.start(compile(b.build()), 1, {}, t0, op);
    const auto o = e.options(1, op);
    REQUIRE(o.size() == 1);
    CHECK(o[0].code == codes::guard_false);
    CHECK(e.dispatch(1, "go", t0, op).code == o[0].code);
}

TEST_CASE("variables read as C++ types, and the wrong type is a typed error") {
    engine e;
    e.start(hotline(), 1, {{"urgency", 3}, {"caller", "Ms Chen"}}, t0, op);
    const auto c = e.get(1);
    CHECK(c.get<int>("urgency") == 3);
    CHECK(c.get<std::int64_t>("urgency") == 3);
    CHECK(c.get<std::string>("caller") == "Ms Chen");
    CHECK_FALSE(c.get<bool>("withheld"));
    CHECK_THROWS_WITH_AS((void)c.get<std::string>("urgency"), doctest::Contains("careflow.runtime.wrong_type"),
                         careflow::error);
    CHECK_THROWS_WITH_AS((void)c.get<int>("nope"), doctest::Contains("careflow.runtime.unknown_variable"),
                         careflow::error);
}

TEST_CASE("an SLA clock reads in the API's time types, with the accountable person by name") {
    procedure_builder b{"duty_clock"};
    b.event("take").event("finish").duty("owner");
    b.state("open");
    b.state("worked");
    b.state("done").final();
    b.transition("open", "worked").on("take").then(assign("owner", actor_id()));
    b.transition("worked", "done").on("finish");
    b.sla("handle").start(entered("open")).stop(entered("done")).goal(hours(1)).warn_at({0.5}).accountable("owner");
    const auto p = compile(b.build());
    engine e;
    e.start(p, 1, {}, t0, op);
    auto r = e.get(1).report("handle");
    CHECK(r.status == sla_status::running);
    CHECK(r.started == t0);
    CHECK(r.due == t0 + hours(1));
    CHECK(r.goal == hours(1));
    CHECK_FALSE(r.late());
    e.dispatch(1, "take", t0 + minutes(10), counselor);
    e.advance(t0 + minutes(40));
    r = e.get(1).report("handle");
    CHECK(r.elapsed == minutes(40));
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0] == t0 + minutes(30));
    e.dispatch(1, "finish", t0 + hours(2), counselor);
    r = e.get(1).report("handle");
    CHECK(r.status == sla_status::breached);
    CHECK(r.breached == t0 + hours(1) + boost::posix_time::microseconds(1));
    CHECK(r.stopped == t0 + hours(2));
    CHECK(r.accountable == "c-1");
    CHECK(e.get(1).accountable("handle") == "c-1");
    CHECK(r.cycles == 1);
    // The same person in a restored copy (whose internal numbering may differ).
    engine f;
    f.install(p);
    (void)f.intern(actor{"someone-else", {}}); // numbering in f differs from e
    f.restore(e.snapshot());
    CHECK(f.get(1).accountable("handle") == "c-1");
    CHECK(f.snapshot() == e.snapshot());
}

TEST_CASE("the journal sink is handed each input's records once, in order, after commit") {
    struct collector : journal_sink {
        std::vector<journal_entry> got;
        std::vector<std::size_t> firsts;
        engine* e = nullptr;
        void append(std::size_t first, std::span<const journal_entry> records) override {
            CHECK(first == got.size());
            CHECK(e->journal_size() == first + records.size()); // committed before the sink hears of it
            firsts.push_back(first);
            got.insert(got.end(), records.begin(), records.end());
        }
    } sink;
    engine e;
    sink.e = &e;
    e.set_journal_sink(&sink);
    e.start(hotline(), 1, {}, t0, op);
    e.dispatch(1, "nope", t0, op); // errors too
    e.advance(t0 + seconds(16));   // timer fires and an SLA breach, all for one input
    e.dispatch(1, "hang_up", t0 + seconds(17), op);
    e.erase(1);
    CHECK(sink.got == e.journal());
    CHECK(sink.firsts.size() == 5);
}

TEST_CASE("a case's history is its own journal entries") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    e.start(hotline(), 2, {}, t0, op);
    e.dispatch(1, "answer", t0 + seconds(1), op);
    e.dispatch(2, "hang_up", t0 + seconds(2), op);
    const auto h = e.history(2);
    REQUIRE_FALSE(h.empty());
    for (const auto& x : h) CHECK(x.id == 2);
    CHECK(h.front().kind == record_kind::start);
    CHECK(std::any_of(h.begin(), h.end(), [](const auto& x) { return x.kind == record_kind::finish; }));
}

TEST_CASE("actor_refs stay valid across snapshot and restore; a foreign ref is refused") {
    engine a;
    a.install(hotline());
    const auto r7 = a.intern(op);
    a.dispatch(1, "x", t0, actor{"passer-by", {}}); // interned by name, not handed out
    a.start(hotline(), 1, {}, t0, op);
    const auto snap = a.snapshot();
    engine b;
    b.install(hotline());
    b.restore(snap);
    const auto eve = b.intern(actor{"eve", {"operator"}});
    CHECK(eve.index != r7.index);
    const auto answer = *hotline()->find_event("answer");
    REQUIRE(b.dispatch(1, answer, t0 + seconds(1), r7).applied());
    const auto j = b.journal();
    const auto in = std::find_if(j.rbegin(), j.rend(), [](const auto& x) { return x.kind == record_kind::dispatch; });
    REQUIRE(in != j.rend());
    CHECK(in->actor == "op-7");
    CHECK(in->roles == op.roles);
    CHECK(b.dispatch(1, answer, t0 + seconds(1), actor_ref{12345}).code == codes::unknown_actor);
    // Refs are dense in interning order: the next index is no actor until intern() makes it.
    CHECK(eve.index == r7.index + 1);
    CHECK(b.dispatch(1, answer, t0 + seconds(1), actor_ref{eve.index + 1}).code == codes::unknown_actor);
    CHECK(b.intern(actor{"passer-by", {}}).index == eve.index + 1);
}

TEST_CASE("observers run after the whole input, in journal order, seeing the committed case") {
    struct order : observer {
        std::vector<std::string> seen;
        void timer_fired(const case_view& c, const program_timer& t, time_point) override {
            seen.push_back("fired " + t.name + " in " + c.path());
        }
        void transition(const case_view& c, std::string_view ev, state_index, state_index, time_point) override {
            seen.push_back("transition " + std::string(ev) + " now " + c.path());
        }
        void sla_changed(const case_view&, const program_sla& s, sla_event ev, time_point) override {
            seen.push_back("sla " + s.name + " " + std::string(to_string(ev)));
        }
    } o;
    engine e;
    e.add_observer(&o);
    e.start(hotline(), 1, {}, t0, op);
    o.seen.clear();
    e.dispatch(1, "answer", t0 + seconds(6), op); // one ring fires first
    const std::vector<std::string> want{"fired ringing.ring in call.talking.registration",
                                        "transition ring now call.talking.registration",
                                        "transition answer now call.talking.registration", "sla answer met"};
    CHECK(o.seen == want);
}
