/// \file careflow/procedures/phone_callback.hpp
/// A follow-up telephone callback (PROCEDURES.md §2, seed document 001).
///
///   planned ─due (at the due time; a closed day moves to the next opening)─► queued
///   queued ─claim{callback_agent}─► verifying ─verify [contact ok]─► dialing
///                                             └verify [else]─► contact_invalid (counselor told)
///   dialing ─reached─► conversation ─feedback─► recording ─record─► booking_check ─► second_check ─► done
///          └unreachable [attempts < max]─► waiting_retry ─retry (next working day)─► verifying
///          └unreachable [last attempt]─► unreachable (counselor told)
///   SLA on_time: first attempt the working day it is due; record: the same working day (the agent).
#pragma once

#include <careflow/procedures/common.hpp>

namespace careflow::procedures {

struct phone_callback_params {
    std::string calendar = center_calendar_name; ///< callbacks happen in business hours
    int max_attempts = 3;                        ///< (default) tries before "unreachable"
    span retry_after = working_days(1);          ///< (default) each retry on a different working day
    span record_within = end_of_working_day(0);  ///< (default) record the same working day
    span attempt_within = end_of_working_day(0); ///< (default) first attempt on the day it is due
    duration second_callback_after = boost::posix_time::hours(24 * 3); ///< (default) for special cases
    std::string appointment_procedure = "appointment";                 ///< what booking a further consultation spawns
};

/// The model, for validation and drawing.
[[nodiscard]] procedure phone_callback(const phone_callback_params& params = {});
/// The compiled program, for running cases.
[[nodiscard]] std::shared_ptr<const program> phone_callback_program(const phone_callback_params& params = {});

} // namespace careflow::procedures
