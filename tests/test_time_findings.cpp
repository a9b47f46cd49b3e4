// Regression tests for the time findings of issue 15, on the real 2025 Chinese schedule
// (the default center calendar): both sides of every boundary.
#include "procedure_fixtures.hpp"

using namespace careflow;
using namespace careflow::test;
using day = boost::gregorian::date;

namespace {

struct default_center {
    engine e{engine_options{.journal = true, .eventless_limit = 64, .spawn_base = 1000}};
    const actor desk{"switchboard", {}};
    const actor agent{"agent-sun", {procedures::roles::callback_agent}};
    const actor reception{"rec-zhou", {procedures::roles::receptionist}};
    const actor back{"bo-wu", {procedures::roles::back_office}};
    const actor manager{"mgr-liu", {procedures::roles::manager}};
    default_center() { procedures::install_all(e); } // no calendar given: the shipped default
    std::string path(case_id id) const { return e.get(id).path(); }
};

// A callback due on Wed 2025-03-05, claimed at its opening, first attempted at `reached`.
sla_status callback_on_time(time_point reached) {
    default_center f;
    REQUIRE(f.e.start("phone_callback", 1, {{"due", local(2025, 3, 5, 0, 0)}, {"contact", "138"}},
                      local(2025, 3, 1, 10, 0), f.desk, "client-1")
                .applied());
    REQUIRE(f.e.record_consent("client-1", "callback", true, local(2025, 3, 1, 10, 0), f.desk).applied());
    f.e.advance(local(2025, 3, 5, 9, 0));
    f.e.dispatch(1, "claim", local(2025, 3, 5, 9, 1), f.agent);
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2025, 3, 5, 9, 2), f.agent);
    f.e.advance(reached);
    f.e.dispatch(1, "reached", reached, f.agent);
    return f.e.get(1).sla("on_time").status;
}

} // namespace

TEST_CASE("finding 7: the default center calendar is Shanghai's, with the official 2025 schedule") {
    const calendar c = center_calendar();
    CHECK(c.zone() == "Asia/Shanghai");
    CHECK_FALSE(c.is_working_day(day(2025, 1, 28))); // Spring Festival
    CHECK(c.is_working_day(day(2025, 1, 26)));       // make-up Sunday
    CHECK(c.is_working_day(day(2025, 10, 11)));      // make-up Saturday
    CHECK_FALSE(c.is_working_day(day(2025, 10, 8)));
    // "The same day" ends at 18:00 Shanghai, not at UTC midnight (08:00 Shanghai).
    CHECK(c.close_of_working_day(to_ticks(local(2025, 3, 5, 7, 0)), 0) == to_ticks(local(2025, 3, 5, 18, 0)));
}

TEST_CASE("finding 2: a deadline at closing is late the next morning, on time up to the instant") {
    CHECK(callback_on_time(local(2025, 3, 5, 17, 59)) == sla_status::met);
    CHECK(callback_on_time(local(2025, 3, 5, 18, 0)) == sla_status::met);     // at the instant
    CHECK(callback_on_time(local(2025, 3, 6, 9, 0)) == sla_status::breached); // no open time since, still late
    // The breach is raised at the instant after the close, while the center is closed.
    default_center f;
    f.e.start("phone_callback", 1, {{"due", local(2025, 3, 5, 0, 0)}, {"contact", "138"}}, local(2025, 3, 1, 10, 0),
              f.desk);
    f.e.advance(local(2025, 3, 5, 18, 0));
    CHECK_FALSE(f.e.get(1).sla("on_time").late());
    f.e.advance(local(2025, 3, 5, 18, 0) + seconds(1));
    CHECK(f.e.get(1).sla("on_time").late());
    CHECK(f.e.get(1).report("on_time").breached == local(2025, 3, 5, 18, 0) + boost::posix_time::microseconds(1));
}

TEST_CASE("finding 3: pre-screening opens on the previous working day, not 24 hours before") {
    default_center f;
    // Appointment Thu 2025-03-06 15:00: screening on Wed 10:00 is accepted.
    f.e.start("first_visit", 1, {{"client", "c"}, {"appointment_at", local(2025, 3, 6, 15, 0)}},
              local(2025, 3, 3, 10, 0), f.reception);
    CHECK(f.e.get(1).pending_timers()[0].second == local(2025, 3, 5, 0, 0)); // not Wed 15:00
    f.e.advance(local(2025, 3, 5, 10, 0));
    CHECK(f.path(1) == "screening");
}

TEST_CASE("finding 3: when the day before is a holiday, the window opens on the last working day before") {
    default_center f;
    // Appointment Wed 2025-02-05 (after Spring Festival): the window opens Mon Jan 27, the
    // last working day before, not on the holiday.
    f.e.start("first_visit", 2, {{"client", "c"}, {"appointment_at", local(2025, 2, 5, 10, 0)}},
              local(2025, 1, 20, 10, 0), f.reception);
    CHECK(f.e.get(2).pending_timers()[0].second == local(2025, 1, 27, 0, 0));
    f.e.advance(local(2025, 1, 26, 23, 59));
    CHECK(f.path(2) == "booked");
    f.e.advance(local(2025, 1, 27, 10, 0));
    CHECK(f.path(2) == "screening");
}

TEST_CASE("finding 4: callbacks are due on dates: +7 days and +1 calendar month, clamped, moved to a working day") {
    const auto due = [&](time_point consulted, procedures::date_offset o) {
        engine e;
        procedures::install_all(e);
        // Evaluate the shipped rule through a one-variable procedure in the same calendar.
        procedure_builder b{"probe", 1};
        b.variable("at", value_type::time).variable("due", value_type::time);
        b.state("s").open_ended().on_entry(
            set("due", procedures::due_day(var("at"), o, procedures::center_calendar_name)));
        e.install(compile(b.build()));
        e.start("probe", 1, {{"at", consulted}}, consulted, actor{"x", {}});
        return std::get<time_point>(e.get(1).variable("due").get());
    };
    // Jan 31 + 1 month is Feb 28 (a Friday, a working day), not Mar 3.
    CHECK(due(local(2025, 1, 31, 17, 29), procedures::date_offset::in_months(1)) == local(2025, 2, 28, 0, 0));
    // Jan 21 + 7 days is Tue Jan 28, Spring Festival: the next working day is Wed Feb 5.
    CHECK(due(local(2025, 1, 21, 10, 0), procedures::date_offset::in_days(7)) == local(2025, 2, 5, 0, 0));
    // Sep 21 + 7 days is the make-up Sunday Sep 28: a working day, kept.
    CHECK(due(local(2025, 9, 21, 10, 0), procedures::date_offset::in_days(7)) == local(2025, 9, 28, 0, 0));
}

TEST_CASE("finding 5: three retries, each on the working day after the previous attempt's date") {
    default_center f;
    f.e.start("phone_callback", 1, {{"due", local(2025, 1, 24, 0, 0)}, {"contact", "138"}}, local(2025, 1, 20, 10, 0),
              f.desk, "client-1");
    REQUIRE(f.e.record_consent("client-1", "callback", true, local(2025, 1, 20, 10, 0), f.desk).applied());
    f.e.advance(local(2025, 1, 24, 9, 0));
    f.e.dispatch(1, "claim", local(2025, 1, 24, 9, 1), f.agent);
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2025, 1, 24, 9, 2), f.agent);
    // An attempt made while closed (Sat Jan 25 10:00) retries on the make-up Sunday Jan 26.
    f.e.dispatch(1, "unreachable", local(2025, 1, 25, 10, 0), f.agent);
    CHECK(f.e.get(1).pending_timers()[0].second == local(2025, 1, 26, 9, 0));
    f.e.advance(local(2025, 1, 26, 9, 0));
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2025, 1, 26, 9, 5), f.agent);
    f.e.dispatch(1, "unreachable", local(2025, 1, 26, 9, 6), f.agent);
    CHECK(f.e.get(1).pending_timers()[0].second == local(2025, 1, 27, 9, 0)); // Monday
    f.e.advance(local(2025, 1, 27, 9, 0));
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2025, 1, 27, 9, 5), f.agent);
    f.e.dispatch(1, "unreachable", local(2025, 1, 27, 9, 6), f.agent);
    CHECK(f.e.get(1).pending_timers()[0].second == local(2025, 2, 5, 9, 0)); // over Spring Festival
    f.e.advance(local(2025, 2, 5, 9, 0));
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2025, 2, 5, 9, 5), f.agent);
    f.e.dispatch(1, "unreachable", local(2025, 2, 5, 9, 6), f.agent);
    CHECK(f.path(1) == "unreachable");
    CHECK(f.e.get(1).variable("attempts") == value(4));
}

TEST_CASE("finding 6: a complaint's resolution is never due before its acknowledgement") {
    default_center f;
    // Received Mon 2025-01-27 10:00, just before Spring Festival.
    f.e.start("complaint", 1, {{"complainant", "c"}}, local(2025, 1, 27, 10, 0), f.desk);
    const auto ack = f.e.get(1).report("acknowledge").due, resolve = f.e.get(1).report("resolve").due;
    CHECK(ack == local(2025, 2, 5, 10, 0));      // 1 working day: after the festival
    CHECK(resolve == local(2025, 2, 12, 10, 0)); // 7 working days: Feb 5, 6, 7, 8 (make-up Saturday), 10, 11, 12
    CHECK(resolve > ack);
}
