// The lean path (see careflow/runtime/machine.hpp): what a machine refuses, and the
// steps that have actions or eventless transitions.
#include <careflow/error.hpp>
#include <careflow/runtime/machine.hpp>

#include <algorithm>
#include <string>

namespace careflow {

namespace {

[[noreturn]] void unsupported(const program& p, const std::string& what) {
    throw error("careflow.machine.unsupported",
                "procedure '" + p.name() + "' uses " + what +
                    ", which needs an engine (a machine has no clock, people or journal)");
}

bool reads_outside_cells(const expression& x) {
    for (const instruction& in : x.code) {
        switch (in.op) {
        case opcode::push_now:
        case opcode::push_actor:
        case opcode::push_consent:    // a machine has no clients
        case opcode::push_in_state:   // nor a configuration bitset per state
        case opcode::push_event_name: // nor event names
        case opcode::push_text_const:
        case opcode::push_text_var:
        case opcode::push_text_field:
        case opcode::eq_s:
        case opcode::ne_s:
        case opcode::lt_s:
        case opcode::le_s:
        case opcode::gt_s:
        case opcode::ge_s:
        case opcode::local_day: // date operations need the engine's calendars
        case opcode::close_of_day:
        case opcode::plus_days:
        case opcode::plus_months:
        case opcode::working_day: return true;
        default: break;
        }
    }
    return false;
}

} // namespace

machine::machine(std::shared_ptr<const program> p, int eventless_limit)
    : p_(std::move(p)), eventless_limit_(eventless_limit) {
    if (!p_) throw error("careflow.machine.null_program", "a machine needs a compiled program");
    const program& pr = *p_;
    if (!pr.timers().empty()) unsupported(pr, "timer '" + pr.timers()[0].name + "'");
    if (!pr.slas().empty()) unsupported(pr, "SLA clock '" + pr.slas()[0].name + "'");
    if (pr.text_count() != 0) unsupported(pr, "text variables");
    for (const auto& e : pr.events())
        if (e.payload_texts != 0) unsupported(pr, "text payload fields (event '" + e.name + "')");
    for (const auto& g : pr.guards())
        if (g.expression == no_index) unsupported(pr, "the host guard [" + g.label + "]");
    for (const auto& x : pr.expressions())
        if (reads_outside_cells(x))
            unsupported(pr, "the expression '" + x.source +
                                "' (it reads text, the time, the actor, a consent, In() or _event.name)");
    for (const auto& a : pr.actions()) {
        switch (a.kind) {
        case action_kind::set: break;
        case action_kind::call: unsupported(pr, "the host action '" + a.name + "'");
        case action_kind::assign:
        case action_kind::unassign: unsupported(pr, "duties (an assign action)");
        case action_kind::spawn: unsupported(pr, "a spawn of '" + a.name + "'");
        case action_kind::notify: unsupported(pr, "a notification ('" + a.name + "')");
        }
    }
    events_ = pr.events().size();
    while ((std::size_t{1} << shift_) < events_ + 1) ++shift_;
    const std::size_t columns = std::size_t{1} << shift_;
    stride_ = pr.variables().size();
    // Lower every (leaf, event) candidate list; final states keep none (a finished case ignores all).
    auto add_sets = [&](index_range actions, lowered& row) {
        for (const auto& a : pr.actions(actions)) {
            sets_.push_back({a.target, &pr.expressions()[a.value]});
            ++row.sets;
        }
    };
    spans_.resize(pr.states().size() * columns);
    for (state_index s = 0; s < pr.states().size(); ++s) {
        for (std::size_t e = 0; e < events_; ++e)
            spans_[s * columns + e].fields = static_cast<std::uint16_t>(pr.events()[e].payload.size());
        if (pr.states()[s].is_final) continue;
        for (std::size_t e = 0; e <= events_; ++e) {
            const auto candidates = pr.candidates(s, static_cast<event_index>(e));
            row_span& sp = spans_[s * columns + e];
            sp.first = static_cast<std::uint32_t>(rows_.size());
            sp.count = static_cast<std::uint16_t>(candidates.size());
            if (e == events_ && !candidates.empty()) has_eventless_ = true;
            for (const auto& t : candidates) {
                if (t.duty != no_index) unsupported(pr, "a duty check (transition #" + std::to_string(t.decl) + ")");
                lowered row;
                if (t.guard != no_index) row.guard = &pr.expressions()[pr.guards()[t.guard].expression];
                row.roles = t.roles;
                row.target = t.target == no_index ? none : std::uint32_t{t.target} << shift_;
                row.first_set = static_cast<std::uint32_t>(sets_.size());
                for (state_index x : pr.sequence(t.exits)) add_sets(pr.states()[x].exit_actions, row);
                add_sets(t.actions, row);
                for (state_index x : pr.sequence(t.entries)) add_sets(pr.states()[x].entry_actions, row);
                if (row.guard) {
                    const bool single = row.guard->form != expression_form::code && row.guard->tests.size() == 1;
                    row.guard_kind = single ? lowered::kind::one : lowered::kind::general;
                    if (single) row.test = row.guard->tests[0];
                }
                if (row.sets == 1 && sets_.back().value->form == expression_form::value) {
                    row.set_kind = lowered::kind::one;
                    row.var = sets_.back().var;
                    row.value = sets_.back().value->simple;
                } else if (row.sets != 0) {
                    row.set_kind = lowered::kind::general;
                }
                rows_.push_back(row);
            }
        }
    }
    if (has_eventless_) return; // every step must then look for eventless transitions
    for (state_index s = 0; s < pr.states().size(); ++s)
        for (std::size_t e = 0; e < events_; ++e) {
            row_span& sp = spans_[s * columns + e];
            const lowered* t = rows_.data() + sp.first;
            if (sp.count == 1 && t->guard_kind == lowered::kind::none && t->roles == 0 &&
                t->set_kind == lowered::kind::none)
                sp.plain = t->target == none ? std::uint32_t{s} << shift_ : t->target;
        }
}

void machine::reserve(std::size_t n) {
    states_.reserve(n);
    vars_.reserve(n * stride_);
}

machine::handle machine::add() {
    const program& pr = *p_;
    const std::size_t base = vars_.size();
    for (const auto& v : pr.variables()) vars_.push_back(v.initial);
    cell* vars = vars_.data() + base;
    const eval_context ctx{vars, nullptr, nullptr, nullptr, 0, nullptr};
    for (state_index s : pr.initial_entries())
        for (const auto& a : pr.actions(pr.states()[s].entry_actions))
            vars[a.target] = pr.expressions()[a.value].evaluate(ctx);
    std::uint32_t state = std::uint32_t{pr.initial_leaf()} << shift_;
    if (!settle(state, vars)) {
        vars_.resize(base);
        throw error("careflow.machine.eventless_loop", "more than " + std::to_string(eventless_limit_) +
                                                           " eventless steps from the initial state of '" + pr.name() +
                                                           "'");
    }
    states_.push_back(state);
    return static_cast<handle>(size_++);
}

namespace {
[[noreturn]] void out_of_range(std::string what) { throw error("careflow.machine.out_of_range", what); }
} // namespace

state_index machine::state(handle c) const {
    if (c >= size_) out_of_range("no case " + std::to_string(c));
    return static_cast<state_index>(states_[c] >> shift_);
}

bool machine::finished(handle c) const { return p_->states()[state(c)].is_final; }

cell machine::variable(handle c, var_index v) const {
    if (c >= size_) out_of_range("no case " + std::to_string(c));
    if (v >= stride_) out_of_range("procedure '" + p_->name() + "' has no variable #" + std::to_string(v));
    return vars_[static_cast<std::size_t>(c) * stride_ + v];
}

bool machine::settle(std::uint32_t& state, cell* vars) {
    const eval_context ctx{vars, nullptr, nullptr, nullptr, 0, nullptr}; // eventless: no payload
    for (int steps = 0;; ++steps) {
        const row_span r = spans_[static_cast<std::size_t>(state) + events_];
        const lowered* chosen = nullptr;
        for (std::uint32_t i = 0; i < r.count && !chosen; ++i) {
            const lowered& t = rows_[r.first + i];
            if (passes(t, ctx)) chosen = &t;
        }
        if (!chosen) return true;
        if (steps >= eventless_limit_) return false;
        apply(state, vars, *chosen, ctx);
    }
}

outcome machine::step(std::uint32_t& state, cell* vars, const lowered& t, const eval_context& ctx) {
    saved_.assign(vars, vars + stride_);
    std::uint32_t next = state;
    apply(next, vars, t, ctx);
    if (!settle(next, vars)) {
        std::copy(saved_.begin(), saved_.end(), vars); // all or nothing
        return outcome::error;
    }
    state = next;
    return outcome::applied;
}

} // namespace careflow
