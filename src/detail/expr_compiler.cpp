// Type-checking and compiling expressions to typed postfix code, with the fast forms for guard chains and set values.
#include "expr_compiler.hpp"

#include <careflow/error.hpp>

#include <algorithm>
#include <optional>

namespace careflow::detail {
namespace {

/// The static type of a sub-expression.
struct info {
    value_type type{};
    const std::vector<std::string>* symbols = nullptr; // enumerations: the symbol list
    const std::string* literal = nullptr;              // a symbol constant not yet resolved
};

struct checker {
    const expr_scope& scope;
    expr_problem problem;

    bool fail(std::string id, std::string message) {
        if (problem.ok()) problem = {std::move(id), std::move(message)};
        return false;
    }

    std::optional<std::size_t> variable(const std::string& name) const {
        const auto& vs = *scope.variables;
        for (std::size_t i = 0; i < vs.size(); ++i)
            if (vs[i].name == name) return i;
        return std::nullopt;
    }
    std::optional<std::size_t> consent(const std::string& topic) const {
        if (!scope.consents) return std::nullopt;
        const auto& cs = *scope.consents;
        for (std::size_t i = 0; i < cs.size(); ++i)
            if (cs[i].topic == topic) return i;
        return std::nullopt;
    }
    std::optional<std::size_t> state(const std::string& name) const {
        if (!scope.states) return std::nullopt;
        const auto& ss = *scope.states;
        for (std::size_t i = 0; i < ss.size(); ++i)
            if (ss[i] == name) return i;
        return std::nullopt;
    }
    std::optional<std::size_t> field(const std::string& name) const {
        if (!scope.event) return std::nullopt;
        const auto& fs = scope.event->payload;
        for (std::size_t i = 0; i < fs.size(); ++i)
            if (fs[i].name == name) return i;
        return std::nullopt;
    }
    static std::uint16_t text_slot_of_variable(const std::vector<variable_decl>& vs, std::size_t i) {
        return static_cast<std::uint16_t>(
            std::count_if(vs.begin(), vs.begin() + static_cast<std::ptrdiff_t>(i),
                          [](const variable_decl& v) { return v.type == value_type::text; }));
    }
    std::uint16_t text_slot_of_field(std::size_t i) const {
        const auto& fs = scope.event->payload;
        return static_cast<std::uint16_t>(
            std::count_if(fs.begin(), fs.begin() + static_cast<std::ptrdiff_t>(i),
                          [](const field_decl& f) { return f.type == value_type::text; }));
    }

    static bool numeric(value_type t) { return t == value_type::integer || t == value_type::real; }

    // Type of a node; false (and `problem` set) on error.
    bool analyze(const expr& e, info& out) {
        const expr_node& n = *e.node();
        switch (n.op) {
        case expr_op::constant: {
            auto t = n.constant.type();
            if (!t) return fail("careflow.model.type_mismatch", "an empty constant has no type");
            out.type = *t;
            if (*t == value_type::enumeration) out.literal = &std::get<symbol>(n.constant.get()).name;
            return true;
        }
        case expr_op::variable: {
            auto i = variable(n.name);
            if (!i) return fail("careflow.model.unknown_variable", "unknown variable '" + n.name + "'");
            const auto& v = (*scope.variables)[*i];
            out.type = v.type;
            out.symbols = &v.symbols;
            return true;
        }
        case expr_op::field: {
            if (!scope.event)
                return fail("careflow.model.unknown_field",
                            "field '" + n.name + "' used where no event payload is in scope");
            auto i = field(n.name);
            if (!i)
                return fail("careflow.model.unknown_field",
                            "event '" + scope.event->name + "' has no payload field '" + n.name + "'");
            const auto& f = scope.event->payload[*i];
            out.type = f.type;
            out.symbols = &f.symbols;
            return true;
        }
        case expr_op::local_day:
        case expr_op::close_of_day:
        case expr_op::plus_days:
        case expr_op::plus_months:
        case expr_op::working_day: {
            info a, b;
            if (n.name.empty())
                return fail("careflow.model.type_mismatch",
                            "a date operation needs a calendar name in '" + e.to_string() + "'");
            if (!analyze(n.lhs, a)) return false;
            if (a.type != value_type::time)
                return fail("careflow.model.type_mismatch", "a date operation takes a time, not " +
                                                                std::string(to_string(a.type)) + ", in '" +
                                                                e.to_string() + "'");
            if (n.op != expr_op::local_day && n.op != expr_op::close_of_day) {
                if (!analyze(n.rhs, b)) return false;
                if (b.type != value_type::integer)
                    return fail("careflow.model.type_mismatch",
                                "a count of days or months must be an integer in '" + e.to_string() + "'");
            }
            out.type = value_type::time;
            return true;
        }
        case expr_op::now: out.type = value_type::time; return true;
        case expr_op::actor: out.type = value_type::text; return true;
        case expr_op::consent:
            if (!consent(n.name))
                return fail("careflow.model.unknown_consent",
                            "consent topic '" + n.name + "' is not declared (procedure_builder::consent)");
            out.type = value_type::boolean;
            return true;
        case expr_op::in_state:
            if (!state(n.name))
                return fail("careflow.model.unknown_state", "In('" + n.name + "') names no state of the procedure");
            out.type = value_type::boolean;
            return true;
        case expr_op::event_name: out.type = value_type::text; return true;
        case expr_op::mul:
        case expr_op::div:
        case expr_op::mod: {
            info a, b;
            if (!analyze(n.lhs, a) || !analyze(n.rhs, b)) return false;
            using vt = value_type;
            const vt x = a.type, y = b.type;
            if (x == vt::integer && y == vt::integer)
                out.type = vt::integer;
            else if (numeric(x) && numeric(y))
                out.type = vt::real;
            else if (n.op == expr_op::mul &&
                     ((x == vt::duration && y == vt::integer) || (x == vt::integer && y == vt::duration)))
                out.type = vt::duration;
            else if (n.op == expr_op::div && x == vt::duration && y == vt::integer)
                out.type = vt::duration;
            else if (n.op == expr_op::div && x == vt::duration && y == vt::duration)
                out.type = vt::integer;
            else if (n.op == expr_op::mod && x == vt::duration && y == vt::duration)
                out.type = vt::duration;
            else
                return fail("careflow.model.type_mismatch",
                            "cannot " +
                                std::string(n.op == expr_op::mul   ? "multiply "
                                            : n.op == expr_op::div ? "divide "
                                                                   : "take the remainder of ") +
                                std::string(to_string(x)) + " by " + std::string(to_string(y)) + " in '" +
                                e.to_string() + "'");
            return true;
        }
        case expr_op::add:
        case expr_op::sub: {
            info a, b;
            if (!analyze(n.lhs, a) || !analyze(n.rhs, b)) return false;
            const bool add = n.op == expr_op::add;
            using vt = value_type;
            if (a.type == vt::integer && b.type == vt::integer)
                out.type = vt::integer;
            else if (numeric(a.type) && numeric(b.type))
                out.type = vt::real;
            else if (a.type == vt::time && b.type == vt::duration)
                out.type = vt::time;
            else if (add && a.type == vt::duration && b.type == vt::time)
                out.type = vt::time;
            else if (!add && a.type == vt::time && b.type == vt::time)
                out.type = vt::duration;
            else if (a.type == vt::duration && b.type == vt::duration)
                out.type = vt::duration;
            else
                return fail("careflow.model.type_mismatch",
                            "cannot " + std::string(add ? "add " : "subtract ") + std::string(to_string(b.type)) +
                                (add ? " to " : " from ") + std::string(to_string(a.type)) + " in '" + e.to_string() +
                                "'");
            return true;
        }
        case expr_op::eq:
        case expr_op::ne:
        case expr_op::lt:
        case expr_op::le:
        case expr_op::gt:
        case expr_op::ge: {
            info a, b;
            if (!analyze(n.lhs, a) || !analyze(n.rhs, b)) return false;
            if (!comparable(a, b, n.op == expr_op::eq || n.op == expr_op::ne, e)) return false;
            out.type = value_type::boolean;
            return true;
        }
        case expr_op::and_:
        case expr_op::or_:
        case expr_op::not_: {
            info a, b;
            if (!analyze(n.lhs, a)) return false;
            if (n.op != expr_op::not_ && !analyze(n.rhs, b)) return false;
            if (a.type != value_type::boolean || (n.op != expr_op::not_ && b.type != value_type::boolean))
                return fail("careflow.model.type_mismatch",
                            "logical operands must be boolean in '" + e.to_string() + "'");
            out.type = value_type::boolean;
            return true;
        }
        }
        return fail("careflow.model.type_mismatch", "malformed expression");
    }

    bool comparable(const info& a, const info& b, bool equality, const expr& e) {
        using vt = value_type;
        if (numeric(a.type) && numeric(b.type)) return true;
        if (a.type != b.type)
            return fail("careflow.model.type_mismatch", "cannot compare " + std::string(to_string(a.type)) + " with " +
                                                            std::string(to_string(b.type)) + " in '" + e.to_string() +
                                                            "'");
        if (a.type == vt::boolean && !equality)
            return fail("careflow.model.type_mismatch",
                        "booleans only compare for equality in '" + e.to_string() + "'");
        if (a.type == vt::enumeration) {
            if (a.literal && b.literal)
                return fail("careflow.model.type_mismatch", "two symbol constants compared in '" + e.to_string() + "'");
            const info& var = a.literal ? b : a;
            const info& other = a.literal ? a : b;
            if (other.literal) {
                if (std::find(var.symbols->begin(), var.symbols->end(), *other.literal) == var.symbols->end())
                    return fail("careflow.model.unknown_symbol", "symbol '" + *other.literal +
                                                                     "' is not one of the enumeration's in '" +
                                                                     e.to_string() + "'");
            } else if (*var.symbols != *other.symbols) {
                return fail("careflow.model.type_mismatch",
                            "enumerations with different symbols compared in '" + e.to_string() + "'");
            }
        }
        return true;
    }

    static std::optional<comparison> comparison_of(expr_op op, bool flipped) {
        switch (op) {
        case expr_op::eq: return comparison::eq;
        case expr_op::ne: return comparison::ne;
        case expr_op::lt: return flipped ? comparison::gt : comparison::lt;
        case expr_op::le: return flipped ? comparison::ge : comparison::le;
        case expr_op::gt: return flipped ? comparison::lt : comparison::gt;
        case expr_op::ge: return flipped ? comparison::le : comparison::ge;
        default: return std::nullopt;
        }
    }

    // "variable/field <cmp> constant" (either way round) as one fused instruction.
    bool fused(const expr_node& n, const info& a, const info& b, expression& out) {
        auto in = fusable(n, a, b);
        if (in) out.code.push_back(*in);
        return in.has_value();
    }

    // A boolean leaf as a fused test: `x <cmp> constant`, a bare boolean `x`, or `!x`.
    std::optional<instruction> test_of(const expr& e) {
        const expr_node& n = *e.node();
        auto boolean_operand = [&](const expr& x) -> std::optional<std::uint16_t> {
            const auto op = x.node()->op;
            info i;
            if ((op != expr_op::variable && op != expr_op::field) || !analyze(x, i) || i.type != value_type::boolean)
                return std::nullopt;
            return static_cast<std::uint16_t>(op == expr_op::variable ? *variable(x.node()->name)
                                                                      : *field(x.node()->name));
        };
        if (n.op == expr_op::variable || n.op == expr_op::field || n.op == expr_op::not_) {
            const expr& x = n.op == expr_op::not_ ? n.lhs : e;
            const auto slot = boolean_operand(x);
            if (!slot) return std::nullopt;
            const opcode op = x.node()->op == expr_op::variable ? opcode::test_var_i : opcode::test_field_i;
            return instruction{op, n.op == expr_op::not_ ? comparison::eq : comparison::ne, *slot, cell{0}};
        }
        if (!comparison_of(n.op, false)) return std::nullopt;
        info a, b;
        if (!analyze(n.lhs, a) || !analyze(n.rhs, b)) return std::nullopt;
        return fusable(n, a, b);
    }

    // Collect the leaves of an &&/|| chain (all the same operator) as fast tests.
    bool chain(const expr& e, expr_op op, std::vector<fast_test>& out) {
        if (e.node()->op == op) return chain(e.node()->lhs, op, out) && chain(e.node()->rhs, op, out);
        const auto in = test_of(e);
        if (!in) return false;
        const bool field = in->op == opcode::test_field_i || in->op == opcode::test_field_r;
        const bool real = in->op == opcode::test_var_r || in->op == opcode::test_field_r;
        out.push_back({in->arg, field, real, mask_of(in->cmp), in->imm});
        return true;
    }

    std::optional<instruction> fusable(const expr_node& n, const info& a, const info& b) {
        const bool left_operand = n.rhs.node()->op == expr_op::constant &&
                                  (n.lhs.node()->op == expr_op::variable || n.lhs.node()->op == expr_op::field);
        const bool right_operand = n.lhs.node()->op == expr_op::constant &&
                                   (n.rhs.node()->op == expr_op::variable || n.rhs.node()->op == expr_op::field);
        if (!left_operand && !right_operand) return std::nullopt;
        const auto cmp = comparison_of(n.op, right_operand);
        if (!cmp) return std::nullopt;
        const expr& operand = left_operand ? n.lhs : n.rhs;
        const expr& constant = left_operand ? n.rhs : n.lhs;
        const info& ot = left_operand ? a : b;
        const info& ct = left_operand ? b : a;
        if (ot.type == value_type::text || (ot.type == value_type::integer && ct.type == value_type::real))
            return std::nullopt;
        static const std::vector<std::string> none;
        cell imm{};
        if (!to_cell(constant.node()->constant, ot.type, ot.symbols ? *ot.symbols : none, imm)) return std::nullopt;
        const bool real = ot.type == value_type::real;
        const bool is_var = operand.node()->op == expr_op::variable;
        std::uint16_t slot = 0;
        if (is_var)
            slot = static_cast<std::uint16_t>(*variable(operand.node()->name));
        else
            slot = static_cast<std::uint16_t>(*field(operand.node()->name));
        const opcode op = is_var ? (real ? opcode::test_var_r : opcode::test_var_i)
                                 : (real ? opcode::test_field_r : opcode::test_field_i);
        return instruction{op, *cmp, slot, imm};
    }

    // Emit code; `symbols` resolves a symbol constant compared with an enumeration.
    void emit(const expr& e, expression& out, const std::vector<std::string>* symbols) {
        const expr_node& n = *e.node();
        auto push = [&](opcode op, std::uint16_t arg = 0, cell imm = {}) {
            out.code.push_back({op, comparison::eq, arg, imm});
        };
        switch (n.op) {
        case expr_op::constant: {
            const value_type t = *n.constant.type();
            if (t == value_type::text) {
                out.text_constants.push_back(std::get<std::string>(n.constant.get()));
                push(opcode::push_text_const, static_cast<std::uint16_t>(out.text_constants.size() - 1));
            } else {
                static const std::vector<std::string> none;
                cell c{};
                to_cell(n.constant, t, symbols ? *symbols : none, c);
                push(opcode::push_const, 0, c);
            }
            return;
        }
        case expr_op::variable: {
            const std::size_t i = *variable(n.name);
            if ((*scope.variables)[i].type == value_type::text)
                push(opcode::push_text_var, text_slot_of_variable(*scope.variables, i));
            else
                push(opcode::push_var, static_cast<std::uint16_t>(i));
            return;
        }
        case expr_op::field: {
            const std::size_t i = *field(n.name);
            if (scope.event->payload[i].type == value_type::text)
                push(opcode::push_text_field, text_slot_of_field(i));
            else
                push(opcode::push_field, static_cast<std::uint16_t>(i));
            return;
        }
        case expr_op::now: push(opcode::push_now); return;
        case expr_op::actor: push(opcode::push_actor); return;
        case expr_op::consent: push(opcode::push_consent, static_cast<std::uint16_t>(*consent(n.name))); return;
        case expr_op::in_state: push(opcode::push_in_state, static_cast<std::uint16_t>(*state(n.name))); return;
        case expr_op::event_name: push(opcode::push_event_name); return;
        case expr_op::local_day:
        case expr_op::close_of_day:
        case expr_op::plus_days:
        case expr_op::plus_months:
        case expr_op::working_day: {
            std::uint16_t cal = 0;
            if (scope.calendars) {
                auto& cs = *scope.calendars;
                auto it = std::find(cs.begin(), cs.end(), n.name);
                if (it == cs.end()) it = cs.insert(cs.end(), n.name);
                cal = static_cast<std::uint16_t>(it - cs.begin());
            }
            emit(n.lhs, out, nullptr);
            if (n.op == expr_op::local_day || n.op == expr_op::close_of_day) {
                push(n.op == expr_op::local_day ? opcode::local_day : opcode::close_of_day, cal);
                return;
            }
            emit(n.rhs, out, nullptr);
            push(n.op == expr_op::plus_days     ? opcode::plus_days
                 : n.op == expr_op::plus_months ? opcode::plus_months
                                                : opcode::working_day,
                 cal);
            return;
        }
        default: break;
        }
        info a, b;
        analyze(n.lhs, a);
        if (n.op == expr_op::not_) {
            emit(n.lhs, out, nullptr);
            push(opcode::not_);
            return;
        }
        if (n.op == expr_op::and_ || n.op == expr_op::or_) {
            // Short-circuit: the right side runs only when the left does not decide.
            emit(n.lhs, out, nullptr);
            const std::size_t jump = out.code.size();
            push(n.op == expr_op::and_ ? opcode::jump_if_false : opcode::jump_if_true);
            emit(n.rhs, out, nullptr);
            out.code[jump].arg = static_cast<std::uint16_t>(out.code.size());
            return;
        }
        analyze(n.rhs, b);
        if (fused(n, a, b, out)) return;
        const std::vector<std::string>* syms = a.literal ? b.symbols : a.symbols;
        emit(n.lhs, out, syms);
        emit(n.rhs, out, syms);
        const bool real =
            (a.type == value_type::real || b.type == value_type::real) && numeric(a.type) && numeric(b.type);
        if (real && a.type == value_type::integer) push(opcode::to_real_below);
        if (real && b.type == value_type::integer) push(opcode::to_real);
        const bool text = a.type == value_type::text;
        auto pick = [&](opcode i, opcode r, opcode s) { return text ? s : real ? r : i; };
        switch (n.op) {
        case expr_op::add: push(real ? opcode::add_r : opcode::add_i); break;
        case expr_op::sub: push(real ? opcode::sub_r : opcode::sub_i); break;
        case expr_op::mul: push(real ? opcode::mul_r : opcode::mul_i); break;
        case expr_op::div: push(real ? opcode::div_r : opcode::div_i); break;
        case expr_op::mod: push(real ? opcode::mod_r : opcode::mod_i); break;
        case expr_op::eq: push(pick(opcode::eq_i, opcode::eq_r, opcode::eq_s)); break;
        case expr_op::ne: push(pick(opcode::ne_i, opcode::ne_r, opcode::ne_s)); break;
        case expr_op::lt: push(pick(opcode::lt_i, opcode::lt_r, opcode::lt_s)); break;
        case expr_op::le: push(pick(opcode::le_i, opcode::le_r, opcode::le_s)); break;
        case expr_op::gt: push(pick(opcode::gt_i, opcode::gt_r, opcode::gt_s)); break;
        case expr_op::ge: push(pick(opcode::ge_i, opcode::ge_r, opcode::ge_s)); break;
        default: break;
        }
    }
};

std::size_t stack_depth(const std::vector<instruction>& code) {
    std::size_t n = 0, deepest = 0;
    for (const auto& in : code) {
        switch (in.op) {
        case opcode::push_const:
        case opcode::push_text_const:
        case opcode::push_var:
        case opcode::push_text_var:
        case opcode::push_field:
        case opcode::push_text_field:
        case opcode::push_now:
        case opcode::push_actor:
        case opcode::push_consent:
        case opcode::push_in_state:
        case opcode::push_event_name:
        case opcode::test_var_i:
        case opcode::test_var_r:
        case opcode::test_field_i:
        case opcode::test_field_r: ++n; break;
        case opcode::to_real:
        case opcode::to_real_below:
        case opcode::local_day:
        case opcode::close_of_day:
        case opcode::not_: break;
        default: --n; break;
        }
        deepest = std::max(deepest, n);
    }
    return deepest;
}

} // namespace

void lower_value(expression& x) {
    if (x.type == value_type::text || x.form != expression_form::code) return;
    const auto& k = x.code;
    auto operand = [](const instruction& in, fast_value& v) {
        if (in.op == opcode::push_var)
            v.from = fast_value::source::variable;
        else if (in.op == opcode::push_field)
            v.from = fast_value::source::field;
        else
            return false;
        v.slot = in.arg;
        return true;
    };
    fast_value v;
    if (k.size() == 1 && k[0].op == opcode::push_const) {
        v.imm = k[0].imm;
    } else if (k.size() == 1 && operand(k[0], v)) {
        v.imm.i = 0;
    } else if (k.size() == 3 && operand(k[0], v) && k[1].op == opcode::push_const &&
               (k[2].op == opcode::add_i || k[2].op == opcode::sub_i)) {
        const auto c = static_cast<std::uint64_t>(k[1].imm.i);
        v.imm.i = static_cast<std::int64_t>(k[2].op == opcode::add_i ? c : 0 - c);
    } else {
        return;
    }
    x.form = expression_form::value;
    x.simple = v;
}

expr_problem compile_expression(const expr& e, const expr_scope& scope, expression& out) {
    checker c{scope, {}};
    info i;
    if (e.empty()) return {"careflow.model.type_mismatch", "empty expression"};
    if (!c.analyze(e, i)) return c.problem;
    if (i.literal)
        return {"careflow.model.type_mismatch", "a bare symbol '" + *i.literal + "' has no enumeration to belong to"};
    expression code;
    c.emit(e, code, nullptr);
    if (stack_depth(code.code) > expression::max_stack)
        return {"careflow.model.expression_too_deep", "expression '" + e.to_string() + "' nests too deeply"};
    code.type = i.type;
    code.source = e.to_string();
    if (i.type == value_type::boolean) {
        const expr_op op = e.node()->op == expr_op::or_ ? expr_op::or_ : expr_op::and_;
        std::vector<fast_test> tests;
        if (c.chain(e, op, tests)) {
            code.form = op == expr_op::or_ ? expression_form::any_of : expression_form::all_of;
            code.tests = std::move(tests);
        }
    }
    out = std::move(code);
    return {};
}

} // namespace careflow::detail
