// Internal: local days numbered from 1970-01-01 — floor division of ticks into days and
// weeks, a day's weekday, a date's number, and calendar months added to a day number.
#pragma once

#include <careflow/error.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <cstdint>

namespace careflow::detail {

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) noexcept { return a - floor_div(a, b) * b; }
/// 1970-01-01 was a Thursday; weekday 0 is Sunday.
constexpr int weekday_of(std::int64_t day) noexcept { return static_cast<int>(floor_mod(day + 4, 7)); }

/// The number of a date; throws `careflow::error` ("careflow.calendar.bad_date") for a
/// special date (not-a-date, infinities).
inline std::int64_t day_number(boost::gregorian::date d) {
    if (d.is_special()) throw error("careflow.calendar.bad_date", "a calendar date must be a real date");
    return (d - boost::gregorian::date(1970, 1, 1)).days();
}

/// The day `n` calendar months after day `day`, clamped to the end of a shorter month
/// (Jan 31 + 1 month = Feb 28). Defined in calendar_dates.cpp (date/tz's civil calendar).
std::int64_t months_after(std::int64_t day, int n) noexcept;

} // namespace careflow::detail
