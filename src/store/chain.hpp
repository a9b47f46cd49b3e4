// Internal: the journal's hash chain. Each stored journal line carries
// SHA-256(previous hash ‖ position as 8 little-endian bytes ‖ the line's bytes), the first
// one chained to an anchor (32 zero bytes for a journal that starts at its beginning), so
// that changing, removing or moving any line changes every hash after it (docs/security.md).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace careflow::detail {

using digest = std::array<unsigned char, 32>;

/// The hash of the line at `position` whose predecessor's hash is `previous`.
[[nodiscard]] digest chain_next(const digest& previous, std::uint64_t position, std::string_view line);

/// Lower-case hexadecimal, 64 characters.
[[nodiscard]] std::string to_hex(const digest& d);

/// A digest from the 32 bytes of a stored blob; false when it is not 32 bytes long.
[[nodiscard]] bool from_bytes(std::string_view bytes, digest& out) noexcept;

} // namespace careflow::detail
