/// \file careflow/procedures/first_visit.hpp
/// The first-visit responsibility system (PROCEDURES.md §3, seed document 002): one named
/// responsible counselor accountable for every duty of a new client's first visit.
///
///   booked ─screening_opens (the day before)─► screening ─screen{back_office}─► deciding
///   deciding [risk ≥ crisis] ─► crisis (manager told at once)
///   deciding [out of scope] ─► referral (the file shared with the referral only with the
///                                         client's consent; otherwise the client is given its contact)
///   deciding [else] ─► matching ─assign_counselor{manager|receptionist}─► pre_contact
///   pre_contact ─contacted{responsible}─► ready ─start_session─► consultation
///   consultation ─sign_agreement─┐ ─end_session [agreement signed]─► recording ─record─► follow_up
///   follow_up ↺ remind the responsible counselor ─follow_up_done─► closed
///   SLAs (accountable: responsible): pre_contact before the appointment, record within 24 h,
///   follow-up within 3 working days; screening before the appointment.
#pragma once

#include <careflow/procedures/common.hpp>

#include <optional>
#include <vector>

namespace careflow::procedures {

struct first_visit_params {
    std::string calendar = center_calendar_name;
    /// (seed) pre-screening "on the day of the appointment or the day before": the window
    /// opens at the start of the previous working day (true, default) or of the calendar
    /// day before (false), in `calendar`'s zone.
    bool screening_from_previous_working_day = true;
    int crisis_risk = 4;                                   ///< (default) risk at or above which it is a crisis
    duration record_within = boost::posix_time::hours(24); ///< (default) records after the first consultation
    span follow_up_within = working_days(3);               ///< (default) follow-up plan carried out
    span remind_every = working_days(1);                   ///< (seed: the system reminds) (default interval)
    int max_reminders = 10;                                ///< (default)
    /// The consent topic a client gives to have their file shared with a referral (PROCEDURES.md
    /// §4: nothing disclosed without the client's consent). Empty: no consent asked.
    std::string referral_consent = "referral";
};

/// The model, for validation and drawing.
[[nodiscard]] procedure first_visit(const first_visit_params& params = {});
/// The compiled program, for running cases.
[[nodiscard]] std::shared_ptr<const program> first_visit_program(const first_visit_params& params = {});

/// A counselor as the matching rule sees them.
struct counselor_profile {
    std::string id;
    std::vector<std::string> specialties; ///< e.g. "anxiety", "family", "adolescent"
    std::vector<std::string> modes;       ///< "online", "offline"
    int load = 0;                         ///< open cases now
    bool available = true;
};

/// What the client asked for.
struct client_request {
    std::string preferred; ///< a counselor's id, or empty
    std::string need;      ///< a specialty, or empty
    std::string mode;      ///< "online", "offline", or empty for either
};

/// The matching rule of the first-visit system (preference, then need and specialty, then
/// the lightest load; ties by id): the counselor to pass to `assign_counselor`, or nothing
/// when nobody available offers the mode. Deterministic.
[[nodiscard]] std::optional<std::string> match_counselor(const std::vector<counselor_profile>& roster,
                                                         const client_request& request);

} // namespace careflow::procedures
