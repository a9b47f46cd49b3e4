// The yardstick translation unit: just Boost.Date_Time's posix_time and fmt, and a use of
// each — what any host that handles times and formats text already compiles.
#include <boost/date_time/posix_time/posix_time.hpp>
#include <fmt/format.h>

#include <string>

std::string stamp(boost::posix_time::ptime now) {
    return fmt::format("{} {}", boost::posix_time::to_iso_string(now),
                       (now - boost::posix_time::ptime(now.date())).hours());
}
