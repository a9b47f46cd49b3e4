// The run stage's internal containers: the case-id index (open addressing with
// tombstones) and the chunked append-only sequence, each against a standard container.
#include "runtime/containers.hpp"

#include <doctest/doctest.h>

#include <random>
#include <unordered_map>

using careflow::detail::chunked;
using careflow::detail::id_index;
using careflow::detail::none32;

TEST_CASE("the id index agrees with std::unordered_map under random inserts and erases") {
    std::mt19937_64 rng(7);
    id_index index;
    std::unordered_map<std::uint64_t, std::uint32_t> model;
    for (int i = 0; i < 200000; ++i) {
        const std::uint64_t id = rng() % 5000 + (rng() % 4 == 0 ? (std::uint64_t{1} << 62) : 0);
        if (rng() % 3 == 0) {
            CHECK(index.erase(id) == (model.erase(id) == 1));
        } else if (!model.count(id)) {
            const auto slot = static_cast<std::uint32_t>(i);
            index.insert(id, slot);
            model[id] = slot;
        }
        if (i % 1000 == 0) {
            REQUIRE(index.size() == model.size());
            for (const auto& [k, v] : model) REQUIRE(index.find(k) == v);
        }
    }
    CHECK(index.find(999999) == none32);
    CHECK_FALSE(index.contains(999999));
}

TEST_CASE("an empty id index finds nothing and erases nothing") {
    id_index index;
    CHECK(index.find(0) == none32);
    CHECK_FALSE(index.erase(0));
    CHECK(index.size() == 0);
}

TEST_CASE("a chunked sequence never moves what it stores and reads back in order") {
    chunked<std::uint64_t, 8> seq;
    CHECK(seq.empty());
    const std::uint64_t* first = nullptr;
    for (std::uint64_t i = 0; i < 1000; ++i) {
        seq.push_back(i * 3);
        if (i == 0) first = &seq[0];
    }
    CHECK(&seq[0] == first); // growing did not move the first block
    REQUIRE(seq.size() == 1000);
    for (std::size_t i = 0; i < seq.size(); ++i) REQUIRE(seq[i] == i * 3);
    seq.clear();
    CHECK(seq.empty());
    seq.push_back(5);
    CHECK(seq[0] == 5);
}
