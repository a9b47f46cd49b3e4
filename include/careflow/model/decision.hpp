/// \file careflow/model/decision.hpp
/// Decision tables: inputs, outputs, and rules of unary tests, with DMN's hit policies —
/// how service organisations write triage and assignment rules.
///
///     decision_table_decl t{.name = "triage", .policy = hit_policy::first};
///     t.inputs = {{"urgency", value_type::integer}, {"risk", value_type::text}};
///     t.outputs = {{"route", value_type::text}};
///     t.rules = {{{">= 4", "-"}, {"\"crisis\""}},
///                {{"[2..3]", "\"high\",\"medium\""}, {"\"counselor\""}},
///                {{"-", "-"}, {"\"self_help\""}}};
///     decision_table d = decision_table::compile(t);
///     decision_result r = d.decide({{"urgency", 3}, {"risk", "high"}}); // route = "counselor"
///
/// A compiled table evaluates without allocating (`match`); `check()` finds overlapping
/// rules under Unique, conflicting outputs under Any and input combinations no rule covers.
/// Tables are written as JSON (format "careflow.decision/1") or imported from DMN 1.x XML
/// (careflow/model/dmn.hpp). docs/rules.md describes them.
#pragma once

#include <careflow/model/expression.hpp>
#include <careflow/model/validate.hpp>
#include <careflow/program/eval.hpp>
#include <careflow/runtime/types.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace careflow {

/// Which matching rules a table's result comes from (DMN 1.x, section 8.2.10).
enum class hit_policy : std::uint8_t {
    unique,      ///< U: at most one rule may match (more is an error)
    any,         ///< A: matching rules must agree on their outputs
    first,       ///< F: the first matching rule, in rule order
    priority,    ///< P: the matching rule whose outputs rank first in the outputs' value lists
    collect,     ///< C: every matching rule, in rule order, or their aggregation
    rule_order,  ///< R: every matching rule, in rule order
    output_order ///< O: every matching rule, by the outputs' value lists
};

/// How Collect combines its matches (`none`: a list).
enum class aggregation : std::uint8_t { none, sum, count, min, max };

/// "U", "A", "F", "P", "C", "R", "O" (with "C+", "C#", "C<", "C>" for aggregations).
[[nodiscard]] std::string to_string(hit_policy p, aggregation a = aggregation::none);

/// An input column: a name the caller gives a value for, its type, and the expression the
/// column tests (a rule text over every input's name; empty: the name itself).
struct decision_input {
    std::string name{};
    value_type type = value_type::integer;
    std::string expression{};
};

/// An output column. `values` lists its allowed values in priority order (rule-language
/// literals, e.g. "\"crisis\""), which Priority and Output order rank by.
struct decision_output {
    std::string name{};
    value_type type = value_type::text;
    std::vector<std::string> values{};
};

/// One rule: a unary test per input ("-", "< 5", "[1..3]", "\"a\",\"b\"", "not(2)"), a
/// literal per output, and an optional description.
struct decision_rule {
    std::vector<std::string> inputs{};
    std::vector<std::string> outputs{};
    std::string description{};
};

/// A decision table as written.
struct decision_table_decl {
    std::string name{};
    hit_policy policy = hit_policy::unique;
    aggregation collect = aggregation::none;
    std::vector<decision_input> inputs{};
    std::vector<decision_output> outputs{};
    std::vector<decision_rule> rules{};
};

/// A decision's outcome. `rules` are the matching rules the policy selected (0-based, in
/// the policy's order); `outputs` their output values, one row per rule; `aggregate` the
/// Collect aggregation's value. `error` is set (with `ok` false) when the policy is
/// violated: more than one match under Unique ("careflow.decision.not_unique"), or
/// disagreeing matches under Any ("careflow.decision.conflict").
struct decision_result {
    bool ok = true;
    std::string error{};
    std::string message{};
    std::vector<std::uint32_t> rules{};
    std::vector<std::vector<value>> outputs{};
    value aggregate{};
    /// Single-hit: the one match exists. Multi-hit: any matched.
    [[nodiscard]] bool matched() const noexcept { return !rules.empty(); }
};

/// One input value for the allocation-free `match`: a cell, and for text a pointer to it.
struct decision_value {
    cell c{};
    const std::string* text = nullptr;
};

/// A compiled decision table.
class decision_table {
public:
    /// Compile; throws `careflow::error` ("careflow.decision.*", see docs/errors.md) on a
    /// malformed table: unknown hit policy combination, a unary test or literal that does
    /// not read or does not fit its column's type, a rule with the wrong number of entries.
    [[nodiscard]] static decision_table compile(const decision_table_decl& d);

    [[nodiscard]] const decision_table_decl& decl() const noexcept { return decl_; }

    /// Static checks: overlapping rules under Unique ("careflow.decision.overlap", error),
    /// matches that would disagree under Any ("careflow.decision.conflict", error), an
    /// input combination no rule covers ("careflow.decision.gap", warning, with an example).
    [[nodiscard]] std::vector<diagnostic> check() const;

    /// Decide on named input values (a missing one, or one of the wrong type, throws
    /// "careflow.decision.bad_input").
    [[nodiscard]] decision_result decide(const payload& inputs) const;

    /// The allocation-free core: `in` holds one value per input column, in order; the
    /// matching rules the policy selects are written to `hits` (in the policy's order, at
    /// most `hits.size()`), and their count returned. Under Unique and Any a violation
    /// returns `violation` (and writes two of the rules involved).
    [[nodiscard]] std::size_t match(std::span<const decision_value> in, std::span<std::uint32_t> hits) const noexcept;
    static constexpr std::size_t violation = static_cast<std::size_t>(-1);

    /// Rule `r`'s value of output `o`, as a cell (text: `output_text`).
    [[nodiscard]] cell output(std::uint32_t r, std::size_t o) const noexcept {
        return outputs_[r * decl_.outputs.size() + o];
    }
    [[nodiscard]] const std::string& output_text(std::uint32_t r, std::size_t o) const noexcept {
        return output_texts_[r * decl_.outputs.size() + o];
    }

private:
    struct bound {
        cell v{};
        bool open = false;
        bool infinite = true;
    };
    struct interval {
        bound lo, hi; // text: lo.v indexes texts_, equality only
    };
    enum class entry_kind : std::uint8_t { any, range, text, general };
    struct entry {
        std::uint32_t first = 0, count = 0; // into intervals_; count 0 with any: "-"
        bool any = true;
        bool negated = false;
        entry_kind kind = entry_kind::any; // range: one closed [lo, hi] over int cells; text: one literal
        std::int64_t lo = 0, hi = 0;       // range bounds, or (lo) the text's index
    };
    [[nodiscard]] bool test(const entry& e, std::size_t column, const decision_value& v) const noexcept {
        switch (e.kind) {
        case entry_kind::any: return true;
        case entry_kind::range: return (static_cast<int>(v.c.i >= e.lo) & static_cast<int>(v.c.i <= e.hi)) != 0;
        case entry_kind::text: return v.text && *v.text == texts_[static_cast<std::size_t>(e.lo)];
        case entry_kind::general: break;
        }
        return test_general(e, column, v);
    }
    [[nodiscard]] bool test_general(const entry& e, std::size_t column, const decision_value& v) const noexcept;
    [[nodiscard]] bool rule_matches(std::uint32_t r, std::span<const decision_value> in) const noexcept;
    [[nodiscard]] int rank(std::uint32_t r) const noexcept;
    [[nodiscard]] value output_value(std::uint32_t r, std::size_t o) const;

    friend struct decision_compiler;
    decision_table_decl decl_;
    std::vector<expression> inputs_; // compiled input expressions over the inputs as variables
    std::vector<bool> plain_;        // input i's expression is its own name: read the value directly
    bool all_plain_ = true;
    std::vector<value_type> types_;          // input column types, by column
    std::vector<std::uint8_t> range_column_; // every entry of the column is one closed range (or "-")
    std::vector<entry> entries_;             // rules × inputs
    std::vector<interval> intervals_;
    std::vector<std::string> texts_;
    std::vector<cell> outputs_;             // rules × outputs
    std::vector<std::string> output_texts_; // rules × outputs
    std::vector<int> ranks_;                // rules: priority by the outputs' value lists (lower first)
};

} // namespace careflow
