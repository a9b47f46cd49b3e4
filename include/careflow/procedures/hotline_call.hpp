/// \file careflow/procedures/hotline_call.hpp
/// A call to the mental-health hotline (PROCEDURES.md §1, seed document 000).
///
///   call ─────────────────────────────────────────────────────────────────────────┐
///   │ ringing ─answer{operator}─► talking ───────────────────────────────────────┐ │
///   │  ↺ ring every cycle         │ registration ─register─► assessment         │ │
///   │  SLA: answered within       │   assess [≥ crisis] ─► crisis ─join─┐        │ │ ─hang_up─► abandoned
///   │  rings × cycle              │   assess [≥ transfer] ─► handover   │        │ │
///   │                             │     ─handover─► awaiting_counselor ─join─►  │ │
///   │                             │   identity_check ─confirm_identity─►        │ │
///   │                             │   counseling ─resolve─► resolution          │ │
///   │                             │   assess [else] ─► resolution               │ │
///   │                             └──hang_up──► after_call: recording ─record─► awaiting_feedback ─feedback─► closed
///   SLA: record within 2 h (recorder), feedback within 24 h; record [needs follow-up and the
///   caller consented to be called back] spawns callbacks; without that consent the recorder
///   is told to offer other support, and nobody calls.
#pragma once

#include <careflow/procedures/common.hpp>

#include <vector>

namespace careflow::procedures {

struct hotline_call_params {
    int rings = 3;                                           ///< (seed) answer within three rings
    duration ring_cycle = boost::posix_time::seconds(5);     ///< (default) Chinese ring cadence: 1 s on, 4 s off
    int max_rings = 24;                                      ///< (default) ring ticks counted before giving up counting
    int crisis_urgency = 4;                                  ///< (default) urgency at or above which it is a crisis
    int transfer_urgency = 2;                                ///< (default) urgency at or above which a counselor joins
    duration record_within = boost::posix_time::hours(2);    ///< (default) record after the call
    duration feedback_within = boost::posix_time::hours(24); ///< (default) satisfaction feedback by phone or SMS
    duration feedback_give_up = boost::posix_time::hours(72); ///< (default) stop waiting for feedback (a miss)
    /// (seed) callbacks one week and one month after the call, each due on that date (the
    /// next working day when it is not one), in `calendar`.
    std::vector<date_offset> follow_up_after = {date_offset::in_days(7), date_offset::in_months(1)};
    std::string calendar = center_calendar_name;       ///< where callback dates are counted
    std::string callback_procedure = "phone_callback"; ///< what follow-up spawns
    /// The consent topic a caller gives to be called back (PROCEDURES.md §4: nothing without
    /// the client's consent): follow-up callbacks are spawned only while it holds for the
    /// call's client. Empty: no consent asked (the host answers for it).
    std::string callback_consent = "callback";
};

/// The model, for validation and drawing.
[[nodiscard]] procedure hotline_call(const hotline_call_params& params = {});
/// The compiled program, for running cases.
[[nodiscard]] std::shared_ptr<const program> hotline_call_program(const hotline_call_params& params = {});

} // namespace careflow::procedures
