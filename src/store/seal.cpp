// AES-256-GCM through OpenSSL's EVP interface (never by hand), random keys and nonces from
// RAND_bytes, and the host's key ring.
#include "seal.hpp"

#include <careflow/error.hpp>
#include <careflow/store/key_ring.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>

namespace careflow::detail {

namespace {

constexpr std::size_t nonce_size = 12;
constexpr std::size_t tag_size = 16;

struct cipher_free {
    void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};

EVP_CIPHER_CTX* context() {
    // One context per thread, re-initialised for each body: no allocation per seal.
    thread_local const std::unique_ptr<EVP_CIPHER_CTX, cipher_free> ctx(EVP_CIPHER_CTX_new());
    if (!ctx) throw error("careflow.store.write_failed", "OpenSSL could not make a cipher context");
    return ctx.get();
}

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

} // namespace

data_key random_data_key() {
    data_key k{};
    if (RAND_bytes(k.data(), static_cast<int>(k.size())) != 1)
        throw error("careflow.store.write_failed", "OpenSSL's RAND_bytes failed");
    return k;
}

std::string seal(std::span<const unsigned char, 32> key, std::string_view aad, std::string_view plain) {
    std::string out(1 + nonce_size + plain.size() + tag_size, '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    o[0] = sealed_gcm;
    unsigned char* nonce = o + 1;
    unsigned char* text = nonce + nonce_size;
    if (RAND_bytes(nonce, static_cast<int>(nonce_size)) != 1)
        throw error("careflow.store.write_failed", "OpenSSL's RAND_bytes failed");
    EVP_CIPHER_CTX* c = context();
    int n = 0;
    int tail = 0;
    if (EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), nullptr, key.data(), nonce) != 1 ||
        EVP_EncryptUpdate(c, nullptr, &n, bytes_of(aad), static_cast<int>(aad.size())) != 1 ||
        EVP_EncryptUpdate(c, text, &n, bytes_of(plain), static_cast<int>(plain.size())) != 1 ||
        EVP_EncryptFinal_ex(c, text + n, &tail) != 1 ||
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size), text + plain.size()) != 1)
        throw error("careflow.store.write_failed", "AES-256-GCM failed in OpenSSL");
    return out;
}

std::string keep_plain(std::string_view plain) {
    std::string out(1, static_cast<char>(sealed_plain));
    out.append(plain);
    return out;
}

bool open_sealed(std::span<const unsigned char> key, std::string_view aad, std::string_view body, std::string& plain) {
    if (body.empty()) return false;
    if (static_cast<unsigned char>(body[0]) == sealed_plain) {
        plain.assign(body.substr(1));
        return true;
    }
    if (static_cast<unsigned char>(body[0]) != sealed_gcm || body.size() < 1 + nonce_size + tag_size ||
        key.size() != 32)
        return false;
    const auto* nonce = bytes_of(body) + 1;
    const auto* text = nonce + nonce_size;
    const std::size_t size = body.size() - 1 - nonce_size - tag_size;
    std::string out(size, '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    EVP_CIPHER_CTX* c = context();
    int n = 0;
    int tail = 0;
    unsigned char tag[tag_size];
    std::copy(text + size, text + size + tag_size, tag);
    const bool ok = EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), nullptr, key.data(), nonce) == 1 &&
                    EVP_DecryptUpdate(c, nullptr, &n, bytes_of(aad), static_cast<int>(aad.size())) == 1 &&
                    EVP_DecryptUpdate(c, o, &n, text, static_cast<int>(size)) == 1 &&
                    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size), tag) == 1 &&
                    EVP_DecryptFinal_ex(c, o + n, &tail) == 1;
    if (!ok) {
        wipe(out.data(), out.size());
        return false;
    }
    plain = std::move(out);
    return true;
}

void wipe(void* p, std::size_t n) noexcept { OPENSSL_cleanse(p, n); }

} // namespace careflow::detail

namespace careflow {

key_ring::~key_ring() {
    for (auto& k : keys_) detail::wipe(k.bytes.data(), k.bytes.size());
}

void key_ring::add(std::string_view id, std::span<const unsigned char> key) {
    if (id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7F; }))
        throw error("careflow.store.bad_key", "a key id is 1 to 64 printable ASCII characters without spaces");
    if (key.size() != 32)
        throw error("careflow.store.bad_key",
                    "key '" + std::string(id) + "' has " + std::to_string(key.size()) + " bytes, not 32 (AES-256)");
    const auto same = std::find_if(keys_.begin(), keys_.end(), [&](const entry& e) { return e.id == id; });
    if (same != keys_.end()) {
        if (!std::equal(key.begin(), key.end(), same->bytes.begin()))
            throw error("careflow.store.bad_key",
                        "key '" + std::string(id) + "' is already in the ring, with other bytes");
        std::rotate(same, same + 1, keys_.end()); // make it current
        return;
    }
    entry e;
    e.id = id;
    std::copy(key.begin(), key.end(), e.bytes.begin());
    keys_.push_back(std::move(e));
}

void key_ring::add_hex(std::string_view id, std::string_view hex) {
    if (hex.size() != 64)
        throw error("careflow.store.bad_key", "key '" + std::string(id) + "' must be 64 hexadecimal digits");
    std::array<unsigned char, 32> bytes{};
    auto digit = [&](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < 32; ++i) {
        const int hi = digit(hex[2 * i]);
        const int lo = digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            detail::wipe(bytes.data(), bytes.size());
            throw error("careflow.store.bad_key", "key '" + std::string(id) + "' must be 64 hexadecimal digits");
        }
        bytes[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    add(id, bytes);
    detail::wipe(bytes.data(), bytes.size());
}

std::array<unsigned char, 32> key_ring::random_key() { return detail::random_data_key(); }

const std::string& key_ring::current() const {
    if (keys_.empty()) throw error("careflow.store.missing_key", "the key ring is empty");
    return keys_.back().id;
}

bool key_ring::has(std::string_view id) const noexcept {
    return std::any_of(keys_.begin(), keys_.end(), [&](const entry& e) { return e.id == id; });
}

std::span<const unsigned char, 32> key_ring::key(std::string_view id) const {
    for (const auto& e : keys_)
        if (e.id == id) return e.bytes;
    throw error("careflow.store.missing_key", "the key ring holds no key '" + std::string(id) + "'");
}

std::vector<std::string> key_ring::ids() const {
    std::vector<std::string> out;
    for (const auto& e : keys_) out.push_back(e.id);
    return out;
}

} // namespace careflow
