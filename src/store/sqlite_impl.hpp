// Internal to the SQLite store's sources: a prepared statement, what SQLite calls damage,
// and the store's open connection with its prepared statements, chain head and data keys
// (sqlite.cpp: schema, writes, loading, backups; sqlite_chain.cpp: the hash chain;
// sqlite_sealed.cpp: personal data sealed apart, data keys, shredding, rotation).
#pragma once

#include "chain.hpp"
#include "seal.hpp"

#include <careflow/error.hpp>
#include <careflow/store/sqlite.hpp>

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace careflow::detail {

// Damage SQLite reports as such is corruption; anything else in a write is a failed write.
inline bool damaged(int rc) {
    const int primary = rc & 0xFF;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

// One prepared statement, finalized with its owner.
class statement {
public:
    statement() = default;
    statement(sqlite3* db, const char* sql) : db_(db) {
        if (const int rc = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); rc != SQLITE_OK)
            throw error(damaged(rc) ? "careflow.store.corrupt" : "careflow.store.not_a_store",
                        std::string("cannot prepare '") + sql + "': " + sqlite3_errmsg(db));
    }
    statement(statement&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
    statement& operator=(statement&& o) noexcept {
        std::swap(db_, o.db_);
        std::swap(s_, o.s_);
        return *this;
    }
    ~statement() { sqlite3_finalize(s_); }
    statement& bind(int i, std::int64_t v) {
        check(sqlite3_bind_int64(s_, i, v));
        return *this;
    }
    statement& blob(int i, std::string_view v) {
        check(sqlite3_bind_blob64(s_, i, v.data(), v.size(), SQLITE_STATIC));
        return *this;
    }
    statement& bind_null(int i) {
        check(sqlite3_bind_null(s_, i));
        return *this;
    }
    statement& text(int i, std::string_view v) {
        check(sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8));
        return *this;
    }
    /// Step once: true with a row, false when done. Throws `id` (or corrupt) on failure.
    bool step(const char* id) {
        const int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) {
            sqlite3_reset(s_);
            return false;
        }
        const std::string why = sqlite3_errmsg(db_);
        sqlite3_reset(s_);
        throw error(damaged(rc) ? "careflow.store.corrupt" : id, why);
    }
    void run(const char* id) {
        while (step(id)) {
        }
    }
    [[nodiscard]] std::int64_t integer(int col) const { return sqlite3_column_int64(s_, col); }
    [[nodiscard]] bool null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
    [[nodiscard]] std::string bytes(int col) const {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(s_, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, col))) : std::string();
    }
    [[nodiscard]] std::string str(int col) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, col))) : std::string();
    }
    void reset() { sqlite3_reset(s_); }

private:
    void check(int rc) const {
        if (rc != SQLITE_OK) throw error("careflow.store.write_failed", sqlite3_errmsg(db_));
    }
    sqlite3* db_ = nullptr;
    sqlite3_stmt* s_ = nullptr;
};

/// Chain the journal lines of a store migrated from schema 2 (sqlite_chain.cpp).
void rechain(sqlite3* db);

} // namespace careflow::detail

namespace careflow {

struct sqlite_store::impl {
    std::string path;
    sqlite_options options;
    sqlite3* db = nullptr;
    detail::statement header, dictionary, upsert_case, erase_case, journal_line, key_insert, key_find, chain_head;
    detail::statement data_key_get, data_key_put;
    /// The hash of the last journal line written (committed, or in the open batch), and
    /// whether there is one; the chain's anchor when there is none.
    detail::digest head{};
    bool has_head = false;
    bool in_batch = false;
    std::size_t batched = 0;
    std::chrono::steady_clock::time_point batch_began;

    /// Data keys opened (or made) so far, by owner; forgotten when a transaction that may
    /// have made one rolls back (the table is the truth).
    std::unordered_map<std::string, detail::data_key> data_keys;

    ~impl() {
        forget_keys();
        sqlite3_close_v2(db);
    }

    void exec(const char* sql, const char* id) {
        char* message = nullptr;
        if (const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message); rc != SQLITE_OK) {
            const std::string why = message ? message : sqlite3_errmsg(db);
            sqlite3_free(message);
            throw error(detail::damaged(rc) ? "careflow.store.corrupt" : id, why);
        }
    }
    void rollback() noexcept {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        forget_keys();
    }
    void commit_batch() {
        if (!in_batch) return;
        in_batch = false;
        batched = 0;
        try {
            exec("COMMIT", "careflow.store.write_failed");
        } catch (...) {
            rollback();
            load_head(); // the batch's lines are gone with it
            throw;
        }
    }
    /// Read the chain's head (or anchor) from the store (sqlite_chain.cpp).
    void load_head();

    // ---- personal data (sqlite_sealed.cpp) ----
    /// Prepare the statements of the sealed tables.
    void prepare_sealed();
    /// `plain` (the personal part of case row `at`, kind 0, or of journal line `at`, kind 1) sealed under
    /// `owner`'s data key (made when it has none), for that row's `personal` column.
    std::string seal_row(int kind, std::uint64_t at, const std::string& owner, std::string_view plain);
    /// Open a sealed body read from row (kind, at) of `owner`: false when its owner has no
    /// data key any more (erased). Throws missing_key / bad_key / corrupt.
    bool open_row(int kind, std::uint64_t at, const std::string& owner, std::string_view body, std::string& plain);
    /// Destroy `owner`'s data key and everything sealed under it.
    void shred(const std::string& owner);
    /// Wipe and forget the opened data keys.
    void forget_keys() noexcept;
};

} // namespace careflow
