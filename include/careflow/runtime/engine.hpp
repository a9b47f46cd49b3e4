/// \file careflow/runtime/engine.hpp
/// The RUN stage: an engine holds any number of cases of any number of compiled
/// programs, drives them with events and the host's clock, fires timers, keeps SLA
/// clocks, journals everything and snapshots itself.
///
/// The host owns time: every call that can change state takes `now`, and time given to
/// one engine must never go backwards (such a call is an error result). The engine is
/// single-threaded with no hidden threads and no global state: a multi-threaded host
/// runs one engine per shard (cases partitioned by id) or serialises access to one.
#pragma once

#include <careflow/program/program.hpp>
#include <careflow/runtime/journal.hpp>
#include <careflow/runtime/types.hpp>
#include <careflow/time/calendar.hpp>

#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace careflow {

namespace detail {
struct engine_impl;
}
class engine;

/// Read access to one case. Valid until the engine changes that case's existence
/// (erase, restore); cheap to copy.
class case_view {
public:
    [[nodiscard]] case_id id() const;
    [[nodiscard]] const program& prog() const;
    /// The current leaf state.
    [[nodiscard]] state_index state() const;
    /// Dotted path of the current leaf, e.g. "call.talking.transfer.counseling".
    [[nodiscard]] const std::string& path() const;
    /// Is the case in `state` or one of its descendants?
    [[nodiscard]] bool in(std::string_view state) const;
    [[nodiscard]] bool finished() const;
    [[nodiscard]] time_point started_at() const;
    /// When the current leaf was entered.
    [[nodiscard]] time_point entered_at() const;
    /// A variable's value; throws `careflow::error` ("careflow.runtime.unknown_variable").
    [[nodiscard]] value variable(std::string_view name) const;
    /// The person assigned to `duty`, or empty; throws for an undeclared duty.
    [[nodiscard]] std::string_view assignee(std::string_view duty) const;
    /// An SLA clock's record; throws ("careflow.runtime.unknown_sla") for an undeclared clock.
    [[nodiscard]] const sla_clock& sla(std::string_view name) const;
    /// Pending state timers: (timer name, due instant), soonest first.
    [[nodiscard]] std::vector<std::pair<std::string, time_point>> pending_timers() const;
    /// The case that spawned this one, if any.
    [[nodiscard]] std::optional<case_id> parent() const;
    /// Cases this one spawned, in spawn order.
    [[nodiscard]] std::vector<case_id> children() const;

private:
    friend class engine;
    friend struct detail::engine_impl;
    case_view(const detail::engine_impl* e, std::uint32_t slot) : e_(e), slot_(slot) {}
    const detail::engine_impl* e_;
    std::uint32_t slot_;
};

/// What an SLA clock reports to observers.
enum class sla_event : std::uint8_t { started, paused, resumed, warning, breached, met, stopped_late, cancelled };
[[nodiscard]] std::string_view to_string(sla_event e) noexcept;

/// Host callbacks for what the engine does. Override what you need; all run after the
/// step they report has been committed, in order.
class observer {
public:
    virtual ~observer() = default;
    virtual void started(const case_view&, time_point) {}
    virtual void transition(const case_view&, std::string_view /*event*/, state_index /*from*/, state_index /*to*/,
                            time_point) {}
    virtual void refused(const case_view&, std::string_view /*event*/, const result&, time_point) {}
    virtual void timer_fired(const case_view&, const program_timer&, time_point) {}
    virtual void sla_warning(const case_view&, const program_sla&, double /*fraction*/, time_point) {}
    virtual void sla_breach(const case_view&, const program_sla&, time_point) {}
    virtual void sla_met(const case_view&, const program_sla&, time_point) {}
    /// Every SLA change, including the three above.
    virtual void sla_changed(const case_view&, const program_sla&, sla_event, time_point) {}
    virtual void notified(const case_view&, std::string_view /*topic*/, std::string_view /*message*/, time_point) {}
    virtual void finished(const case_view&, time_point) {}
};

/// What a host action may read and change. Changes roll back if the step fails.
class action_context {
public:
    [[nodiscard]] case_id id() const;
    [[nodiscard]] const program& prog() const;
    [[nodiscard]] time_point now() const;
    [[nodiscard]] std::string_view actor_id() const;
    /// The current state's path (during entry actions: the state being entered).
    [[nodiscard]] const std::string& path() const;
    [[nodiscard]] value variable(std::string_view name) const;
    /// Set a variable; throws `careflow::error` for an unknown name or a wrong type
    /// (which fails the step and rolls it back).
    void set(std::string_view name, const value& v);
    /// A field of the triggering event's payload; throws if there is none.
    [[nodiscard]] value field(std::string_view name) const;

private:
    friend struct detail::engine_impl;
    explicit action_context(detail::engine_impl* e) : e_(e) {}
    detail::engine_impl* e_;
};

/// An actor interned by `engine::intern`, for the typed inputs. Valid for the engine that
/// made it (and across its snapshot/restore: actors are never forgotten).
struct actor_ref {
    std::uint32_t index = 0xFFFFFFFF;
};

/// Engine settings.
struct engine_options {
    bool journal = true;                   ///< keep the journal (KPIs, replay)
    int eventless_limit = 64;              ///< eventless steps per input before it is an error (a loop)
    case_id spawn_base = case_id{1} << 62; ///< the first id given to spawned cases
};

/// Runs cases.
class engine {
public:
    explicit engine(engine_options options = {});
    ~engine();
    engine(engine&&) noexcept;
    engine& operator=(engine&&) noexcept;
    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;

    /// Make a program available (for start by name and for spawn). Idempotent.
    void install(std::shared_ptr<const program> p);
    /// Define the calendar a program's timers and SLA clocks name.
    void set_calendar(std::string name, calendar c);
    /// Bind (or rebind) a host action by name, overriding the procedure's default.
    void bind(std::string name, host_action fn);
    /// Observers are called in the order added; the engine does not own them.
    void add_observer(observer* o);
    void remove_observer(observer* o);

    /// Start a case in its initial state (entry actions, timers, SLA clocks, eventless steps).
    result start(const std::shared_ptr<const program>& p, case_id id, const payload& variables, time_point now,
                 const actor& who);
    result start(std::string_view procedure, case_id id, const payload& variables, time_point now, const actor& who);
    /// Advance to `now`, then apply `event` to the case.
    result dispatch(case_id id, std::string_view event, const payload& fields, time_point now, const actor& who);
    result dispatch(case_id id, std::string_view event, time_point now, const actor& who);
    /// Intern an actor once (its id and roles) for the typed `dispatch`.
    [[nodiscard]] actor_ref intern(const actor& who);
    /// The typed fast path: the same input as dispatch by name, journaled the same way, with
    /// the event pre-resolved (`program::find_event`), the payload fields given in declared
    /// order, and an interned actor — no name lookups, no allocation once warm. A bad index,
    /// field count or actor_ref is an error result (`unknown_event`, `bad_payload`,
    /// `unknown_actor`).
    result dispatch(case_id id, event_index event, std::span<const value> fields, time_point now, actor_ref who);
    result dispatch(case_id id, event_index event, time_point now, actor_ref who) {
        return dispatch(id, event, std::span<const value>(), now, who);
    }
    /// Assign `person` to `duty` (an explicit, journaled change).
    result assign(case_id id, std::string_view duty, std::string_view person, time_point now, const actor& who);
    /// Fire every timer due at or before `now`, in (due time, arming order).
    result advance(time_point now);

    [[nodiscard]] bool contains(case_id id) const;
    /// Throws `careflow::error` ("careflow.runtime.unknown_case").
    [[nodiscard]] case_view get(case_id id) const;
    [[nodiscard]] std::size_t size() const;
    /// Every case id, in start order.
    [[nodiscard]] std::vector<case_id> cases() const;
    /// Forget a finished case (its journal entries stay). False if unknown or not finished.
    bool erase(case_id id);
    /// The engine's clock: the latest time given to it.
    [[nodiscard]] time_point now() const;
    [[nodiscard]] std::size_t pending_timers() const;

    /// The journal so far (or from entry `from`), as self-contained entries.
    [[nodiscard]] std::vector<journal_entry> journal(std::size_t from = 0) const;
    [[nodiscard]] std::size_t journal_size() const;
    /// Drop the in-memory journal (a host that has written it out).
    void clear_journal();

    /// The whole engine state (cases, variables, assignees, SLA clocks, pending timers with
    /// their due times and arming order, links, the clock) in a stable, versioned text format.
    [[nodiscard]] std::string snapshot() const;
    /// Replace this engine's state with a snapshot. Programs, calendars and bindings must
    /// already be installed. Entry actions are not re-run. On any problem throws
    /// `careflow::error` ("careflow.snapshot.*") and leaves the engine as it was.
    void restore(std::string_view snapshot);
    /// Feed the inputs among `entries` (start, dispatch, assign, advance) back in order.
    /// Returns how many inputs were replayed; throws `careflow::error`
    /// ("careflow.replay.diverged") if an input's outcome differs from the recorded one.
    std::size_t replay(std::span<const journal_entry> entries);

private:
    std::unique_ptr<detail::engine_impl> impl_;
};

} // namespace careflow
