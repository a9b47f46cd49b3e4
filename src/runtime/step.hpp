// Internal: the step object — everything one step of one case carries from admission to
// commit (the case slot, time, actor, event and payload, the effects it produced, the
// spawns it asked for, the SLA triggers it queued, and the undo log that rolls it back).
// Steps nest (timers fired before an input, spawns after it) by taking the next step
// from the engine's pool; nothing about a step lives in the engine between calls.
#pragma once

#include "containers.hpp"

#include <careflow/runtime/engine.hpp>
#include <careflow/runtime/timer_queue.hpp>

#include <string>
#include <utility>
#include <vector>

namespace careflow::detail {

/// Stable refusal and error codes of the run stage (their ids are in codes.cpp and
/// include/careflow/runtime/codes.hpp).
enum class reason : std::uint8_t {
    none,
    guard_false,
    role_missing,
    not_assignee,
    unknown_case,
    unknown_event,
    bad_payload,
    time_backwards,
    duplicate_case,
    unknown_program,
    unknown_calendar,
    action_failed,
    unbound_action,
    eventless_loop,
    spawn_failed,
    unknown_duty,
    unknown_variable,
    unknown_actor,
    reserved_actor,
    reentrant_input,
    bad_time,
    not_finished,
    access_denied,
    bad_client,
    unknown_consent,
    bad_consent
};
std::string_view code_of(reason r) noexcept;

/// The desired state of one timer slot of a case: state timers first, then one per SLA clock.
struct timer_state {
    ticks due = no_time; ///< no_time: not armed
    std::uint32_t fires = 0;
    std::uint32_t epoch = 0;
    timer_handle handle;
};

/// What a queued timer means.
struct timer_payload {
    std::uint32_t slot = 0;  ///< case slot
    std::uint16_t index = 0; ///< timer slot within the case
    std::uint16_t pad = 0;
    std::uint32_t epoch = 0; ///< which arming of that slot
};

/// A compact journal record; converted to `journal_entry` on demand (journal.cpp).
struct record {
    ticks time = 0;
    case_id id = 0;
    case_id other = 0;
    std::int64_t value = 0;       ///< sla: elapsed; consent: until (no_time: none)
    std::int64_t value2 = 0;      ///< sla: goal; sla warning: fraction × 1e6
    std::uint32_t actor = none32; ///< actor identity; sla records: the accountable person
    std::uint32_t payload = 0;    ///< 1 + index into payloads, or 0
    std::uint32_t text = 0;       ///< 1 + index into payloads (a text), or 0
    std::uint32_t given = 0;      ///< rejected inputs: 1 + index into the as-given table, or 0
    std::uint32_t client = 0;     ///< start, consent, erase: 1 + index into payloads (the client id, a text), or 0
    std::uint16_t prog = 0xFFFF;
    std::uint16_t index = 0xFFFF; ///< event / sla / duty / topic / consent topic (the engine's)
    state_index from = no_index, to = no_index;
    record_kind kind{};
    outcome result = outcome::applied;
    reason code = reason::none;
    std::uint8_t sub =
        0; ///< sla: sla_event; dispatch/fire: 1 when the case left and re-entered its leaf; consent: granted
};

/// One effect of a step, journaled and reported to observers in order.
struct effect {
    enum class kind : std::uint8_t { start, transition, notify, sla, finish, fired, refused } what{};
    event_index event = no_index;
    state_index from = no_index, to = no_index;
    std::uint16_t index = 0; ///< notify: action; sla: clock; fired: program timer
    sla_event sla{};
    double fraction = 0;
    ticks time = 0;
    std::int64_t value = 0,
                 value2 = 0; ///< sla: elapsed and goal (or fraction × 1e6) at `time`; refused: index of its result
};

/// A spawn waiting for its parent's step to commit.
struct pending_spawn {
    std::uint16_t prog = 0;
    payload variables;
};

/// The old values a step overwrote, recorded on first write so that beginning a step
/// costs nothing and a rollback restores only what changed. Vectors (and the strings in
/// `texts`) keep their capacity: no allocation once warm.
struct undo_log {
    struct scalars {
        state_index state = no_index;
        ticks entered_at = 0;
    } saved;
    std::vector<std::pair<std::uint16_t, cell>> vars;
    std::vector<std::pair<std::uint16_t, std::string>> texts;
    std::size_t text_count = 0;
    std::vector<std::pair<std::uint16_t, std::uint32_t>> assignees;
    std::vector<std::pair<std::uint16_t, timer_state>> timers; ///< first touch only
    std::vector<std::pair<std::uint16_t, sla_clock>> slas;     ///< first touch only

    void clear() noexcept {
        vars.clear();
        text_count = 0;
        assignees.clear();
        timers.clear();
        slas.clear();
    }
};

/// One step of one case.
struct step {
    std::uint32_t slot = none32; ///< the case
    ticks now = 0;
    std::uint32_t actor = none32; ///< the acting actor identity
    event_index event = no_index; ///< no_index: eventless / start
    /// The event `_event.name` reads: the step's event, kept through its eventless steps.
    event_index named_event = no_index;
    std::vector<cell> fields; ///< the event's payload, in declared order
    std::vector<std::string> field_texts;
    record in;                   ///< the input record, built once
    bool journal_input = true;   ///< false: the step has no input record (an SLA threshold alone)
    std::size_t input_after = 0; ///< the input record is journaled after this many effects
    std::vector<effect> effects;
    std::vector<pending_spawn> spawns;
    std::vector<sla_trigger> triggers;
    undo_log undo;
    const std::string* path = nullptr; ///< the state an action runs in (action_context::path)
    int spawn_depth = 0;               ///< how many spawns deep this step's case is
    bool left = false;                 ///< an external transition was taken (the leaf was left)
    /// The case's consent mask at `now`, read once per step (`engine_impl::context`):
    /// no input can record a consent while a step runs.
    mutable std::uint64_t consents = 0;
    mutable bool consents_read = false;

    /// Make this step the start of a new one on `slot` (buffers keep their capacity).
    void reset(std::uint32_t s, ticks t, std::uint32_t who, event_index e) noexcept {
        slot = s;
        now = t;
        actor = who;
        event = e;
        named_event = e;
        effects.clear();
        spawns.clear();
        triggers.clear();
        undo.clear();
        path = nullptr;
        spawn_depth = 0;
        left = false;
        consents_read = false;
        journal_input = true;
        input_after = 0;
    }
};

/// Thrown inside a step to fail it (caught by the pipeline, which rolls the step back).
struct step_failure {
    reason code;
    std::string detail;
};

} // namespace careflow::detail
