/// \file careflow/time/ticks.hpp
/// Time at the API is Boost.Date_Time; inside, the hot path uses plain 64-bit ticks.
/// A tick is one microsecond (Boost's posix_time resolution), counted from
/// 1970-01-01 00:00:00 UTC. All instants careflow handles are UTC.
#pragma once

#include <boost/date_time/posix_time/posix_time_types.hpp>

#include <cstdint>

namespace careflow {

using time_point = boost::posix_time::ptime;       ///< an instant, UTC
using duration = boost::posix_time::time_duration; ///< a span of elapsed time
using ticks = std::int64_t;                        ///< microseconds (instant: since the epoch)

inline constexpr ticks ticks_per_second = 1'000'000;
inline constexpr ticks ticks_per_minute = 60 * ticks_per_second;
inline constexpr ticks ticks_per_hour = 60 * ticks_per_minute;
inline constexpr ticks ticks_per_day = 24 * ticks_per_hour;

/// Tick (and integer) arithmetic in expressions, deadlines and goals saturates at the ends
/// of the 64-bit range instead of overflowing: a deadline too far to represent stays the
/// farthest one.
[[nodiscard]] constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}
[[nodiscard]] constexpr std::int64_t saturating_sub(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r)) return b < 0 ? INT64_MAX : INT64_MIN;
    return r;
}

/// The epoch ticks count from (made once: building a Boost date validates and converts
/// its fields, which every time conversion would otherwise repeat).
inline const time_point& epoch() {
    static const time_point e(boost::gregorian::date(1970, 1, 1));
    return e;
}

/// Microseconds in a Boost duration (a special value such as not_a_date_time is a precondition violation).
inline ticks to_ticks(const duration& d) { return d.total_microseconds(); }

/// Microseconds from the epoch to a Boost instant.
inline ticks to_ticks(const time_point& t) { return (t - epoch()).total_microseconds(); }

/// The Boost duration of a tick count.
inline duration to_duration(ticks t) { return boost::posix_time::microseconds(t); }

/// The first and last instants a Boost ptime holds (1400-01-01 00:00 to the last
/// microsecond of 9999-12-31), as ticks. Every input time lies between them; arithmetic
/// on ticks (a deadline expression, a goal) may reach past them, and saturates.
inline constexpr ticks first_ticks = -208'188 * ticks_per_day;
inline constexpr ticks last_ticks = 2'932'897 * ticks_per_day - 1;

/// The Boost instant of a tick count since the epoch; a count past the years Boost holds
/// is +infinity (or -infinity before them): "later than any date", never an exception.
inline time_point to_time_point(ticks t) {
    if (t > last_ticks) return time_point(boost::posix_time::pos_infin);
    if (t < first_ticks) return time_point(boost::posix_time::neg_infin);
    return epoch() + boost::posix_time::microseconds(t);
}

} // namespace careflow
