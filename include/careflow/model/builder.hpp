/// \file careflow/model/builder.hpp
/// `procedure_builder`: the fluent way to describe a procedure.
///
///     procedure_builder b{"hotline_call"};
///     b.event("answer").event("hang_up");
///     b.state("ringing").every(seconds(5), "ring", 3);
///     b.state("talking");
///     b.state("ended").final();
///     b.transition("ringing", "talking").on("answer").require_role("operator");
///     b.transition("ringing", "ended").on("hang_up");
///     b.transition("talking", "ended").on("hang_up");
///     procedure p = b.build(); // throws careflow::error when validate() finds errors
#pragma once

#include <careflow/model/procedure.hpp>
#include <careflow/model/validate.hpp>

#include <initializer_list>
#include <string>
#include <vector>

namespace careflow {

class procedure_builder;

/// Refines one declared state. Returned by `procedure_builder::state`.
class state_builder {
public:
    /// Nest this state in `parent` (which becomes compound).
    state_builder& parent(std::string parent);
    /// For a compound state: the child entered when this state is a transition's target.
    state_builder& initial(std::string child);
    /// Entering this state finishes the case.
    state_builder& final();
    /// This state intentionally has no path to a final state (no diagnostic for it).
    state_builder& open_ended();
    state_builder& describe(std::string text);
    state_builder& on_entry(action a);
    state_builder& on_exit(action a);
    /// Send `event` once, `delay` after entering (counted in `calendar`; empty: 24×7).
    state_builder& after(span delay, std::string event, std::string calendar = {});
    /// Send `event` every `period` after entering, at most `count` times (the ring tick).
    state_builder& every(span period, std::string event, int count, std::string calendar = {});
    /// Send `event` at the instant `deadline` (a time expression, evaluated on entry),
    /// e.g. `var("appointment_at") - hours(24)`. A deadline already past fires at once.
    /// With a calendar, a deadline that falls while it is closed moves to its next opening
    /// ("a callback due on a Sunday is due on Monday").
    state_builder& at(expr deadline, std::string event, std::string calendar = {});
    /// Name the most recently declared timer of this state (default "<state>.<event>").
    state_builder& named(std::string timer_name);

private:
    friend class procedure_builder;
    state_builder(procedure_builder* b, std::size_t i) : b_(b), i_(i) {}
    state_decl& decl();
    procedure_builder* b_;
    std::size_t i_;
    std::size_t last_timer_ = static_cast<std::size_t>(-1);
};

/// Refines one declared transition. Returned by `procedure_builder::transition`.
class transition_builder {
public:
    /// The triggering event (none: an eventless transition, taken when its guard holds).
    transition_builder& on(std::string event);
    /// Guard written as an expression over variables and payload fields.
    transition_builder& when(expr condition);
    /// Guard given by a host predicate; `reads` declares the variables it reads so
    /// validation can check them.
    transition_builder& when(std::string label, host_guard predicate,
                             std::vector<std::pair<std::string, value_type>> reads = {});
    transition_builder& then(action a);
    /// The actor must hold at least one of the roles required (repeat to add).
    transition_builder& require_role(std::string role);
    /// The actor must be the case's assignee for `duty`.
    transition_builder& by_assignee(std::string duty);

private:
    friend class procedure_builder;
    transition_builder(procedure_builder* b, std::size_t i) : b_(b), i_(i) {}
    transition_decl& decl();
    procedure_builder* b_;
    std::size_t i_;
};

/// Refines one declared SLA clock. Returned by `procedure_builder::sla`.
class sla_builder {
public:
    sla_builder& start(sla_condition c);
    sla_builder& stop(sla_condition c);
    sla_builder& pause(sla_condition c);
    sla_builder& resume(sla_condition c);
    sla_builder& cancel(sla_condition c);
    /// The goal, measured in `calendar` (empty: 24×7).
    sla_builder& goal(span g, std::string calendar = {});
    /// The goal as a deadline: the clock is due at the instant `deadline` (a time
    /// expression evaluated when the clock starts, e.g. `var("appointment_at")`); elapsed
    /// time is still measured in `calendar`.
    sla_builder& goal_at(expr deadline, std::string calendar = {});
    /// Warning thresholds as fractions of the goal (default 0.5 and 0.75).
    sla_builder& warn_at(std::vector<double> fractions);
    /// Send `event` into the case at each warning.
    sla_builder& on_warning(std::string event);
    /// Send `event` into the case at breach.
    sla_builder& on_breach(std::string event);
    /// The duty whose assignee is accountable for this clock.
    sla_builder& accountable(std::string duty);

private:
    friend class procedure_builder;
    sla_builder(procedure_builder* b, std::size_t i) : b_(b), i_(i) {}
    sla_decl& decl();
    procedure_builder* b_;
    std::size_t i_;
};

/// Refines one read rule. Returned by `procedure_builder::may_read`.
///
///     b.may_read({"caller", "contact", "reason"}).by_role("operator").in("talking");
///     b.may_read(sensitivity::clinical).by_assignee("counselor");
class read_rule_builder {
public:
    /// Readers holding one of the roles given (repeat to add).
    read_rule_builder& by_role(std::string role);
    /// Readers who are the case's assignee for `duty`.
    read_rule_builder& by_assignee(std::string duty);
    /// Only while the case is in `state` or below it (repeat to add states).
    read_rule_builder& in(std::string state);
    /// Also these personal items (variables, or payload fields as "event.field").
    read_rule_builder& items(std::vector<std::string> names);
    read_rule_builder& describe(std::string text);

private:
    friend class procedure_builder;
    read_rule_builder(procedure_builder* b, std::size_t i) : b_(b), i_(i) {}
    read_rule& decl();
    procedure_builder* b_;
    std::size_t i_;
};

/// Collects declarations, then validates and builds a `procedure`.
class procedure_builder {
public:
    explicit procedure_builder(std::string name, int version = 1);

    procedure_builder& describe(std::string text);
    /// Declare a typed variable with its initial value (empty: false/0/""/epoch/zero).
    procedure_builder& variable(std::string name, value_type type, value initial = {});
    /// Declare an enumeration variable; `initial` empty means the first symbol.
    procedure_builder& enumeration(std::string name, std::vector<std::string> symbols, std::string initial = {});
    /// Declare an event, with its payload fields.
    procedure_builder& event(std::string name, std::vector<field_decl> payload = {});
    /// Mark a declared variable as personal data of sensitivity `level`; throws
    /// `careflow::error` ("careflow.model.unknown_variable") when none of that name is
    /// declared yet. (Payload fields are marked in their `field_decl`.)
    procedure_builder& personal(std::string_view variable, sensitivity level = sensitivity::contact);
    /// Declare a consent topic its guards check with `consent("topic")` (see `consent_decl`).
    procedure_builder& consent(std::string topic, std::string description = {});
    /// Declare a read rule for the personal items named (variables, or payload fields as
    /// "event.field"); refine who and when on the returned builder.
    read_rule_builder may_read(std::vector<std::string> items);
    /// Declare a read rule for every personal item at most as sensitive as `up_to`.
    read_rule_builder may_read(sensitivity up_to);
    /// Declare a duty a person can be assigned to ("responsible").
    procedure_builder& duty(std::string name);
    /// Declare a host callback for `call(name)`; `fn` may be bound later by the engine.
    procedure_builder& host(std::string name, host_action fn = {});
    /// The top-level state a case starts in (default: the first top-level state declared).
    procedure_builder& initial(std::string state);

    /// Declare a state. Declaring a name twice is reported by validate().
    state_builder state(std::string name);
    /// Refine a state declared earlier; throws `careflow::error`
    /// ("careflow.model.unknown_state") when there is none of that name.
    state_builder edit(std::string_view name);
    /// Declare a transition from `source` to `target`.
    transition_builder transition(std::string source, std::string target);
    /// Declare an internal transition of `source`: actions only, the state is not left.
    transition_builder internal(std::string source);
    /// Declare an SLA clock.
    sla_builder sla(std::string name);

    /// Every problem found; empty when the procedure is sound.
    [[nodiscard]] std::vector<diagnostic> validate() const;
    /// The procedure; throws `careflow::error` (the first error's id, every error listed)
    /// when validate() reports errors.
    [[nodiscard]] procedure build() const;

private:
    friend class state_builder;
    friend class transition_builder;
    friend class sla_builder;
    friend class read_rule_builder;
    procedure assemble(std::vector<diagnostic>& out) const;

    procedure p_; // name, variables, events, timers, ... (no graph yet)
    std::vector<state_decl> states_;
    std::vector<transition_decl> transitions_;
};

} // namespace careflow
