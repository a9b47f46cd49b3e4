/// \file careflow/time/calendar_file.hpp
/// Calendars as data: the JSON calendar file (zone, weekly hours, holidays, make-up working
/// days, dated exceptions), iCalendar (RFC 5545) holiday lists, and the schedules careflow
/// ships by name: "china-2025", "china-2026" (official holiday schedules, each citing its
/// State Council notice) and "center" (the shipped procedures' default calendar).
///
///     calendar c = load_calendar_file("ops/center.json");
///     calendar d = shipped_calendar("china-2025");
///     import_ical(c, read("holidays.ics"));           // every all-day event a holiday
///
/// The file format is documented in docs/calendars.md. Every error is a `careflow::error`
/// ("careflow.calendar.bad_file") naming where: `line 4, column 12` for JSON syntax,
/// the member's path (`holidays[2].from`) for content; nothing half-read is returned.
#pragma once

#include <careflow/time/calendar.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace careflow {

/// A calendar read from a file, with what the file says about itself.
struct calendar_document {
    std::string name;        ///< "name" (may be empty)
    std::string description; ///< "description"
    std::string source;      ///< "source": where its dates come from
    calendar value;
};

/// Read a calendar file's text. `base` resolves relative `include` paths (empty: only
/// shipped names may be included).
[[nodiscard]] calendar_document parse_calendar(std::string_view json, const std::filesystem::path& base = {});
/// Read a calendar file (unreadable: "careflow.calendar.bad_file" naming the path).
[[nodiscard]] calendar_document load_calendar_file(const std::filesystem::path& file);
/// The calendar of a file, or of a shipped schedule when `name_or_file` names one; neither
/// (no such file): "careflow.calendar.unknown" listing the shipped names.
[[nodiscard]] calendar load_calendar(std::string_view name_or_file);
/// A calendar as a file's JSON text (zone or offset, weekly hours, every dated exception:
/// holidays and working days); `parse_calendar` of it gives an equal calendar.
[[nodiscard]] std::string to_calendar_json(const calendar& c, std::string_view name = {});

/// The names of the shipped schedules.
[[nodiscard]] std::vector<std::string> shipped_calendars();
/// A shipped schedule's file text. Throws "careflow.calendar.unknown" for another name.
[[nodiscard]] std::string_view shipped_calendar_text(std::string_view name);
/// A shipped schedule as a calendar (parsed once, then copied).
[[nodiscard]] calendar shipped_calendar(std::string_view name);

/// The default center calendar: `center_hours()` with the shipped official schedules
/// (`shipped_calendar("center")`).
[[nodiscard]] calendar center_calendar();

/// What the all-day events of an iCalendar file become.
enum class ical_as : std::uint8_t {
    holidays,    ///< closed on every day an event covers
    working_days ///< open on every day an event covers, with the calendar's usual weekday hours
};

/// The all-day events of an iCalendar text: each day an event covers (DTSTART to DTEND
/// exclusive; a single day without DTEND) with its SUMMARY. Events with a time of day are
/// refused, as are texts that are not a VCALENDAR ("careflow.calendar.bad_file").
struct ical_day {
    boost::gregorian::date day;
    std::string summary;
};
[[nodiscard]] std::vector<ical_day> read_ical_days(std::string_view ics);
/// Add every day of an iCalendar text's all-day events to `c` as holidays or working days.
calendar& import_ical(calendar& c, std::string_view ics, ical_as as = ical_as::holidays);

} // namespace careflow
