/// \file careflow/program/eval.hpp
/// Compiled expressions: a flat, typed postfix code evaluated on a small fixed stack,
/// with no allocation. Used for guards, `set`/`assign` values and deadline timers.
#pragma once

#include <careflow/model/value.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace careflow {

class calendar;

/// One machine word of case data. Booleans (0/1), integers, enumerations (symbol index),
/// times (ticks since the epoch) and durations (ticks) use `i`; reals use `r`. Text lives
/// beside the cells (a case's text table); while evaluating, `s` points at it.
union cell {
    std::int64_t i;
    double r;
    const std::string* s;
};
static_assert(sizeof(cell) == 8);

/// What an expression reads. Pointers stay owned by the caller.
struct eval_context {
    const cell* vars = nullptr;               ///< one cell per variable
    const std::string* texts = nullptr;       ///< the case's text table
    const cell* fields = nullptr;             ///< the event's payload, one cell per field
    const std::string* field_texts = nullptr; ///< the payload's text fields, in order
    ticks now = 0;
    const std::string* actor = nullptr;
    /// The program's calendars by index, for date operations (null, or a null entry: 24×7 UTC).
    const calendar* const* calendars = nullptr;
    /// Bit i: the case's client has given the program's consent topic i and it holds now.
    std::uint64_t consents = 0;
    /// Bit s: the case is in state s (its leaf and the leaf's ancestors), for `In("s")`
    /// (null: in no state; see `program::configuration`).
    const std::uint64_t* configuration = nullptr;
    /// The name of the event being processed, for `_event.name` (null: none, reads "").
    const std::string* event = nullptr;
};

/// Instructions of the compiled expression code.
enum class opcode : std::uint8_t {
    push_const,
    push_text_const,
    push_var,
    push_text_var,
    push_field,
    push_text_field,
    push_now,
    push_actor,
    push_consent,    ///< boolean: bit `arg` of the context's consents
    push_in_state,   ///< boolean: bit `arg` of the context's configuration
    push_event_name, ///< text: the context's event name
    to_real,         ///< convert the top integer to real
    to_real_below,   ///< convert the second-from-top integer to real
    add_i,
    sub_i,
    add_r,
    sub_r,
    mul_i, ///< saturating
    div_i, ///< truncating; ÷ 0 gives 0; the one overflow (min ÷ −1) saturates
    mod_i, ///< the sign of the dividend; % 0 gives 0
    mul_r,
    div_r, ///< IEEE: ÷ 0 gives ±inf or NaN
    mod_r, ///< fmod
    eq_i,
    ne_i,
    lt_i,
    le_i,
    gt_i,
    ge_i,
    eq_r,
    ne_r,
    lt_r,
    le_r,
    gt_r,
    ge_r,
    eq_s,
    ne_s,
    lt_s,
    le_s,
    gt_s,
    ge_s,
    and_,
    or_,
    not_,
    /// Fused "variable/field `arg` <cmp> immediate": the common guard shape in one step.
    test_var_i,
    test_var_r,
    test_field_i,
    test_field_r,
    jump_if_false, ///< short-circuit &&: if the top is false jump to `arg` keeping it, else pop it
    jump_if_true,  ///< short-circuit ||: if the top is true jump to `arg` keeping it, else pop it
    // Date operations in calendar `arg` (see expr_op).
    local_day,
    close_of_day,
    plus_days,
    plus_months,
    working_day
};

/// The comparison a fused test instruction makes.
enum class comparison : std::uint8_t { eq, ne, lt, le, gt, ge };

/// One instruction: an opcode, an index argument and an immediate.
struct instruction {
    opcode op{};
    comparison cmp{}; ///< for the fused tests
    std::uint16_t arg = 0;
    cell imm{};
};

/// One "operand <cmp> constant" test of a guard compiled to the fast form. Branch-free:
/// the operand is compared three ways (less, equal, greater, or unordered for NaN) and
/// `mask` says which outcomes satisfy the comparison.
struct fast_test {
    std::uint16_t slot = 0; ///< variable or payload field index
    bool field = false;     ///< read the payload, not the variables
    bool real = false;      ///< compare as doubles
    std::uint8_t mask = 0;  ///< bit 0 less, 1 equal, 2 greater, 3 unordered
    cell imm{};

    [[nodiscard]] bool run(const eval_context& ctx) const noexcept;
};

/// A value read in one step: a constant, or a variable or payload field plus an integer
/// offset (0 for non-integers: the cell is copied bit for bit). The common shape of `set`
/// values ("urgency = field urgency", "rings = rings + 1").
struct fast_value {
    enum class source : std::uint8_t { constant, variable, field } from = source::constant;
    std::uint16_t slot = 0;
    cell imm{}; ///< constant: the value; otherwise the integer offset

    [[nodiscard]] cell run(const eval_context& ctx) const noexcept {
        if (from == source::constant) return imm;
        cell c = (from == source::field ? ctx.fields : ctx.vars)[slot];
        c.i = saturating_add(c.i, imm.i);
        return c;
    }
};

/// The outcome mask of a comparison, for `fast_test::mask`.
[[nodiscard]] constexpr std::uint8_t mask_of(comparison c) noexcept {
    switch (c) {
    case comparison::eq: return 0b0010;
    case comparison::ne: return 0b1101;
    case comparison::lt: return 0b0001;
    case comparison::le: return 0b0011;
    case comparison::gt: return 0b0100;
    case comparison::ge: return 0b0110;
    }
    return 0;
}

/// How a compiled expression is evaluated.
enum class expression_form : std::uint8_t {
    code,   ///< the general stack code
    all_of, ///< every fast test holds (a && b && ...)
    any_of, ///< some fast test holds (a || b || ...)
    value   ///< a `fast_value`
};

/// A compiled expression.
class expression {
public:
    /// Deepest stack an expression may need; deeper ones are refused by compile().
    static constexpr std::size_t max_stack = 32;

    std::vector<instruction> code;
    std::vector<std::string> text_constants;
    value_type type{};  ///< the result's type
    std::string source; ///< the expression as written
    /// Guards that are chains of simple tests also get this faster form (same result).
    expression_form form = expression_form::code;
    std::vector<fast_test> tests;
    /// Values that are a constant, or a non-text variable or field (plus an integer
    /// constant), also get this faster form (same result).
    fast_value simple;

    /// Evaluate. Text results point into the context or this expression. Chains of
    /// fast tests run every test without branching on their outcomes: tests have no side
    /// effects, and on a few tests that beats mispredicted early exits.
    [[nodiscard]] cell evaluate(const eval_context& ctx) const noexcept {
        switch (form) {
        case expression_form::all_of: {
            unsigned r = 1;
            for (const fast_test& t : tests) r &= static_cast<unsigned>(t.run(ctx));
            return cell{r};
        }
        case expression_form::any_of: {
            unsigned r = 0;
            for (const fast_test& t : tests) r |= static_cast<unsigned>(t.run(ctx));
            return cell{r};
        }
        case expression_form::value: return simple.run(ctx);
        case expression_form::code: break;
        }
        return interpret(ctx);
    }

    /// Run the general stack code (what evaluate() does for the `code` form).
    [[nodiscard]] cell interpret(const eval_context& ctx) const noexcept;
};

inline bool fast_test::run(const eval_context& ctx) const noexcept {
    const cell c = (field ? ctx.fields : ctx.vars)[slot];
    unsigned outcome;
    if (real) {
        const double x = c.r, y = imm.r;
        outcome = 2u * (x > y) + (x == y) + 3u * (x != x || y != y);
    } else {
        outcome = static_cast<unsigned>((c.i > imm.i) - (c.i < imm.i) + 1);
    }
    return (mask >> outcome) & 1u;
}

} // namespace careflow
