// Internal: what the two snapshot encodings (text, snapshot.cpp; binary,
// snapshot_binary.cpp) share — the empty engine a restore fills, the checks on an SLA
// record read back, which clocks are left out, and re-arming the timers read.
#pragma once

#include "engine_impl.hpp"

#include <careflow/error.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>

namespace careflow::detail {

/// The magic line that opens a binary snapshot (the text one opens "careflow-snapshot ").
inline constexpr std::string_view binary_snapshot_magic = "careflow-binary-snapshot 2\n";
/// The binary snapshot before cases had clients (read, never written).
inline constexpr std::string_view binary_snapshot_magic_v1 = "careflow-binary-snapshot 1\n";

/// An engine with `from`'s programs, calendars, bindings, observers and sink, and no
/// cases: what a restore fills and, once everything checked out, swaps in.
inline std::unique_ptr<engine_impl> restore_target(const engine_impl& from) {
    auto fresh = std::make_unique<engine_impl>(from.options);
    fresh->programs = from.programs;
    fresh->calendars = from.calendars;
    fresh->bindings = from.bindings;
    fresh->observers = from.observers;
    fresh->sink = from.sink;
    for (auto& in : fresh->programs) fresh->resolve(in);
    return fresh;
}

/// A clock exactly as case_data::lay_out makes it (never started): snapshots leave it out.
inline bool untouched(const sla_clock& k) noexcept {
    static const sla_clock fresh{};
    return k.status == fresh.status && k.warnings_fired == 0 && k.cycles == 0 && k.accountable == fresh.accountable &&
           k.started_at == no_time && k.resumed_at == no_time && k.paused_at == no_time && k.stopped_at == no_time &&
           k.breached_at == no_time && k.elapsed_before == 0 && k.paused_total == 0 && k.goal == 0 &&
           k.warned_at == fresh.warned_at;
}

/// Why an SLA record read back cannot exist, or empty when it can: a counting clock knows
/// when it (re)started, a paused one when it paused, no count is negative, and no more
/// warnings fired than the clock has.
inline std::string_view impossible(const sla_clock& k, std::size_t warnings) noexcept {
    if (k.status > sla_status::cancelled) return "bad SLA status";
    if (k.warnings_fired > warnings) return "bad warning count";
    const bool counting = k.status == sla_status::running || k.status == sla_status::paused;
    if ((counting && (k.started_at == no_time || k.resumed_at == no_time)) ||
        (k.status == sla_status::paused && k.paused_at == no_time) || k.elapsed_before < 0 || k.paused_total < 0 ||
        k.goal < 0)
        return "is in an impossible state";
    return {};
}

/// Why timer slot `index` of a case of `p`, read back, cannot be, or empty when it can:
/// a state timer has fired at most its count (once, unless it repeats) and is not armed
/// once it has reached it, an SLA clock's slot never counts fires, and a due time is none
/// or within the years any input has.
inline std::string_view impossible(const timer_state& ts, const program& p, std::size_t index) noexcept {
    const bool state_timer = index < p.timers().size();
    const std::uint32_t most = state_timer ? static_cast<std::uint32_t>(std::max(p.timers()[index].count, 1)) : 0;
    if (ts.fires > most) return "has fired more often than it can";
    // After its last fire a state timer is not armed again (timers.cpp re-arms a repeating
    // one only below its count): one armed at its count would fire once more.
    if (state_timer && ts.fires == most && ts.due != no_time) return "is armed after its last fire";
    if (ts.due != no_time && ts.due < first_ticks) return "is due before any input could have armed it";
    return {};
}

/// Arming numbers read back stay below 2⁶² (one arm a nanosecond for 146 years), so the
/// counter never wraps.
inline constexpr std::uint64_t max_arming = std::uint64_t{1} << 62;

/// Set the queue's next arming number to the one read back, which must be above every
/// pending timer's (they were armed before it) and in range.
inline void settle_arming(engine_impl& e, std::uint64_t next) {
    if (next > max_arming || next < e.queue.next_seq())
        throw error("careflow.snapshot.bad_value",
                    "the next arming number is below a pending timer's, or out of range");
    e.queue.set_next_seq(next);
}

/// Re-arm timer `index` of the case in `slot` with its original arming sequence number,
/// so firing order is exactly what it was.
inline void rearm(engine_impl& e, std::uint32_t slot, std::uint16_t index, std::uint64_t seq) {
    if (seq >= max_arming) throw error("careflow.snapshot.bad_value", "a timer's arming number is out of range");
    auto& ts = e.slots[slot].timers[index];
    ts.handle = e.queue.arm_with_seq(ts.due, seq, timer_payload{slot, index, 0, ts.epoch});
}

/// Engine state from a binary snapshot (snapshot_binary.cpp); throws careflow::error and
/// returns nothing built when the bytes are not one.
std::unique_ptr<engine_impl> read_binary_snapshot(const engine_impl& from, std::string_view bytes);
/// The binary snapshot of `e`.
/// The snapshots; with `shown` (by slot: the personal items a reader may read), each
/// personal variable not shown is written at its initial value.
std::string write_binary_snapshot(const engine_impl& e, std::span<const std::uint64_t> shown = {});
std::string write_text_snapshot(const engine_impl& e, std::span<const std::uint64_t> shown = {});

} // namespace careflow::detail
