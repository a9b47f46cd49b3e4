// Building expression trees, comparing them, and rendering them in the rule language
// (the inverse of parse_rule in rule_parser.cpp: render → parse gives the same tree).
#include "../detail/rule_syntax.hpp"
#include <careflow/model/expression.hpp>

#include <boost/date_time/posix_time/posix_time.hpp>
#include <fmt/format.h>

#include <cmath>

namespace careflow {

expr expr::make(expr_op op, expr lhs, expr rhs) {
    auto n = std::make_shared<expr_node>();
    n->op = op;
    n->lhs = std::move(lhs);
    n->rhs = std::move(rhs);
    expr e;
    e.node_ = std::move(n);
    return e;
}

expr expr::make_named(expr_op op, std::string name) {
    auto n = std::make_shared<expr_node>();
    n->op = op;
    n->name = std::move(name);
    expr e;
    e.node_ = std::move(n);
    return e;
}

expr expr::make_constant(value v) {
    auto n = std::make_shared<expr_node>();
    n->op = expr_op::constant;
    n->constant = std::move(v);
    expr e;
    e.node_ = std::move(n);
    return e;
}

expr expr::make_dated(expr_op op, std::string calendar, expr t, expr n) {
    auto node = std::make_shared<expr_node>();
    node->op = op;
    node->name = std::move(calendar);
    node->lhs = std::move(t);
    node->rhs = std::move(n);
    expr e;
    e.node_ = std::move(node);
    return e;
}

bool expr::same_as(const expr& other) const noexcept {
    if (empty() || other.empty()) return empty() == other.empty();
    const expr_node& a = *node_;
    const expr_node& b = *other.node_;
    if (&a == &b) return true;
    return a.op == b.op && a.name == b.name && a.constant == b.constant && a.lhs.same_as(b.lhs) && a.rhs.same_as(b.rhs);
}

namespace detail {

bool rule_identifier(std::string_view s) noexcept {
    if (s.empty()) return false;
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!letter(s[0])) return false;
    for (char c : s)
        if (!letter(c) && !(c >= '0' && c <= '9')) return false;
    return true;
}

bool rule_keyword(std::string_view s) noexcept {
    return s == "true" || s == "false" || s == "now" || s == "actor" || s == "_event";
}

std::string rule_quote(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '\'';
    for (const char c : s) {
        switch (c) {
        case '\'': out += "\\'"; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
            else
                out += c;
        }
    }
    out += '\'';
    return out;
}

std::string rule_constant(const value& v) {
    struct visitor {
        std::string operator()(std::monostate) const { return "(empty)"; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double r) const {
            if (std::isinf(r)) return r > 0 ? "1e999" : "-1e999";
            std::string s = fmt::format("{}", r); // shortest form that reads back exactly
            if (s.find_first_of(".en") == std::string::npos) s += ".0";
            return s;
        }
        std::string operator()(const std::string& s) const { return rule_quote(s); }
        std::string operator()(const time_point& t) const {
            return "time(" + rule_quote(boost::posix_time::to_iso_extended_string(t)) + ")";
        }
        std::string operator()(const duration&) const { return {}; }
        std::string operator()(const symbol& s) const {
            return rule_identifier(s.name) ? "#" + s.name : "symbol(" + rule_quote(s.name) + ")";
        }
    };
    if (v.type() == value_type::duration) return v.to_string();
    return std::visit(visitor{}, v.get());
}

} // namespace detail

namespace {

int precedence(expr_op op) {
    switch (op) {
    case expr_op::or_: return 1;
    case expr_op::and_: return 2;
    case expr_op::eq:
    case expr_op::ne:
    case expr_op::lt:
    case expr_op::le:
    case expr_op::gt:
    case expr_op::ge: return 3;
    case expr_op::add:
    case expr_op::sub: return 4;
    case expr_op::mul:
    case expr_op::div:
    case expr_op::mod: return 5;
    case expr_op::not_: return 6;
    default: return 7;
    }
}

const char* symbol_of(expr_op op) {
    switch (op) {
    case expr_op::add: return "+";
    case expr_op::sub: return "-";
    case expr_op::mul: return "*";
    case expr_op::div: return "/";
    case expr_op::mod: return "%";
    case expr_op::eq: return "==";
    case expr_op::ne: return "!=";
    case expr_op::lt: return "<";
    case expr_op::le: return "<=";
    case expr_op::gt: return ">";
    case expr_op::ge: return ">=";
    case expr_op::and_: return "&&";
    case expr_op::or_: return "||";
    default: return "?";
    }
}

std::string render(const expr& e, int parent, bool right) {
    using detail::rule_quote;
    if (e.empty()) return "";
    const expr_node& n = *e.node();
    switch (n.op) {
    case expr_op::constant: return detail::rule_constant(n.constant);
    case expr_op::variable:
        return detail::rule_identifier(n.name) && !detail::rule_keyword(n.name) ? n.name
                                                                                : "var(" + rule_quote(n.name) + ")";
    case expr_op::field: return detail::rule_identifier(n.name) ? "$" + n.name : "field(" + rule_quote(n.name) + ")";
    case expr_op::now: return "now";
    case expr_op::actor: return "actor";
    case expr_op::event_name: return "_event.name";
    case expr_op::consent: return "consent(" + rule_quote(n.name) + ")";
    case expr_op::in_state: return "In(" + rule_quote(n.name) + ")";
    case expr_op::not_: return "!" + render(n.lhs, precedence(n.op), false);
    case expr_op::local_day: return "local_day(" + render(n.lhs, 0, false) + ", " + rule_quote(n.name) + ")";
    case expr_op::close_of_day: return "close_of_day(" + render(n.lhs, 0, false) + ", " + rule_quote(n.name) + ")";
    case expr_op::plus_days:
    case expr_op::plus_months:
    case expr_op::working_day: {
        const char* f = n.op == expr_op::plus_days     ? "plus_days"
                        : n.op == expr_op::plus_months ? "plus_months"
                                                       : "working_day";
        return std::string(f) + "(" + render(n.lhs, 0, false) + ", " + render(n.rhs, 0, false) + ", " +
               rule_quote(n.name) + ")";
    }
    default: break;
    }
    const int p = precedence(n.op);
    std::string s = render(n.lhs, p, false) + " " + symbol_of(n.op) + " " + render(n.rhs, p, true);
    // Left-associative: a right operand of equal precedence needs parentheses.
    if (p < parent || (right && p == parent)) s = "(" + s + ")";
    return s;
}

} // namespace

std::string expr::to_string() const { return render(*this, 0, false); }

} // namespace careflow
