/// \file careflow/model/validate.hpp
/// Problems found in a procedure, each with a stable id and the state/transition at fault.
#pragma once

#include <string>
#include <vector>

namespace careflow {

class procedure;

/// An error makes `procedure_builder::build()` refuse; a warning is advice.
enum class severity : std::uint8_t { error, warning };

/// One problem. `id` is stable ("careflow.model.unreachable_state"); `subject` names the
/// culprit ("state 'triage'", "transition 'ringing' -answer-> 'talking'").
struct diagnostic {
    severity level{};
    std::string id;
    std::string subject;
    std::string message;
    /// "error [careflow.model.unreachable_state] state 'y': message"
    [[nodiscard]] std::string to_string() const;
};

/// Every problem of a built procedure (a built one has no errors, but may have warnings).
[[nodiscard]] std::vector<diagnostic> validate(const procedure& p);

/// True when any diagnostic is an error.
[[nodiscard]] bool has_errors(const std::vector<diagnostic>& ds) noexcept;

} // namespace careflow
