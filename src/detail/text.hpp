// Internal: percent-encoding shared by the journal and snapshot text formats.
#pragma once

#include <string>
#include <string_view>

namespace careflow::detail {

/// `s` with `%` and every character of `special` written as %XX.
std::string percent_encode(std::string_view s, std::string_view special);
/// The inverse; false on a malformed escape.
bool percent_decode(std::string_view s, std::string& out);

} // namespace careflow::detail
