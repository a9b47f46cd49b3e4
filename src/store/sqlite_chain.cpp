// The SQLite store's journal hash chain: reading its head, chaining the lines of a store
// migrated from schema 2, moving its anchor when lines are archived, and verifying it.
#include "sqlite_impl.hpp"

#include <utility>
#include <vector>

namespace careflow {

using detail::digest;
using detail::statement;

namespace {

std::string_view bytes_of(const digest& d) { return {reinterpret_cast<const char*>(d.data()), d.size()}; }

struct chain_row {
    bool anchored = false; ///< anchor_pos is set (a line was ever written)
    std::uint64_t anchor_pos = 0;
    digest anchor{};
    bool has_head = false;
    std::uint64_t head_pos = 0;
    digest head{};
};

chain_row read_chain(sqlite3* db) {
    statement q(db, "SELECT anchor_pos, anchor, head_pos, head FROM careflow_chain WHERE id = 1");
    chain_row c;
    if (!q.step("careflow.store.corrupt")) throw error("careflow.store.corrupt", "the journal's chain row is missing");
    c.anchored = !q.null(0);
    c.anchor_pos = static_cast<std::uint64_t>(q.integer(0));
    c.has_head = !q.null(2);
    c.head_pos = static_cast<std::uint64_t>(q.integer(2));
    if (!detail::from_bytes(q.bytes(1), c.anchor) || (c.has_head && !detail::from_bytes(q.bytes(3), c.head)))
        throw error("careflow.store.corrupt", "the journal's chain row holds a hash that is not 32 bytes");
    q.reset();
    return c;
}

} // namespace

namespace detail {

void rechain(sqlite3* db) {
    const chain_row c = read_chain(db);
    digest h = c.anchor;
    statement rows(db, "SELECT pos, line FROM careflow_journal ORDER BY pos");
    statement set(db, "UPDATE careflow_journal SET hash = ? WHERE pos = ?");
    std::vector<std::pair<std::uint64_t, std::string>> lines;
    while (rows.step("careflow.store.open_failed"))
        lines.emplace_back(static_cast<std::uint64_t>(rows.integer(0)), rows.str(1));
    for (const auto& [pos, line] : lines) {
        h = chain_next(h, pos, line);
        set.blob(1, bytes_of(h)).bind(2, static_cast<std::int64_t>(pos)).run("careflow.store.open_failed");
    }
    if (!lines.empty()) {
        statement head(db, "UPDATE careflow_chain SET head_pos = ?, head = ? WHERE id = 1");
        head.bind(1, static_cast<std::int64_t>(lines.back().first))
            .blob(2, bytes_of(h))
            .run("careflow.store.open_failed");
    }
}

} // namespace detail

void sqlite_store::impl::load_head() {
    const chain_row c = read_chain(db);
    has_head = c.has_head;
    head = c.has_head ? c.head : c.anchor;
}

journal_verification sqlite_store::verify() {
    auto& s = *impl_;
    s.commit_batch();
    const chain_row c = read_chain(s.db);
    journal_verification v;
    auto fail = [&](std::uint64_t at, std::string why) {
        v.ok = false;
        v.first_bad = at;
        v.why = std::move(why);
        return v;
    };
    digest h = c.anchor;
    std::uint64_t expected = c.anchor_pos;
    statement rows(s.db, "SELECT pos, line, hash FROM careflow_journal ORDER BY pos");
    while (rows.step("careflow.store.corrupt")) {
        const auto pos = static_cast<std::uint64_t>(rows.integer(0));
        if (!c.anchored || pos < expected)
            return fail(pos, "it lies before the start of the chain (position " + std::to_string(c.anchor_pos) + ")");
        if (pos > expected)
            return fail(expected, pos == expected + 1
                                      ? "it is missing"
                                      : "it and the " + std::to_string(pos - expected - 1) + " after it are missing");
        h = detail::chain_next(h, pos, rows.str(1));
        digest stored{};
        if (!detail::from_bytes(rows.bytes(2), stored) || stored != h)
            return fail(pos, "its text or hash is not what was written there (the chain breaks)");
        ++v.entries;
        ++expected;
    }
    if (c.has_head) {
        if (v.entries == 0 || expected - 1 < c.head_pos)
            return fail(expected, "the journal ends early: entries " + std::to_string(expected) + " to " +
                                      std::to_string(c.head_pos) + " are missing");
        if (expected - 1 > c.head_pos || h != c.head)
            return fail(expected - 1, "the last entry is not the head recorded with the last write");
        v.head = detail::to_hex(h);
    } else if (v.entries > 0) {
        return fail(c.anchor_pos, "entries are held but no write recorded a head");
    }
    v.ok = true;
    return v;
}

} // namespace careflow
