// Internal: type-checks and compiles expressions. Validation and compile() share it, so
// the type rules live in one place.
#pragma once

#include "cells.hpp"
#include <careflow/model/declarations.hpp>
#include <careflow/program/eval.hpp>

#include <string>
#include <vector>

namespace careflow::detail {

/// What names an expression may use.
struct expr_scope {
    const std::vector<variable_decl>* variables = nullptr;
    const event_decl* event = nullptr; ///< the payload in scope (none: no fields)
    /// The program's calendar names: a date operation's calendar is found here, or added
    /// (none: validating only, every name is index 0).
    std::vector<std::string>* calendars = nullptr;
    /// The consent topics the procedure declares; `consent("t")` compiles to t's index.
    const std::vector<consent_decl>* consents = nullptr;
    /// The procedure's state names by index; `In("s")` compiles to s's index (none: no
    /// state may be named).
    const std::vector<std::string>* states = nullptr;
};

/// A type error, or none (`id` empty).
struct expr_problem {
    std::string id;
    std::string message;
    [[nodiscard]] bool ok() const noexcept { return id.empty(); }
};

/// Type-check `e` in `scope` and, when it is sound, append its code to `out` (setting
/// `out.type` and `out.source`).
expr_problem compile_expression(const expr& e, const expr_scope& scope, expression& out);
/// Give a finished value expression the `value` fast form when its code is `c`, `x`,
/// `x + c` or `x - c` (x a variable or field, c an integer constant); otherwise leave it.
void lower_value(expression& x);

} // namespace careflow::detail
