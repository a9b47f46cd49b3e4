/// \file careflow/runtime/types.hpp
/// The vocabulary of the run stage: case ids, actors, payloads, results, SLA clock records.
#pragma once

#include <careflow/model/value.hpp>
#include <careflow/program/program.hpp>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace careflow {

/// A case's id, chosen by the host (spawned cases get ids from `engine_options::spawn_base`).
using case_id = std::uint64_t;

/// "No time" in tick fields of records.
inline constexpr ticks no_time = std::numeric_limits<ticks>::min();

/// Who acts: a person's id and roles. Timers act as the built-in `system` actor, which
/// passes role and assignee checks.
struct actor {
    std::string id;
    std::vector<std::string> roles;
};

/// The actor id timers and the engine itself act as. It is reserved: an input whose actor
/// has this id is an error (`careflow.runtime.reserved_actor`), so no host user can pass
/// the checks the engine's own steps skip.
inline constexpr std::string_view system_actor_id = "system";

/// Named values for an event's payload fields or a case's initial variables.
class payload {
public:
    payload() = default;
    payload(std::initializer_list<std::pair<std::string, value>> fields) : fields_(fields) {}
    payload& set(std::string name, value v) {
        fields_.emplace_back(std::move(name), std::move(v));
        return *this;
    }
    [[nodiscard]] const std::vector<std::pair<std::string, value>>& fields() const noexcept { return fields_; }
    [[nodiscard]] bool empty() const noexcept { return fields_.empty(); }

private:
    std::vector<std::pair<std::string, value>> fields_;
};

/// What became of an input.
enum class outcome : std::uint8_t {
    applied, ///< a transition was taken (or the case started / the assignment was made)
    ignored, ///< no transition for this event in this state: nothing changed
    refused, ///< candidates exist but a guard, role or assignee check failed: nothing changed
    error    ///< the input was invalid or a host action failed: nothing changed
};

/// "applied", "ignored", "refused", "error".
[[nodiscard]] std::string_view to_string(outcome o) noexcept;

/// The result of start, dispatch, assign or advance. Never an exception for expected
/// outcomes; `code` is a stable id for refusals and errors (see docs/runtime.md).
struct result {
    outcome kind = outcome::error;
    state_index from = no_index; ///< the leaf before (dispatch)
    state_index to = no_index;   ///< the leaf after, eventless steps included
    std::string_view code;       ///< e.g. "careflow.runtime.role_missing"; empty when applied/ignored
    std::string reason;          ///< human-readable detail for refusals and errors
    /// A keyed input (`engine::with_key`) whose key was already recorded: this is the
    /// recorded result, and nothing changed.
    bool replayed = false;
    [[nodiscard]] bool applied() const noexcept { return kind == outcome::applied; }
};

/// What became of an input a host gave a key (`engine::with_key`), as the engine (or its
/// store) recorded it when the input was made. An input whose key is already recorded
/// returns this result again and changes nothing.
struct recorded_input {
    std::string key;               ///< the host's key (any non-empty text)
    std::uint64_t fingerprint = 0; ///< of what the input was (operation, case, names, values, actor; not the time)
    std::uint64_t position = 0;    ///< the journal position where the input's records begin
    case_id id = 0;                ///< the case the input named (0 for advance)
    outcome kind = outcome::error;
    std::string code;            ///< the result's code ("" when applied or ignored)
    std::string reason;          ///< the result's message
    std::string state;           ///< the case's state path after the input ("" without a case)
    state_index from = no_index; ///< the result's `from` and `to`
    state_index to = no_index;
    friend bool operator==(const recorded_input&, const recorded_input&) = default;
};

/// The state of an SLA clock.
enum class sla_status : std::uint8_t {
    inactive, ///< not started in this cycle
    running,  ///< counting (check `breached_at` for "running late")
    paused,   ///< not counting
    met,      ///< stopped within the goal
    breached, ///< stopped after the goal
    cancelled ///< cancelled before it finished
};

[[nodiscard]] std::string_view to_string(sla_status s) noexcept;

/// One case's record of one SLA clock. Times are ticks (`no_time` when not set); elapsed
/// and goal are open time in the clock's calendar.
struct sla_clock {
    // The small fields first, packed into one word: the record is 112 bytes, not 128.
    sla_status status = sla_status::inactive;
    std::uint8_t warnings_fired = 0;
    std::uint16_t cycles = 0; ///< completed cycles (met or breached)
    /// Engine-internal: who was accountable when it stopped or breached. Read it by name
    /// with `case_view::accountable` or `case_view::report`.
    std::uint32_t accountable = std::numeric_limits<std::uint32_t>::max();
    ticks started_at = no_time;
    ticks resumed_at = no_time; ///< when it last started counting
    ticks paused_at = no_time;
    ticks stopped_at = no_time;
    ticks breached_at = no_time; ///< the first instant past the goal, once reached
    ticks elapsed_before = 0;    ///< elapsed open time before `resumed_at`
    ticks paused_total = 0;      ///< wall-clock time spent paused
    ticks goal = 0;              ///< open time allowed (working-day goals are converted at start)
    /// When each warning threshold was reached (in ascending threshold order; at most
    /// `max_warnings` thresholds per clock, which validation enforces).
    std::array<ticks, 4> warned_at{no_time, no_time, no_time, no_time};
    static constexpr std::size_t max_warnings = 4;

    [[nodiscard]] bool counting() const noexcept { return status == sla_status::running; }
    [[nodiscard]] bool late() const noexcept { return breached_at != no_time; }
};

/// One SLA clock of one case in the API's time types (`case_view::report`).
struct sla_report {
    std::string name;
    sla_status status = sla_status::inactive;
    std::optional<time_point> started;  ///< when this cycle started
    std::optional<time_point> stopped;  ///< when it was met, breached by stopping late, or cancelled
    std::optional<time_point> breached; ///< the first instant past the goal, once reached
    std::optional<time_point> due;      ///< running: when the goal is (or was) reached at this pace
    duration elapsed;                   ///< open time counted so far (at the engine's clock)
    duration goal;                      ///< open time allowed
    duration paused_total;              ///< wall-clock time spent paused
    std::vector<time_point> warnings;   ///< when each warning threshold was reached
    int cycles = 0;                     ///< completed cycles
    std::string accountable;            ///< the person accountable when it stopped or breached
    [[nodiscard]] bool late() const noexcept { return breached.has_value(); }
};

} // namespace careflow
