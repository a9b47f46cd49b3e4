// Internal: what the definition reader and writer share — the format's name, and how a
// typed constant (an initial value) is written in JSON and read back.
#pragma once

#include <careflow/model/declarations.hpp>
#include <careflow/model/rule_text.hpp>

#include <boost/date_time/posix_time/posix_time.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace careflow::detail::definition_format {

inline constexpr const char* format_name = "careflow.procedure/1";

/// A constant as JSON: booleans, integers and reals as JSON numbers and literals; text and
/// symbols as strings; times as ISO 8601 UTC strings; durations as rule literals ("15min").
template <class Json>
Json constant_json(const value& v) {
    struct visitor {
        Json operator()(std::monostate) const { return nullptr; }
        Json operator()(bool b) const { return b; }
        Json operator()(std::int64_t i) const { return i; }
        Json operator()(double r) const { return r; }
        Json operator()(const std::string& s) const { return s; }
        Json operator()(const time_point& t) const { return boost::posix_time::to_iso_extended_string(t) + "Z"; }
        Json operator()(const duration& d) const { return value(d).to_string(); }
        Json operator()(const symbol& s) const { return s.name; }
    };
    return std::visit(visitor{}, v.get());
}

/// "boolean", "integer", … → the type.
inline std::optional<value_type> type_named(std::string_view s) {
    for (auto t : {value_type::boolean, value_type::integer, value_type::real, value_type::text, value_type::time,
                   value_type::duration, value_type::enumeration})
        if (to_string(t) == s) return t;
    return std::nullopt;
}

/// "none", "contact", "clinical" → the sensitivity.
inline std::optional<sensitivity> sensitivity_named(std::string_view s) {
    for (auto v : {sensitivity::none, sensitivity::contact, sensitivity::clinical})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

} // namespace careflow::detail::definition_format
