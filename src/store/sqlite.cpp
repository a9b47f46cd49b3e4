// The SQLite store: opening and checking a store file (or making one), its schema, the
// transaction each write is (or the batch it joins), loading for recovery, reading the
// journal back, and online backup. SQLite's own C API, from the system's libsqlite3.
#include "sqlite_impl.hpp"

#include <algorithm>
#include <iterator>
#include <set>
#include <string_view>

namespace careflow {

using detail::damaged;
using detail::statement;

namespace {

// Version 1: the tables below. Each later version is a migration from the one before,
// run in order, in one transaction, when a store of an older version is opened (a new
// store is made as version 1 and migrated, so that every store takes the same path).
constexpr const char* schema_v1 = R"(
CREATE TABLE careflow_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO careflow_meta VALUES('format', 'careflow-store'), ('schema_version', '1');
CREATE TABLE careflow_header(id INTEGER PRIMARY KEY CHECK (id = 1), body BLOB NOT NULL);
CREATE TABLE careflow_dictionary(pos INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE careflow_cases(id INTEGER PRIMARY KEY, ord INTEGER NOT NULL, state BLOB NOT NULL);
CREATE INDEX careflow_cases_by_order ON careflow_cases(ord);
CREATE TABLE careflow_journal(pos INTEGER PRIMARY KEY, line TEXT NOT NULL);
)";

// migrations[v - 1] takes a store from version v to v + 1.
constexpr const char* migrations[] = {
    // 1 → 2: idempotency keys, one row per keyed input.
    R"(
CREATE TABLE careflow_keys(key TEXT PRIMARY KEY, fingerprint INTEGER NOT NULL, pos INTEGER NOT NULL,
  case_id INTEGER NOT NULL, outcome TEXT NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL,
  state TEXT NOT NULL, from_state INTEGER NOT NULL, to_state INTEGER NOT NULL) WITHOUT ROWID;
UPDATE careflow_meta SET value = '2' WHERE key = 'schema_version';
)",
    // 2 → 3: the journal's hash chain (docs/security.md). Each line's hash, and one row for
    // the chain: its anchor (the position it starts at and the hash before it) and its head
    // (the last position and its hash). The lines already held are chained by `rechain`.
    R"(
ALTER TABLE careflow_journal ADD COLUMN hash BLOB;
CREATE TABLE careflow_chain(id INTEGER PRIMARY KEY CHECK (id = 1), anchor_pos INTEGER, anchor BLOB NOT NULL,
  head_pos INTEGER, head BLOB);
INSERT INTO careflow_chain VALUES (1, (SELECT min(pos) FROM careflow_journal), zeroblob(32), NULL, NULL);
UPDATE careflow_meta SET value = '3' WHERE key = 'schema_version';
)",
    // 3 → 4: personal data kept apart (docs/security.md): beside each case row and journal
    // line that holds personal values, its personal part sealed under its owner's data key (in
    // the same row: no other table to write per input); the data keys, wrapped by host keys.
    R"(
ALTER TABLE careflow_cases ADD COLUMN owner TEXT;
ALTER TABLE careflow_cases ADD COLUMN personal BLOB;
ALTER TABLE careflow_journal ADD COLUMN owner TEXT;
ALTER TABLE careflow_journal ADD COLUMN personal BLOB;
CREATE TABLE careflow_data_keys(owner TEXT PRIMARY KEY, key_id TEXT NOT NULL, wrapped BLOB NOT NULL) WITHOUT ROWID;
UPDATE careflow_meta SET value = '4' WHERE key = 'schema_version';
)"};
static_assert(std::size(migrations) + 1 == sqlite_store::schema_version);

// The schema version of the careflow store in `db`: 0 for a database with no tables.
// Throws not_a_store (not SQLite, another database, no readable version) or newer_schema.
int stored_version(sqlite3* db, const std::string& path) {
    std::set<std::string> tables;
    try {
        statement list(db, "SELECT name FROM sqlite_master WHERE type = 'table'");
        while (list.step("careflow.store.not_a_store")) tables.insert(list.str(0));
    } catch (const error& x) {
        const std::string id = x.id();
        throw error(id == "careflow.store.corrupt" ? "careflow.store.not_a_store" : id,
                    "'" + path + "' is not an SQLite database: " + x.what());
    }
    if (tables.empty()) return 0;
    if (!tables.count("careflow_meta"))
        throw error("careflow.store.not_a_store", "'" + path + "' is an SQLite database without careflow's tables");
    statement meta(db, "SELECT value FROM careflow_meta WHERE key = 'schema_version'");
    if (!meta.step("careflow.store.not_a_store"))
        throw error("careflow.store.not_a_store", "'" + path + "' has no schema version");
    const std::string version = meta.str(0);
    meta.reset();
    const bool number = !version.empty() && version.size() < 9 && version[0] != '0' &&
                        version.find_first_not_of("0123456789") == std::string::npos;
    if (number && std::stoi(version) <= sqlite_store::schema_version) return std::stoi(version);
    throw error(number ? "careflow.store.newer_schema" : "careflow.store.not_a_store",
                "'" + path + "' has schema version '" + version + "'; this library reads versions 1 to " +
                    std::to_string(sqlite_store::schema_version));
}

// Journal lines held: positions 0 to this − 1 (the last line is never archived).
std::uint64_t load_journal_size(sqlite3* db) {
    statement size(db, "SELECT coalesce(max(pos) + 1, 0) FROM careflow_journal");
    const auto n = size.step("careflow.store.corrupt") ? static_cast<std::uint64_t>(size.integer(0)) : 0;
    size.reset();
    return n;
}

// Copy the whole database open on `from` into the file `to` (SQLite's backup API, which
// copies a database in WAL mode whole); the reason when it fails.
std::optional<std::string> copy_database(sqlite3* from, const std::string& to) {
    sqlite3* dest = nullptr;
    int rc = sqlite3_open_v2(to.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc == SQLITE_OK) {
        if (sqlite3_backup* b = sqlite3_backup_init(dest, "main", from, "main")) {
            sqlite3_backup_step(b, -1);
            sqlite3_backup_finish(b);
        }
        rc = sqlite3_errcode(dest);
    }
    std::optional<std::string> why;
    if (rc != SQLITE_OK) why = dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc);
    sqlite3_close_v2(dest);
    return why;
}

outcome outcome_named(std::string_view s) {
    for (auto o : {outcome::applied, outcome::ignored, outcome::refused, outcome::error})
        if (to_string(o) == s) return o;
    throw error("careflow.store.corrupt", "a keyed input of outcome '" + std::string(s) + "'");
}

} // namespace

sqlite_store::sqlite_store(const std::string& path, sqlite_options options) : impl_(std::make_unique<impl>()) {
    auto& s = *impl_;
    s.path = path;
    s.options = options;
    const int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
    if (const int rc = sqlite3_open_v2(path.c_str(), &s.db, flags, nullptr); rc != SQLITE_OK)
        throw error("careflow.store.open_failed",
                    "cannot open '" + path + "': " + (s.db ? sqlite3_errmsg(s.db) : sqlite3_errstr(rc)));
    sqlite3_extended_result_codes(s.db, 1);
    // What is in the file is checked before anything is written to it; an older schema is
    // migrated (checked again under the write lock: another process may have done it).
    if (stored_version(s.db, path) < schema_version) {
        s.exec("BEGIN IMMEDIATE", "careflow.store.open_failed");
        try {
            int version = stored_version(s.db, path);
            if (version == 0) s.exec(schema_v1, "careflow.store.open_failed"), version = 1;
            for (; version < schema_version; ++version) {
                s.exec(migrations[version - 1], "careflow.store.open_failed");
                if (version + 1 == 3) detail::rechain(s.db);
            }
            s.exec("COMMIT", "careflow.store.open_failed");
        } catch (...) {
            s.rollback();
            throw;
        }
    }
    s.exec("PRAGMA journal_mode = WAL", "careflow.store.open_failed");
    s.exec("PRAGMA synchronous = FULL", "careflow.store.open_failed");
    // Deleted rows are overwritten, not left in free pages: erased personal data is gone
    // from the file once the WAL is checkpointed (`write` does so after a shred).
    s.exec("PRAGMA secure_delete = ON", "careflow.store.open_failed");
    s.header = statement(s.db, "INSERT OR REPLACE INTO careflow_header(id, body) VALUES (1, ?)");
    s.dictionary = statement(s.db, "INSERT INTO careflow_dictionary(body) VALUES (?)");
    s.upsert_case = statement(
        s.db, "INSERT OR REPLACE INTO careflow_cases(id, ord, state, owner, personal) VALUES (?, ?, ?, ?, ?)");
    s.erase_case = statement(s.db, "DELETE FROM careflow_cases WHERE id = ?");
    s.journal_line =
        statement(s.db, "INSERT INTO careflow_journal(pos, line, hash, owner, personal) VALUES (?, ?, ?, ?, ?)");
    s.chain_head = statement(s.db, "UPDATE careflow_chain SET head_pos = ?, head = ?, anchor_pos = "
                                   "coalesce(anchor_pos, ?) WHERE id = 1");
    s.key_insert = statement(s.db, "INSERT INTO careflow_keys(key, fingerprint, pos, case_id, outcome, code, reason, "
                                   "state, from_state, to_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.key_find = statement(s.db, "SELECT fingerprint, pos, case_id, outcome, code, reason, state, from_state, to_state "
                                 "FROM careflow_keys WHERE key = ?");
    s.prepare_sealed();
    s.load_head();
}

sqlite_store::~sqlite_store() {
    try {
        impl_->commit_batch();
    } catch (...) { // a destructor does not throw: flush() reports it
    }
}

const std::string& sqlite_store::path() const noexcept { return impl_->path; }

stored_engine sqlite_store::load() {
    auto& s = *impl_;
    stored_engine out;
    statement header(s.db, "SELECT body FROM careflow_header WHERE id = 1");
    if (!header.step("careflow.store.corrupt")) return out; // nothing written yet
    out.empty = false;
    out.header = header.bytes(0);
    header.reset();
    statement dictionary(s.db, "SELECT body FROM careflow_dictionary ORDER BY pos");
    while (dictionary.step("careflow.store.corrupt")) out.dictionary.push_back(dictionary.bytes(0));
    statement cases(s.db, "SELECT id, ord, state, owner, personal FROM careflow_cases ORDER BY ord");
    while (cases.step("careflow.store.corrupt")) {
        stored_case c{static_cast<case_id>(cases.integer(0)),
                      static_cast<std::uint64_t>(cases.integer(1)),
                      cases.bytes(2),
                      {},
                      {}};
        if (!cases.null(4) && !cases.null(3)) {
            c.owner = cases.str(3);
            if (!s.open_row(0, c.id, c.owner, cases.bytes(4), c.personal)) c.personal.clear();
        }
        out.cases.push_back(std::move(c));
    }
    out.journal_size = load_journal_size(s.db);
    return out;
}

void sqlite_store::write(const store_write& w) {
    auto& s = *impl_;
    const bool batch = s.options.sync == durability::batch;
    if (batch && !s.in_batch) {
        s.exec("BEGIN IMMEDIATE", "careflow.store.write_failed");
        s.in_batch = true;
        s.batch_began = std::chrono::steady_clock::now();
    }
    // One input is all or nothing: its own transaction, or a savepoint within the batch.
    s.exec(batch ? "SAVEPOINT careflow_input" : "BEGIN IMMEDIATE", "careflow.store.write_failed");
    try {
        for (const auto& entry : w.dictionary) s.dictionary.blob(1, entry).run("careflow.store.write_failed");
        for (case_id id : w.erased)
            s.erase_case.bind(1, static_cast<std::int64_t>(id)).run("careflow.store.write_failed");
        std::string body;
        for (const auto& c : w.cases) {
            s.upsert_case.bind(1, static_cast<std::int64_t>(c.id))
                .bind(2, static_cast<std::int64_t>(c.order))
                .blob(3, c.state);
            if (c.personal.empty()) {
                s.upsert_case.bind_null(4).bind_null(5);
            } else {
                body = s.seal_row(0, c.id, c.owner, c.personal);
                s.upsert_case.text(4, c.owner).blob(5, body);
            }
            s.upsert_case.run("careflow.store.write_failed");
        }
        detail::digest head = s.head;
        std::size_t next_personal = 0; // w.personal is in position order
        for (std::size_t i = 0; i < w.journal.size(); ++i) {
            const std::uint64_t at = w.journal_first + i;
            head = detail::chain_next(head, at, w.journal[i]);
            s.journal_line.bind(1, static_cast<std::int64_t>(at))
                .text(2, w.journal[i])
                .blob(3, std::string_view(reinterpret_cast<const char*>(head.data()), head.size()));
            if (next_personal < w.personal.size() && w.personal[next_personal].position == at) {
                const sealed_line& p = w.personal[next_personal++];
                body = s.seal_row(1, at, p.owner, p.values);
                s.journal_line.text(4, p.owner).blob(5, body);
            } else {
                s.journal_line.bind_null(4).bind_null(5);
            }
            s.journal_line.run("careflow.store.write_failed");
        }
        if (next_personal != w.personal.size())
            throw error("careflow.store.write_failed", "a sealed line is not one of the write's journal lines");
        if (!w.journal.empty())
            s.chain_head.bind(1, static_cast<std::int64_t>(w.journal_first + w.journal.size() - 1))
                .blob(2, std::string_view(reinterpret_cast<const char*>(head.data()), head.size()))
                .bind(3, static_cast<std::int64_t>(w.journal_first))
                .run("careflow.store.write_failed");
        for (const auto& k : w.keys)
            s.key_insert.text(1, k.key)
                .bind(2, static_cast<std::int64_t>(k.fingerprint))
                .bind(3, static_cast<std::int64_t>(k.position))
                .bind(4, static_cast<std::int64_t>(k.id))
                .text(5, to_string(k.kind))
                .text(6, k.code)
                .text(7, k.reason)
                .text(8, k.state)
                .bind(9, k.from)
                .bind(10, k.to)
                .run("careflow.store.write_failed");
        for (const auto& owner : w.shred) s.shred(owner);
        s.header.blob(1, w.header).run("careflow.store.write_failed");
        s.exec(batch ? "RELEASE careflow_input" : "COMMIT", "careflow.store.write_failed");
        if (!w.journal.empty()) s.head = head, s.has_head = true;
    } catch (...) {
        if (batch) {
            sqlite3_exec(s.db, "ROLLBACK TO careflow_input", nullptr, nullptr, nullptr);
            sqlite3_exec(s.db, "RELEASE careflow_input", nullptr, nullptr, nullptr);
            s.forget_keys();
        } else {
            s.rollback();
        }
        throw;
    }
    if (!w.shred.empty()) {
        // An erasure is durable at once, and its pages leave the WAL for the main file,
        // where secure_delete has zeroed what was deleted.
        s.commit_batch();
        s.exec("PRAGMA wal_checkpoint(TRUNCATE)", "careflow.store.write_failed");
        return;
    }
    if (batch && (++s.batched >= s.options.batch_inputs ||
                  std::chrono::steady_clock::now() - s.batch_began >= s.options.batch_time))
        s.commit_batch();
}

void sqlite_store::flush() { impl_->commit_batch(); }

std::size_t sqlite_store::unflushed() const noexcept { return impl_->in_batch ? impl_->batched : 0; }

std::vector<std::string> sqlite_store::journal(std::uint64_t from, std::uint64_t count) {
    statement q(impl_->db, "SELECT pos, line, owner, personal FROM careflow_journal WHERE pos >= ? AND pos < ? "
                           "ORDER BY pos");
    const std::uint64_t end = count > UINT64_MAX - from ? UINT64_MAX : from + count;
    q.bind(1, static_cast<std::int64_t>(std::min<std::uint64_t>(from, INT64_MAX)))
        .bind(2, static_cast<std::int64_t>(std::min<std::uint64_t>(end, INT64_MAX)));
    std::vector<std::string> out;
    std::string values;
    while (q.step("careflow.store.corrupt")) {
        std::string line = q.str(1);
        if (!q.null(3) && !q.null(2) &&
            impl_->open_row(1, static_cast<std::uint64_t>(q.integer(0)), q.str(2), q.bytes(3), values)) {
            // The sealed values field goes back in place of the chained one (the 14th field).
            std::size_t at = 0; // the tab before it
            for (int tab = 0; tab < 13 && at != std::string::npos; ++tab) at = line.find('\t', tab == 0 ? 0 : at + 1);
            if (at == std::string::npos)
                throw error("careflow.store.corrupt",
                            "journal entry " + std::to_string(q.integer(0)) + " has sealed values but no values field");
            const std::size_t end = line.find('\t', at + 1);
            line.replace(at + 1, end == std::string::npos ? std::string::npos : end - at - 1, values);
        }
        out.push_back(std::move(line));
    }
    return out;
}

std::optional<recorded_input> sqlite_store::recorded(std::string_view key) {
    statement& q = impl_->key_find;
    q.text(1, key);
    if (!q.step("careflow.store.corrupt")) return std::nullopt;
    recorded_input r;
    r.key = std::string(key);
    r.fingerprint = static_cast<std::uint64_t>(q.integer(0));
    r.position = static_cast<std::uint64_t>(q.integer(1));
    r.id = static_cast<case_id>(q.integer(2));
    const std::string kind = q.str(3);
    r.code = q.str(4);
    r.reason = q.str(5);
    r.state = q.str(6);
    r.from = static_cast<state_index>(q.integer(7));
    r.to = static_cast<state_index>(q.integer(8));
    q.reset();
    r.kind = outcome_named(kind);
    return r;
}

bool sqlite_store::holds_engine() {
    statement q(impl_->db, "SELECT 1 FROM careflow_header WHERE id = 1");
    const bool held = q.step("careflow.store.corrupt");
    q.reset();
    return held;
}

std::uint64_t sqlite_store::journal_begin() {
    statement q(impl_->db, "SELECT coalesce(min(pos), 0) FROM careflow_journal");
    const auto first = q.step("careflow.store.corrupt") ? static_cast<std::uint64_t>(q.integer(0)) : 0;
    q.reset();
    return first;
}

std::uint64_t sqlite_store::archive_journal(std::uint64_t before, const std::string& to) {
    auto& s = *impl_;
    s.commit_batch();
    const std::uint64_t size = load_journal_size(s.db);
    before = std::min<std::uint64_t>({before, size == 0 ? 0 : size - 1, INT64_MAX}); // the last line stays
    const char* id = "careflow.store.archive_failed";
    statement attach(s.db, "ATTACH DATABASE ? AS careflow_archive");
    attach.text(1, to).run(id);
    struct detach {
        impl& s;
        ~detach() { sqlite3_exec(s.db, "DETACH DATABASE careflow_archive", nullptr, nullptr, nullptr); }
    } detached{s};
    std::uint64_t moved = 0;
    try {
        // First the archive, committed on its own (a transaction over two files in WAL
        // mode is not atomic across them), then the store lets go of the lines.
        s.exec("PRAGMA careflow_archive.synchronous = FULL", id);
        s.exec("BEGIN IMMEDIATE", id);
        s.exec(
            "CREATE TABLE IF NOT EXISTS careflow_archive.careflow_archive_meta(key TEXT PRIMARY KEY, value TEXT);"
            "INSERT OR IGNORE INTO careflow_archive.careflow_archive_meta VALUES ('format', "
            "'careflow-journal-archive');"
            "CREATE TABLE IF NOT EXISTS careflow_archive.careflow_journal(pos INTEGER PRIMARY KEY, line TEXT NOT NULL)",
            id);
        statement kind(s.db, "SELECT value FROM careflow_archive.careflow_archive_meta WHERE key = 'format'");
        if (!kind.step(id) || kind.str(0) != "careflow-journal-archive")
            throw error(id, "'" + to + "' is not a careflow journal archive");
        kind.reset();
        statement copy(s.db, "INSERT OR IGNORE INTO careflow_archive.careflow_journal(pos, line) "
                             "SELECT pos, line FROM main.careflow_journal WHERE pos < ?");
        copy.bind(1, static_cast<std::int64_t>(before)).run(id);
        s.exec("COMMIT", id);
        s.exec("BEGIN IMMEDIATE", id);
        // The chain now starts after the archived lines: the last of them is its anchor.
        statement anchor(s.db, "UPDATE careflow_chain SET anchor_pos = ?1, anchor = (SELECT hash FROM "
                               "main.careflow_journal WHERE pos = ?1 - 1) WHERE id = 1 AND EXISTS (SELECT 1 FROM "
                               "main.careflow_journal WHERE pos = ?1 - 1 AND hash IS NOT NULL)");
        anchor.bind(1, static_cast<std::int64_t>(before)).run(id);
        statement drop(s.db, "DELETE FROM main.careflow_journal WHERE pos < ?");
        drop.bind(1, static_cast<std::int64_t>(before)).run(id);
        moved = static_cast<std::uint64_t>(sqlite3_changes64(s.db));
        // (The archive keeps the lines as chained: their personal values leave with them.)
        s.exec("COMMIT", id);
    } catch (const error& x) {
        s.rollback();
        if (std::string_view(x.id()) == id) throw;
        throw error(id, x.what());
    }
    return moved;
}

void sqlite_store::backup(const std::string& to) {
    auto& s = *impl_;
    s.commit_batch();
    if (const auto why = copy_database(s.db, to))
        throw error("careflow.store.backup_failed", "cannot back up to '" + to + "': " + *why);
}

void sqlite_store::restore_backup(const std::string& from, const std::string& to) {
    struct connection {
        sqlite3* db = nullptr;
        ~connection() { sqlite3_close_v2(db); }
    } src;
    if (const int rc = sqlite3_open_v2(from.c_str(), &src.db, SQLITE_OPEN_READONLY, nullptr); rc != SQLITE_OK)
        throw error("careflow.store.open_failed",
                    "cannot open the backup '" + from + "': " + (src.db ? sqlite3_errmsg(src.db) : sqlite3_errstr(rc)));
    if (stored_version(src.db, from) == 0)
        throw error("careflow.store.not_a_store", "'" + from + "' is an empty database, not a backup of a store");
    if (const auto why = copy_database(src.db, to))
        throw error("careflow.store.backup_failed", "cannot restore '" + from + "' to '" + to + "': " + *why);
}

} // namespace careflow
