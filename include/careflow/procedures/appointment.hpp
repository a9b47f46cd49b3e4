/// \file careflow/procedures/appointment.hpp
/// An appointment at the counseling center (PROCEDURES.md §5 appointment rules, seed 004).
///
///   requested ─confirm{counselor}─► confirmed ─check_in─► in_session ─done─► attended
///      │ └decline─► declined          │ ↺ remind (before the appointment)
///      └cancel─► withdrawn            │ ─reschedule [≥ notice before]─► confirmed (timers re-armed)
///                                     │ ─cancel [≥ notice before]─► cancelled
///                                     │ ─cancel [later]─► late_cancelled
///                                     └ no_show_due (appointment + grace) ─► no_show
///   SLA confirm: the counselor replies within 24 h.
#pragma once

#include <careflow/procedures/common.hpp>

namespace careflow::procedures {

struct appointment_params {
    duration confirm_within = boost::posix_time::hours(24);  ///< (seed) the counselor confirms within 24 h
    duration change_notice = boost::posix_time::hours(24);   ///< (seed) change or cancel at least 24 h before
    duration remind_before = boost::posix_time::hours(24);   ///< (default) reminder
    duration no_show_grace = boost::posix_time::minutes(15); ///< (default) after the start, a no-show
};

/// The model, for validation and drawing.
[[nodiscard]] procedure appointment(const appointment_params& params = {});
/// The compiled program, for running cases.
[[nodiscard]] std::shared_ptr<const program> appointment_program(const appointment_params& params = {});

} // namespace careflow::procedures
