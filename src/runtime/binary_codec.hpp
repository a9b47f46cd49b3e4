// Internal: the binary codec — little-endian fixed-width fields, strings as a u32
// length and bytes, reads bounded by the bytes left — and the records built on it that
// binary snapshots (snapshot_binary.cpp) and a store's rows (durable.cpp) share: a
// program's shape and one case.
#pragma once

#include "engine_impl.hpp"

#include <careflow/error.hpp>

#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace careflow::detail {

constexpr std::uint64_t not_pending = std::numeric_limits<std::uint64_t>::max();

// The unsigned integer a field of type T (an integer or an enumeration) is written as.
template <class T>
struct wire {
    using type = std::make_unsigned_t<T>;
};
template <class T>
requires std::is_enum_v<T>
struct wire<T> {
    using type = std::make_unsigned_t<std::underlying_type_t<T>>;
};
template <class T>
using wire_t = typename wire<T>::type;

class writer {
public:
    explicit writer(std::string& out) : out_(out) {}
    template <class T>
    void put(T v) {
        using U = wire_t<T>;
        const auto u = static_cast<U>(v);
        char b[sizeof(U)];
        for (std::size_t i = 0; i < sizeof(U); ++i) b[i] = static_cast<char>((u >> (8 * i)) & 0xFF);
        out_.append(b, sizeof(U));
    }
    void str(std::string_view s) {
        put(static_cast<std::uint32_t>(s.size()));
        out_.append(s);
    }

private:
    std::string& out_;
};

class reader {
public:
    explicit reader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
    template <class T>
    T get() {
        using U = wire_t<T>;
        need(sizeof(U));
        U u = 0;
        for (std::size_t i = 0; i < sizeof(U); ++i)
            u = static_cast<U>(u | static_cast<U>(static_cast<U>(static_cast<unsigned char>(p_[i])) << (8 * i)));
        p_ += sizeof(U);
        return static_cast<T>(u);
    }
    /// The next byte, not taken (-1 at the end).
    [[nodiscard]] int peek() const noexcept { return p_ == end_ ? -1 : static_cast<unsigned char>(*p_); }
    std::string_view str() {
        const auto n = get<std::uint32_t>();
        need(n);
        const std::string_view s(p_, n);
        p_ += n;
        return s;
    }
    /// A count of items of at least `bytes` each: no more than the bytes left can hold.
    template <class T>
    std::size_t count(std::size_t bytes) {
        const std::size_t n = get<T>();
        if (n > left() / bytes) throw truncated("a count larger than the bytes left");
        return n;
    }
    [[nodiscard]] std::size_t left() const noexcept { return static_cast<std::size_t>(end_ - p_); }
    [[nodiscard]] std::size_t at(std::string_view whole) const noexcept {
        return static_cast<std::size_t>(p_ - whole.data());
    }
    static error truncated(const std::string& why) { return error("careflow.snapshot.truncated", why); }

private:
    void need(std::size_t n) const {
        if (left() < n) throw truncated("the binary snapshot ends early");
    }
    const char* p_;
    const char* end_;
};

/// A bad_value error naming the byte `r` stopped at within `whole`.
error bad_value(const reader& r, std::string_view whole, const std::string& why);

/// A program's shape (name, version, states, variables with types, clocks, timer count,
/// duties), so that records by index are read only into the same definition.
void put_shape(writer& w, const program& p);
/// The installed program a shape names; `careflow.snapshot.unknown_program` when none is
/// installed or its shape differs.
const installed& read_shape(reader& r, const engine_impl& e);

/// One case: its place, the variables not at their initial value, assignees, the clocks
/// started, the timer slots in use (with arming numbers when pending), its children and
/// its client. `table` maps installed program indexes to those the bytes name. A personal
/// variable whose item bit is not in `shown` is written as if at its initial value (0: a
/// store's case row, whose whole form it keeps sealed apart; a reader's snapshot).
void put_case(writer& w, const engine_impl& e, const case_data& c, const std::vector<std::uint16_t>& table,
              std::uint64_t shown = ~std::uint64_t{0});
/// Does any personal variable of `c` differ from its initial value?
bool holds_personal(const engine_impl& e, const case_data& c);
/// The personal variables of `c` not at their initial value: u16 count, then each u16
/// variable index and a string (text) or an i64 cell (a store's sealed part of a case row).
void put_personal(writer& w, const engine_impl& e, const case_data& c);
/// Read what `put_personal` wrote into case `c` (laid out, its other parts read).
void get_personal(reader& r, std::string_view whole, const engine_impl& e, case_data& c);
/// A client's consent answer (store dictionary entries, binary snapshots): string client,
/// string topic, u8 given (1) or withdrawn (0), i64 at, i64 until, u32 person.
void put_consent(writer& w, const engine_impl& e, std::string_view client, const consent_record& c);
/// The bytes `put_consent` writes at the least.
inline constexpr std::size_t consent_bytes = 4 + 4 + 1 + 8 + 8 + 4;
/// Read what `put_consent` wrote (interning its topic in `e`, which must have `people`
/// people); false when it is out of range — a bad client or topic, a person who is not
/// one, or an `until` not after its time or on a withdrawal.
bool get_consent(reader& r, engine_impl& e, std::size_t people, std::string& client, consent_record& c);
/// Where a case's client is in bytes `get_case` reads: not there (a binary snapshot of
/// version 1), always there (version 2), or there when bytes are left (a store's case row,
/// which holds exactly one case; rows written before clients had none).
enum class client_field : std::uint8_t { absent, present, trailing };
/// Read one case into `e` (programs by the table `progs`, where 0xFFFF is a program not
/// installed: `careflow.snapshot.unknown_program`; people below `people`),
/// re-arming its pending timers; `whole` is what error offsets count in.
void get_case(reader& r, std::string_view whole, engine_impl& e, const std::vector<std::uint16_t>& progs,
              std::size_t people, client_field client);

} // namespace careflow::detail
