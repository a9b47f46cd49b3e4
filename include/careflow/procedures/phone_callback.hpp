/// \file careflow/procedures/phone_callback.hpp
/// A follow-up telephone callback (PROCEDURES.md §2, seed document 001).
///
///   planned ─due (at the due time; a closed day moves to the next opening)─► queued
///   queued ─claim{callback_agent}─► verifying ─verify [contact ok]─► dialing
///                                             └verify [no consent]─► no_consent (counselor told)
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
    /// (seed) "retry up to 3 times on different working days": retries after the first
    /// attempt, each on the working day after the previous attempt's local date.
    int max_retries = 3;
    span record_within = end_of_working_day(0); ///< (default) record the same working day
    /// (seed) on time when first attempted by the close of the date it is due (`due`'s local
    /// date, or the next working day when that is not one).
    date_offset second_callback_after = date_offset::in_days(3); ///< (default) for special cases
    std::string appointment_procedure = "appointment";           ///< what booking a further consultation spawns
    /// The consent topic a client gives to be called back: checked as the agent verifies
    /// the record before dialing (a client who withdrew it, or never gave it, is not
    /// called). Empty: no consent asked (the host answers for it).
    std::string consent = "callback";
};

/// The model, for validation and drawing.
[[nodiscard]] procedure phone_callback(const phone_callback_params& params = {});
/// The compiled program, for running cases.
[[nodiscard]] std::shared_ptr<const program> phone_callback_program(const phone_callback_params& params = {});

} // namespace careflow::procedures
