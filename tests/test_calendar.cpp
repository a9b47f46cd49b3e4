// Business calendars: opening hours, holidays, make-up days, exact arithmetic.
#include "fixtures.hpp"

#include <careflow/time/calendar.hpp>

#include <random>

using namespace careflow;
using namespace careflow::test;
using boost::gregorian::date;

namespace {
// Instants are given in Shanghai local time (UTC+8) and converted to UTC.
time_point local(int y, int mo, int d, int h, int mi, int s = 0) { return at(y, mo, d, h, mi) + seconds(s) - hours(8); }
// 2026-11-23 is a Monday.
const calendar center = center_calendar();
} // namespace

TEST_CASE("24x7 arithmetic is plain arithmetic") {
    const calendar c;
    CHECK(c.is_24x7());
    const auto t = at(2026, 11, 22, 3, 0);
    CHECK(c.is_open(t));
    CHECK(c.add(t, hours(30)) == t + hours(30));
    CHECK(c.between(t, t + hours(5)) == hours(5));
    CHECK(c.add_working_days(t, 2) == t + hours(48));
    CHECK(c.next_open(t) == t);
}

TEST_CASE("the center calendar is open on weekdays 09-12 and 13-18 Shanghai time") {
    CHECK_FALSE(center.is_open(local(2026, 11, 23, 8, 59, 59)));
    CHECK(center.is_open(local(2026, 11, 23, 9, 0)));
    CHECK(center.is_open(local(2026, 11, 23, 11, 59, 59)));
    CHECK_FALSE(center.is_open(local(2026, 11, 23, 12, 0)));
    CHECK_FALSE(center.is_open(local(2026, 11, 23, 12, 59, 59)));
    CHECK(center.is_open(local(2026, 11, 23, 13, 0)));
    CHECK(center.is_open(local(2026, 11, 27, 17, 59, 59)));
    CHECK_FALSE(center.is_open(local(2026, 11, 27, 18, 0)));
    CHECK_FALSE(center.is_open(local(2026, 11, 28, 10, 0))); // Saturday
    CHECK(center.is_working_day(date(2026, 11, 23)));
    CHECK_FALSE(center.is_working_day(date(2026, 11, 22)));
    CHECK(center.utc_offset() == hours(8));
}

TEST_CASE("next_open finds the next opening across lunch, nights and weekends") {
    CHECK(center.next_open(local(2026, 11, 23, 10, 0)) == local(2026, 11, 23, 10, 0));
    CHECK(center.next_open(local(2026, 11, 23, 12, 30)) == local(2026, 11, 23, 13, 0));
    CHECK(center.next_open(local(2026, 11, 23, 7, 0)) == local(2026, 11, 23, 9, 0));
    CHECK(center.next_open(local(2026, 11, 27, 18, 0)) == local(2026, 11, 30, 9, 0));
    CHECK(center.next_open(local(2026, 11, 28, 15, 0)) == local(2026, 11, 30, 9, 0));
}

TEST_CASE("add counts open time only") {
    CHECK(center.add(local(2026, 11, 23, 11, 0), hours(2)) == local(2026, 11, 23, 14, 0));
    CHECK(center.add(local(2026, 11, 27, 17, 0), hours(2)) == local(2026, 11, 30, 10, 0));
    // landing exactly on a closing time gives the closing instant, not the next opening
    CHECK(center.add(local(2026, 11, 23, 9, 0), hours(3)) == local(2026, 11, 23, 12, 0));
    CHECK(center.add(local(2026, 11, 23, 9, 0), hours(8)) == local(2026, 11, 23, 18, 0));
    // from a closed instant, counting starts at the next opening
    CHECK(center.add(local(2026, 11, 28, 9, 0), minutes(1)) == local(2026, 11, 30, 9, 1));
    CHECK(center.add(local(2026, 11, 23, 12, 15), minutes(1)) == local(2026, 11, 23, 13, 1));
    // 24 business hours = 3 working days of 8 hours
    CHECK(center.add(local(2026, 11, 23, 9, 0), hours(24)) == local(2026, 11, 25, 18, 0));
    CHECK(center.add(local(2026, 11, 23, 10, 0), seconds(0)) == local(2026, 11, 23, 10, 0));
}

TEST_CASE("between measures open time and is antisymmetric") {
    CHECK(center.between(local(2026, 11, 23, 11, 0), local(2026, 11, 23, 14, 0)) == hours(2));
    CHECK(center.between(local(2026, 11, 27, 17, 0), local(2026, 11, 30, 10, 0)) == hours(2));
    CHECK(center.between(local(2026, 11, 28, 0, 0), local(2026, 11, 29, 23, 0)) == hours(0));
    CHECK(center.between(local(2026, 11, 30, 10, 0), local(2026, 11, 27, 17, 0)) == -hours(2));
    // a whole month of November 2026: 21 working days of 8 h
    CHECK(center.between(local(2026, 11, 1, 0, 0), local(2026, 12, 1, 0, 0)) == hours(21 * 8));
}

TEST_CASE("holidays close a day and make-up days open a weekend day") {
    calendar c = center_calendar();
    c.holiday(date(2026, 11, 30));                              // Monday closed
    c.working_day(date(2026, 11, 28), {{hours(9), hours(17)}}); // Saturday open 9-17
    CHECK_FALSE(c.is_open(local(2026, 11, 30, 10, 0)));
    CHECK(c.is_open(local(2026, 11, 28, 16, 59)));
    CHECK_FALSE(c.is_open(local(2026, 11, 28, 17, 0)));
    CHECK(c.add(local(2026, 11, 27, 17, 0), hours(2)) == local(2026, 11, 28, 10, 0));
    CHECK(c.add(local(2026, 11, 28, 16, 0), hours(2)) == local(2026, 12, 1, 10, 0));
    CHECK(c.between(local(2026, 11, 27, 0, 0), local(2026, 12, 2, 0, 0)) == hours(8 + 8 + 8));
    CHECK(c.next_open(local(2026, 11, 29, 10, 0)) == local(2026, 12, 1, 9, 0));
    // declaring a date again replaces it
    c.working_day(date(2026, 11, 30), {{hours(10), hours(11)}});
    CHECK(c.is_open(local(2026, 11, 30, 10, 30)));
    CHECK(c.between(local(2026, 11, 30, 0, 0), local(2026, 12, 1, 0, 0)) == hours(1));
}

TEST_CASE("one working day is the next working day at the same business moment") {
    CHECK(center.add_working_days(local(2026, 11, 23, 10, 30), 1) == local(2026, 11, 24, 10, 30));
    CHECK(center.add_working_days(local(2026, 11, 27, 10, 30), 1) == local(2026, 11, 30, 10, 30));
    // during lunch the business moment is "3 h in": the earliest such instant is noon
    CHECK(center.add_working_days(local(2026, 11, 23, 12, 30), 1) == local(2026, 11, 24, 12, 0));
    // after closing: the end of the next working day
    CHECK(center.add_working_days(local(2026, 11, 23, 20, 0), 1) == local(2026, 11, 24, 18, 0));
    // from a weekend: counting starts at Monday's opening
    CHECK(center.add_working_days(local(2026, 11, 28, 10, 0), 1) == local(2026, 12, 1, 9, 0));
    CHECK(center.add_working_days(local(2026, 11, 28, 10, 0), 0) == local(2026, 11, 30, 9, 0));
    CHECK(center.add_working_days(local(2026, 11, 23, 10, 0), 0) == local(2026, 11, 23, 10, 0));
    calendar c = center_calendar();
    c.holiday(date(2026, 11, 30));
    c.working_day(date(2026, 11, 28), {{hours(9), hours(18)}});
    CHECK(c.add_working_days(local(2026, 11, 27, 10, 30), 1) == local(2026, 11, 28, 10, 30)); // make-up Saturday
    CHECK(c.add_working_days(local(2026, 11, 27, 10, 30), 2) == local(2026, 12, 1, 10, 30));  // skip the holiday
    // "1 working day" is not "24 business hours"
    CHECK(center.add(local(2026, 11, 23, 10, 30), hours(24)) !=
          center.add_working_days(local(2026, 11, 23, 10, 30), 1));
}

TEST_CASE("a calendar that never opens says so") {
    const calendar closed = calendar::business(hours(8));
    CHECK_FALSE(closed.is_open(local(2026, 11, 23, 10, 0)));
    CHECK(closed.add(to_ticks(local(2026, 11, 23, 10, 0)), ticks_per_hour) == calendar::never);
    CHECK(closed.next_open(local(2026, 11, 23, 10, 0)).is_pos_infinity());
    CHECK(closed.add(local(2026, 11, 23, 10, 0), hours(1)).is_pos_infinity());
    CHECK(closed.between(local(2026, 11, 23, 0, 0), local(2026, 12, 23, 0, 0)) == hours(0));
}

TEST_CASE("bad opening hours and durations are typed errors") {
    calendar c = calendar::business(hours(8));
    using boost::date_time::Monday;
    CHECK_THROWS_WITH_AS(c.hours(Monday, {{hours(12), hours(9)}}), doctest::Contains("careflow.calendar.bad_hours"),
                         careflow::error);
    CHECK_THROWS_WITH_AS(c.hours(Monday, {{hours(9), hours(25)}}), doctest::Contains("careflow.calendar.bad_hours"),
                         careflow::error);
    CHECK_THROWS_WITH_AS(c.hours(Monday, {{hours(9), hours(12)}, {hours(11), hours(14)}}),
                         doctest::Contains("careflow.calendar.bad_hours"), careflow::error);
    CHECK_THROWS_WITH_AS((void)center.add(local(2026, 11, 23, 10, 0), -hours(1)),
                         doctest::Contains("careflow.calendar.bad_duration"), careflow::error);
    CHECK_THROWS_WITH_AS((void)center.add_working_days(local(2026, 11, 23, 10, 0), -1),
                         doctest::Contains("careflow.calendar.bad_duration"), careflow::error);
    CHECK_THROWS_WITH_AS(c.holiday(date(boost::gregorian::not_a_date_time)),
                         doctest::Contains("careflow.calendar.bad_date"), careflow::error);
}

TEST_CASE("dates before 1970 work (days count from the epoch with floor division)") {
    CHECK(center.is_open(local(1969, 12, 31, 10, 0)));       // a Wednesday
    CHECK_FALSE(center.is_open(local(1969, 12, 28, 10, 0))); // a Sunday
    CHECK(center.add(local(1969, 12, 31, 17, 0), hours(2)) == local(1970, 1, 1, 10, 0));
}

TEST_CASE("add and between agree with a minute-by-minute walk on random spans") {
    calendar c = center_calendar();
    c.holiday(date(2026, 12, 1));
    c.working_day(date(2026, 12, 5), {{hours(9), hours(12)}, {hours(14), hours(16)}});
    std::mt19937_64 rng(7);
    const time_point base = local(2026, 11, 25, 0, 0);
    for (int i = 0; i < 300; ++i) {
        const auto start = base + minutes(static_cast<long>(rng() % (14 * 24 * 60)));
        const long span = static_cast<long>(rng() % (4 * 24 * 60));
        long open = 0; // open minutes in [start, start + span)
        for (long m = 0; m < span; ++m) open += c.is_open(start + minutes(m)) ? 1 : 0;
        REQUIRE(c.between(start, start + minutes(span)) == minutes(open));
        if (open == 0) continue;
        // add(start, open) is the end of the open-th open minute
        long seen = 0, m = 0;
        for (; seen < open; ++m) seen += c.is_open(start + minutes(m)) ? 1 : 0;
        REQUIRE(c.add(start, minutes(open)) == start + minutes(m));
    }
}

TEST_CASE("close_of_working_day: the same working day, or the next when closed") {
    CHECK(center.close_of_working_day(local(2026, 11, 23, 10, 0), 0) == local(2026, 11, 23, 18, 0));
    CHECK(center.close_of_working_day(local(2026, 11, 23, 12, 30), 0) == local(2026, 11, 23, 18, 0)); // lunch
    CHECK(center.close_of_working_day(local(2026, 11, 23, 19, 0), 0) == local(2026, 11, 24, 18, 0));  // after close
    CHECK(center.close_of_working_day(local(2026, 11, 28, 10, 0), 0) == local(2026, 11, 30, 18, 0));  // Saturday
    CHECK(center.close_of_working_day(local(2026, 11, 27, 10, 0), 1) == local(2026, 11, 30, 18, 0));  // Fri + 1
    calendar c = center_calendar();
    c.holiday(date(2026, 11, 30));
    CHECK(c.close_of_working_day(local(2026, 11, 27, 10, 0), 1) == local(2026, 12, 1, 18, 0));
    CHECK(calendar().close_of_working_day(at(2026, 11, 23, 10, 0), 0) == at(2026, 11, 24, 0, 0));
    CHECK_THROWS_WITH_AS((void)center.close_of_working_day(local(2026, 11, 23, 10, 0), -1),
                         doctest::Contains("careflow.calendar.bad_duration"), careflow::error);
}

TEST_CASE("calendar arithmetic refuses instants that are not finite") {
    const calendar c = center_calendar();
    for (const time_point t : {time_point(boost::posix_time::not_a_date_time), time_point(boost::posix_time::pos_infin),
                               time_point(boost::posix_time::neg_infin)}) {
        CHECK_THROWS_WITH_AS((void)c.is_open(t), doctest::Contains("careflow.calendar.bad_time"), careflow::error);
        CHECK_THROWS_AS((void)c.next_open(t), careflow::error);
        CHECK_THROWS_AS((void)c.add(t, boost::posix_time::hours(1)), careflow::error);
        CHECK_THROWS_AS((void)c.add_working_days(t, 1), careflow::error);
        CHECK_THROWS_AS((void)c.between(t, t), careflow::error);
    }
}

TEST_CASE("the order of the builder's calls never changes a calendar (24x7 with hours and exceptions)") {
    // Issue 15, finding 1: always_open(+8h), then Saturday's hours, then a holiday gave a
    // calendar closed on every day but Saturday; with the holiday first, open all week.
    using boost::date_time::Saturday;
    const std::vector<opening> saturday{{hours(10), hours(16)}};
    const date holiday(2025, 3, 5);
    const calendar hours_first = calendar::always_open(hours(8)).hours(Saturday, saturday).holiday(holiday);
    const calendar holiday_first = calendar::always_open(hours(8)).holiday(holiday).hours(Saturday, saturday);
    calendar weekdays_first = calendar::always_open(hours(8));
    weekdays_first.weekdays({{hours(9), hours(18)}}).holiday(holiday);
    calendar weekdays_last = calendar::always_open(hours(8));
    weekdays_last.holiday(holiday).weekdays({{hours(9), hours(18)}});
    for (const calendar* c : {&hours_first, &holiday_first}) {
        CHECK(c->is_working_day(date(2025, 3, 3))); // Monday: open all day, as before any call
        CHECK(c->is_open(local(2025, 3, 3, 3, 0)));
        CHECK_FALSE(c->is_working_day(holiday));
        CHECK(c->is_open(local(2025, 3, 8, 10, 0))); // Saturday's hours
        CHECK_FALSE(c->is_open(local(2025, 3, 8, 9, 59)));
    }
    CHECK(weekdays_first.is_open(local(2025, 3, 9, 3, 0))); // Sunday, not named: open all day
    CHECK_FALSE(weekdays_first.is_open(local(2025, 3, 3, 8, 59)));
    // The same answers, instant by instant, over two weeks around the holiday.
    for (int m = 0; m < 14 * 24 * 60; m += 7) {
        const time_point t = local(2025, 2, 27, 0, 0) + boost::posix_time::minutes(m);
        CHECK(hours_first.is_open(t) == holiday_first.is_open(t));
        CHECK(weekdays_first.is_open(t) == weekdays_last.is_open(t));
        CHECK(hours_first.add(t, hours(30)) == holiday_first.add(t, hours(30)));
        CHECK(weekdays_first.between(t, t + hours(100)) == weekdays_last.between(t, t + hours(100)));
    }
    // A bad interval changes nothing, even on a 24x7 calendar.
    calendar c;
    CHECK_THROWS_AS(c.hours(Saturday, {{hours(12), hours(9)}}), careflow::error);
    CHECK(c.is_24x7());
}

TEST_CASE("set_days is working_day for each entry in turn, indexed once; a bad entry changes nothing") {
    std::mt19937_64 rng(15);
    for (int round = 0; round < 20; ++round) {
        CAPTURE(round);
        calendar one_by_one = calendar::business("America/New_York").weekdays({{hours(9), hours(17)}});
        one_by_one.holiday(date(2025, 3, 12)).working_day(date(2025, 3, 15), {{hours(10), hours(12)}});
        calendar at_once = one_by_one;
        std::vector<std::pair<date, std::vector<opening>>> days;
        for (int i = 0; i < 60; ++i) { // repeats and dates already set included, in any order
            const date d = date(2025, 3, 1) + boost::gregorian::days(static_cast<long>(rng() % 40));
            std::vector<opening> h;
            if (rng() % 3 != 0)
                h.push_back({hours(static_cast<long>(rng() % 12)), hours(12 + static_cast<long>(rng() % 12))});
            days.emplace_back(d, h);
            one_by_one.working_day(d, h);
        }
        at_once.set_days(days);
        CHECK(at_once.exceptions() == one_by_one.exceptions());
        for (int m = 0; m < 45 * 24 * 60; m += 37) {
            const time_point t = at(2025, 2, 28, 0, 0) + boost::posix_time::minutes(m);
            REQUIRE(at_once.is_open(t) == one_by_one.is_open(t));
            REQUIRE(at_once.add(t, hours(20)) == one_by_one.add(t, hours(20)));
            REQUIRE(at_once.between(t, t + hours(200)) == one_by_one.between(t, t + hours(200)));
        }
    }
    calendar c = center_hours();
    const auto before = c.exceptions();
    CHECK_THROWS_AS(c.set_days({{date(2025, 1, 1), {}}, {date(2025, 1, 2), {{hours(12), hours(9)}}}}), careflow::error);
    CHECK_THROWS_AS(c.set_days({{date(boost::date_time::not_a_date_time), {}}}), careflow::error);
    CHECK(c.exceptions() == before);
    CHECK(c.is_working_day(date(2025, 1, 1)));
}
