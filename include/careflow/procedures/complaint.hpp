/// \file careflow/procedures/complaint.hpp
/// A complaint on the dedicated channel (PROCEDURES.md §5 complaints, seed document 004).
///
///   open ───────────────────────────────────────────────────────────────┐
///   │ received ─acknowledge{manager|supervisor}─► investigating          │
///   │ investigating ─resolve─► improving ─record_improvement─► closed    │
///   │ ↺ escalate (on a breach): supervision told                         │
///   SLAs: acknowledged within 1 working day; resolved within 7 working days (center calendar).
#pragma once

#include <careflow/procedures/common.hpp>

namespace careflow::procedures {

struct complaint_params {
    std::string calendar = center_calendar_name;
    span acknowledge_within = working_days(1); ///< (default)
    span resolve_within = working_days(7);     ///< (default) working days, so a holiday never squeezes it
};

/// The model, for validation and drawing.
[[nodiscard]] procedure complaint(const complaint_params& params = {});
/// The compiled program, for running cases.
[[nodiscard]] std::shared_ptr<const program> complaint_program(const complaint_params& params = {});

} // namespace careflow::procedures
