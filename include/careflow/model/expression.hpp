/// \file careflow/model/expression.hpp
/// Guards and computed values written as data: `var("urgency") >= 3 && !var("withheld")`.
/// An expression is type-checked against the declared variables and payload fields when
/// the procedure is validated, and compiled into a flat, allocation-free evaluator.
#pragma once

#include <careflow/model/value.hpp>

#include <concepts>
#include <memory>
#include <string>
#include <type_traits>

namespace careflow {

/// The operations an expression node can perform.
enum class expr_op : std::uint8_t {
    constant, ///< a literal value
    variable, ///< a case variable, by name
    field,    ///< a field of the current event's payload, by name
    now,      ///< the current instant (time)
    actor,    ///< the id of the person acting (text)
    add,
    sub, ///< numbers; time ± duration; duration ± duration; time − time
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    and_,
    or_,
    not_,
    // Dates in a calendar's zone (the node's name is the calendar's):
    local_day,    ///< time → the instant its local day began
    plus_days,    ///< time, integer → the same wall time n local days later (or earlier)
    plus_months,  ///< time, integer → the same wall time n calendar months later, the day clamped to the month's end
    working_day,  ///< time, integer → the start of a working day counted from its local date (see `working_day()`)
    close_of_day, ///< time → "by the close of working day D": the close of its local date, or of the next working day
    consent,      ///< boolean: the case's client has given consent `name` (not withdrawn, not lapsed) now
    mul,          ///< numbers; duration × integer; integer × duration
    div,          ///< numbers (integers truncate; ÷ 0 gives 0); duration ÷ integer; duration ÷ duration → integer
    mod,          ///< numbers (integers: the sign of the dividend; % 0 gives 0); duration % duration
    in_state,     ///< boolean: the case is in state `name` or one of its descendants (SCXML's `In()`)
    event_name    ///< text: the name of the event being processed (SCXML's `_event.name`; "" when none)
};

struct expr_node;

/// An immutable expression tree (cheap to copy: nodes are shared).
class expr {
public:
    expr() = default;
    /// A literal: `expr(3)`, `expr(symbol{"high"})`; lets constants mix with operands.
    template <class T>
    requires(!std::same_as<std::remove_cvref_t<T>, expr> && std::constructible_from<value, T>) expr(T&& constant)
        : expr(make_constant(value(std::forward<T>(constant)))) {}

    /// A node with up to two children.
    static expr make(expr_op op, expr lhs = {}, expr rhs = {});
    static expr make_named(expr_op op, std::string name);
    static expr make_constant(value v);
    /// A date operation in `calendar` (local_day … close_of_day).
    static expr make_dated(expr_op op, std::string calendar, expr t, expr n = {});

    [[nodiscard]] bool empty() const noexcept { return !node_; }
    [[nodiscard]] const expr_node* node() const noexcept { return node_.get(); }
    /// Infix rendering in the rule language (careflow/model/rule_text.hpp), e.g.
    /// `urgency >= 3 && !withheld`; `parse_rule(e.to_string())` gives back the same tree.
    [[nodiscard]] std::string to_string() const;
    /// The same tree (operators, names, constants and shape)?
    [[nodiscard]] bool same_as(const expr& other) const noexcept;

    // The operators build trees. They are hidden friends, found only when an operand is an
    // `expr`, so that they never take part in a host's own `!flag` or `a + b` (with
    // `using namespace careflow`, free operators taking anything convertible made such
    // code ambiguous).
    friend expr operator+(expr a, expr b) { return make(expr_op::add, std::move(a), std::move(b)); }
    friend expr operator-(expr a, expr b) { return make(expr_op::sub, std::move(a), std::move(b)); }
    friend expr operator*(expr a, expr b) { return make(expr_op::mul, std::move(a), std::move(b)); }
    friend expr operator/(expr a, expr b) { return make(expr_op::div, std::move(a), std::move(b)); }
    friend expr operator%(expr a, expr b) { return make(expr_op::mod, std::move(a), std::move(b)); }
    friend expr operator==(expr a, expr b) { return make(expr_op::eq, std::move(a), std::move(b)); }
    friend expr operator!=(expr a, expr b) { return make(expr_op::ne, std::move(a), std::move(b)); }
    friend expr operator<(expr a, expr b) { return make(expr_op::lt, std::move(a), std::move(b)); }
    friend expr operator<=(expr a, expr b) { return make(expr_op::le, std::move(a), std::move(b)); }
    friend expr operator>(expr a, expr b) { return make(expr_op::gt, std::move(a), std::move(b)); }
    friend expr operator>=(expr a, expr b) { return make(expr_op::ge, std::move(a), std::move(b)); }
    /// Logical and/or. Both sides are always evaluated (expressions have no side effects).
    friend expr operator&&(expr a, expr b) { return make(expr_op::and_, std::move(a), std::move(b)); }
    friend expr operator||(expr a, expr b) { return make(expr_op::or_, std::move(a), std::move(b)); }
    friend expr operator!(expr a) { return make(expr_op::not_, std::move(a)); }

private:
    std::shared_ptr<const expr_node> node_;
};

struct expr_node {
    expr_op op{};
    value constant;   ///< for constant
    std::string name; ///< for variable and field
    expr lhs, rhs;    ///< operands
};

/// A case variable.
inline expr var(std::string name) { return expr::make_named(expr_op::variable, std::move(name)); }
/// A field of the current event's payload.
inline expr field(std::string name) { return expr::make_named(expr_op::field, std::move(name)); }
/// The instant the input is applied.
inline expr now() { return expr::make(expr_op::now); }
/// The id of the person acting.
inline expr actor_id() { return expr::make(expr_op::actor); }
/// Whether the case's client has given consent on `topic` (declared with
/// `procedure_builder::consent`) and it holds now: recorded as given, not withdrawn since,
/// not lapsed. False for a case without a client: nobody consented.
inline expr consent(std::string topic) { return expr::make_named(expr_op::consent, std::move(topic)); }
/// Whether the case is in `state` or one of its descendants now (SCXML's `In('state')`).
inline expr in_state(std::string state) { return expr::make_named(expr_op::in_state, std::move(state)); }
/// The name of the event being processed: the input's, the timer's or the SLA clock's ("" in
/// a new case's entry actions). SCXML's `_event.name`.
inline expr event_name() { return expr::make(expr_op::event_name); }

// Date rules, each in a named calendar (its zone, holidays and hours; the engine supplies
// it like a timer's): "on the consultation date + 1 month, moved to a working day, by its
// close" is `close_of_day(working_day(plus_months(var("consulted_at"), 1, "center"), 0, "center"), "center")`.
/// The instant `t`'s local day began.
inline expr local_day(expr t, std::string calendar) {
    return expr::make_dated(expr_op::local_day, std::move(calendar), std::move(t));
}
/// The same local wall time `n` days later (negative: earlier).
inline expr plus_days(expr t, expr n, std::string calendar) {
    return expr::make_dated(expr_op::plus_days, std::move(calendar), std::move(t), std::move(n));
}
/// The same local wall time `n` calendar months later, the day clamped (Jan 31 + 1 → Feb 28).
inline expr plus_months(expr t, expr n, std::string calendar) {
    return expr::make_dated(expr_op::plus_months, std::move(calendar), std::move(t), std::move(n));
}
/// The start of a working day counted from `t`'s local date: n = 0 that date when it is a
/// working day, else the next one; n > 0 the n-th working day after it; n < 0 the |n|-th
/// working day before it. A calendar that never opens gives the farthest instant.
inline expr working_day(expr t, expr n, std::string calendar) {
    return expr::make_dated(expr_op::working_day, std::move(calendar), std::move(t), std::move(n));
}
/// The close of `t`'s local date when it is a working day, else of the next working day.
inline expr close_of_day(expr t, std::string calendar) {
    return expr::make_dated(expr_op::close_of_day, std::move(calendar), std::move(t));
}

} // namespace careflow
