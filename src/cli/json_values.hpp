// The CLI's JSON vocabulary: instants as ISO 8601 with an offset, durations as ISO 8601
// durations, and careflow values to and from JSON (nlohmann/json) by their declared type.
#pragma once

#include <careflow/model/value.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace careflow::cli {

/// JSON objects keep their fields in the order written.
using json = nlohmann::ordered_json;

/// "2025-01-24T14:30:00+08:00", with fractional seconds (up to microseconds) and `Z` or an
/// offset (±HH:MM, ±HHMM, ±HH); false when `s` is not such an instant.
[[nodiscard]] bool parse_instant(std::string_view s, time_point& out);

/// `t` as the wall time at `offset` from UTC with that offset: "2025-03-10T09:00:00-04:00"
/// (fractional seconds when there are any; an offset with seconds, as before 1900 in some
/// zones, as ±HH:MM:SS).
[[nodiscard]] std::string format_instant(time_point t, duration offset);

/// "PT15S", "PT1H30M", "P2DT3H", "P1W", "PT0.5S", "-PT5S": weeks, days, hours, minutes and
/// seconds (days are 24 hours; years and months, which have no fixed length, are refused).
[[nodiscard]] bool parse_duration(std::string_view s, duration& out);
/// A duration as ISO 8601 in hours, minutes and seconds: "PT15S", "PT48H", "PT0.25S", "PT0S".
[[nodiscard]] std::string format_duration(duration d);

/// A JSON scalar as a value for a slot of `declared` type (nothing: unknown, taken as it
/// looks). Strings become times, durations or symbols when the slot is of that type and
/// they read as one; otherwise they stay text and the engine judges them. Throws
/// std::invalid_argument for null, arrays and objects.
[[nodiscard]] value to_value(const json& j, std::optional<value_type> declared);
/// A value as JSON: numbers, booleans, strings; times and durations in ISO 8601; empty: null.
[[nodiscard]] json to_json(const value& v);

} // namespace careflow::cli
