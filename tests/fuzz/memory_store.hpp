// Shared by the store fuzz target and its seed maker: a store kept in memory, and the
// byte form of what it holds — chunks of a u16 length and bytes: the header, then a
// count byte of dictionary entries and the entries, then one chunk per case (its id is
// read from the record's first eight bytes, as the record holds it).
#pragma once

#include <careflow/store/store.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace careflow::fuzz {

class memory_store final : public store {
public:
    stored_engine held;
    stored_engine load() override { return held; }
    void write(const store_write& w) override {
        held.empty = false;
        held.header = w.header;
        for (const auto& d : w.dictionary) held.dictionary.push_back(d);
        for (case_id id : w.erased) std::erase_if(held.cases, [&](const stored_case& c) { return c.id == id; });
        for (const auto& c : w.cases) {
            std::erase_if(held.cases, [&](const stored_case& x) { return x.id == c.id; });
            held.cases.push_back(c);
        }
        std::sort(held.cases.begin(), held.cases.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
        held.journal_size = w.journal_first + w.journal.size();
        for (const auto& k : w.keys) keys.emplace(k.key, k);
    }
    void flush() override {}
    std::vector<std::string> journal(std::uint64_t, std::uint64_t) override { return {}; }
    std::optional<recorded_input> recorded(std::string_view key) override {
        const auto it = keys.find(std::string(key));
        return it == keys.end() ? std::nullopt : std::optional<recorded_input>(it->second);
    }
    std::map<std::string, recorded_input> keys;
};

inline std::string to_bytes(const stored_engine& s) {
    std::string out;
    auto chunk = [&](std::string_view c) {
        const auto n = static_cast<std::uint16_t>(std::min<std::size_t>(c.size(), 0xFFFF));
        out.push_back(static_cast<char>(n & 0xFF));
        out.push_back(static_cast<char>(n >> 8));
        out.append(c.substr(0, n));
    };
    chunk(s.header);
    out.push_back(static_cast<char>(std::min<std::size_t>(s.dictionary.size(), 255)));
    for (std::size_t i = 0; i < s.dictionary.size() && i < 255; ++i) chunk(s.dictionary[i]);
    for (const auto& c : s.cases) chunk(c.state);
    return out;
}

inline stored_engine from_bytes(std::string_view in) {
    stored_engine s;
    s.empty = false;
    auto chunk = [&](std::string& to) {
        if (in.size() < 2) return false;
        const std::size_t n =
            static_cast<unsigned char>(in[0]) | static_cast<std::size_t>(static_cast<unsigned char>(in[1])) << 8;
        in.remove_prefix(2);
        to.assign(in.substr(0, n));
        in.remove_prefix(std::min(n, in.size()));
        return true;
    };
    chunk(s.header);
    const std::size_t entries = in.empty() ? 0 : static_cast<unsigned char>(in[0]);
    if (!in.empty()) in.remove_prefix(1);
    for (std::size_t i = 0; i < entries; ++i)
        if (std::string e; chunk(e)) s.dictionary.push_back(std::move(e));
    for (std::string c; chunk(c);) {
        stored_case sc;
        if (c.size() >= 8)
            for (int b = 7; b >= 0; --b)
                sc.id = sc.id << 8 | static_cast<unsigned char>(c[static_cast<std::size_t>(b)]);
        sc.order = s.cases.size();
        sc.state = c;
        s.cases.push_back(std::move(sc));
    }
    return s;
}

} // namespace careflow::fuzz
