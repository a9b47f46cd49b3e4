// Time zones: an IANA zone's offset changes read from the system tz database (date/tz with
// USE_OS_TZDB), cached by name; offset lookup and local → UTC conversion by binary search.
#include "zone.hpp"

#include <careflow/error.hpp>

#include <date/tz.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace careflow::detail {

template <ticks zone_rules::change::*Field>
std::size_t zone_rules::count_upto(ticks t, ticks base, const std::vector<std::uint32_t>& spans) const noexcept {
    if (changes.empty() || t < base) return 0;
    const auto span = static_cast<std::uint64_t>(t - base) >> span_shift;
    if (span >= spans.size()) return changes.size();
    std::size_t i = spans[span];
    while (i < changes.size() && changes[i].*Field <= t) ++i;
    return i;
}

ticks zone_rules::offset_at(ticks utc) const noexcept {
    // Zones without daylight saving today (Asia/Shanghai since 1991) answer after their last
    // change at once: the common case of every calendar lookup.
    if (!changes.empty() && utc >= changes.back().at) return changes.back().after;
    const std::size_t n = count_upto<&change::at>(utc, base_, by_at_);
    return n == 0 ? first_offset : changes[n - 1].after;
}

ticks zone_rules::to_utc(ticks local) const noexcept {
    // The last change whose new offset already reads `local` unambiguously on its side:
    // before its key, a local time is read with the offset before the change (the first
    // occurrence of a repeated time, and the pre-change reading of a skipped one).
    if (!changes.empty() && local >= changes.back().key) return saturating_sub(local, changes.back().after);
    const std::size_t n = count_upto<&change::key>(local, key_base_, by_key_);
    return saturating_sub(local, n == 0 ? first_offset : changes[n - 1].after);
}

void zone_rules::index() {
    by_at_.clear();
    by_key_.clear();
    if (changes.empty()) return;
    auto build = [&](ticks change::*field, ticks& base, std::vector<std::uint32_t>& spans) {
        base = changes.front().*field;
        const auto last = static_cast<std::uint64_t>(changes.back().*field - base) >> span_shift;
        spans.resize(last + 1);
        std::size_t i = 0;
        for (std::uint64_t s = 0; s <= last; ++s) {
            const ticks start = base + static_cast<ticks>(s << span_shift);
            while (i < changes.size() && changes[i].*field < start) ++i;
            spans[s] = static_cast<std::uint32_t>(i);
        }
    };
    build(&change::at, base_, by_at_);
    build(&change::key, key_base_, by_key_);
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
    rules->index();
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
