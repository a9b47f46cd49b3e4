/// \file careflow/runtime/machine.hpp
/// The lean path: many cases of one compiled program, stepped directly with pre-resolved
/// event indexes, with no clock, no timers, no journal and no observers.
///
/// A `machine` is for a host that embeds a procedure's *logic* — a switchboard stepping a
/// call leg, a test harness, a rule check inside a tight loop — and wants to come as
/// close to a hand-written `switch` as a runtime-defined machine can (bench/README.md). It stores its cases in two flat
/// arrays (a 4-byte state per case; a row of variable cells per case) and lowers the program once into a dense table
/// whose rows carry their guard, role test, target and assignments; a plain step reads one state and one table entry.
/// Everything that needs time, people or a record (timers, SLA clocks, assignees, host actions, spawns, notifications,
/// text) is the `engine`'s work; a program that uses any of it is refused when the machine is made
/// (`careflow.machine.unsupported`), never half-run.
///
/// What a machine runs: hierarchy (a transition declared on a compound state applies to
/// its descendants), expression guards over variables and payload fields, role checks
/// (the caller passes the actor's role mask), `set` actions on transitions and on
/// entry/exit, eventless transitions, final states. The semantics are the engine's: the
/// first candidate (leaf before ancestors, declaration order) whose guard and roles pass
/// is taken; a step is all-or-nothing.
#pragma once

#include <careflow/program/program.hpp>
#include <careflow/runtime/types.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace careflow {

class machine {
public:
    /// A case of this machine: dense, given out in order by `add` (0, 1, 2, ...).
    using handle = std::uint32_t;
    /// The role mask of an actor holding every role (role checks pass).
    static constexpr std::uint64_t any_role = ~std::uint64_t{0};

    /// Throws `careflow::error` ("careflow.machine.unsupported") naming the first feature
    /// of `p` a machine does not run, or ("careflow.machine.null_program") for null.
    explicit machine(std::shared_ptr<const program> p, int eventless_limit = 64);

    /// Start a case in the program's initial state with the declared initial values
    /// (entry actions and eventless steps run). Throws `careflow::error`
    /// ("careflow.machine.eventless_loop") if they loop; the case is then not added.
    handle add();
    /// Reserve room for `n` cases (no allocation while adding them afterwards).
    void reserve(std::size_t n);

    /// Apply event `e` to case `c`. `fields` are the event's payload cells in declared
    /// order; `roles` the actor's role mask (`program::role_mask`). Returns `applied`,
    /// `ignored` (no transition for `e` here, or the case is finished), `refused` (every
    /// candidate's guard or role check failed) or `error` (a bad handle, event or field
    /// count, or an eventless loop — the case is then left exactly as it was).
    outcome dispatch(handle c, event_index e, std::span<const cell> fields = {}, std::uint64_t roles = any_role) {
        if (c >= size_ || e >= events_) [[unlikely]]
            return outcome::error;
        std::uint32_t& state = states_[c];
        const row_span r = spans_[static_cast<std::size_t>(state) + e];
        if (fields.size() != r.fields) [[unlikely]]
            return outcome::error;
        if (r.plain != none) { // one candidate: no guard, no roles, no assignments
            state = r.plain;
            return outcome::applied;
        }
        cell* vars = vars_.data() + static_cast<std::size_t>(c) * stride_;
        const eval_context ctx{vars, nullptr, fields.data(), nullptr, 0, nullptr};
        for (const lowered *t = rows_.data() + r.first, *end = t + r.count; t != end; ++t) {
            if (!passes(*t, ctx)) continue;
            if (t->roles != 0 && (t->roles & roles) == 0) continue; // needs one of the roles
            if (has_eventless_) return step(state, vars, *t, ctx);
            apply(state, vars, *t, ctx);
            return outcome::applied;
        }
        return r.count == 0 ? outcome::ignored : outcome::refused; // final states have no candidates
    }

    /// The case's current leaf; throws `careflow::error` ("careflow.machine.out_of_range").
    [[nodiscard]] state_index state(handle c) const;
    [[nodiscard]] bool finished(handle c) const;
    /// A variable's cell (read with the variable's type: `.i` for bool/int/enum/time/duration,
    /// `.r` for real); throws ("careflow.machine.out_of_range").
    [[nodiscard]] cell variable(handle c, var_index v) const;
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] const program& prog() const noexcept { return *p_; }
    /// Bytes of storage per case: one cell for the state and one per variable.
    [[nodiscard]] std::size_t bytes_per_case() const noexcept { return sizeof(std::uint32_t) + stride_ * sizeof(cell); }

private:
    // The program's candidates lowered for this path: for each (state, event) a span of
    // rows; each row with its guard, role test, target and every `set` it makes (exit,
    // transition and entry actions, in that order) in one list.
    struct row_span {
        std::uint32_t first = 0;
        std::uint32_t plain =
            none; ///< when the step is only "go to this leaf": its first span (no eventless steps either)
        std::uint16_t count = 0;
        std::uint16_t fields = 0; ///< the event's payload size (the column's)
    };
    struct assignment {
        var_index var;
        const expression* value;
    };
    struct lowered {
        enum class kind : std::uint8_t { none, one, general };
        kind guard_kind = kind::none; ///< one: `test` alone is the guard
        kind set_kind = kind::none;   ///< one: `value` into variable `var` is the only assignment
        var_index var = 0;
        fast_test test;
        fast_value value;
        const expression* guard = nullptr;
        std::uint64_t roles = 0;     ///< the actor needs one of these (0: anyone)
        std::uint32_t target = none; ///< the leaf entered, as its first span; none: internal
        std::uint16_t sets = 0;
        std::uint32_t first_set = 0;
    };

    static bool passes(const lowered& t, const eval_context& ctx) noexcept {
        if (t.guard_kind == lowered::kind::none) return true;
        if (t.guard_kind == lowered::kind::one) return t.test.run(ctx);
        return t.guard->evaluate(ctx).i != 0;
    }
    void apply(std::uint32_t& state, cell* vars, const lowered& t, const eval_context& ctx) const noexcept {
        if (t.set_kind == lowered::kind::one) {
            vars[t.var] = t.value.run(ctx);
        } else if (t.set_kind == lowered::kind::general) {
            for (const assignment *a = sets_.data() + t.first_set, *last = a + t.sets; a != last; ++a)
                vars[a->var] = a->value->evaluate(ctx);
        }
        if (t.target != none) state = t.target;
    }
    outcome step(std::uint32_t& state, cell* vars, const lowered& t, const eval_context& ctx);
    bool settle(std::uint32_t& state, cell* vars);

    std::shared_ptr<const program> p_;
    std::size_t stride_ = 0; ///< variable cells per case
    static constexpr std::uint32_t none = 0xFFFFFFFF;
    // A case's state is held as the index of its leaf's first span (leaf << shift_), so
    // that finding the span of (case, event) is one add: the step's critical path (load
    // the state, load the span, store the next state) stays three operations long. States
    // and variables are separate arrays: most steps touch only the 4-byte state.
    unsigned shift_ = 0; ///< a state's spans start at state << shift_ (events + 1 columns, rounded up)
    std::size_t events_ = 0;
    std::size_t size_ = 0;
    int eventless_limit_ = 64;
    bool has_eventless_ = false;
    std::vector<row_span> spans_;
    std::vector<lowered> rows_;
    std::vector<assignment> sets_;
    std::vector<std::uint32_t> states_; ///< per case: its leaf's first span
    std::vector<cell> vars_;            ///< per case: `stride_` variable cells
    std::vector<cell> saved_;           ///< the case's variables before a step with eventless transitions (rollback)
};

} // namespace careflow
