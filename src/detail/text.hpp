// Internal: percent-encoding shared by the journal and snapshot text formats.
#pragma once

#include <careflow/model/value.hpp>

#include <string>
#include <string_view>

namespace careflow::detail {

/// A typed value as `T:text` (b, i, r, s, t, d, e; "-" when empty), as the journal and
/// snapshot formats write values. Text is percent-encoded for both formats.
std::string encode_value(const value& v);
/// The inverse; false when malformed.
bool decode_value(std::string_view s, value& out);

/// `s` with `%` and every character of `special` written as %XX.
std::string percent_encode(std::string_view s, std::string_view special);
/// The inverse; false on a malformed escape.
bool percent_decode(std::string_view s, std::string& out);

} // namespace careflow::detail
