/// \file careflow/store/sqlite.hpp
/// The embedded store: one SQLite file (the system's libsqlite3, through its C API), in
/// WAL mode with `synchronous=FULL`. The schema, the durability promise of each mode and
/// the error ids are in docs/store.md.
#pragma once

#include <careflow/store/store.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace careflow {

/// When an input written to the store is durable.
enum class durability : std::uint8_t {
    per_input, ///< each input is its own committed transaction before the call returns
    batch      ///< inputs join an open transaction, committed every `batch_inputs` inputs, after
               ///< `batch_time`, at `flush()` and when the store closes: a crash loses at most
               ///< the unflushed batch, never part of an input
};

/// How a store is opened.
struct sqlite_options {
    durability sync = durability::per_input;
    std::size_t batch_inputs = 256;           ///< batch: commit after this many inputs
    std::chrono::milliseconds batch_time{50}; ///< batch: commit once the batch is this old
    bool create = true;                       ///< make a new store when the file does not exist
    /// The host's keys: with them, personal values are sealed with AES-256-GCM under a data
    /// key per client, wrapped by the ring's current key. Without them (nullptr) personal
    /// values are still kept apart from the journal and case rows — so erasure destroys them
    /// — but in clear; a store that holds sealed values cannot be read without its keys
    /// (`careflow.store.missing_key`, or `careflow.store.bad_key` for wrong ones).
    std::shared_ptr<const key_ring> keys = nullptr;
};

/// What `sqlite_store::verify` found of the journal's hash chain.
struct journal_verification {
    bool ok = false;
    std::uint64_t entries = 0;   ///< entries the store holds that were checked (all of them when ok)
    std::string head;            ///< ok: the last entry's hash in hex, to anchor elsewhere ("" for no entries)
    std::uint64_t first_bad = 0; ///< not ok: the position of the first entry that fails
    std::string why;             ///< not ok: what is wrong with it
};

/// A careflow store in an SQLite file. Opening checks that the file is a careflow store of
/// a schema this library reads (and writes nothing to a file that is not); a new file gets
/// the current schema. Not thread-safe: one engine, one thread.
class sqlite_store final : public store {
public:
    /// The schema this library writes (and the newest it reads). Opening a store of an
    /// older version migrates it, in one transaction, before anything else is written.
    static constexpr int schema_version = 4;

    /// Open (or create) the store at `path`. Throws `careflow::error`:
    /// `careflow.store.open_failed` (no such file and `create` is false, a folder that does
    /// not exist, no permission), `careflow.store.not_a_store` (not SQLite, or SQLite
    /// without careflow's tables), `careflow.store.newer_schema`, `careflow.store.corrupt`.
    explicit sqlite_store(const std::string& path, sqlite_options options = {});
    /// Commits an open batch (errors are swallowed: call `flush()` to see them).
    ~sqlite_store() override;
    sqlite_store(const sqlite_store&) = delete;
    sqlite_store& operator=(const sqlite_store&) = delete;

    stored_engine load() override;
    void write(const store_write& w) override;
    void flush() override;
    std::vector<std::string> journal(std::uint64_t from, std::uint64_t count) override;
    std::optional<recorded_input> recorded(std::string_view key) override;

    /// Copy the whole store, while it is open, to a new file at `to` (SQLite's online
    /// backup). An open batch is committed first. Throws `careflow.store.backup_failed`.
    void backup(const std::string& to);
    /// Make the store at `to` a copy of the backup at `from` (SQLite's backup API), replacing
    /// whatever `to` held; no store may be open on `to` meanwhile. The backup is checked
    /// first and nothing is written when it is not a careflow store this library reads:
    /// `careflow.store.open_failed` (no such file), `careflow.store.not_a_store`,
    /// `careflow.store.newer_schema`; a copy that fails is `careflow.store.backup_failed`.
    /// A backup of an older schema is migrated when the restored store is opened.
    static void restore_backup(const std::string& from, const std::string& to);
    /// Move the journal lines before position `before` (never the last one) out of the
    /// store into the SQLite file `to`, made when missing and appended to when it is such
    /// an archive; returns how many lines moved. The archive commits before the store lets
    /// go of the lines, so a crash in between leaves them in both (archiving again settles
    /// it), never in neither. Reads of the store's journal then begin at `journal_begin()`.
    /// Throws `careflow.store.archive_failed` (nothing moved).
    std::uint64_t archive_journal(std::uint64_t before, const std::string& to);
    /// Check the journal's hash chain: every entry the store holds is where it was written,
    /// unchanged, and none is missing, up to the head recorded with the last write. Each
    /// line's hash is SHA-256 over the previous hash, its position and its text
    /// (docs/security.md); the first failing entry is named. An open batch is committed
    /// first. Throws `careflow.store.corrupt` only when SQLite cannot read the file.
    [[nodiscard]] journal_verification verify();
    /// Re-wrap every client's data key under the key ring's current key (after adding a new
    /// host key to the ring); the personal data itself is not touched. Returns how many
    /// data keys moved; afterwards the older host keys may leave the ring. One transaction;
    /// `careflow.store.missing_key` / `bad_key` (nothing changed) when a data key cannot be
    /// opened with the ring.
    std::size_t rotate_keys();
    /// How many data keys the store holds under each host key id (for key management).
    [[nodiscard]] std::vector<std::pair<std::string, std::size_t>> data_keys();
    /// The first journal position the store still holds (0 until lines are archived).
    [[nodiscard]] std::uint64_t journal_begin();
    /// Has an engine been written to this store? (False for a new, empty one, which
    /// `engine::open` would seed.) Reads one row.
    [[nodiscard]] bool holds_engine();
    /// Inputs written since the last commit (those a crash would lose): 0 in per-input mode,
    /// and in batch mode right after a commit.
    [[nodiscard]] std::size_t unflushed() const noexcept;
    /// The file's path.
    [[nodiscard]] const std::string& path() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace careflow
