/// \file careflow/model/value.hpp
/// Typed values of case variables, event payload fields and constants.
#pragma once

#include <careflow/time/ticks.hpp>

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace careflow {

/// The declared type of a case variable or payload field.
enum class value_type : std::uint8_t { boolean, integer, real, text, time, duration, enumeration };

/// "boolean", "integer", ... as written in diagnostics and DOT output.
[[nodiscard]] std::string_view to_string(value_type t) noexcept;

/// A symbolic value of an enumeration variable, e.g. `symbol{"high"}`.
struct symbol {
    std::string name;
    friend bool operator==(const symbol&, const symbol&) = default;
};

/// A value of any careflow type, or empty. Built from the natural C++ types:
/// bool, any integer, double, text, `time_point`, `duration`, `symbol`.
class value {
public:
    using storage = std::variant<std::monostate, bool, std::int64_t, double, std::string, time_point, duration, symbol>;

    value() = default;
    value(bool b) : v_(b) {}
    template <std::integral I>
    requires(!std::same_as<I, bool>) value(I i) : v_(static_cast<std::int64_t>(i)) {}
    value(double r) : v_(r) {}
    value(const char* s) : v_(std::string(s)) {}
    value(std::string s) : v_(std::move(s)) {}
    value(std::string_view s) : v_(std::string(s)) {}
    value(time_point t) : v_(t) {}
    value(duration d) : v_(d) {}
    value(symbol s) : v_(std::move(s)) {}

    /// The type held, or nothing when empty.
    [[nodiscard]] std::optional<value_type> type() const noexcept;
    [[nodiscard]] bool empty() const noexcept { return v_.index() == 0; }
    [[nodiscard]] const storage& get() const noexcept { return v_; }

    /// A readable rendering: `true`, `42`, `1.5`, `"text"`, `2026-11-22 09:00:00`, `00:15:00`, `high`.
    [[nodiscard]] std::string to_string() const;

    friend bool operator==(const value&, const value&) = default;

private:
    storage v_;
};

/// Does a value of type `from` fit a slot of type `to`? (Same type, or an integer into a real.)
[[nodiscard]] constexpr bool assignable(value_type to, value_type from) noexcept {
    return to == from || (to == value_type::real && from == value_type::integer);
}

} // namespace careflow
