// Internal containers of the run stage: the case-id index and the append-only chunked
// sequence the journal lives in. Plain data structures, tested on their own
// (tests/test_containers.cpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace careflow::detail {

inline constexpr std::uint32_t none32 = 0xFFFFFFFF;

/// Case id → slot: open addressing with linear probing over a power-of-two table of
/// (id, slot) pairs, so a lookup is usually one cache line (std::unordered_map's node
/// chasing was a quarter of the engine's time over 100k interleaved cases; separate key
/// and slot arrays cost a second miss).
class id_index {
public:
    [[nodiscard]] std::uint32_t find(std::uint64_t id) const noexcept {
        if (table_.empty()) return none32;
        for (std::size_t i = home(id);; i = (i + 1) & mask_) {
            const entry& e = table_[i];
            if (e.slot == empty_slot) return none32;
            if (e.slot != tombstone && e.key == id) return e.slot;
        }
    }
    [[nodiscard]] bool contains(std::uint64_t id) const noexcept { return find(id) != none32; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    void insert(std::uint64_t id, std::uint32_t slot) {
        if ((used_ + 1) * 2 > table_.size()) grow();
        std::size_t i = home(id);
        while (table_[i].slot != empty_slot && table_[i].slot != tombstone) i = (i + 1) & mask_;
        if (table_[i].slot == empty_slot) ++used_;
        table_[i] = {id, slot};
        ++size_;
    }
    bool erase(std::uint64_t id) noexcept {
        if (table_.empty()) return false;
        for (std::size_t i = home(id);; i = (i + 1) & mask_) {
            entry& e = table_[i];
            if (e.slot == empty_slot) return false;
            if (e.slot != tombstone && e.key == id) {
                e.slot = tombstone;
                --size_;
                return true;
            }
        }
    }

private:
    struct entry {
        std::uint64_t key = 0;
        std::uint32_t slot = none32;
    };
    static constexpr std::uint32_t empty_slot = none32;
    static constexpr std::uint32_t tombstone = none32 - 1;
    [[nodiscard]] std::size_t home(std::uint64_t id) const noexcept {
        std::uint64_t x = id + 0x9E3779B97F4A7C15ull; // splitmix64 finaliser: sequential ids spread
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        return static_cast<std::size_t>(x ^ (x >> 31)) & mask_;
    }
    void grow() {
        std::vector<entry> old;
        old.swap(table_);
        const std::size_t n = std::max<std::size_t>(16, size_ * 4);
        std::size_t cap = 16;
        while (cap < n) cap *= 2;
        table_.assign(cap, entry{});
        mask_ = cap - 1;
        size_ = used_ = 0;
        for (const entry& e : old)
            if (e.slot != empty_slot && e.slot != tombstone) insert(e.key, e.slot);
    }
    std::vector<entry> table_;
    std::size_t mask_ = 0;
    std::size_t size_ = 0; ///< live entries
    std::size_t used_ = 0; ///< live entries and tombstones
};

/// An append-only sequence in fixed-size blocks: growing never moves what is stored (a
/// journal of millions of records would otherwise be copied at every doubling, and need
/// twice its size while it is).
template <class T, std::size_t Block = 4096>
class chunked {
public:
    void push_back(const T& v) {
        if (size_ % Block == 0 && size_ == blocks_.size() * Block) grow();
        blocks_[size_ / Block][size_ % Block] = v;
        ++size_;
    }
    [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return blocks_[i / Block][i % Block]; }
    [[nodiscard]] T& operator[](std::size_t i) noexcept { return blocks_[i / Block][i % Block]; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    void clear() noexcept {
        blocks_.clear();
        size_ = 0;
    }

private:
    void grow() { blocks_.push_back(std::unique_ptr<T[]>(new T[Block])); }
    std::vector<std::unique_ptr<T[]>> blocks_;
    std::size_t size_ = 0;
};

} // namespace careflow::detail
