// The general expression interpreter: out of line so that the fast forms inline.
#include <careflow/program/eval.hpp>
#include <careflow/time/calendar.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <string>

namespace careflow {

namespace detail {
// A date operation's calendar; without one (validation, a host evaluating alone), 24×7 UTC.
const calendar& calendar_at(const eval_context& ctx, std::uint16_t i) noexcept {
    static const calendar utc;
    const calendar* c = ctx.calendars ? ctx.calendars[i] : nullptr;
    return c ? *c : utc;
}

const std::string no_text;

std::int64_t saturating_mul(std::int64_t a, std::int64_t b) noexcept {
    std::int64_t r = 0;
    if (!__builtin_mul_overflow(a, b, &r)) return r;
    return (a < 0) == (b < 0) ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
}

std::int64_t divide(std::int64_t a, std::int64_t b) noexcept {
    if (b == 0) return 0;
    if (b == -1 && a == std::numeric_limits<std::int64_t>::min()) return std::numeric_limits<std::int64_t>::max();
    return a / b;
}

template <class T>
constexpr bool compare(comparison c, T a, T b) noexcept {
    switch (c) {
    case comparison::eq: return a == b;
    case comparison::ne: return a != b;
    case comparison::lt: return a < b;
    case comparison::le: return a <= b;
    case comparison::gt: return a > b;
    case comparison::ge: return a >= b;
    }
    return false;
}
} // namespace detail

cell expression::interpret(const eval_context& ctx) const noexcept {
    std::array<cell, max_stack> st;
    std::size_t n = 0;
    auto cmp = [&](bool r) {
        --n;
        st[n - 1].i = r ? 1 : 0;
    };
    const instruction* const first = code.data();
    const std::size_t size = code.size();
    for (std::size_t pc = 0; pc < size; ++pc) {
        const instruction& in = first[pc];
        switch (in.op) {
        case opcode::test_var_i: st[n++].i = detail::compare(in.cmp, ctx.vars[in.arg].i, in.imm.i); break;
        case opcode::test_var_r: st[n++].i = detail::compare(in.cmp, ctx.vars[in.arg].r, in.imm.r); break;
        case opcode::test_field_i: st[n++].i = detail::compare(in.cmp, ctx.fields[in.arg].i, in.imm.i); break;
        case opcode::test_field_r: st[n++].i = detail::compare(in.cmp, ctx.fields[in.arg].r, in.imm.r); break;
        case opcode::jump_if_false:
            if (st[n - 1].i == 0)
                pc = in.arg - 1u;
            else
                --n;
            break;
        case opcode::jump_if_true:
            if (st[n - 1].i != 0)
                pc = in.arg - 1u;
            else
                --n;
            break;
        case opcode::local_day: st[n - 1].i = detail::calendar_at(ctx, in.arg).local_day_start(st[n - 1].i); break;
        case opcode::close_of_day:
            st[n - 1].i = detail::calendar_at(ctx, in.arg).close_of_local_day(st[n - 1].i);
            break;
        case opcode::plus_days:
            --n;
            st[n - 1].i = detail::calendar_at(ctx, in.arg).plus_days(st[n - 1].i, st[n].i);
            break;
        case opcode::plus_months:
            --n;
            st[n - 1].i = detail::calendar_at(ctx, in.arg).plus_months(st[n - 1].i, st[n].i);
            break;
        case opcode::working_day:
            --n;
            st[n - 1].i = detail::calendar_at(ctx, in.arg).working_day_start(st[n - 1].i, st[n].i);
            break;
        case opcode::push_const: st[n++] = in.imm; break;
        case opcode::push_text_const: st[n++].s = &text_constants[in.arg]; break;
        case opcode::push_var: st[n++] = ctx.vars[in.arg]; break;
        case opcode::push_text_var: st[n++].s = &ctx.texts[in.arg]; break;
        case opcode::push_field: st[n++] = ctx.fields[in.arg]; break;
        case opcode::push_text_field: st[n++].s = &ctx.field_texts[in.arg]; break;
        case opcode::push_now: st[n++].i = ctx.now; break;
        case opcode::push_actor: st[n++].s = ctx.actor; break;
        case opcode::push_consent: st[n++].i = static_cast<std::int64_t>(ctx.consents >> in.arg & 1U); break;
        case opcode::push_in_state:
            st[n++].i =
                ctx.configuration ? static_cast<std::int64_t>(ctx.configuration[in.arg / 64] >> (in.arg % 64) & 1U) : 0;
            break;
        case opcode::push_event_name: st[n++].s = ctx.event ? ctx.event : &detail::no_text; break;
        case opcode::mul_i:
            --n;
            st[n - 1].i = detail::saturating_mul(st[n - 1].i, st[n].i);
            break;
        case opcode::div_i:
            --n;
            st[n - 1].i = detail::divide(st[n - 1].i, st[n].i);
            break;
        case opcode::mod_i:
            --n;
            st[n - 1].i = (st[n].i == 0 || st[n].i == -1) ? 0 : st[n - 1].i % st[n].i;
            break;
        case opcode::mul_r:
            --n;
            st[n - 1].r *= st[n].r;
            break;
        case opcode::div_r:
            --n;
            st[n - 1].r /= st[n].r;
            break;
        case opcode::mod_r:
            --n;
            st[n - 1].r = std::fmod(st[n - 1].r, st[n].r);
            break;
        case opcode::to_real: st[n - 1].r = static_cast<double>(st[n - 1].i); break;
        case opcode::to_real_below: st[n - 2].r = static_cast<double>(st[n - 2].i); break;
        case opcode::add_i:
            --n;
            st[n - 1].i = saturating_add(st[n - 1].i, st[n].i);
            break;
        case opcode::sub_i:
            --n;
            st[n - 1].i = saturating_sub(st[n - 1].i, st[n].i);
            break;
        case opcode::add_r:
            --n;
            st[n - 1].r += st[n].r;
            break;
        case opcode::sub_r:
            --n;
            st[n - 1].r -= st[n].r;
            break;
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
        case opcode::and_:
            --n;
            st[n - 1].i = (st[n - 1].i != 0 && st[n].i != 0) ? 1 : 0;
            break;
        case opcode::or_:
            --n;
            st[n - 1].i = (st[n - 1].i != 0 || st[n].i != 0) ? 1 : 0;
            break;
        case opcode::not_: st[n - 1].i = st[n - 1].i != 0 ? 0 : 1; break;
        }
    }
    return st[0];
}

} // namespace careflow
