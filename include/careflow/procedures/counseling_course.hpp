/// \file careflow/procedures/counseling_course.hpp
/// A course of counseling at the center (PROCEDURES.md §4 and §5 "case course", seeds 003, 004).
///
///   intake ─assessed{counselor}─► planning ─plan─► sessions ↺ session_held
///   sessions [every N sessions] ─► evaluation ─evaluate─► sessions (plan adjusted)
///   sessions ─close─► closed  (spawns the counselor's follow-up callback → phone_callback)
#pragma once

#include <careflow/procedures/common.hpp>

namespace careflow::procedures {

struct counseling_course_params {
    int evaluate_every = 4; ///< (default) periodic evaluation every 4 sessions
    /// (seed) the follow-up callback is due one week after closure (the next working day
    /// when that date is not one), in `calendar`.
    date_offset follow_up_after = date_offset::in_days(7);
    std::string calendar = center_calendar_name;
    std::string callback_procedure = "phone_callback";
};

/// The model, for validation and drawing.
[[nodiscard]] procedure counseling_course(const counseling_course_params& params = {});
/// The compiled program, for running cases.
[[nodiscard]] std::shared_ptr<const program> counseling_course_program(const counseling_course_params& params = {});

} // namespace careflow::procedures
