// Internal: AES-256-GCM sealing of personal data at rest, through OpenSSL's libcrypto (EVP).
// A sealed body is: 1 byte of format (0: kept apart in clear, for a store without a key
// ring; 1: AES-256-GCM) then, for format 1, a 12-byte random nonce, the ciphertext and the
// 16-byte tag. The associated data binds a body to where it belongs (its row, its owner),
// so a body moved to another row does not open.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

namespace careflow::detail {

using data_key = std::array<unsigned char, 32>;

inline constexpr unsigned char sealed_plain = 0;
inline constexpr unsigned char sealed_gcm = 1;

/// A fresh random data key (RAND_bytes); `careflow.store.write_failed` if OpenSSL fails.
[[nodiscard]] data_key random_data_key();

/// `plain` sealed under `key` with associated data `aad` (format 1).
[[nodiscard]] std::string seal(std::span<const unsigned char, 32> key, std::string_view aad, std::string_view plain);

/// `plain` kept apart in clear (format 0).
[[nodiscard]] std::string keep_plain(std::string_view plain);

/// Open a sealed body: false when it is not one of the formats, too short, or fails
/// authentication under `key` (wrong key, changed bytes, another row's body). A format-0
/// body opens without a key (`key` may then be empty).
[[nodiscard]] bool open_sealed(std::span<const unsigned char> key, std::string_view aad, std::string_view body,
                               std::string& plain);

/// Overwrite memory that held key material (OPENSSL_cleanse: not optimized away).
void wipe(void* p, std::size_t n) noexcept;

} // namespace careflow::detail
