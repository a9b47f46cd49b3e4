// The journal's hash chain: SHA-256 through OpenSSL's libcrypto (EVP), never by hand.
#include "chain.hpp"

#include <careflow/error.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <memory>

namespace careflow::detail {

digest chain_next(const digest& previous, std::uint64_t position, std::string_view line) {
    struct context_free {
        void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
    };
    // One context per thread, reset for each line: no allocation per hash.
    thread_local const std::unique_ptr<EVP_MD_CTX, context_free> ctx(EVP_MD_CTX_new());
    unsigned char at[8];
    for (int i = 0; i < 8; ++i) at[i] = static_cast<unsigned char>(position >> (8 * i));
    digest out{};
    unsigned int size = 0;
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), previous.data(), previous.size()) != 1 ||
        EVP_DigestUpdate(ctx.get(), at, sizeof at) != 1 || EVP_DigestUpdate(ctx.get(), line.data(), line.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), out.data(), &size) != 1 || size != out.size())
        throw error("careflow.store.write_failed", "SHA-256 failed in OpenSSL");
    return out;
}

std::string to_hex(const digest& d) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(64);
    for (const unsigned char b : d) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

bool from_bytes(std::string_view bytes, digest& out) noexcept {
    if (bytes.size() != out.size()) return false;
    std::copy(bytes.begin(), bytes.end(), out.begin());
    return true;
}

} // namespace careflow::detail
