/// \file careflow/model/rule_text.hpp
/// The rule language: guards, values and deadlines written as text and parsed into the
/// same expression trees the C++ operators build (same type checking, same compiled code):
///
///     parse_rule("urgency >= 3 && !withheld")
///     parse_rule("$risk == #high || In('talking')")
///     parse_rule("close_of_day(plus_months(consulted_at, 1, 'center'), 'center')")
///
/// The grammar is in docs/rules.md. `expr::to_string()` writes this language, and
/// `parse_rule(e.to_string())` gives back a tree `same_as` e.
#pragma once

#include <careflow/error.hpp>
#include <careflow/model/expression.hpp>

#include <cstddef>
#include <string_view>

namespace careflow {

/// A rule text that does not parse. `id()` is one of
/// - "careflow.rules.syntax": a token where another was expected (`expected()` says what);
/// - "careflow.rules.bad_literal": a number out of range, a duration unit or time that
///   does not read, a bad escape or an unterminated string;
/// - "careflow.rules.unknown_function": a call of a function the language does not have,
///   or with the wrong arguments;
/// - "careflow.rules.too_deep": nesting deeper than `max_rule_depth`.
/// `what()` reads "[id] line:column: message".
class rule_error : public error {
public:
    rule_error(std::string_view id, std::size_t line, std::size_t column, std::string_view message,
               std::string_view expected = {});
    /// 1-based line of the offending token.
    [[nodiscard]] std::size_t line() const noexcept { return line_; }
    /// 1-based column (in characters: a UTF-8 sequence counts once) of the offending token.
    [[nodiscard]] std::size_t column() const noexcept { return column_; }
    /// What the parser expected there ("')'", "an operand", …); empty when not a syntax error.
    [[nodiscard]] const std::string& expected() const noexcept { return expected_; }
    /// The message without the id and position.
    [[nodiscard]] const std::string& detail() const noexcept { return detail_; }

private:
    std::size_t line_, column_;
    std::string expected_, detail_;
};

/// The deepest expression tree a rule text may give (operators nested in operators).
inline constexpr std::size_t max_rule_depth = 200;

/// Parse a rule text into an expression; throws `rule_error`. Names are not resolved here:
/// an unknown variable or a type error is found when the procedure is validated, like an
/// expression built in C++.
[[nodiscard]] expr parse_rule(std::string_view text);

} // namespace careflow
