/// \file careflow/model/declarations.hpp
/// The plain declarations a procedure is made of: variables, events, states,
/// transitions, actions, timers and SLA clocks. No Boost.Graph here: these types
/// are shared by the model (which holds them in a graph) and the compiled program.
#pragma once

#include <careflow/model/expression.hpp>

#include <functional>
#include <string>
#include <vector>

namespace careflow {

class guard_context;  // program/context.hpp: what a host guard may read
class action_context; // runtime: what a host action may read and change

/// A host predicate used as a guard.
using host_guard = std::function<bool(const guard_context&)>;
/// A host callback used as an action.
using host_action = std::function<void(action_context&)>;

/// How a span is counted.
enum class span_kind : std::uint8_t {
    elapsed,          ///< open time in the calendar ("24 business hours"; 24×7: plain time)
    working_days,     ///< the n-th next working day at the same business moment ("1 working day")
    working_day_close ///< the close of the n-th working day from now, 0 = today's ("the same working day")
};

/// A span of time as a timer or an SLA goal counts it, in the calendar attached to it.
struct span {
    span_kind kind = span_kind::elapsed;
    duration elapsed{};
    int days = 0;

    span() = default;
    span(duration d) : elapsed(d) {} // NOLINT: a duration is the common case
    /// Positive elapsed time, n >= 1 working days, or a close n >= 0 working days away;
    /// and at most `max_days` (days or working days) long.
    [[nodiscard]] bool valid() const noexcept;
    /// The longest span a timer or SLA goal may have: 100 years.
    static constexpr int max_days = 36'500;
    [[nodiscard]] std::string to_string() const;
    friend bool operator==(const span&, const span&) = default;
};

/// `n` working days in the timer's or clock's calendar: the n-th next working day at the
/// same business moment (not n × 24 open hours).
inline span working_days(int n) {
    span s;
    s.kind = span_kind::working_days;
    s.days = n;
    return s;
}

/// Until the close of the n-th working day from now: 0 is "the same working day" (from a
/// closed moment, the next working day's close).
inline span end_of_working_day(int n = 0) {
    span s;
    s.kind = span_kind::working_day_close;
    s.days = n;
    return s;
}

/// How personal a variable or payload field is. Personal items are read only through an
/// engine's reader view (`engine::read`), by the people a read rule allows, and every such
/// read is journaled; exports show them only to such readers (docs/security.md).
enum class sensitivity : std::uint8_t {
    none,    ///< not personal: states, counts, times, staff ids
    contact, ///< identifies or reaches the client: name, phone, address
    clinical ///< health information: the reason for calling, notes, screening results, complaints
};

/// "none", "contact", "clinical".
[[nodiscard]] std::string_view to_string(sensitivity s) noexcept;

/// A declared, typed case variable.
struct variable_decl {
    std::string name;
    value_type type{};
    value initial;                    ///< default when a case starts (empty: the type's zero)
    std::vector<std::string> symbols; ///< for enumerations: the allowed symbols, in order
    sensitivity personal = sensitivity::none;
};

/// A typed field of an event payload.
struct field_decl {
    std::string name;
    value_type type{};
    std::vector<std::string> symbols; ///< for enumerations
    sensitivity personal = sensitivity::none;
};

/// A kind of consent a client may give or withdraw ("callback": to be called back;
/// "referral": that their file is shared with a referral; "sms": to receive text
/// messages). A procedure declares the topics its guards check with `consent("topic")`;
/// the host records each client's answer (`engine::record_consent`).
struct consent_decl {
    std::string topic{};       ///< 1 to 64 bytes of [a-z0-9_.-]
    std::string description{}; ///< what the client agrees to, for people and diagrams
};

/// Is `topic` a well-formed consent topic: 1 to 64 bytes of lower-case letters, digits,
/// '_', '.' and '-'?
[[nodiscard]] bool consent_topic_ok(std::string_view topic) noexcept;

/// Who may read which personal items of a case, and when. A reader may read an item when
/// some rule names it (or covers its sensitivity) and the reader fits the rule: holds one
/// of its roles (when it lists roles) and is the case's assignee for its duty (when it
/// names one), while the case is in one of its states (when it lists states). What no
/// rule allows is denied.
struct read_rule {
    /// Personal variables by name ("contact"), payload fields as "event.field"
    /// ("register.contact").
    std::vector<std::string> items{};
    /// And every personal item at most this sensitive (none: only the items listed).
    sensitivity up_to = sensitivity::none;
    std::vector<std::string> roles{};  ///< the reader holds one of these (none: any role)
    std::string duty{};                ///< the reader is the case's assignee for this duty (empty: no need)
    std::vector<std::string> states{}; ///< while the case is in one of these or below (none: in any state)
    std::string description{};
    // (Every member has an initializer, so a host may name only the ones it needs:
    // `read_rule{.items = {"contact"}, .roles = {"agent"}}`.)
};

/// A declared event, with its payload fields (none for a plain event).
struct event_decl {
    std::string name;
    std::vector<field_decl> payload;
};

/// What an action does.
enum class action_kind : std::uint8_t {
    call,     ///< run a host callback registered by name
    set,      ///< set a variable to an expression's value
    assign,   ///< assign a person (text expression) to a duty
    unassign, ///< clear a duty's assignee
    spawn,    ///< start a linked case of another procedure
    notify    ///< emit a notification to observers
};

/// One action of a transition or of a state's entry/exit.
struct action {
    action_kind kind{};
    std::string target; ///< call: callback; set: variable; (un)assign: duty; spawn: procedure; notify: topic
    expr value;         ///< set: new value; assign: the person
    std::string text;   ///< notify: message
    std::vector<std::pair<std::string, expr>> bindings; ///< spawn: child variable ← expression
    [[nodiscard]] std::string to_string() const;
};

/// Run the host callback `name`.
action call(std::string name);
/// Set variable `name` to `value`.
action set(std::string name, expr value);
/// Assign the person `who` (a text expression, e.g. `actor_id()` or `field("counselor")`) to `duty`.
action assign(std::string duty, expr who);
/// Clear the assignee of `duty`.
action unassign(std::string duty);
/// Start a linked case of `procedure`, its variables bound from this case's.
action spawn(std::string procedure, std::vector<std::pair<std::string, expr>> bindings = {});
/// Emit a notification on `topic`.
action notify(std::string topic, std::string message = {});

/// A guard: an expression (type-checked, compiled) or a host predicate.
struct guard {
    expr condition;                                        ///< when not empty: the guard
    host_guard predicate;                                  ///< otherwise, when set: the guard
    std::string label;                                     ///< how a host predicate is shown (DOT, diagnostics)
    std::vector<std::pair<std::string, value_type>> reads; ///< variables a host predicate reads, checked
    [[nodiscard]] bool empty() const noexcept { return condition.empty() && !predicate; }
    [[nodiscard]] std::string to_string() const;
};

/// A state's kind.
enum class state_kind : std::uint8_t { atomic, compound, final_state };

/// A state of the machine. Hierarchy is given by `parent`; a state with children is compound.
struct state_decl {
    std::string name;
    std::string parent;           ///< empty: top level
    std::string initial;          ///< compound: the child entered when this state is the target
    bool is_final = false;        ///< entering a final state finishes the case
    bool open_ended = false;      ///< intentionally has no path to a final state
    std::vector<action> on_entry; ///< run on entering, in order
    std::vector<action> on_exit;  ///< run on leaving, in order
    std::string description;
};

/// A transition. No event: an eventless (completion) transition, taken as soon as its
/// guard holds. No target: an internal transition (actions only, no exit/entry).
struct transition_decl {
    std::string source;
    std::string target;
    std::string event;
    guard when;
    std::vector<action> actions;
    std::vector<std::string> roles; ///< the actor must hold at least one of these (none: anyone)
    std::string duty;               ///< non-empty: the actor must be the case's assignee for this duty
    std::size_t order = 0;          ///< declaration order, for deterministic priority
};

/// How a state timer counts.
enum class timer_kind : std::uint8_t {
    after, ///< once, `delay` after entering the state
    every, ///< every `delay` after entering, at most `count` times
    at     ///< once, at the instant computed by `deadline` (a time expression) on entry
};

/// A timer armed on entering `state` and cancelled on leaving it; firing sends `event`.
struct timer_decl {
    std::string name; ///< unique; defaults to "<state>.<event>"
    std::string state;
    std::string event;
    timer_kind kind{};
    span delay;
    int count = 1;
    expr deadline;
    std::string calendar; ///< empty: 24×7
};

/// A condition that starts/stops/pauses/resumes/cancels an SLA clock.
struct sla_condition {
    enum class kind : std::uint8_t { entered, left, event } on{};
    std::string name;
    friend bool operator==(const sla_condition&, const sla_condition&) = default;
};

/// The clock condition "the case enters state `s`" (or a descendant of it).
inline sla_condition entered(std::string s) { return {sla_condition::kind::entered, std::move(s)}; }
/// The clock condition "the case leaves state `s`" (and all its descendants).
inline sla_condition left(std::string s) { return {sla_condition::kind::left, std::move(s)}; }
/// The clock condition "event `e` is applied".
inline sla_condition received(std::string e) { return {sla_condition::kind::event, std::move(e)}; }

/// An SLA clock: a goal to meet between a start and a stop, measured in a calendar.
struct sla_decl {
    std::string name;
    std::vector<sla_condition> start, stop, pause, resume, cancel;
    span goal;
    std::string calendar;                    ///< empty: 24×7
    expr deadline;                           ///< when set: the goal is "by this instant" (a time expression)
    std::vector<double> warnings{0.5, 0.75}; ///< fractions of the goal, each in (0, 1)
    std::string warning_event;               ///< sent into the case at each warning (optional)
    std::string breach_event;                ///< sent into the case at breach (optional)
    std::string duty;                        ///< the assignee accountable for meeting it (optional)
};

} // namespace careflow
