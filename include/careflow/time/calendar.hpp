/// \file careflow/time/calendar.hpp
/// Business calendars: when a center is open, and time arithmetic in open time.
///
///     calendar center = calendar::business(hours(8))            // Asia/Shanghai, UTC+8
///         .weekdays({{hours(9), hours(12)}, {hours(13), hours(18)}})
///         .holiday(date(2026, 10, 1))                           // National Day
///         .working_day(date(2026, 10, 10), {{hours(9), hours(18)}}); // make-up Saturday
///     center.add(t, hours(24));          // 24 business hours later
///     center.add_working_days(t, 1);     // the next working day, same business moment
///
/// Arithmetic is exact to the microsecond and precomputed: "business time before t" is a
/// weekly sum plus a binary search over the exceptions, so a month-long `add` or
/// `between` costs a few binary searches, never a walk over days.
#pragma once

#include <careflow/time/ticks.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <array>
#include <limits>
#include <vector>

namespace careflow {

/// Opening hours within one local day: [begin, end) after local midnight.
struct opening {
    duration begin;
    duration end;
};

/// A calendar: 24×7 (the default) or weekly opening hours with holidays and make-up
/// working days, at a fixed UTC offset. Immutable once set up; copy freely.
class calendar {
public:
    /// "Never": what `add` gives when the calendar never opens again.
    static constexpr ticks never = std::numeric_limits<ticks>::max();

    /// Open all the time, in UTC.
    calendar() = default;
    /// Open all the time (the offset matters only for working days: local midnights).
    static calendar always_open(duration utc_offset = duration(0, 0, 0));
    /// Closed every day until hours are added, at `utc_offset` east of UTC.
    static calendar business(duration utc_offset);

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

    [[nodiscard]] bool is_24x7() const noexcept { return always_; }
    [[nodiscard]] duration utc_offset() const { return to_duration(offset_); }

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

private:
    struct exception_day {
        std::int64_t day; // local days since 1970-01-01
        std::vector<std::pair<ticks, ticks>> open;
        ticks total;
    };
    using intervals = std::vector<std::pair<ticks, ticks>>;

    void reindex();
    void leave_24x7();
    [[nodiscard]] const intervals& day_hours(std::int64_t day) const noexcept;
    [[nodiscard]] ticks day_total(std::int64_t day) const noexcept;
    [[nodiscard]] std::size_t exceptions_before(std::int64_t day) const noexcept;
    [[nodiscard]] ticks cum_time(std::int64_t day) const noexcept;        // open time before local day `day`
    [[nodiscard]] std::int64_t cum_days(std::int64_t day) const noexcept; // working days before `day`
    [[nodiscard]] ticks open_before(ticks local) const noexcept;          // open time before a local instant
    template <class Pred>
    [[nodiscard]] std::int64_t first_day(std::int64_t from, Pred pred) const noexcept;
    [[nodiscard]] static ticks within(const intervals& hours, ticks tod) noexcept;
    [[nodiscard]] static ticks at_moment(const intervals& hours, ticks moment) noexcept;

    bool always_ = true;
    ticks offset_ = 0;
    std::array<intervals, 7> week_{};  // by weekday, Sunday = 0
    std::array<ticks, 7> week_open_{}; // open time per weekday
    std::array<ticks, 8> head_time_{}; // open time of the first k days of a week starting Thursday
    std::array<std::int64_t, 8> head_days_{};
    ticks week_time_ = 0;
    std::int64_t week_days_ = 0;
    std::vector<exception_day> exceptions_;    // sorted by day
    std::vector<ticks> exception_time_;        // prefix sums of (total - weekly) before exception i
    std::vector<std::int64_t> exception_days_; // prefix sums of (working - weekly working)
};

/// The default center calendar of PROCEDURES.md: Asia/Shanghai (UTC+8, no DST),
/// Monday–Friday 09:00–12:00 and 13:00–18:00, weekends closed. Add holidays and
/// make-up working days for the year with `holiday()` and `working_day()`.
[[nodiscard]] calendar center_calendar();

} // namespace careflow
