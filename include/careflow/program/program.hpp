/// \file careflow/program/program.hpp
/// The PROGRAM stage: an immutable, flat compilation of a procedure. Integer ids for
/// states, events and variables; a dense (state × event) table of candidate transitions
/// with hierarchy already resolved; pre-computed exit/entry sequences; timer and SLA
/// specs as plain data. Shared by every case of its procedure
/// (`std::shared_ptr<const program>`). Includes no Boost.Graph.
#pragma once

#include <careflow/model/declarations.hpp>
#include <careflow/program/eval.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace careflow {

class procedure;
namespace detail {
class program_compiler;
}

using state_index = std::uint16_t;
using event_index = std::uint16_t;
using var_index = std::uint16_t;
/// "No such index" for any of the 16-bit indexes.
inline constexpr std::uint16_t no_index = 0xFFFF;

/// A half-open range [first, first + count) into one of the program's arrays.
struct index_range {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

/// A compiled state.
struct program_state {
    std::string name;
    std::string path;               ///< "call.transfer.counseling"
    state_index parent = no_index;  ///< no_index: top level
    state_index initial = no_index; ///< compound: initial child
    std::uint8_t depth = 0;         ///< 0 at the top level
    bool compound = false;
    bool is_final = false;
    index_range entry_actions; ///< into actions()
    index_range exit_actions;  ///< into actions()
    index_range timers;        ///< into state_timers(): timers armed on entering
    /// Entering or leaving it does nothing: no actions, timers or SLA triggers (a step may skip it).
    bool inert = false;
};

/// A compiled action.
struct program_action {
    action_kind kind{};
    std::uint16_t target = no_index;                             ///< set: variable; (un)assign: duty; call: host action
    std::uint16_t value = no_index;                              ///< set/assign: expression index
    std::string name;                                            ///< call: callback; spawn: procedure; notify: topic
    std::string text;                                            ///< notify: message
    std::vector<std::pair<std::string, std::uint16_t>> bindings; ///< spawn: child variable ← expression
};

/// One candidate transition for a (leaf state, event) pair, resolved for that leaf.
struct program_transition {
    std::uint32_t decl = 0;         ///< index in transitions() (declaration order)
    state_index source = no_index;  ///< the state it was declared on (the leaf or an ancestor)
    state_index target = no_index;  ///< the leaf entered; no_index: internal transition
    std::uint16_t guard = no_index; ///< index into guards(); no_index: unguarded
    std::uint64_t roles = 0;        ///< bit per role: the actor needs one; 0: anyone
    std::uint16_t duty = no_index;  ///< the actor must be this duty's assignee
    index_range actions;            ///< into actions()
    index_range exits;              ///< into sequence(): states left, innermost first
    index_range entries;            ///< into sequence(): states entered, outermost first
};

/// A compiled guard: an expression, or a host predicate.
struct program_guard {
    std::uint16_t expression = no_index;
    host_guard predicate;
    std::string label;
};

/// A compiled span (see `span`): elapsed ticks, or a count of working days.
struct program_span {
    span_kind kind = span_kind::elapsed;
    ticks elapsed = 0;
    int days = 0;
};

/// A compiled timer spec.
struct program_timer {
    std::string name;
    state_index state = no_index;
    event_index event = no_index;
    timer_kind kind{};
    program_span delay;                ///< after/every
    int count = 1;                     ///< every: at most this many fires
    std::uint16_t deadline = no_index; ///< at: expression index
    std::uint16_t calendar = no_index; ///< index into calendars(); no_index: 24×7
};

/// What an SLA condition does to its clock.
enum class sla_effect : std::uint8_t { start, stop, pause, resume, cancel };

/// A compiled SLA clock spec.
struct program_sla {
    std::string name;
    program_span goal;
    std::uint16_t deadline = no_index; ///< goal_at: expression index (then `goal` is unused)
    std::uint16_t calendar = no_index;
    std::vector<double> warnings; ///< ascending fractions of the goal
    event_index warning_event = no_index;
    event_index breach_event = no_index;
    std::uint16_t duty = no_index;
};

/// "SLA clock `sla` is affected by `effect`" — listed per state entered/left and per event.
struct sla_trigger {
    std::uint16_t sla = 0;
    sla_effect effect{};
};

/// A compiled event.
struct program_event {
    std::string name;
    std::vector<field_decl> payload;
    std::uint16_t payload_texts = 0; ///< how many payload fields are text
};

/// A host callback the program's `call` actions name, with its default implementation.
struct program_host {
    std::string name;
    host_action fn;
};

/// A compiled variable.
struct program_variable {
    std::string name;
    value_type type{};
    std::vector<std::string> symbols;
    cell initial{};                     ///< non-text initial value
    std::string initial_text;           ///< text initial value
    std::uint16_t text_slot = no_index; ///< text variables: index in a case's text table
};

/// A personal item of a program (a variable or a payload field marked personal), as read
/// rules name it.
struct program_item {
    std::string name; ///< the variable's name, or "event.field"
    sensitivity level = sensitivity::none;
    var_index variable = no_index; ///< a variable; or a payload field:
    event_index event = no_index;
    std::uint16_t field = no_index; ///< the field's position in the event's payload
};

/// A compiled read rule (`read_rule`): who may read which personal items, and when.
struct program_read_rule {
    std::uint64_t items = 0;           ///< bit per personal item (`program::personal_items`)
    std::uint64_t roles = 0;           ///< the reader holds one of these (0: any role)
    std::uint16_t duty = no_index;     ///< the reader is this duty's assignee (no_index: no need)
    std::vector<std::uint64_t> leaves; ///< bit per state: the case's leaf is one of them (empty: any)
    /// Does it apply in leaf state `leaf` (no_index: no state known, only a rule for every state)?
    [[nodiscard]] bool in(state_index leaf) const noexcept {
        return leaves.empty() || (leaf != no_index && (leaves[leaf / 64] >> (leaf % 64) & 1U) != 0);
    }
};

/// The executable form of a procedure. Immutable once compiled.
class program {
public:
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] int version() const noexcept { return version_; }

    [[nodiscard]] std::span<const program_state> states() const noexcept { return states_; }
    [[nodiscard]] std::span<const program_event> events() const noexcept { return events_; }
    [[nodiscard]] std::span<const program_variable> variables() const noexcept { return variables_; }
    [[nodiscard]] std::span<const program_action> actions() const noexcept { return actions_; }
    [[nodiscard]] std::span<const program_guard> guards() const noexcept { return guards_; }
    [[nodiscard]] std::span<const program_timer> timers() const noexcept { return timers_; }
    [[nodiscard]] std::span<const program_sla> slas() const noexcept { return slas_; }
    /// How many transitions the procedure declared (`program_transition::decl` numbers
    /// them in declaration order; the declarations themselves stay in the model).
    [[nodiscard]] std::size_t decl_count() const noexcept { return decl_count_; }
    /// "name@version": how journals, snapshots and reports name a program.
    [[nodiscard]] std::string qualified_name() const { return name_ + "@" + std::to_string(version_); }
    [[nodiscard]] std::span<const std::string> roles() const noexcept { return roles_; }
    [[nodiscard]] std::span<const std::string> duties() const noexcept { return duties_; }
    [[nodiscard]] std::span<const std::string> calendars() const noexcept { return calendars_; }
    /// The consent topics its guards check, by index (`consent("t")`: bit t of
    /// `eval_context::consents`); at most 64.
    [[nodiscard]] std::span<const std::string> consent_topics() const noexcept { return consent_topics_; }
    [[nodiscard]] std::span<const program_host> host_actions() const noexcept { return host_actions_; }
    [[nodiscard]] std::span<const expression> expressions() const noexcept { return expressions_; }
    /// The personal items (at most 64): variables first, in declaration order, then payload
    /// fields by event. Bit i of a read rule's `items` is item i.
    [[nodiscard]] std::span<const program_item> personal_items() const noexcept { return items_; }
    /// Variable `v`'s personal item, or no_index when it is not personal.
    [[nodiscard]] std::uint16_t item_of(var_index v) const noexcept { return variable_items_[v]; }
    /// Payload field `f` of event `e` as a personal item, or no_index.
    [[nodiscard]] std::uint16_t item_of(event_index e, std::uint16_t f) const noexcept;
    /// A personal item by its rule name ("contact", "register.contact"), or no_index.
    [[nodiscard]] std::uint16_t find_item(std::string_view name) const noexcept;
    [[nodiscard]] std::span<const program_read_rule> read_rules() const noexcept { return read_rules_; }
    /// The personal items (bits) a reader may read in leaf state `leaf` (no_index: a case
    /// whose state is not known — only rules for every state apply), who holds the roles
    /// `roles` (a `role_mask`) and for whom `holds(duty)` says whether they are the case's
    /// assignee for that duty.
    template <class Holds>
    [[nodiscard]] std::uint64_t readable(state_index leaf, std::uint64_t roles, Holds&& holds) const {
        std::uint64_t may = 0;
        for (const auto& r : read_rules_)
            if ((r.roles == 0 || (roles & r.roles) != 0) && r.in(leaf) && (r.duty == no_index || holds(r.duty)))
                may |= r.items;
        return may;
    }
    /// How many text variables a case of this program holds.
    [[nodiscard]] std::uint16_t text_count() const noexcept { return text_count_; }

    /// The leaf a new case enters, and the states entered on the way (outermost first).
    [[nodiscard]] state_index initial_leaf() const noexcept { return initial_leaf_; }
    [[nodiscard]] std::span<const state_index> initial_entries() const noexcept { return sequence(initial_entries_); }

    /// The candidates for `event` in leaf state `s`, in priority order: the leaf's own
    /// transitions before its ancestors', each state's in declaration order.
    [[nodiscard]] std::span<const program_transition> candidates(state_index s, event_index e) const noexcept {
        const index_range r = table_[static_cast<std::size_t>(s) * event_stride_ + e];
        return {candidates_.data() + r.first, r.count};
    }
    /// The eventless (completion) candidates of leaf state `s`, in priority order.
    [[nodiscard]] std::span<const program_transition> eventless(state_index s) const noexcept {
        return candidates(s, static_cast<event_index>(event_stride_ - 1));
    }
    /// States listed by a transition's exits/entries.
    [[nodiscard]] std::span<const state_index> sequence(index_range r) const noexcept {
        return {sequence_.data() + r.first, r.count};
    }
    [[nodiscard]] std::span<const program_action> actions(index_range r) const noexcept {
        return {actions_.data() + r.first, r.count};
    }
    [[nodiscard]] std::span<const std::uint16_t> state_timers(index_range r) const noexcept {
        return {state_timers_.data() + r.first, r.count};
    }
    /// SLA clocks affected when state `s` is entered / left, and when event `e` is applied.
    [[nodiscard]] std::span<const sla_trigger> on_enter(state_index s) const noexcept {
        return triggers(enter_triggers_[s]);
    }
    [[nodiscard]] std::span<const sla_trigger> on_leave(state_index s) const noexcept {
        return triggers(leave_triggers_[s]);
    }
    [[nodiscard]] std::span<const sla_trigger> on_event(event_index e) const noexcept {
        return triggers(event_triggers_[e]);
    }

    /// The states a case whose leaf is `s` is in — `s` and its ancestors — as a bitset of
    /// `(states().size() + 63) / 64` words: what `In("state")` reads through
    /// `eval_context::configuration`.
    [[nodiscard]] const std::uint64_t* configuration(state_index s) const noexcept {
        return configurations_.data() + static_cast<std::size_t>(s) * configuration_words_;
    }
    /// Is `ancestor` the state `s` itself or one of its ancestors?
    [[nodiscard]] bool within(state_index s, state_index ancestor) const noexcept;

    /// Lookups by name (binary search over sorted tables; not for the hot path).
    [[nodiscard]] std::optional<state_index> find_state(std::string_view name) const noexcept;
    [[nodiscard]] std::optional<event_index> find_event(std::string_view name) const noexcept;
    [[nodiscard]] std::optional<var_index> find_variable(std::string_view name) const noexcept;
    [[nodiscard]] std::optional<std::uint16_t> find_duty(std::string_view name) const noexcept;
    [[nodiscard]] std::optional<std::uint16_t> find_sla(std::string_view name) const noexcept;
    [[nodiscard]] std::optional<std::uint16_t> find_role(std::string_view name) const noexcept;
    /// The bit mask of the named roles (unknown names are ignored: nothing requires them).
    [[nodiscard]] std::uint64_t role_mask(std::span<const std::string> names) const noexcept;

    /// Evaluate a guard's expression (host predicates are evaluated by the runtime, which
    /// owns their context). Precondition: `g.expression != no_index`.
    [[nodiscard]] bool test(const program_guard& g, const eval_context& ctx) const noexcept {
        return expressions_[g.expression].evaluate(ctx).i != 0;
    }

private:
    friend class detail::program_compiler;
    [[nodiscard]] std::span<const sla_trigger> triggers(index_range r) const noexcept {
        return {sla_triggers_.data() + r.first, r.count};
    }

    std::string name_;
    int version_ = 1;
    std::vector<program_state> states_;
    std::vector<program_event> events_;
    std::vector<program_variable> variables_;
    std::vector<program_action> actions_;
    std::vector<program_guard> guards_;
    std::vector<program_timer> timers_;
    std::vector<program_sla> slas_;
    std::size_t decl_count_ = 0;
    std::vector<std::string> roles_, duties_, calendars_, consent_topics_;
    std::vector<program_host> host_actions_;
    std::vector<expression> expressions_;
    std::uint16_t text_count_ = 0;
    std::vector<program_item> items_;
    std::vector<std::uint16_t> variable_items_;
    std::vector<program_read_rule> read_rules_;

    std::size_t event_stride_ = 1; // events + 1 (the last column: eventless)
    std::vector<index_range> table_;
    std::vector<program_transition> candidates_;
    std::vector<state_index> sequence_;
    std::vector<std::uint16_t> state_timers_;
    state_index initial_leaf_ = no_index;
    std::vector<std::uint64_t> configurations_;
    std::size_t configuration_words_ = 0;
    index_range initial_entries_;
    std::vector<index_range> enter_triggers_, leave_triggers_, event_triggers_;
    std::vector<sla_trigger> sla_triggers_;
    std::vector<std::pair<std::string, std::uint16_t>> state_names_, event_names_, variable_names_;
};

/// Compile a (validated) procedure into a program. Throws `careflow::error` if a limit is
/// exceeded (more than 64 roles or personal items, 65,535 states/events/variables, an expression too deep).
[[nodiscard]] std::shared_ptr<const program> compile(const procedure& p);

} // namespace careflow
