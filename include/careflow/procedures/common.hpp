/// \file careflow/procedures/common.hpp
/// What the shipped procedures share: role names, the calendar name, and installing them.
///
/// Each procedure header declares a parameter struct (defaults from PROCEDURES.md:
/// "(seed)" numbers come from the operating documents, "(default)" ones are careflow's
/// where the documents say only "promptly"), a function returning the model (for
/// validation and drawing; include <careflow/model/procedure.hpp> to use it) and one
/// returning the compiled program (all a host needs to run cases).
#pragma once

#include <careflow/model/expression.hpp>
#include <careflow/program/program.hpp>
#include <careflow/time/calendar.hpp>
#include <careflow/time/calendar_file.hpp>

#include <memory>
#include <string>

namespace careflow {
class procedure;
class engine;
} // namespace careflow

namespace careflow::procedures {

/// Role names used by the shipped procedures (actors carry them).
namespace roles {
inline constexpr const char* operator_ = "operator";            ///< 接听员: answers the hotline
inline constexpr const char* counselor = "counselor";           ///< 咨询师: qualified to counsel
inline constexpr const char* callback_agent = "callback_agent"; ///< 回访人员 with training on record
inline constexpr const char* receptionist = "receptionist";     ///< 前台/接待
inline constexpr const char* back_office = "back_office";       ///< 后台支持
inline constexpr const char* manager = "manager";               ///< 管理人员/负责人
inline constexpr const char* supervisor = "supervisor";         ///< 内部监督
} // namespace roles

/// The calendar name the shipped procedures use for working-day rules.
inline constexpr const char* center_calendar_name = "center";

/// A due date counted in calendar months and days from a date ("one week after", "one
/// month after"): months first (the day clamped to a shorter month's end), then days.
struct date_offset {
    int months = 0;
    int days = 0;
    static date_offset in_days(int n) { return {0, n}; }
    static date_offset in_months(int n) { return {n, 0}; }
    friend bool operator==(const date_offset&, const date_offset&) = default;
};

/// The start of the working day a date rule falls on: `t`'s local date moved by `offset`,
/// then to the next working day when it is not one (all in `calendar`).
[[nodiscard]] expr due_day(expr t, date_offset offset, const std::string& calendar);

/// Install all six shipped procedures (default parameters) and the center calendar on an
/// engine. Hosts that tune parameters install their own programs instead.
void install_all(engine& e, const calendar& center = center_calendar());

} // namespace careflow::procedures
