// Local dates of a calendar: an instant's date, a date's start and wall times, working days
// counted by date, the close of a working day, calendar months, and what the calendar holds.
#include "local_days.hpp"
#include "zone.hpp"

#include <careflow/error.hpp>
#include <careflow/time/calendar.hpp>

#include <date/date.h>

#include <algorithm>

namespace hh = date; // Howard Hinnant's date library, apart from boost::gregorian::date

namespace careflow {
using boost::gregorian::date;
using detail::day_number;
using detail::floor_div;
namespace {

const boost::gregorian::date unix_epoch(1970, 1, 1);

date date_of(std::int64_t day) {
    if (day < first_ticks / ticks_per_day || day > last_ticks / ticks_per_day)
        throw error("careflow.calendar.bad_date", "the date falls outside the years 1400-9999");
    return unix_epoch + boost::gregorian::days(day);
}

// An instant a date rule can work on (inside the years 1400-9999); others pass through.
bool dated(ticks t) noexcept { return t >= first_ticks && t <= last_ticks; }

time_point instant_of(ticks t) {
    return t == calendar::never ? time_point(boost::posix_time::pos_infin) : to_time_point(t);
}

} // namespace

std::int64_t detail::months_after(std::int64_t day, int n) noexcept {
    auto ymd = hh::year_month_day{hh::sys_days{hh::days{day}}};
    ymd += hh::months{n};
    if (!ymd.ok()) ymd = ymd.year() / ymd.month() / hh::last; // clamp to the month's end
    return hh::sys_days{ymd}.time_since_epoch().count();
}

date add_months(date d, int n) { return date_of(detail::months_after(day_number(d), n)); }

ticks calendar::local_day_start(ticks t) const noexcept { return dated(t) ? start_of(day_of(t)) : t; }

ticks calendar::plus_days(ticks t, std::int64_t n) const noexcept {
    if (!dated(t)) return t;
    n = std::clamp<std::int64_t>(n, -4'000'000, 4'000'000); // past every representable date
    return from_local(to_local(t) + n * ticks_per_day);
}

ticks calendar::plus_months(ticks t, std::int64_t n) const noexcept {
    if (!dated(t)) return t;
    n = std::clamp<std::int64_t>(n, -130'000, 130'000);
    const ticks local = to_local(t);
    const std::int64_t day = floor_div(local, ticks_per_day);
    return from_local(detail::months_after(day, static_cast<int>(n)) * ticks_per_day + (local - day * ticks_per_day));
}

ticks calendar::working_day_start(ticks t, std::int64_t n) const noexcept {
    if (!dated(t)) return t;
    n = std::clamp<std::int64_t>(n, -40'000, 40'000);
    const std::int64_t r = working_day_from(day_of(t), static_cast<int>(n));
    return r == none_day ? never : start_of(r);
}

ticks calendar::close_of_local_day(ticks t) const noexcept {
    if (!dated(t)) return t;
    const std::int64_t r = working_day_from(day_of(t), 0);
    return r == none_day ? never : close_of_day(r);
}

duration calendar::utc_offset() const { return to_duration(zone_ ? zone_->offset_at(0) : offset_); }

const std::string& calendar::zone() const noexcept {
    static const std::string none;
    return zone_ ? zone_->name : none;
}

duration calendar::utc_offset_at(time_point t) const {
    const ticks i = instant(t);
    return to_duration(to_local(i) - i);
}

std::vector<opening> calendar::weekly_hours(boost::gregorian::greg_weekday day) const {
    std::vector<opening> out;
    for (const auto& [b, e] : week_[day.as_number()]) out.push_back({to_duration(b), to_duration(e)});
    return out;
}

std::vector<std::pair<date, std::vector<opening>>> calendar::exceptions() const {
    std::vector<std::pair<date, std::vector<opening>>> out;
    for (const auto& e : exceptions_) {
        std::vector<opening> hours;
        for (const auto& [b, x] : e.open) hours.push_back({to_duration(b), to_duration(x)});
        out.emplace_back(date_of(e.day), std::move(hours));
    }
    return out;
}

date calendar::local_date(time_point t) const { return date_of(day_of(instant(t))); }

time_point calendar::start_of_day(date d) const { return instant_of(start_of(day_number(d))); }

time_point calendar::at(date d, duration time_of_day) const {
    if (time_of_day.is_special() || time_of_day.is_negative() || to_ticks(time_of_day) > ticks_per_day)
        throw error("careflow.calendar.bad_time", "a local time of day must lie within 00:00-24:00");
    return instant_of(from_local(day_number(d) * ticks_per_day + to_ticks(time_of_day)));
}

date calendar::next_working_day(date d, int n) const {
    if (n < 0) throw error("careflow.calendar.bad_duration", "next_working_day() needs n >= 0");
    const std::int64_t r = working_day_from(day_number(d), n);
    if (r == none_day) throw error("careflow.calendar.never_open", "the calendar has no such working day");
    return date_of(r);
}

date calendar::previous_working_day(date d, int n) const {
    if (n < 0) throw error("careflow.calendar.bad_duration", "previous_working_day() needs n >= 0");
    const std::int64_t day = day_number(d);
    const std::int64_t r = n == 0 && day_total(day) > 0 ? day : working_day_from(day, n == 0 ? -1 : -n);
    if (r == none_day) throw error("careflow.calendar.never_open", "the calendar has no such working day");
    return date_of(r);
}

time_point calendar::close_of(date d) const {
    const std::int64_t day = working_day_from(day_number(d), 0);
    if (day == none_day) return time_point(boost::posix_time::pos_infin);
    return instant_of(close_of_day(day));
}

} // namespace careflow
