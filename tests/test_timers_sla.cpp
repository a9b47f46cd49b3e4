// Timers (never early, ordered, repeating, deadlines, calendars) and SLA clocks
// (start/stop/pause/resume/cancel, warnings and breach exactly once, calendars).
#include "fixtures.hpp"

#include <boost/date_time/posix_time/posix_time.hpp>

using namespace careflow;
using namespace careflow::test;
using boost::gregorian::date;

namespace {
const actor op{"op-7", {"operator"}};
// Shanghai local time (UTC+8) to UTC. 2026-11-23 is a Monday.
time_point local(int y, int mo, int d, int h, int mi, int s = 0) { return at(y, mo, d, h, mi) + seconds(s) - hours(8); }

struct sla_log : observer {
    std::vector<std::string> events;
    void sla_changed(const case_view&, const program_sla& s, sla_event e, time_point t) override {
        events.push_back(s.name + " " + std::string(to_string(e)) + " @" + boost::posix_time::to_simple_string(t));
    }
};

// A ticket: open → (pause while waiting for the client) → resolved, with a goal in a calendar.
std::shared_ptr<const program> ticket(span goal, std::string calendar = {}, std::string breach_event = {}) {
    procedure_builder b{"ticket"};
    b.event("wait").event("reply").event("resolve").event("withdraw").event("reopen").event("late");
    b.state("open");
    b.state("waiting");
    b.state("escalated");
    b.state("resolved");
    b.state("withdrawn").final();
    b.state("closed").final();
    b.transition("open", "waiting").on("wait");
    b.transition("waiting", "open").on("reply");
    b.transition("open", "resolved").on("resolve");
    b.transition("resolved", "open").on("reopen");
    b.transition("resolved", "closed").on("withdraw");
    b.transition("open", "withdrawn").on("withdraw");
    b.transition("waiting", "withdrawn").on("withdraw");
    b.transition("open", "escalated").on("late");
    b.transition("escalated", "resolved").on("resolve");
    auto s = b.sla("resolution");
    s.start(entered("open"))
        .stop(received("resolve"))
        .pause(entered("waiting"))
        .resume(left("waiting"))
        .cancel(received("withdraw"))
        .goal(goal, calendar);
    if (!breach_event.empty()) s.on_breach(breach_event);
    return compile(b.build());
}
} // namespace

TEST_CASE("a timer never fires early and fires exactly at its due time") {
    engine e;
    const auto p = compile(test::hotline_model().build());
    const auto t0 = at(2026, 11, 23, 1, 0);
    e.start(p, 1, {}, t0, op);
    e.advance(t0 + seconds(5) - boost::posix_time::microseconds(1));
    CHECK(e.get(1).variable("rings") == value(0));
    e.advance(t0 + seconds(5));
    CHECK(e.get(1).variable("rings") == value(1));
}

TEST_CASE("a repeating timer fires at most count times, at exact multiples") {
    engine e;
    const auto p = compile(test::hotline_model().build());
    const auto t0 = at(2026, 11, 23, 1, 0);
    e.start(p, 1, {}, t0, op);
    e.advance(t0 + seconds(14));
    CHECK(e.get(1).variable("rings") == value(2));
    CHECK(e.get(1).pending_timers().at(0).second == t0 + seconds(15));
    e.advance(t0 + hours(1)); // one long advance fires the third and no more
    CHECK(e.get(1).variable("rings") == value(3));
    CHECK(e.get(1).pending_timers().empty());
    const auto j = e.journal();
    std::vector<time_point> fires;
    for (const auto& x : j)
        if (x.kind == record_kind::fire && x.event == "ring") fires.push_back(to_time_point(x.time));
    CHECK(fires == std::vector<time_point>{t0 + seconds(5), t0 + seconds(10), t0 + seconds(15)});
}

TEST_CASE("timers due at the same instant fire in arming order, across cases") {
    procedure_builder b{"tick"};
    b.variable("n", value_type::integer, 0).event("tick").event("stop");
    b.state("on").after(hours(1), "tick");
    b.state("off").final();
    b.internal("on").on("tick").then(set("n", 1));
    b.transition("on", "off").on("stop");
    const auto p = compile(b.build());
    engine e;
    const auto t0 = at(2026, 11, 23, 0, 0);
    for (case_id id : {5, 3, 9, 1}) e.start(p, id, {}, t0, op);
    e.advance(t0 + hours(2));
    std::vector<case_id> order;
    for (const auto& x : e.journal())
        if (x.kind == record_kind::fire) order.push_back(x.id);
    CHECK(order == std::vector<case_id>{5, 3, 9, 1});
}

TEST_CASE("one advance across a week fires every timer due that week, in due order") {
    procedure_builder b{"callback"};
    b.variable("due", value_type::time).event("call").event("done");
    b.state("planned").at(var("due"), "call");
    b.state("calling");
    b.state("done").final();
    b.transition("planned", "calling").on("call");
    b.transition("calling", "done").on("done");
    const auto p = compile(b.build());
    engine e;
    const auto t0 = at(2026, 11, 23, 0, 0);
    e.start(p, 1, {{"due", t0 + hours(24 * 5)}}, t0, op);
    e.start(p, 2, {{"due", t0 + hours(24 * 2)}}, t0, op);
    e.start(p, 3, {{"due", t0 + hours(24 * 9)}}, t0, op);
    e.start(p, 4, {{"due", t0 - hours(1)}}, t0, op); // already past: fires at once (at t0)
    e.advance(t0 + hours(24 * 7));
    std::vector<std::pair<case_id, time_point>> fired;
    for (const auto& x : e.journal())
        if (x.kind == record_kind::fire) fired.emplace_back(x.id, to_time_point(x.time));
    const std::vector<std::pair<case_id, time_point>> expected = {{4, t0}, {2, t0 + hours(48)}, {1, t0 + hours(120)}};
    CHECK(fired == expected);
    CHECK(e.get(3).path() == "planned");
    CHECK(e.get(1).path() == "calling");
}

TEST_CASE("a timer measured in a business calendar pauses outside opening hours") {
    procedure_builder b{"ack"};
    b.event("ack_due").event("ack");
    b.state("received")
        .after(hours(2), "ack_due", "center")
        .after(working_days(1), "ack_due", "center")
        .named("one_day");
    b.state("late").open_ended();
    b.state("done").final();
    b.transition("received", "late").on("ack_due");
    b.transition("received", "done").on("ack");
    const auto p = compile(b.build());
    engine e;
    // Without its calendar the program cannot run.
    CHECK(e.start(p, 1, {}, local(2026, 11, 27, 17, 0), op).code == "careflow.runtime.unknown_calendar");
    e.set_calendar("center", center_calendar());
    REQUIRE(e.start(p, 1, {}, local(2026, 11, 27, 17, 0), op).applied()); // Friday 17:00
    const auto timers = e.get(1).pending_timers();
    REQUIRE(timers.size() == 2);
    CHECK(timers[0].first == "received.ack_due");
    CHECK(timers[0].second == local(2026, 11, 30, 10, 0)); // Monday 10:00
    CHECK(timers[1].first == "one_day");
    CHECK(timers[1].second == local(2026, 11, 30, 17, 0)); // next working day, same moment
}

TEST_CASE("an SLA clock met within its goal, and breached exactly once when late") {
    sla_log log;
    engine e;
    e.add_observer(&log);
    const auto p = ticket(hours(4));
    const auto t0 = at(2026, 11, 23, 0, 0);
    e.start(p, 1, {}, t0, op);
    e.start(p, 2, {}, t0, op);
    e.dispatch(1, "resolve", t0 + hours(4), op); // exactly at the goal: met
    const auto& met = e.get(1).sla("resolution");
    CHECK(met.status == sla_status::met);
    CHECK(met.elapsed_before == 4 * ticks_per_hour);
    CHECK_FALSE(met.late());
    CHECK(met.cycles == 1);
    e.advance(t0 + hours(10));
    const auto& late = e.get(2).sla("resolution");
    CHECK(late.status == sla_status::running); // a breached clock keeps running
    CHECK(late.breached_at == to_ticks(t0 + hours(4)) + 1);
    e.dispatch(2, "resolve", t0 + hours(12), op);
    CHECK(e.get(2).sla("resolution").status == sla_status::breached);
    CHECK(e.get(2).sla("resolution").elapsed_before == 12 * ticks_per_hour); // how late: 8 h
    std::size_t breaches = 0, warnings = 0;
    for (const auto& ev : log.events) {
        breaches += ev.find("breached") != std::string::npos;
        warnings += ev.find("warning") != std::string::npos;
    }
    CHECK(breaches == 1);
    CHECK(warnings == 4); // 50 % and 75 % for each case, exactly once
}

TEST_CASE("stopping one microsecond past the goal is a breach") {
    engine e;
    const auto p = ticket(hours(4));
    const auto t0 = at(2026, 11, 23, 0, 0);
    e.start(p, 1, {}, t0, op);
    e.dispatch(1, "resolve", t0 + hours(4) + boost::posix_time::microseconds(1), op);
    CHECK(e.get(1).sla("resolution").status == sla_status::breached);
}

TEST_CASE("warnings fire at 50 % and 75 % exactly once, with the declared event") {
    sla_log log;
    engine e;
    e.add_observer(&log);
    const auto p = ticket(hours(4));
    const auto t0 = at(2026, 11, 23, 0, 0);
    e.start(p, 1, {}, t0, op);
    e.advance(t0 + hours(2) - boost::posix_time::microseconds(1));
    CHECK(e.get(1).sla("resolution").warnings_fired == 0);
    e.advance(t0 + hours(2));
    CHECK(e.get(1).sla("resolution").warnings_fired == 1);
    e.advance(t0 + hours(3));
    e.advance(t0 + hours(3) + minutes(30));
    CHECK(e.get(1).sla("resolution").warnings_fired == 2);
    CHECK(e.get(1).sla("resolution").warned_at[0] == to_ticks(t0 + hours(2)));
    CHECK(e.get(1).sla("resolution").warned_at[1] == to_ticks(t0 + hours(3)));
    CHECK(e.get(1).sla("resolution").warned_at[2] == no_time);
    const std::vector<std::string> expected = {"resolution started @2026-Nov-23 00:00:00",
                                               "resolution warning @2026-Nov-23 02:00:00",
                                               "resolution warning @2026-Nov-23 03:00:00"};
    CHECK(log.events == expected);
}

TEST_CASE("a breach can send an event into the case") {
    engine e;
    const auto p = ticket(hours(4), {}, "late");
    const auto t0 = at(2026, 11, 23, 0, 0);
    e.start(p, 1, {}, t0, op);
    e.advance(t0 + hours(5));
    CHECK(e.get(1).path() == "escalated");
    CHECK(e.get(1).sla("resolution").late());
}

TEST_CASE("pause and resume move the due time; pauses are recorded") {
    engine e;
    const auto p = ticket(hours(4));
    const auto t0 = at(2026, 11, 23, 0, 0);
    e.start(p, 1, {}, t0, op);
    e.dispatch(1, "wait", t0 + hours(1), op);
    const auto& k = e.get(1).sla("resolution");
    CHECK(k.status == sla_status::paused);
    CHECK(k.elapsed_before == ticks_per_hour);
    e.advance(t0 + hours(10)); // no breach while paused
    CHECK_FALSE(e.get(1).sla("resolution").late());
    e.dispatch(1, "reply", t0 + hours(10), op);
    const auto& r = e.get(1).sla("resolution");
    CHECK(r.status == sla_status::running);
    CHECK(r.paused_total == 9 * ticks_per_hour);
    CHECK(e.get(1).report("resolution").due == t0 + hours(13)); // moved by the pause
    e.dispatch(1, "resolve", t0 + hours(13), op);
    CHECK(e.get(1).sla("resolution").status == sla_status::met);
}

TEST_CASE("cancel ends a clock without a verdict; a later start begins a new cycle") {
    engine e;
    const auto p = ticket(hours(4));
    const auto t0 = at(2026, 11, 23, 0, 0);
    e.start(p, 1, {}, t0, op);
    e.dispatch(1, "resolve", t0 + hours(1), op);
    CHECK(e.get(1).sla("resolution").cycles == 1);
    e.dispatch(1, "reopen", t0 + hours(2), op); // re-entering open starts a new cycle
    const auto& k = e.get(1).sla("resolution");
    CHECK(k.status == sla_status::running);
    CHECK(k.started_at == to_ticks(t0 + hours(2)));
    CHECK(k.cycles == 1);
    e.dispatch(1, "withdraw", t0 + hours(3), op);
    CHECK(e.get(1).sla("resolution").status == sla_status::cancelled);
    CHECK(e.get(1).sla("resolution").cycles == 1);
    CHECK(e.pending_timers() == 0);
}

TEST_CASE("an SLA clock in the center calendar pauses over closing hours, a holiday and counts a make-up Saturday") {
    calendar c = center_calendar();
    c.holiday(date(2026, 11, 30));                              // Monday closed
    c.working_day(date(2026, 11, 28), {{hours(9), hours(12)}}); // make-up Saturday morning
    engine e;
    e.set_calendar("center", c);
    const auto p = ticket(hours(8), "center");
    // Friday 15:00: 3 h Friday, 3 h Saturday morning, then Tuesday 09:00-11:00.
    e.start(p, 1, {}, local(2026, 11, 27, 15, 0), op);
    CHECK(e.get(1).report("resolution").due == local(2026, 12, 1, 11, 0));
    e.advance(local(2026, 11, 30, 23, 0)); // through the weekend and the holiday
    CHECK_FALSE(e.get(1).sla("resolution").late());
    e.advance(local(2026, 12, 1, 11, 0));
    CHECK_FALSE(e.get(1).sla("resolution").late()); // exactly at the goal
    e.advance(local(2026, 12, 1, 11, 1));
    CHECK(e.get(1).sla("resolution").late());
    CHECK(e.get(1).sla("resolution").breached_at == to_ticks(local(2026, 12, 1, 11, 0)) + 1);
}

TEST_CASE("a working-day goal is converted at start in its calendar") {
    engine e;
    e.set_calendar("center", center_calendar());
    const auto p = ticket(working_days(1), "center");
    e.start(p, 1, {}, local(2026, 11, 27, 10, 30), op); // Friday 10:30 → Monday 10:30
    const auto& k = e.get(1).sla("resolution");
    CHECK(k.goal == 8 * ticks_per_hour);
    CHECK(e.get(1).report("resolution").due == local(2026, 11, 30, 10, 30));
}

TEST_CASE("a case that finishes cancels its running clocks and timers") {
    engine e;
    const auto p = compile(test::hotline_model().build());
    const auto t0 = at(2026, 11, 23, 1, 0);
    e.start(p, 1, {}, t0, op);
    e.dispatch(1, "hang_up", t0 + seconds(2), op);
    CHECK(e.get(1).finished());
    CHECK(e.get(1).sla("answer").status == sla_status::cancelled);
    CHECK(e.pending_timers() == 0);
}

TEST_CASE("when one input triggers several clock changes they apply as cancel, stop, pause, resume, start") {
    // Leaving 'a' both stops the clock (left a) and starts a new cycle (entered b): stop
    // must come first, or the start is ignored on a running clock and no cycle completes.
    procedure_builder b{"order"};
    b.event("next").event("end");
    b.state("a");
    b.state("b");
    b.state("done").final();
    b.transition("a", "b").on("next");
    b.transition("b", "done").on("end");
    b.sla("clock").start(entered("b")).start(entered("a")).stop(left("a")).stop(received("end")).goal(hours(1));
    engine e;
    const auto t0 = at(2026, 11, 23, 0, 0);
    e.start(compile(b.build()), 1, {}, t0, op);
    e.dispatch(1, "next", t0 + minutes(10), op);
    const auto& k = e.get(1).sla("clock");
    CHECK(k.cycles == 1);
    CHECK(k.status == sla_status::running);
    CHECK(k.started_at == to_ticks(t0 + minutes(10)));
}

TEST_CASE("a deadline timer in a calendar moves from a closed day to the next opening") {
    procedure_builder b{"callback"};
    b.variable("due", value_type::time).event("call_due").event("done");
    b.state("planned").at(var("due"), "call_due", "center");
    b.state("due");
    b.state("done").final();
    b.transition("planned", "due").on("call_due");
    b.transition("due", "done").on("done");
    const auto p = compile(b.build());
    calendar c = center_calendar();
    c.holiday(date(2026, 12, 1));                              // a Tuesday holiday
    c.working_day(date(2026, 12, 5), {{hours(9), hours(12)}}); // a make-up Saturday
    engine e;
    e.set_calendar("center", c);
    const auto t0 = local(2026, 11, 20, 10, 0);
    e.start(p, 1, {{"due", local(2026, 11, 29, 10, 0)}}, t0, op); // Sunday → Monday 09:00
    e.start(p, 2, {{"due", local(2026, 12, 1, 10, 0)}}, t0, op);  // holiday → Wednesday 09:00
    e.start(p, 3, {{"due", local(2026, 12, 5, 10, 0)}}, t0, op);  // make-up Saturday: stays
    e.start(p, 4, {{"due", local(2026, 11, 24, 10, 0)}}, t0, op); // an open Tuesday: stays
    CHECK(e.get(1).pending_timers()[0].second == local(2026, 11, 30, 9, 0));
    CHECK(e.get(2).pending_timers()[0].second == local(2026, 12, 2, 9, 0));
    CHECK(e.get(3).pending_timers()[0].second == local(2026, 12, 5, 10, 0));
    CHECK(e.get(4).pending_timers()[0].second == local(2026, 11, 24, 10, 0));
}

TEST_CASE("an SLA goal given as a deadline: met before it, breached after") {
    procedure_builder b{"contact"};
    b.variable("appointment_at", value_type::time).event("contacted");
    b.state("assigned");
    b.state("done").final();
    b.transition("assigned", "done").on("contacted");
    b.sla("pre_contact").start(entered("assigned")).stop(received("contacted")).goal_at(var("appointment_at"));
    const auto p = compile(b.build());
    engine e;
    const auto t0 = at(2026, 11, 23, 0, 0);
    e.start(p, 1, {{"appointment_at", t0 + hours(30)}}, t0, op);
    e.start(p, 2, {{"appointment_at", t0 + hours(30)}}, t0, op);
    CHECK(e.get(1).report("pre_contact").due == t0 + hours(30));
    CHECK(e.get(1).sla("pre_contact").goal == 30 * ticks_per_hour);
    e.dispatch(1, "contacted", t0 + hours(29), op);
    e.advance(t0 + hours(31));
    e.dispatch(2, "contacted", t0 + hours(31), op);
    CHECK(e.get(1).sla("pre_contact").status == sla_status::met);
    CHECK(e.get(2).sla("pre_contact").status == sla_status::breached);
    // A deadline already past when the clock starts: due at once.
    e.start(p, 3, {{"appointment_at", t0}}, t0 + hours(40), op);
    CHECK(e.get(3).sla("pre_contact").goal == 0);
}

TEST_CASE("an SLA goal of the same working day ends at that day's close") {
    engine e;
    e.set_calendar("center", center_calendar());
    const auto p = ticket(end_of_working_day(0), "center");
    e.start(p, 1, {}, local(2026, 11, 23, 15, 0), op); // Monday 15:00 → Monday 18:00
    CHECK(e.get(1).report("resolution").due == local(2026, 11, 23, 18, 0));
    CHECK(e.get(1).sla("resolution").goal == 3 * ticks_per_hour);
    e.start(p, 2, {}, local(2026, 11, 28, 11, 0), op); // Saturday → Monday 18:00
    CHECK(e.get(2).report("resolution").due == local(2026, 11, 30, 18, 0));
}
