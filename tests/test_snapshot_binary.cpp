// Binary snapshots: the same engine as the text snapshot, restored exactly; damaged,
// truncated or foreign bytes refused with a typed error and nothing changed.
#include "fixtures.hpp"

#include <random>

using namespace careflow;
using namespace careflow::test;

namespace {
const time_point t0 = at(2026, 11, 23, 9, 0);
const actor staff[] = {{"op-1", {"operator"}},
                       {"op-2", {"operator", "counselor"}},
                       {"c-1", {"counselor", "callback_agent"}},
                       {"m-1", {"manager", "supervisor", "receptionist", "back_office"}},
                       {"Ms\vChen %", {"counselor"}}};

const std::vector<std::shared_ptr<const program>>& progs() {
    static const std::vector<std::shared_ptr<const program>> all{
        procedures::hotline_call_program(), procedures::phone_callback_program(),    procedures::first_visit_program(),
        procedures::appointment_program(),  procedures::counseling_course_program(), procedures::complaint_program()};
    return all;
}

// A random mix of inputs on all six shipped procedures, with time moving on by seconds to
// days (timers fire, clocks breach, callbacks spawn).
void run(engine& e, std::mt19937_64& rng, int steps, case_id& next) {
    const auto& ps = progs();
    time_point now = t0 + minutes(static_cast<long>(rng() % 600));
    for (int i = 0; i < steps; ++i) {
        now += seconds(static_cast<long>(rng() % 40));
        const actor& who = staff[rng() % std::size(staff)];
        const case_id id = 1 + rng() % next;
        switch (rng() % 8) {
        case 0: e.start(ps[rng() % ps.size()], next++, {}, now, who); break;
        case 1:
            now += hours(static_cast<long>(rng() % 50));
            e.advance(now);
            break;
        case 2: e.assign(id, "counselor", staff[rng() % std::size(staff)].id, now, who); break;
        default: {
            if (!e.contains(id)) break;
            const auto& events = e.get(id).prog().events();
            e.dispatch(id, events[rng() % events.size()].name, now, who);
        }
        }
    }
}

// The shipped procedures compiled once (each *_program() call compiles anew).
engine shipped() {
    static const calendar center = center_calendar();
    engine e;
    e.set_calendar(procedures::center_calendar_name, center);
    for (const auto& p : progs()) e.install(p);
    return e;
}
} // namespace

TEST_CASE("a binary snapshot restores the same engine as the text one, and it runs on the same") {
    std::mt19937_64 rng(7);
    for (int round = 0; round < 60; ++round) {
        engine a = shipped();
        case_id next = 1;
        (void)a.intern(staff[round % std::size(staff)]);
        run(a, rng, 30 + static_cast<int>(rng() % 200), next);
        const std::string text = a.snapshot();
        const std::string bytes = a.snapshot(snapshot_format::binary);
        engine b = shipped();
        b.restore(bytes);
        REQUIRE_MESSAGE(b.snapshot() == text, "round " << round);
        CHECK(b.snapshot(snapshot_format::binary) == bytes);
        // Both go on identically: timers fire in the same order, spawns get the same ids.
        std::mt19937_64 same_a(round), same_b(round);
        case_id next_b = next;
        run(a, same_a, 100, next);
        run(b, same_b, 100, next_b);
        REQUIRE_MESSAGE(b.snapshot() == a.snapshot(), "round " << round << " after more inputs");
    }
}

TEST_CASE("actor_refs stay valid across a binary restore") {
    engine a = shipped();
    const auto r = a.intern(staff[0]);
    a.start(progs()[0], 1, {}, t0, staff[1]);
    engine b = shipped();
    b.restore(a.snapshot(snapshot_format::binary));
    const auto answer = *progs()[0]->find_event("answer");
    REQUIRE(b.dispatch(1, answer, t0 + seconds(2), r).applied());
    CHECK(b.get(1).assignee("operator") == "op-1");
    CHECK(b.dispatch(1, answer, t0 + seconds(2), actor_ref{r.index + 1}).code == codes::unknown_actor);
}

TEST_CASE("every truncation and every flipped byte of a binary snapshot is refused or read whole") {
    engine a = shipped();
    std::mt19937_64 rng(11);
    case_id next = 1;
    run(a, rng, 40, next);
    const std::string bytes = a.snapshot(snapshot_format::binary);
    REQUIRE(bytes.size() > 200);
    engine b = shipped();
    b.start(progs()[5], 99, {}, t0, staff[3]);
    const std::string before = b.snapshot();
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        CHECK_THROWS_AS(b.restore(std::string_view(bytes).substr(0, n)), careflow::error);
    }
    CHECK(b.snapshot() == before);
    std::size_t accepted = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::string damaged = bytes;
        damaged[i] = static_cast<char>(damaged[i] ^ (1 << (i % 8)));
        engine c = shipped();
        try {
            c.restore(damaged);
        } catch (const careflow::error& e) {
            const std::string id = e.id();
            CHECK_MESSAGE(id.rfind("careflow.snapshot.", 0) == 0, id);
            CHECK(c.size() == 0);
            continue;
        }
        // A flip into another valid value (a time, a count) is read whole: the engine it
        // makes writes a snapshot that restores to itself.
        ++accepted;
        engine d = shipped();
        d.restore(c.snapshot(snapshot_format::binary));
        CHECK(d.snapshot() == c.snapshot());
    }
    CHECK(accepted < bytes.size());
    CHECK_THROWS_WITH_AS(b.restore(bytes + "x"), doctest::Contains("careflow.snapshot.bad_value"), careflow::error);
    CHECK(b.snapshot() == before);
}

TEST_CASE("a binary snapshot is read only into the same definitions") {
    engine a = shipped();
    a.start(progs()[0], 1, {}, t0, staff[0]);
    const std::string bytes = a.snapshot(snapshot_format::binary);
    // hotline_call@1 not installed at all
    engine bare;
    CHECK_THROWS_WITH_AS(bare.restore(bytes), doctest::Contains("careflow.snapshot.unknown_program"), careflow::error);
    // the same name and version with another shape: one more variable
    procedure_builder other = hotline_model();
    other.variable("extra", value_type::integer, 0);
    engine c;
    c.install(compile(other.build()));
    engine d;
    const auto plain = compile(hotline_model().build());
    d.install(plain);
    d.start(plain, 1, {}, t0, staff[0]);
    CHECK_THROWS_WITH_AS(c.restore(d.snapshot(snapshot_format::binary)), doctest::Contains("has other variables"),
                         careflow::error);
    // The bytes name each program the cases use once, whatever else is installed: an
    // engine that installed a second compile of hotline_call@1 writes what one without does.
    engine twice = shipped();
    twice.start(procedures::hotline_call_program(), 1, {}, t0, staff[0]);
    engine once = shipped();
    once.restore(twice.snapshot(snapshot_format::binary));
    CHECK(once.snapshot(snapshot_format::binary) == twice.snapshot(snapshot_format::binary));
    // ...which the text snapshot, by name, reads (the new variable at its initial value)
    c.restore(d.snapshot());
    CHECK(c.get(1).get<std::int64_t>("extra") == 0);
}
