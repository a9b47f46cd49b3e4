/// \file careflow/time/calendar.hpp
/// Business calendars: when a center is open, time arithmetic in open time, and local dates.
///
///     calendar center = calendar::business("America/New_York")  // or a fixed offset: hours(8)
///         .weekdays({{hours(9), hours(12)}, {hours(13), hours(18)}})
///         .holiday(date(2026, 10, 1))                           // a public holiday
///         .working_day(date(2026, 10, 10), {{hours(9), hours(18)}}); // a make-up working day
///     center.add(t, hours(24));          // 24 business hours later
///     center.add_working_days(t, 1);     // the next working day, same business moment
///     center.close_of(center.next_working_day(add_months(center.local_date(t), 1), 0));
///
/// Opening hours are local wall-clock times in the calendar's zone: an IANA zone (daylight
/// saving included, from the system's tz database) or a fixed UTC offset. A local time
/// that occurs twice is its first occurrence; one that does not occur (clocks set forward)
/// is read with the offset before the change, moving it forward by the gap (RFC 5545).
///
/// Arithmetic is exact to the microsecond and precomputed: "business time before t" is a
/// weekly sum plus binary searches over the exceptions and the zone's changes, so a
/// month-long `add` or `between` costs a few binary searches, never a walk over days.
#pragma once

#include <careflow/time/ticks.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <array>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace careflow {

namespace detail {
struct zone_rules;
}

/// `d` moved by `n` calendar months (negative: back), the day clamped to the end of a
/// shorter month: Jan 31 + 1 month is Feb 28 (Feb 29 in a leap year), Mar 31 − 1 month
/// likewise. Throws `careflow::error` ("careflow.calendar.bad_date") for a special date or
/// a result outside the years 1400–9999.
[[nodiscard]] boost::gregorian::date add_months(boost::gregorian::date d, int n);

/// Opening hours within one local day: [begin, end) after local midnight.
struct opening {
    duration begin;
    duration end;
    bool operator==(const opening&) const = default;
};

/// A calendar: 24×7 (the default) or weekly opening hours with holidays and make-up
/// working days, in a time zone or at a fixed UTC offset. Immutable once set up; copy
/// freely (a zone's rules are shared).
class calendar {
public:
    /// "Never": what `add` gives when the calendar never opens again.
    static constexpr ticks never = std::numeric_limits<ticks>::max();

    /// Open all the time, in UTC.
    calendar();
    /// Open all the time (the zone matters only for dates and working days: local midnights).
    static calendar always_open(duration utc_offset = duration(0, 0, 0));
    /// Open all the time in an IANA zone. Throws `careflow::error`
    /// ("careflow.calendar.unknown_zone") when the system's tz database lacks it.
    static calendar always_open(std::string_view zone);
    /// Closed every day until hours are added, at `utc_offset` east of UTC.
    static calendar business(duration utc_offset);
    /// Closed every day until hours are added, in an IANA zone ("Asia/Shanghai").
    static calendar business(std::string_view zone);

    /// Replace the opening hours of one weekday. Throws `careflow::error`
    /// ("careflow.calendar.bad_hours") for an empty, reversed, out-of-day or overlapping interval.
    /// On a 24×7 calendar (`always_open`), hours and dated exceptions replace only what they
    /// name: every other day stays open all day, whatever order the calls come in.
    calendar& hours(boost::gregorian::greg_weekday day, std::vector<opening> intervals);
    /// The same hours Monday to Friday.
    calendar& weekdays(const std::vector<opening>& intervals);
    /// Closed all day on a local date (a public holiday).
    calendar& holiday(boost::gregorian::date day);
    /// Open on a local date with these hours, whatever its weekday (a make-up working day, 调休).
    calendar& working_day(boost::gregorian::date day, std::vector<opening> intervals);
    /// Many dated days at once, each with its hours (none: a holiday), a later entry for the
    /// same date winning: as `working_day` for each in turn, but indexed once (a schedule
    /// file of thousands of dates). Nothing changes when one entry is bad.
    calendar& set_days(std::vector<std::pair<boost::gregorian::date, std::vector<opening>>> days);

    [[nodiscard]] bool is_24x7() const noexcept { return always_; }
    /// The fixed offset east of UTC; for a zone, its offset at the Unix epoch (use `utc_offset_at`).
    [[nodiscard]] duration utc_offset() const;
    /// The IANA zone name, or empty for a fixed offset.
    [[nodiscard]] const std::string& zone() const noexcept;
    /// The offset east of UTC in force at `t`.
    [[nodiscard]] duration utc_offset_at(time_point t) const;
    /// The weekly opening hours of a weekday (Sunday = 0), and the dated exceptions
    /// (holidays have no hours), as set up: what a calendar file writes back.
    [[nodiscard]] std::vector<opening> weekly_hours(boost::gregorian::greg_weekday day) const;
    [[nodiscard]] std::vector<std::pair<boost::gregorian::date, std::vector<opening>>> exceptions() const;

    // Local dates. A local day runs from the instant of its local midnight to the next
    // one's (23 or 25 hours on the days clocks change).
    /// The local date at `t`.
    [[nodiscard]] boost::gregorian::date local_date(time_point t) const;
    /// The instant a local date begins.
    [[nodiscard]] time_point start_of_day(boost::gregorian::date d) const;
    /// The instant of a local wall-clock time on a local date (`time_of_day` in [0, 24h]);
    /// a repeated time is its first occurrence, a skipped one moves forward by the gap.
    [[nodiscard]] time_point at(boost::gregorian::date d, duration time_of_day) const;
    /// The n-th working day after `d` (n = 0: `d` itself when it is a working day, else
    /// the first one after it). Throws `careflow::error` ("careflow.calendar.never_open")
    /// when there is none within 2,800 years, ("careflow.calendar.bad_duration") for n < 0.
    [[nodiscard]] boost::gregorian::date next_working_day(boost::gregorian::date d, int n = 1) const;
    /// The n-th working day before `d` (n = 0: `d` itself when it is a working day, else
    /// the last one before it). Errors as for `next_working_day`.
    [[nodiscard]] boost::gregorian::date previous_working_day(boost::gregorian::date d, int n = 1) const;
    /// "By the close of working day D": the instant the last opening of `d` closes, or of
    /// the first working day after `d` when `d` is not one.
    [[nodiscard]] time_point close_of(boost::gregorian::date d) const;

    /// Is the calendar open at `t`?
    [[nodiscard]] bool is_open(time_point t) const { return is_open(instant(t)); }
    /// `t` if open, else the next opening instant.
    [[nodiscard]] time_point next_open(time_point t) const;
    /// The instant when `business` open time has passed after `t` (elapsed hours, not days).
    [[nodiscard]] time_point add(time_point t, duration business) const;
    /// `n` working days after `t` at the same business moment of the day. From a closed
    /// day, counting starts at the next working day's opening.
    [[nodiscard]] time_point add_working_days(time_point t, int n) const;
    /// The close of the n-th working day from `t`: n = 0 is the close of the working day
    /// `t` falls in, or of the next one when `t` is closed or past the day's last closing.
    [[nodiscard]] time_point close_of_working_day(time_point t, int n) const;
    /// Open time between `a` and `b` (negative when `b` is before `a`).
    [[nodiscard]] duration between(time_point a, time_point b) const {
        return to_duration(between(instant(a), instant(b)));
    }
    /// Is the local date a working day (open at all)?
    [[nodiscard]] bool is_working_day(boost::gregorian::date local) const;

    // The same in ticks, for the engine's hot path.
    /// `t` in ticks; throws `careflow::error` ("careflow.calendar.bad_time") for
    /// `not_a_date_time` and the infinities, which no calendar arithmetic is defined for.
    [[nodiscard]] static ticks instant(time_point t);
    [[nodiscard]] bool is_open(ticks t) const noexcept;
    [[nodiscard]] ticks next_open(ticks t) const noexcept;
    /// Precondition: business >= 0.
    [[nodiscard]] ticks add(ticks t, ticks business) const noexcept;
    /// Precondition: n >= 0.
    [[nodiscard]] ticks add_working_days(ticks t, int n) const noexcept;
    /// Precondition: n >= 0.
    [[nodiscard]] ticks close_of_working_day(ticks t, int n) const noexcept;
    [[nodiscard]] ticks between(ticks a, ticks b) const noexcept;
    /// Local days since 1970-01-01 at `t`, and the instant day `day` begins.
    [[nodiscard]] std::int64_t day_of(ticks t) const noexcept;
    [[nodiscard]] ticks start_of(std::int64_t day) const noexcept;
    /// The instant of a local wall time (ticks since 1970-01-01 00:00 local).
    [[nodiscard]] ticks from_local(ticks local) const noexcept;
    /// The local wall time of an instant.
    [[nodiscard]] ticks to_local(ticks t) const noexcept;
    /// A working day counted from local day `day`: n = 0 `day` itself when it is a working
    /// day, else the first after it; n > 0 the n-th working day after `day`; n < 0 the
    /// |n|-th working day before it; `none_day` when there is none.
    [[nodiscard]] std::int64_t working_day_from(std::int64_t day, int n) const noexcept;
    /// The instant the last opening of working day `day` closes (precondition: a working day).
    [[nodiscard]] ticks close_of_day(std::int64_t day) const noexcept;
    // The date rules of expressions (expression.hpp), on instants. An instant outside the
    // years 1400-9999 comes back unchanged; a rule that finds no working day gives `never`.
    [[nodiscard]] ticks local_day_start(ticks t) const noexcept;
    [[nodiscard]] ticks plus_days(ticks t, std::int64_t n) const noexcept;
    [[nodiscard]] ticks plus_months(ticks t, std::int64_t n) const noexcept;
    [[nodiscard]] ticks working_day_start(ticks t, std::int64_t n) const noexcept;
    [[nodiscard]] ticks close_of_local_day(ticks t) const noexcept;
    static constexpr std::int64_t none_day = std::numeric_limits<std::int64_t>::max();

private:
    struct exception_day {
        std::int64_t day; // local days since 1970-01-01
        std::vector<std::pair<ticks, ticks>> open;
        ticks total;
    };
    using intervals = std::vector<std::pair<ticks, ticks>>;
    using day_list = std::vector<exception_day>;

    void reindex();
    void leave_24x7();
    void set_zone(std::string_view zone);
    [[nodiscard]] const intervals& wall_hours(std::int64_t day) const noexcept;
    // A day's opening hours as offsets from the instant it begins (its wall hours, except
    // on a day the zone's offset changes).
    [[nodiscard]] const intervals& day_hours(std::int64_t day) const noexcept;
    [[nodiscard]] ticks day_total(std::int64_t day) const noexcept;
    [[nodiscard]] static std::size_t days_before(const day_list& list, std::int64_t day) noexcept;
    [[nodiscard]] std::size_t exceptions_before(std::int64_t day) const noexcept {
        return days_before(exceptions_, day);
    }
    [[nodiscard]] ticks cum_time(std::int64_t day) const noexcept;        // open time before local day `day`
    [[nodiscard]] std::int64_t cum_days(std::int64_t day) const noexcept; // working days before `day`
    [[nodiscard]] ticks open_before(ticks t) const noexcept;              // open time before an instant
    template <class Pred>
    [[nodiscard]] std::int64_t first_day(std::int64_t from, Pred pred) const noexcept;
    [[nodiscard]] static ticks within(const intervals& hours, ticks tod) noexcept;
    [[nodiscard]] static ticks at_moment(const intervals& hours, ticks moment) noexcept;

    bool always_ = true;
    ticks offset_ = 0;                               // fixed offset (no zone)
    std::shared_ptr<const detail::zone_rules> zone_; // null: fixed offset
    day_list shifted_;                       // days the zone's offset changes, by day: hours from the day's start
    std::vector<ticks> shifted_time_;        // prefix sums of (shifted total - wall total)
    std::vector<std::int64_t> shifted_days_; // prefix sums of (shifted working - wall working)
    std::array<intervals, 7> week_{};        // by weekday, Sunday = 0
    std::array<ticks, 7> week_open_{};       // open time per weekday
    std::array<ticks, 8> head_time_{};       // open time of the first k days of a week starting Thursday
    std::array<std::int64_t, 8> head_days_{};
    ticks week_time_ = 0;
    std::int64_t week_days_ = 0;
    std::vector<exception_day> exceptions_;    // sorted by day
    std::vector<ticks> exception_time_;        // prefix sums of (total - weekly) before exception i
    std::vector<std::int64_t> exception_days_; // prefix sums of (working - weekly working)
};

/// The center's opening hours of PROCEDURES.md without any holidays: Asia/Shanghai,
/// Monday–Friday 09:00–12:00 and 13:00–18:00, weekends closed. `center_calendar()`
/// (calendar_file.hpp) adds the official holiday schedules careflow ships.
[[nodiscard]] calendar center_hours();

} // namespace careflow
