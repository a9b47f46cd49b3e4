// The journal's hash chain in a real SQLite file: every write chains its lines, verify
// passes on an untouched store (in both sync modes, across reopenings, archiving and a
// migration from schema 2) and names the first entry that fails after any tampering done
// with SQLite itself — a byte changed in a line or a hash, a line deleted (middle or last),
// two lines swapped, a line added; `careflow verify` says the same with exit 0 or 1.
#include "process.hpp"
#include "store_fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

namespace {

const std::string cli = CAREFLOW_CLI;

/// A store with `n` random inputs' journal, closed.
std::uint64_t fill(const std::string& path, int n, durability sync = durability::per_input, std::uint64_t seed = 5) {
    sqlite_store s(path, {.sync = sync});
    engine e = opened(s);
    random_stream inputs(seed);
    inputs.feed(e, n);
    e.flush();
    return e.journal_size();
}

journal_verification verified(const std::string& path) {
    sqlite_store s(path, {.create = false});
    return s.verify();
}

} // namespace

TEST_CASE("an untouched store verifies: every entry, with the head of the last write") {
    scratch tmp;
    for (const auto sync : {durability::per_input, durability::batch}) {
        const std::string path = tmp.file(sync == durability::batch ? "batch.db" : "input.db");
        const auto size = fill(path, 300, sync);
        const auto v = verified(path);
        INFO(v.why);
        CHECK(v.ok);
        CHECK(v.entries == size);
        CHECK(v.head.size() == 64);
        // Reopened and written again, the chain goes on.
        {
            sqlite_store s(path);
            engine e = opened(s);
            REQUIRE(e.advance(e.now() + hours(1)).applied());
        }
        const auto again = verified(path);
        CHECK(again.ok);
        CHECK(again.entries > size);
        CHECK(again.head != v.head);
    }
    // Same inputs, same chain, bit for bit.
    fill(tmp.file("a.db"), 120, durability::per_input, 9);
    fill(tmp.file("b.db"), 120, durability::batch, 9);
    CHECK(verified(tmp.file("a.db")).head == verified(tmp.file("b.db")).head);
    // An empty store verifies with no head.
    { sqlite_store s(tmp.file("empty.db")); }
    const auto empty = verified(tmp.file("empty.db"));
    CHECK(empty.ok);
    CHECK(empty.entries == 0);
    CHECK(empty.head.empty());
}

TEST_CASE("any change made to the journal with SQLite is found, at the first entry it touches") {
    scratch tmp;
    const std::string clean = tmp.file("clean.db");
    const auto size = fill(clean, 200);
    REQUIRE(size > 40);
    struct tamper {
        const char* what;
        std::string sql;
        std::uint64_t first_bad;
    };
    const std::vector<tamper> cases{
        {"one byte of a line",
         "UPDATE careflow_journal SET line = substr(line, 1, 30) || 'X' || substr(line, 32) "
         "WHERE pos = 17",
         17},
        {"one byte of a hash", "UPDATE careflow_journal SET hash = zeroblob(31) || substr(hash, 32) WHERE pos = 23",
         23},
        {"a line deleted", "DELETE FROM careflow_journal WHERE pos = 30", 30},
        {"the last line deleted", "DELETE FROM careflow_journal WHERE pos = " + std::to_string(size - 1), size - 1},
        {"two lines swapped (with their hashes)",
         "UPDATE careflow_journal SET pos = -1 WHERE pos = 12; UPDATE careflow_journal SET pos = 12 WHERE pos = 13; "
         "UPDATE careflow_journal SET pos = 13 WHERE pos = -1",
         12},
        {"a line added at the end",
         "INSERT INTO careflow_journal(pos, line, hash) SELECT pos + 1, line, hash FROM "
         "careflow_journal WHERE pos = " +
             std::to_string(size - 1),
         size},
        {"a line replaced", "UPDATE careflow_journal SET line = 'x' WHERE pos = 5", 5},
    };
    for (const auto& t : cases) {
        INFO(t.what);
        const std::string path = tmp.file("t.db");
        fs::remove(path);
        fs::copy_file(clean, path);
        sql(path, t.sql.c_str());
        const auto v = verified(path);
        CHECK_FALSE(v.ok);
        CHECK(v.first_bad == t.first_bad);
        CHECK_FALSE(v.why.empty());
        const ran r = run_to_end({cli, "verify", "--store", "sqlite:" + path});
        CHECK(r.status == 1);
        CHECK(r.out == "journal entry " + std::to_string(t.first_bad) + " fails verification: " + v.why + "\n");
    }
    const ran ok = run_to_end({cli, "verify", "--store", "sqlite:" + clean});
    CHECK(ok.status == 0);
    CHECK(ok.out == "journal verified: " + std::to_string(size) + " entries, head " + verified(clean).head + "\n");
}

TEST_CASE("archiving moves the chain's anchor; a store migrated from schema 2 is chained") {
    scratch tmp;
    const std::string path = tmp.file("c.db");
    const auto size = fill(path, 200);
    {
        sqlite_store s(path);
        CHECK(s.archive_journal(size / 2, tmp.file("archive.db")) == size / 2);
        const auto v = s.verify();
        INFO(v.why);
        CHECK(v.ok);
        CHECK(v.entries == size - size / 2);
        engine e = opened(s);
        REQUIRE(e.advance(e.now() + hours(2)).applied());
        CHECK(s.verify().ok);
    }
    // What schema 2 held: no hashes, no chain row (nor the sealed rows of schema 4).
    const std::string old = tmp.file("old.db");
    fill(old, 150);
    const std::string head = verified(old).head;
    sql(old, "DROP TABLE careflow_chain; ALTER TABLE careflow_journal DROP COLUMN hash; "

             "ALTER TABLE careflow_cases DROP COLUMN owner; ALTER TABLE careflow_cases DROP COLUMN personal; "
             "ALTER TABLE careflow_journal DROP COLUMN owner; ALTER TABLE careflow_journal DROP COLUMN personal; "
             "DROP TABLE careflow_data_keys; "
             "UPDATE careflow_meta SET value = '2' WHERE key = 'schema_version'");
    const auto migrated = verified(old);
    CHECK(migrated.ok);
    CHECK(migrated.head == head); // the same chain the lines got when written
}

TEST_CASE("careflow verify: bad stores and arguments are one-line errors (exit 2)") {
    scratch tmp;
    const ran missing = run_to_end({cli, "verify", "--store", "sqlite:" + tmp.file("none.db")});
    CHECK(missing.status == 2);
    CHECK(missing.err.rfind("careflow: ", 0) == 0);
    const ran no_store = run_to_end({cli, "verify"});
    CHECK(no_store.status == 2);
    const ran help = run_to_end({cli, "verify", "--help"});
    CHECK(help.status == 0);
}
