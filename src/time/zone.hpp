// Internal: an IANA time zone's UTC offsets as a sorted list of changes, read once from the
// system tz database through Howard Hinnant's date/tz, and local wall time → UTC by RFC 5545.
#pragma once

#include <careflow/time/ticks.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace careflow::detail {

/// One zone's offsets (ticks east of UTC) from 1900 through the last change the system's
/// tz database lists (its files list changes through 2037; later instants keep the offset
/// in force then).
struct zone_rules {
    struct change {
        ticks at;     ///< the UTC instant the new offset starts
        ticks before; ///< offset until `at`
        ticks after;  ///< offset from `at`
        ticks key;    ///< the first local time read with `after`: at + max(before, after)
    };
    std::string name;
    ticks first_offset = 0;      ///< before the first change (or always, when there is none)
    std::vector<change> changes; ///< sorted by `at`

    /// The offset in force at a UTC instant.
    [[nodiscard]] ticks offset_at(ticks utc) const noexcept;
    /// The UTC instant of a local wall time (ticks since 1970-01-01 00:00 local). A time
    /// that occurs twice (clocks set back) is its first occurrence; a time that does not
    /// occur (clocks set forward) is read with the offset before the change, which moves
    /// it forward by the gap (RFC 5545 §3.3.5).
    [[nodiscard]] ticks to_utc(ticks local) const noexcept;

    /// Builds the lookup index once the changes are in place: for each span of 2^44 µs
    /// (about 204 days) from the first change, where its changes begin. A lookup then
    /// steps over at most the few changes of one span instead of a binary search.
    void index();

private:
    static constexpr int span_shift = 44;
    ticks base_ = 0; // the first change's instant (and its key, for to_utc)
    ticks key_base_ = 0;
    std::vector<std::uint32_t> by_at_;  // span -> first change with at >= the span's start
    std::vector<std::uint32_t> by_key_; // the same over `key`
    // The number of changes whose `field` is <= t, found from t's span.
    template <ticks change::*Field>
    [[nodiscard]] std::size_t count_upto(ticks t, ticks base, const std::vector<std::uint32_t>& spans) const noexcept;
};

/// The rules of an IANA zone ("America/New_York"), shared and cached by name. Throws
/// `careflow::error` ("careflow.calendar.unknown_zone") when the system's tz database has
/// no such zone.
[[nodiscard]] std::shared_ptr<const zone_rules> load_zone(std::string_view name);

} // namespace careflow::detail
