// Internal: the hours a dated working day gets when none are given (a make-up day in a
// calendar file, an iCalendar working day): the first weekday's, Monday first.
#pragma once

#include <careflow/time/calendar.hpp>

namespace careflow::detail {

/// The first of Monday-Friday's weekly hours that is not empty; all day when none is.
[[nodiscard]] std::vector<opening> usual_hours(const calendar& c);

} // namespace careflow::detail
