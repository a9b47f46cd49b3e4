// Calendars in real time zones: daylight saving against a naive minute walk in the zone
// (date/tz read independently), local dates, wall times, working days and months.
#include "fixtures.hpp"

#include <careflow/time/calendar.hpp>

#include <date/tz.h>

#include <random>

using namespace careflow;
using namespace careflow::test;
using day = boost::gregorian::date;

namespace {

ticks utc_ticks(int y, int mo, int d, int h, int mi) { return to_ticks(at(y, mo, d, h, mi)); }

// The oracle: an instant is open when the wall hours of its local date, each boundary
// read in the zone by RFC 5545 (first occurrence; a skipped time with the offset before
// the gap), contain it. Everything here comes from date/tz directly, minute by minute.
struct oracle {
    const ::date::time_zone* zone;
    std::vector<std::pair<int, int>> hours; // minutes after local midnight, every day
    std::int64_t boundary(std::int64_t local_day, int minute) const {
        const ::date::local_seconds l{std::chrono::seconds((local_day * 1440 + minute) * 60)};
        const auto info = zone->get_info(l);
        const auto offset = info.result == ::date::local_info::nonexistent ? info.first.offset : info.first.offset;
        return (l.time_since_epoch() - offset).count() / 60; // UTC minutes
    }
    bool open(std::int64_t utc_minute) const {
        const ::date::sys_seconds s{std::chrono::seconds(utc_minute * 60)};
        const auto local = zone->to_local(s);
        const std::int64_t day = ::date::floor<::date::days>(local).time_since_epoch().count();
        for (const auto& [b, e] : hours)
            if (boundary(day, b) <= utc_minute && utc_minute < boundary(day, e)) return true;
        return false;
    }
};

calendar with_hours(const char* zone, const std::vector<std::pair<int, int>>& hrs) {
    calendar c = calendar::business(zone);
    std::vector<opening> o;
    for (auto [b, e] : hrs) o.push_back({minutes(b), minutes(e)});
    for (unsigned short d = 0; d < 7; ++d) c.hours(boost::gregorian::greg_weekday(d), o);
    return c;
}

void compare_with_walk(const char* zone, const std::vector<std::pair<int, int>>& hrs, ticks from_utc) {
    CAPTURE(zone);
    const calendar c = with_hours(zone, hrs);
    const oracle o{::date::locate_zone(zone), hrs};
    const std::int64_t m0 = from_utc / ticks_per_minute, span = 4 * 1440; // four days around the change
    std::vector<std::int64_t> open_before(span + 1, 0);                   // open minutes in [m0, m0 + i)
    for (std::int64_t i = 0; i < span; ++i) {
        const bool open = o.open(m0 + i);
        CAPTURE(i);
        REQUIRE(c.is_open((m0 + i) * ticks_per_minute) == open);
        open_before[static_cast<std::size_t>(i + 1)] = open_before[static_cast<std::size_t>(i)] + (open ? 1 : 0);
    }
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<std::int64_t> pick(0, span / 2);
    for (int k = 0; k < 3000; ++k) {
        const std::int64_t a = pick(rng), b = a + pick(rng);
        CAPTURE(a);
        CAPTURE(b);
        REQUIRE(c.between((m0 + a) * ticks_per_minute, (m0 + b) * ticks_per_minute) ==
                (open_before[static_cast<std::size_t>(b)] - open_before[static_cast<std::size_t>(a)]) *
                    ticks_per_minute);
        // add: the earliest minute x with open minutes in [a, x) reaching d.
        const std::int64_t d = open_before[static_cast<std::size_t>(b)] - open_before[static_cast<std::size_t>(a)];
        if (d > 0) {
            std::int64_t x = a;
            while (open_before[static_cast<std::size_t>(x)] - open_before[static_cast<std::size_t>(a)] < d) ++x;
            REQUIRE(c.add((m0 + a) * ticks_per_minute, d * ticks_per_minute) == (m0 + x) * ticks_per_minute);
        }
        // next_open: the first open minute at or after a (within the window).
        std::int64_t n = a;
        while (n < span && !o.open(m0 + n)) ++n;
        if (n < span) REQUIRE(c.next_open((m0 + a) * ticks_per_minute) == (m0 + n) * ticks_per_minute);
    }
}

} // namespace

TEST_CASE("daylight saving: is_open, next_open, add and between match a minute walk in the real zone") {
    // Hours that cross the change (00:30-04:00), ordinary ones, and a whole day.
    const std::vector<std::vector<std::pair<int, int>>> shapes = {
        {{30, 240}, {540, 1020}}, {{540, 720}, {780, 1080}}, {{0, 1440}}, {{90, 150}, {150, 210}}, {{120, 180}}};
    for (const auto& hrs : shapes) {
        compare_with_walk("America/New_York", hrs, utc_ticks(2025, 3, 7, 12, 0));   // 2025-03-09 02:00 → 03:00
        compare_with_walk("America/New_York", hrs, utc_ticks(2025, 10, 31, 12, 0)); // 2025-11-02 02:00 → 01:00
        compare_with_walk("Europe/Berlin", hrs, utc_ticks(2025, 3, 28, 12, 0));     // 2025-03-30 02:00 → 03:00
        compare_with_walk("Europe/Berlin", hrs, utc_ticks(2025, 10, 24, 12, 0));    // 2025-10-26 03:00 → 02:00
    }
}

TEST_CASE("a fixed UTC-5 calendar is not New York: the zone follows the change") {
    const calendar ny = with_hours("America/New_York", {{540, 1020}});
    const time_point nine_edt = at(2025, 3, 10, 13, 0); // Mon 09:00 EDT
    CHECK(ny.is_open(nine_edt));
    CHECK_FALSE(ny.is_open(nine_edt - seconds(1)));
    CHECK(ny.utc_offset_at(nine_edt) == hours(-4));
    CHECK(ny.utc_offset_at(at(2025, 3, 7, 13, 0)) == hours(-5));
    CHECK(ny.zone() == "America/New_York");
}

TEST_CASE("local days: 23 and 25 hours long on the change days; wall times by RFC 5545") {
    const calendar ny = calendar::always_open("America/New_York");
    CHECK(ny.start_of_day(day(2025, 3, 10)) - ny.start_of_day(day(2025, 3, 9)) == hours(23));
    CHECK(ny.start_of_day(day(2025, 11, 3)) - ny.start_of_day(day(2025, 11, 2)) == hours(25));
    CHECK(ny.start_of_day(day(2025, 3, 9)) == at(2025, 3, 9, 5, 0));
    // 02:30 does not exist on 2025-03-09: read with the offset before the gap (EST) = 03:30 EDT.
    CHECK(ny.at(day(2025, 3, 9), hours(2) + minutes(30)) == at(2025, 3, 9, 7, 30));
    // 01:30 occurs twice on 2025-11-02: the first (EDT).
    CHECK(ny.at(day(2025, 11, 2), hours(1) + minutes(30)) == at(2025, 11, 2, 5, 30));
    CHECK(ny.local_date(at(2025, 11, 2, 6, 30)) == day(2025, 11, 2)); // 01:30 EST, the second time
    CHECK(ny.local_date(at(2025, 11, 3, 4, 59)) == day(2025, 11, 2));
    CHECK(ny.local_date(at(2025, 11, 3, 5, 0)) == day(2025, 11, 3));
    CHECK_THROWS_WITH_AS((void)ny.at(day(2025, 3, 9), hours(25)), doctest::Contains("00:00-24:00"), error);
    CHECK_THROWS_WITH_AS(calendar::business("Mars/Olympus_Mons"), doctest::Contains("Mars/Olympus_Mons"), error);
    // A working day later is the same business moment: 10 open hours into Sunday, which
    // the 23-hour day reaches at 11:00 EDT (business calendars open after the change agree
    // with the wall clock: see the center calendar tests).
    CHECK(ny.add_working_days(at(2025, 3, 8, 15, 0), 1) == at(2025, 3, 9, 15, 0));
    CHECK(ny.add_working_days(at(2025, 3, 9, 15, 0), 1) == at(2025, 3, 10, 14, 0)); // 10 h in: 10:00 EDT
    CHECK(ny.close_of_working_day(at(2025, 3, 9, 15, 0), 0) == at(2025, 3, 10, 4, 0));
}

TEST_CASE("calendar months clamp to the end of a shorter month") {
    CHECK(add_months(day(2025, 1, 31), 1) == day(2025, 2, 28));
    CHECK(add_months(day(2024, 1, 31), 1) == day(2024, 2, 29));
    CHECK(add_months(day(2025, 2, 28), 1) == day(2025, 3, 28)); // clamped, not snapped to the month's end
    CHECK(add_months(day(2025, 3, 31), -1) == day(2025, 2, 28));
    CHECK(add_months(day(2025, 12, 15), 1) == day(2026, 1, 15));
    CHECK(add_months(day(2025, 1, 15), -13) == day(2023, 12, 15));
    CHECK_THROWS_AS((void)add_months(day(boost::gregorian::not_a_date_time), 1), error);
    CHECK_THROWS_AS((void)add_months(day(9999, 12, 1), 1), error);
}

TEST_CASE("working days by date over the 2025 Spring Festival, with its make-up Sunday and Saturday") {
    const calendar c = center_calendar();
    CHECK(c.is_working_day(day(2025, 1, 26)));                                   // Sunday, make-up
    CHECK_FALSE(c.is_working_day(day(2025, 1, 27) + boost::gregorian::days(1))); // Tue Jan 28, Spring Festival
    CHECK(c.next_working_day(day(2025, 1, 24)) == day(2025, 1, 26));             // Fri → make-up Sun
    CHECK(c.next_working_day(day(2025, 1, 27)) == day(2025, 2, 5));              // Mon → after the festival
    CHECK(c.next_working_day(day(2025, 1, 28), 0) == day(2025, 2, 5));
    CHECK(c.next_working_day(day(2025, 2, 5), 0) == day(2025, 2, 5));
    CHECK(c.next_working_day(day(2025, 2, 5), 3) == day(2025, 2, 8)); // Thu, Fri, make-up Sat
    CHECK(c.previous_working_day(day(2025, 2, 5)) == day(2025, 1, 27));
    CHECK(c.previous_working_day(day(2025, 2, 3), 0) == day(2025, 1, 27));
    CHECK(c.previous_working_day(day(2025, 1, 27), 2) == day(2025, 1, 24));
    CHECK(c.close_of(day(2025, 1, 28)) == at(2025, 2, 5, 10, 0)); // 18:00 Shanghai on Feb 5
    CHECK(c.close_of(day(2025, 1, 27)) == at(2025, 1, 27, 10, 0));
    CHECK(c.local_date(at(2025, 1, 27, 16, 30)) == day(2025, 1, 28)); // 00:30 Shanghai
    CHECK_THROWS_AS((void)c.next_working_day(day(2025, 1, 1), -1), error);
    CHECK_THROWS_AS((void)calendar::business(hours(0)).next_working_day(day(2025, 1, 1)), error);
    CHECK(calendar::business(hours(0)).close_of(day(2025, 1, 1)).is_pos_infinity());
}

TEST_CASE("offsets and wall times agree with date/tz every seven hours from 1900 to 2040") {
    // The zone's lookup index (spans of about 204 days) against the tz database itself, in
    // zones with many changes, one that stopped (Shanghai) and a southern one (Sydney).
    for (const char* zone : {"America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Shanghai"}) {
        CAPTURE(zone);
        const calendar c = calendar::always_open(std::string_view(zone));
        const oracle o{::date::locate_zone(zone), {}};
        const std::int64_t first = utc_ticks(1900, 1, 1, 0, 0) / ticks_per_minute,
                           last = utc_ticks(2040, 1, 1, 0, 0) / ticks_per_minute;
        for (std::int64_t m = first; m < last; m += 420) {
            const ::date::sys_seconds s{std::chrono::seconds(m * 60)};
            const auto expected = o.zone->get_info(s).offset.count() * ticks_per_second;
            REQUIRE(c.utc_offset_at(to_time_point(m * ticks_per_minute)) == to_duration(expected));
            // The same minute as a local wall time: by RFC 5545 through the oracle.
            const std::int64_t local = m + 480; // any wall time; +8 h keeps it in range
            const std::int64_t local_day = local >= 0 ? local / 1440 : -((-local + 1439) / 1440);
            const int minute = static_cast<int>(local - local_day * 1440);
            const auto d = day(1970, 1, 1) + boost::gregorian::days(local_day);
            // In seconds: before 1900-ish zones had offsets like +08:05:43 (local mean time).
            const ::date::local_seconds l{std::chrono::seconds(local * 60)};
            const auto wall = (l.time_since_epoch() - o.zone->get_info(l).first.offset).count() * ticks_per_second;
            REQUIRE(to_ticks(c.at(d, minutes(minute))) == wall);
        }
    }
}
