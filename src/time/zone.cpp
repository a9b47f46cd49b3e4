// Time zones: an IANA zone's offset changes read from the system tz database (date/tz with
// USE_OS_TZDB), cached by name; offset lookup and local → UTC conversion by binary search.
#include "zone.hpp"

#include <careflow/error.hpp>

#include <date/tz.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace careflow::detail {

ticks zone_rules::offset_at(ticks utc) const noexcept {
    // Zones without daylight saving today (Asia/Shanghai since 1991) answer after their last
    // change without a search: the common case of every calendar lookup.
    if (!changes.empty() && utc >= changes.back().at) return changes.back().after;
    const auto it =
        std::upper_bound(changes.begin(), changes.end(), utc, [](ticks t, const change& c) { return t < c.at; });
    return it == changes.begin() ? first_offset : std::prev(it)->after;
}

ticks zone_rules::to_utc(ticks local) const noexcept {
    // The last change whose new offset already reads `local` unambiguously on its side:
    // before its key, a local time is read with the offset before the change (the first
    // occurrence of a repeated time, and the pre-change reading of a skipped one).
    if (!changes.empty() && local >= changes.back().key) return saturating_sub(local, changes.back().after);
    const auto it =
        std::upper_bound(changes.begin(), changes.end(), local, [](ticks t, const change& c) { return t < c.key; });
    const ticks offset = it == changes.begin() ? first_offset : std::prev(it)->after;
    return saturating_sub(local, offset);
}

namespace {

std::shared_ptr<const zone_rules> read_zone(std::string_view name) {
    const date::time_zone* z = nullptr;
    try {
        z = date::locate_zone(name);
    } catch (const std::exception&) {
        throw error("careflow.calendar.unknown_zone",
                    "no time zone named '" + std::string(name) + "' in the system's tz database");
    }
    using namespace std::chrono;
    auto rules = std::make_shared<zone_rules>();
    rules->name = std::string(name);
    const date::sys_seconds from = date::sys_days{date::year{1900} / 1 / 1};
    const date::sys_seconds until = date::sys_days{date::year{2400} / 1 / 1};
    date::sys_info info = z->get_info(from);
    rules->first_offset = duration_cast<microseconds>(info.offset).count();
    ticks offset = rules->first_offset;
    while (info.end < until) {
        const date::sys_info next = z->get_info(info.end);
        const ticks after = duration_cast<microseconds>(next.offset).count();
        if (after != offset) {
            const ticks at = duration_cast<microseconds>(next.begin.time_since_epoch()).count();
            rules->changes.push_back({at, offset, after, at + std::max(offset, after)});
            offset = after;
        }
        if (next.end <= info.end) break;
        info = next;
    }
    return rules;
}

} // namespace

std::shared_ptr<const zone_rules> load_zone(std::string_view name) {
    static std::mutex m;
    static std::map<std::string, std::shared_ptr<const zone_rules>, std::less<>> cache;
    const std::lock_guard lock(m);
    if (auto it = cache.find(name); it != cache.end()) return it->second;
    auto rules = read_zone(name);
    cache.emplace(std::string(name), rules);
    return rules;
}

} // namespace careflow::detail
