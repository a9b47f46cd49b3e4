// Internal: the shipped calendar files (src/time/calendars/*.json), embedded at configure
// time by cmake/embed_calendars.cmake into shipped_calendars.cpp in the build tree.
#pragma once

#include <span>
#include <string_view>

namespace careflow::detail {

struct shipped_file {
    std::string_view name;
    std::string_view text;
};
extern const std::span<const shipped_file> shipped_calendar_files;

} // namespace careflow::detail
