/// \file careflow/program/eval.hpp
/// Compiled expressions: a flat, typed postfix code evaluated on a small fixed stack,
/// with no allocation. Used for guards, `set`/`assign` values and deadline timers.
#pragma once

#include <careflow/model/value.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace careflow {

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
    const cell* vars = nullptr;              ///< one cell per variable
    const std::string* texts = nullptr;      ///< the case's text table
    const cell* fields = nullptr;            ///< the event's payload, one cell per field
    const std::string* field_texts = nullptr; ///< the payload's text fields, in order
    ticks now = 0;
    const std::string* actor = nullptr;
};

/// Instructions of the compiled expression code.
enum class opcode : std::uint8_t {
    push_const, push_text_const, push_var, push_text_var, push_field, push_text_field,
    push_now, push_actor,
    to_real,       ///< convert the top integer to real
    to_real_below, ///< convert the second-from-top integer to real
    add_i, sub_i, add_r, sub_r,
    eq_i, ne_i, lt_i, le_i, gt_i, ge_i,
    eq_r, ne_r, lt_r, le_r, gt_r, ge_r,
    eq_s, ne_s, lt_s, le_s, gt_s, ge_s,
    and_, or_, not_
};

/// One instruction: an opcode, an index argument and an immediate.
struct instruction {
    opcode op{};
    std::uint16_t arg = 0;
    cell imm{};
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

    /// Run the code. Text results point into the context or this expression.
    [[nodiscard]] cell evaluate(const eval_context& ctx) const noexcept;
};

inline cell expression::evaluate(const eval_context& ctx) const noexcept {
    std::array<cell, max_stack> st;
    std::size_t n = 0;
    auto cmp = [&](bool r) { --n; st[n - 1].i = r ? 1 : 0; };
    for (const instruction& in : code) {
        switch (in.op) {
        case opcode::push_const: st[n++] = in.imm; break;
        case opcode::push_text_const: st[n++].s = &text_constants[in.arg]; break;
        case opcode::push_var: st[n++] = ctx.vars[in.arg]; break;
        case opcode::push_text_var: st[n++].s = &ctx.texts[in.arg]; break;
        case opcode::push_field: st[n++] = ctx.fields[in.arg]; break;
        case opcode::push_text_field: st[n++].s = &ctx.field_texts[in.arg]; break;
        case opcode::push_now: st[n++].i = ctx.now; break;
        case opcode::push_actor: st[n++].s = ctx.actor; break;
        case opcode::to_real: st[n - 1].r = static_cast<double>(st[n - 1].i); break;
        case opcode::to_real_below: st[n - 2].r = static_cast<double>(st[n - 2].i); break;
        case opcode::add_i: --n; st[n - 1].i += st[n].i; break;
        case opcode::sub_i: --n; st[n - 1].i -= st[n].i; break;
        case opcode::add_r: --n; st[n - 1].r += st[n].r; break;
        case opcode::sub_r: --n; st[n - 1].r -= st[n].r; break;
        case opcode::eq_i: cmp(st[n - 2].i == st[n - 1].i); break;
        case opcode::ne_i: cmp(st[n - 2].i != st[n - 1].i); break;
        case opcode::lt_i: cmp(st[n - 2].i < st[n - 1].i); break;
        case opcode::le_i: cmp(st[n - 2].i <= st[n - 1].i); break;
        case opcode::gt_i: cmp(st[n - 2].i > st[n - 1].i); break;
        case opcode::ge_i: cmp(st[n - 2].i >= st[n - 1].i); break;
        case opcode::eq_r: cmp(st[n - 2].r == st[n - 1].r); break;
        case opcode::ne_r: cmp(st[n - 2].r != st[n - 1].r); break;
        case opcode::lt_r: cmp(st[n - 2].r < st[n - 1].r); break;
        case opcode::le_r: cmp(st[n - 2].r <= st[n - 1].r); break;
        case opcode::gt_r: cmp(st[n - 2].r > st[n - 1].r); break;
        case opcode::ge_r: cmp(st[n - 2].r >= st[n - 1].r); break;
        case opcode::eq_s: cmp(*st[n - 2].s == *st[n - 1].s); break;
        case opcode::ne_s: cmp(*st[n - 2].s != *st[n - 1].s); break;
        case opcode::lt_s: cmp(*st[n - 2].s < *st[n - 1].s); break;
        case opcode::le_s: cmp(*st[n - 2].s <= *st[n - 1].s); break;
        case opcode::gt_s: cmp(*st[n - 2].s > *st[n - 1].s); break;
        case opcode::ge_s: cmp(*st[n - 2].s >= *st[n - 1].s); break;
        case opcode::and_: --n; st[n - 1].i = (st[n - 1].i != 0 && st[n].i != 0) ? 1 : 0; break;
        case opcode::or_: --n; st[n - 1].i = (st[n - 1].i != 0 || st[n].i != 0) ? 1 : 0; break;
        case opcode::not_: st[n - 1].i = st[n - 1].i != 0 ? 0 : 1; break;
        }
    }
    return st[0];
}

} // namespace careflow
