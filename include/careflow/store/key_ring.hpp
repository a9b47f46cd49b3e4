/// \file careflow/store/key_ring.hpp
/// The host's keys for personal data at rest. A store given a key ring keeps every
/// personal value sealed with AES-256-GCM (OpenSSL's libcrypto) under a data key of its
/// own per client; each data key is kept wrapped (sealed) by a host key from the ring,
/// whose id is recorded beside it. Rotating the host key re-wraps the data keys only;
/// erasing a client destroys its data key (crypto-shredding). docs/security.md has the
/// threat model and the layout.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace careflow {

/// A set of host keys, each 32 bytes (AES-256) under an id; the one added last is the
/// current key, which wraps new data keys and those re-wrapped by a rotation. Older keys
/// stay in the ring to open what they wrapped until a rotation has moved it. The ring
/// holds key material in memory and wipes it when destroyed; it is copyable (a store
/// keeps its own copy).
class key_ring {
public:
    key_ring() = default;
    ~key_ring();
    key_ring(const key_ring&) = default;
    key_ring& operator=(const key_ring&) = default;
    key_ring(key_ring&&) noexcept = default;
    key_ring& operator=(key_ring&&) noexcept = default;

    /// Add a key and make it current. The id is 1 to 64 printable ASCII characters, the key
    /// exactly 32 bytes; otherwise `careflow.store.bad_key` (nothing added). Adding an id
    /// already in the ring with other bytes is also `bad_key`; with the same bytes it only
    /// makes that key current.
    void add(std::string_view id, std::span<const unsigned char> key);
    /// Add a key given as 64 hexadecimal digits (as a key file holds it).
    void add_hex(std::string_view id, std::string_view hex);
    /// A new random key (OpenSSL's RAND_bytes), for hosts setting up and for tests.
    [[nodiscard]] static std::array<unsigned char, 32> random_key();

    /// Is the ring empty?
    [[nodiscard]] bool empty() const noexcept { return keys_.empty(); }
    /// The current key's id; `careflow.store.missing_key` when the ring is empty.
    [[nodiscard]] const std::string& current() const;
    /// Does the ring hold a key of this id?
    [[nodiscard]] bool has(std::string_view id) const noexcept;
    /// The key of `id`; `careflow.store.missing_key` when the ring does not hold it.
    [[nodiscard]] std::span<const unsigned char, 32> key(std::string_view id) const;
    /// The ids, oldest first.
    [[nodiscard]] std::vector<std::string> ids() const;

private:
    struct entry {
        std::string id;
        std::array<unsigned char, 32> bytes{};
    };
    std::vector<entry> keys_; // the current key last
};

} // namespace careflow
