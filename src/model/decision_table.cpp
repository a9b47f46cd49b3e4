// Decision tables: compiling unary tests and literals into flat interval tables, the
// allocation-free match under each hit policy, and decide() for named inputs.
#include "../detail/cells.hpp"
#include "../detail/expr_compiler.hpp"
#include <careflow/error.hpp>
#include <careflow/model/decision.hpp>
#include <careflow/model/rule_text.hpp>
#include <careflow/program/context.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>

namespace careflow {

std::string to_string(hit_policy p, aggregation a) {
    switch (p) {
    case hit_policy::unique: return "U";
    case hit_policy::any: return "A";
    case hit_policy::first: return "F";
    case hit_policy::priority: return "P";
    case hit_policy::rule_order: return "R";
    case hit_policy::output_order: return "O";
    case hit_policy::collect:
        switch (a) {
        case aggregation::none: return "C";
        case aggregation::sum: return "C+";
        case aggregation::count: return "C#";
        case aggregation::min: return "C<";
        case aggregation::max: return "C>";
        }
    }
    return "?";
}

namespace {

[[noreturn]] void bad_table(const decision_table_decl& d, const std::string& where, const std::string& what) {
    throw error("careflow.decision.bad_table", "decision '" + d.name + "' " + where + ": " + what);
}

bool numeric(value_type t) { return t == value_type::integer || t == value_type::real; }

// Top-level pieces of `s` split at `sep`, outside quotes, brackets and parentheses.
std::vector<std::string> split_top(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    int depth = 0;
    char quote = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quote) {
            cur += c;
            if (c == '\\' && i + 1 < s.size())
                cur += s[++i];
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '"' || c == '\'') quote = c;
        if (c == '(' || c == '[') ++depth;
        if (c == ')' || (c == ']' && depth > 0)) --depth;
        if (c == sep && depth == 0) {
            out.push_back(cur);
            cur.clear();
            continue;
        }
        cur += c;
    }
    out.push_back(cur);
    return out;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

} // namespace

struct decision_compiler {
    const decision_table_decl& d;
    decision_table& t;

    // A literal of column type `type`, as a cell (text: an index into `texts`).
    cell literal(const std::string& text, value_type type, const std::string& where, std::vector<std::string>& texts) {
        expr e;
        try {
            e = parse_rule(text);
        } catch (const rule_error& x) {
            if (x.id() == "careflow.rules.unknown_function")
                bad_table(d, where, "'" + text + "' is not a literal (FEEL functions are not supported)");
            bad_table(d, where, "'" + text + "' does not read: " + x.detail());
        }
        const expr_node& n = *e.node();
        if (n.op != expr_op::constant)
            bad_table(d, where,
                      "'" + text + "' is not a literal (FEEL beyond unary tests and literals is not supported)");
        const value_type got = *n.constant.type();
        if (!(got == type || (type == value_type::real && got == value_type::integer)))
            bad_table(d, where,
                      "'" + text + "' is " + std::string(to_string(got)) + ", the column is " +
                          std::string(to_string(type)));
        cell c{};
        if (type == value_type::text) {
            texts.push_back(std::get<std::string>(n.constant.get()));
            c.i = static_cast<std::int64_t>(texts.size() - 1);
        } else {
            detail::to_cell(n.constant, type, {}, c);
        }
        return c;
    }

    // One unary test (no commas at the top level) as intervals.
    void unary(std::string s, value_type type, const std::string& where, std::vector<decision_table::interval>& out) {
        s = trim(s);
        decision_table::interval iv;
        auto point = [&](const std::string& lit) {
            iv.lo.v = iv.hi.v = literal(lit, type, where, t.texts_);
            iv.lo.infinite = iv.hi.infinite = false;
        };
        if (s.empty()) bad_table(d, where, "an empty unary test");
        const char first = s[0];
        if ((first == '[' || first == '(' || first == ']') && s.find("..") != std::string::npos) {
            const char last = s.back();
            if (last != ']' && last != ')' && last != '[') bad_table(d, where, "range '" + s + "' is not closed");
            if (type == value_type::text || type == value_type::boolean)
                bad_table(d, where, "a range needs a number, duration or time column");
            const auto dots = s.find("..");
            iv.lo.v = literal(trim(s.substr(1, dots - 1)), type, where, t.texts_);
            iv.hi.v = literal(trim(s.substr(dots + 2, s.size() - dots - 3)), type, where, t.texts_);
            iv.lo.infinite = iv.hi.infinite = false;
            iv.lo.open = first != '[';
            iv.hi.open = last != ']';
            out.push_back(iv);
            return;
        }
        for (const char* op : {"<=", ">=", "<", ">", "="}) {
            const std::string o = op;
            if (s.rfind(o, 0) != 0) continue;
            const std::string lit = trim(s.substr(o.size()));
            if (o != "=" && (type == value_type::text || type == value_type::boolean))
                bad_table(d, where, "'" + o + "' needs a number, duration or time column");
            const cell v = literal(lit, type, where, t.texts_);
            if (o == "=") {
                iv.lo.v = iv.hi.v = v;
                iv.lo.infinite = iv.hi.infinite = false;
            } else if (o[0] == '<') {
                iv.hi.v = v;
                iv.hi.infinite = false;
                iv.hi.open = o == "<";
            } else {
                iv.lo.v = v;
                iv.lo.infinite = false;
                iv.lo.open = o == ">";
            }
            out.push_back(iv);
            return;
        }
        point(s);
        out.push_back(iv);
    }

    decision_table::entry entry(const std::string& text, value_type type, const std::string& where) {
        decision_table::entry e;
        std::string s = trim(text);
        if (s == "-" || s.empty()) {
            if (type != value_type::text && type != value_type::real) { // "-" as the whole range: no special case
                e.kind = decision_table::entry_kind::range;
                e.lo = std::numeric_limits<std::int64_t>::min();
                e.hi = std::numeric_limits<std::int64_t>::max();
            }
            return e;
        }
        e.any = false;
        if (s.rfind("not(", 0) == 0 || s.rfind("not (", 0) == 0) {
            if (s.back() != ')') bad_table(d, where, "'" + s + "': not( is not closed");
            e.negated = true;
            s = s.substr(s.find('(') + 1, s.size() - s.find('(') - 2);
        }
        e.first = static_cast<std::uint32_t>(t.intervals_.size());
        for (const auto& part : split_top(s, ',')) unary(part, type, where, t.intervals_);
        e.count = static_cast<std::uint32_t>(t.intervals_.size() - e.first);
        e.kind = decision_table::entry_kind::general;
        if (e.count == 1 && !e.negated) {
            const auto& iv = t.intervals_[e.first];
            if (type == value_type::text) {
                e.kind = decision_table::entry_kind::text;
                e.lo = iv.lo.v.i;
            } else if (type != value_type::real) {
                // Closed integer bounds: an open end moves one in (saturating at the ends).
                constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
                constexpr auto highest = std::numeric_limits<std::int64_t>::max();
                e.lo = iv.lo.infinite ? lowest : iv.lo.open ? saturating_add(iv.lo.v.i, 1) : iv.lo.v.i;
                e.hi = iv.hi.infinite ? highest : iv.hi.open ? saturating_sub(iv.hi.v.i, 1) : iv.hi.v.i;
                const bool empty_open = (iv.lo.open && iv.lo.v.i == highest) || (iv.hi.open && iv.hi.v.i == lowest);
                if (empty_open)
                    e.kind = decision_table::entry_kind::general; // keep the exact reading
                else
                    e.kind = decision_table::entry_kind::range;
            }
        }
        return e;
    }

    void run() {
        t.decl_ = d;
        if (d.inputs.empty() && d.policy != hit_policy::collect) bad_table(d, "", "has no inputs");
        if (d.inputs.size() > 64) bad_table(d, "", "has more than 64 inputs");
        if (d.collect != aggregation::none && d.policy != hit_policy::collect)
            bad_table(d, "", "an aggregation needs the Collect hit policy");
        if ((d.collect == aggregation::sum || d.collect == aggregation::min || d.collect == aggregation::max) &&
            (d.outputs.size() != 1 || !(numeric(d.outputs[0].type) || d.outputs[0].type == value_type::duration)))
            bad_table(d, "", "sum, min and max aggregate exactly one number or duration output");
        if (d.outputs.empty() && d.collect != aggregation::count) bad_table(d, "", "has no outputs");
        // The inputs as variables, for the input expressions.
        std::vector<variable_decl> vars;
        for (const auto& in : d.inputs) {
            if (in.type == value_type::enumeration)
                bad_table(d, "input '" + in.name + "'", "an enumeration input is given as text");
            vars.push_back({in.name, in.type, {}, {}, sensitivity::none});
        }
        for (std::size_t i = 0; i < d.inputs.size(); ++i) {
            const auto& in = d.inputs[i];
            const std::string where = "input '" + in.name + "'";
            const bool plain = in.expression.empty() || trim(in.expression) == in.name;
            t.plain_.push_back(plain);
            t.all_plain_ = t.all_plain_ && plain;
            t.types_.push_back(in.type);
            expression code;
            if (!plain) {
                expr e;
                try {
                    e = parse_rule(in.expression);
                } catch (const rule_error& x) {
                    bad_table(d, where, "expression '" + in.expression + "' does not read: " + x.detail());
                }
                const auto problem = detail::compile_expression(e, detail::expr_scope{&vars}, code);
                if (!problem.ok()) bad_table(d, where, problem.message);
                if (!assignable(in.type, code.type))
                    bad_table(d, where, "expression '" + in.expression + "' is " + std::string(to_string(code.type)));
                for (const auto& x : code.code)
                    if (x.op == opcode::push_text_var || x.op == opcode::push_now || x.op == opcode::push_actor)
                        bad_table(d, where, "an input expression may read only number, duration and time inputs");
            }
            t.inputs_.push_back(std::move(code));
        }
        for (const auto& o : d.outputs)
            if (o.type == value_type::enumeration)
                bad_table(d, "output '" + o.name + "'", "an enumeration output is given as text");
        std::vector<std::vector<cell>> value_lists(d.outputs.size());
        std::vector<std::vector<std::string>> value_texts(d.outputs.size());
        for (std::size_t o = 0; o < d.outputs.size(); ++o)
            for (const auto& v : d.outputs[o].values)
                value_lists[o].push_back(
                    literal(v, d.outputs[o].type, "output '" + d.outputs[o].name + "'", value_texts[o]));
        for (std::size_t r = 0; r < d.rules.size(); ++r) {
            const auto& rule = d.rules[r];
            const std::string where = fmt::format("rule {}", r + 1);
            if (rule.inputs.size() != d.inputs.size() || rule.outputs.size() != d.outputs.size())
                bad_table(d, where,
                          fmt::format("has {} input and {} output entries; the table has {} and {}", rule.inputs.size(),
                                      rule.outputs.size(), d.inputs.size(), d.outputs.size()));
            for (std::size_t i = 0; i < d.inputs.size(); ++i)
                t.entries_.push_back(
                    entry(rule.inputs[i], d.inputs[i].type, where + " input '" + d.inputs[i].name + "'"));
            int rank = 0;
            for (std::size_t o = 0; o < d.outputs.size(); ++o) {
                std::vector<std::string> one;
                const cell c =
                    literal(rule.outputs[o], d.outputs[o].type, where + " output '" + d.outputs[o].name + "'", one);
                t.outputs_.push_back(c);
                t.output_texts_.push_back(d.outputs[o].type == value_type::text ? one[0] : std::string());
                if (!value_lists[o].empty()) {
                    std::size_t k = 0;
                    for (; k < value_lists[o].size(); ++k) {
                        const bool same = d.outputs[o].type == value_type::text   ? value_texts[o][k] == one[0]
                                          : d.outputs[o].type == value_type::real ? value_lists[o][k].r == c.r
                                                                                  : value_lists[o][k].i == c.i;
                        if (same) break;
                    }
                    if (k == value_lists[o].size())
                        bad_table(d, where, "output '" + rule.outputs[o] + "' is not one of the output's values");
                    rank = rank * static_cast<int>(value_lists[o].size() + 1) + static_cast<int>(k);
                }
            }
            t.ranks_.push_back(rank);
        }
        for (std::size_t i = 0; i < d.inputs.size(); ++i) {
            bool ranges = true;
            for (std::size_t r = 0; r < d.rules.size(); ++r)
                ranges = ranges && t.entries_[r * d.inputs.size() + i].kind == decision_table::entry_kind::range;
            t.range_column_.push_back(ranges);
        }
        if ((d.policy == hit_policy::priority || d.policy == hit_policy::output_order) &&
            std::all_of(d.outputs.begin(), d.outputs.end(), [](const decision_output& o) { return o.values.empty(); }))
            bad_table(d, "", "Priority and Output order rank by the outputs' value lists; none is given");
    }
};

decision_table decision_table::compile(const decision_table_decl& d) {
    decision_table t;
    decision_compiler{d, t}.run();
    return t;
}

bool decision_table::test_general(const entry& e, std::size_t column, const decision_value& v) const noexcept {
    if (e.any) return true;
    const value_type type = types_[column];
    bool hit = false;
    for (std::uint32_t k = 0; k < e.count && !hit; ++k) {
        const interval& iv = intervals_[e.first + k];
        if (type == value_type::text) {
            hit = v.text && *v.text == texts_[static_cast<std::size_t>(iv.lo.v.i)];
        } else if (type == value_type::real) {
            const double x = v.c.r;
            const double lo = iv.lo.v.r, hi = iv.hi.v.r;
            hit = (iv.lo.infinite || (iv.lo.open ? x > lo : x >= lo)) &&
                  (iv.hi.infinite || (iv.hi.open ? x < hi : x <= hi));
        } else {
            const std::int64_t x = v.c.i;
            const std::int64_t lo = iv.lo.v.i, hi = iv.hi.v.i;
            hit = (iv.lo.infinite || (iv.lo.open ? x > lo : x >= lo)) &&
                  (iv.hi.infinite || (iv.hi.open ? x < hi : x <= hi));
        }
    }
    return hit != e.negated;
}

bool decision_table::rule_matches(std::uint32_t r, std::span<const decision_value> in) const noexcept {
    const std::size_t n = in.size();
    const entry* e = entries_.data() + r * n;
    for (std::size_t i = 0; i < n; ++i) {
        // A column whose every entry is one closed range tests without dispatch.
        if (range_column_[i]) {
            if ((static_cast<int>(in[i].c.i >= e[i].lo) & static_cast<int>(in[i].c.i <= e[i].hi)) == 0) return false;
        } else if (!test(e[i], i, in[i])) {
            return false;
        }
    }
    return true;
}

int decision_table::rank(std::uint32_t r) const noexcept { return ranks_[r]; }

std::size_t decision_table::match(std::span<const decision_value> raw, std::span<std::uint32_t> hits) const noexcept {
    const std::size_t n = decl_.inputs.size();
    // The columns' values: the inputs themselves, or their expressions over them.
    std::array<decision_value, 64> cols;
    std::array<cell, 64> vars;
    if (!all_plain_)
        for (std::size_t i = 0; i < n; ++i) vars[i] = raw[i].c;
    for (std::size_t i = 0; i < n && !all_plain_; ++i) {
        if (plain_[i]) {
            cols[i] = raw[i];
        } else {
            eval_context ctx{vars.data()};
            cols[i].c = inputs_[i].evaluate(ctx);
            if (decl_.inputs[i].type == value_type::real && inputs_[i].type == value_type::integer)
                cols[i].c.r = static_cast<double>(cols[i].c.i);
        }
    }
    const std::span<const decision_value> in =
        all_plain_ ? raw.first(n) : std::span<const decision_value>(cols.data(), n);
    const auto rules = static_cast<std::uint32_t>(decl_.rules.size());
    const std::size_t outs = decl_.outputs.size();
    std::size_t found = 0;
    auto same_outputs = [&](std::uint32_t a, std::uint32_t b) {
        for (std::size_t o = 0; o < outs; ++o) {
            if (decl_.outputs[o].type == value_type::text) {
                if (output_texts_[a * outs + o] != output_texts_[b * outs + o]) return false;
            } else if (outputs_[a * outs + o].i != outputs_[b * outs + o].i) {
                return false;
            }
        }
        return true;
    };
    switch (decl_.policy) {
    case hit_policy::first:
        for (std::uint32_t r = 0; r < rules; ++r)
            if (rule_matches(r, in)) {
                if (!hits.empty()) hits[0] = r;
                return 1;
            }
        return 0;
    case hit_policy::unique:
    case hit_policy::any: {
        std::uint32_t first = 0;
        for (std::uint32_t r = 0; r < rules; ++r) {
            if (!rule_matches(r, in)) continue;
            if (found == 0) {
                first = r;
                found = 1;
                if (!hits.empty()) hits[0] = r;
                continue;
            }
            if (decl_.policy == hit_policy::unique || !same_outputs(first, r)) {
                if (hits.size() > 1) hits[1] = r;
                return violation;
            }
        }
        return found;
    }
    case hit_policy::priority: {
        std::uint32_t best = 0;
        for (std::uint32_t r = 0; r < rules; ++r)
            if (rule_matches(r, in) && (found == 0 || ranks_[r] < ranks_[best])) {
                best = r;
                found = 1;
            }
        if (found && !hits.empty()) hits[0] = best;
        return found;
    }
    case hit_policy::collect:
    case hit_policy::rule_order:
    case hit_policy::output_order: {
        for (std::uint32_t r = 0; r < rules; ++r)
            if (rule_matches(r, in)) {
                if (found < hits.size()) hits[found] = r;
                ++found;
            }
        const std::size_t kept = std::min(found, hits.size());
        if (decl_.policy == hit_policy::output_order) // a stable insertion sort: std::stable_sort allocates
            for (std::size_t k = 1; k < kept; ++k)
                for (std::size_t j = k; j > 0 && ranks_[hits[j]] < ranks_[hits[j - 1]]; --j)
                    std::swap(hits[j], hits[j - 1]);
        return found;
    }
    }
    return 0;
}

value decision_table::output_value(std::uint32_t r, std::size_t o) const {
    const auto& out = decl_.outputs[o];
    if (out.type == value_type::text) return value(output_text(r, o));
    return cell_value(output(r, o), out.type, {});
}

decision_result decision_table::decide(const payload& inputs) const {
    std::vector<decision_value> in(decl_.inputs.size());
    std::vector<std::string> texts(decl_.inputs.size());
    for (std::size_t i = 0; i < decl_.inputs.size(); ++i) {
        const auto& col = decl_.inputs[i];
        const value* v = nullptr;
        for (const auto& [name, x] : inputs.fields())
            if (name == col.name) v = &x;
        if (!v || v->empty())
            throw error("careflow.decision.bad_input", "decision '" + decl_.name + "' needs input '" + col.name + "'");
        const auto t = *v->type();
        if (!assignable(col.type, t))
            throw error("careflow.decision.bad_input", "input '" + col.name + "' is " +
                                                           std::string(to_string(col.type)) + "; " + v->to_string() +
                                                           " is " + std::string(to_string(t)));
        if (col.type == value_type::text) {
            texts[i] = std::get<std::string>(v->get());
            in[i].text = &texts[i];
        } else {
            detail::to_cell(*v, col.type, {}, in[i].c);
        }
    }
    for (const auto& field : inputs.fields()) {
        const std::string& name = field.first;
        if (std::none_of(decl_.inputs.begin(), decl_.inputs.end(),
                         [&](const decision_input& x) { return x.name == name; }))
            throw error("careflow.decision.bad_input", "decision '" + decl_.name + "' has no input '" + name + "'");
    }
    std::vector<std::uint32_t> hits(std::max<std::size_t>(decl_.rules.size(), 2));
    const std::size_t n = match(in, hits);
    decision_result r;
    if (n == violation) {
        r.ok = false;
        r.error = decl_.policy == hit_policy::unique ? "careflow.decision.not_unique" : "careflow.decision.conflict";
        r.message = fmt::format("rules {} and {} both match{}", hits[0] + 1, hits[1] + 1,
                                decl_.policy == hit_policy::any ? " with different outputs" : "");
        r.rules = {hits[0], hits[1]};
        return r;
    }
    hits.resize(n);
    r.rules = hits;
    for (const auto h : hits) {
        std::vector<value> row;
        for (std::size_t o = 0; o < decl_.outputs.size(); ++o) row.push_back(output_value(h, o));
        r.outputs.push_back(std::move(row));
    }
    if (decl_.policy == hit_policy::collect && decl_.collect != aggregation::none) {
        if (decl_.collect == aggregation::count) {
            r.aggregate = static_cast<std::int64_t>(n);
        } else if (n != 0) {
            const value_type t = decl_.outputs[0].type;
            double acc_r = 0;
            std::int64_t acc_i = 0;
            for (std::size_t k = 0; k < n; ++k) {
                const cell c = output(hits[k], 0);
                if (t == value_type::real) {
                    acc_r = k == 0                              ? c.r
                            : decl_.collect == aggregation::sum ? acc_r + c.r
                            : decl_.collect == aggregation::min ? std::min(acc_r, c.r)
                                                                : std::max(acc_r, c.r);
                } else {
                    acc_i = k == 0                              ? c.i
                            : decl_.collect == aggregation::sum ? saturating_add(acc_i, c.i)
                            : decl_.collect == aggregation::min ? std::min(acc_i, c.i)
                                                                : std::max(acc_i, c.i);
                }
            }
            cell c{};
            if (t == value_type::real)
                c.r = acc_r;
            else
                c.i = acc_i;
            r.aggregate = cell_value(c, t, {});
        }
    }
    return r;
}

} // namespace careflow
