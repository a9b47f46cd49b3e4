// Internal: the lexical pieces the rule language's renderer and parser share, so that what
// one writes the other reads.
#pragma once

#include <careflow/model/value.hpp>

#include <string>
#include <string_view>

namespace careflow::detail {

/// [A-Za-z_][A-Za-z0-9_]*
[[nodiscard]] bool rule_identifier(std::string_view s) noexcept;
/// Words that read as something else than a variable: true, false, now, actor, _event.
[[nodiscard]] bool rule_keyword(std::string_view s) noexcept;
/// A single-quoted string literal with \' \\ \n \t \r and \uXXXX escapes (single quotes
/// read well inside JSON strings).
[[nodiscard]] std::string rule_quote(std::string_view s);
/// A constant as the rule language writes it (`3`, `2.0`, `"text"`, `15min`, `#high`,
/// `time('2026-11-22T09:00:00')`).
[[nodiscard]] std::string rule_constant(const value& v);

} // namespace careflow::detail
