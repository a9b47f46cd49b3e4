/// \file careflow/error.hpp
/// The one exception type careflow throws, for misuse and bad definitions only.
/// Domain outcomes (late, refused, ignored) are results, never exceptions.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace careflow {

/// Thrown when a procedure, program or input is malformed. `id()` is stable
/// (e.g. "careflow.model.unreachable_state") so hosts and tests can match on it;
/// `what()` reads "[id] message".
class error : public std::runtime_error {
public:
    error(std::string_view id, std::string_view message) : std::runtime_error(compose(id, message)), id_(id) {}

    /// The stable identifier of this kind of error.
    [[nodiscard]] const std::string& id() const noexcept { return id_; }

private:
    // Appends rather than chaining operator+, which trips GCC 12's -Wrestrict false positive.
    static std::string compose(std::string_view id, std::string_view message) {
        std::string s;
        s.reserve(id.size() + message.size() + 3);
        s.append(1, '[').append(id).append("] ").append(message);
        return s;
    }
    std::string id_;
};

} // namespace careflow
