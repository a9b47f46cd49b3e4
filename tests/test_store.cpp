// Durable engines on a real SQLite file: reopened at any point they are the engine that
// never stopped; each input is in the file when it returns (or, in batch mode, once
// flushed); bad stores are typed errors that write nothing; a write the store refuses
// leaves the engine equal to the store.
#include "store_fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

TEST_CASE("an engine on a store, closed and reopened every few inputs, is the engine that never stopped") {
    for (const auto mode : {durability::per_input, durability::batch}) {
        std::mt19937_64 rng(mode == durability::batch ? 5 : 4);
        for (int round = 0; round < 12; ++round) {
            scratch tmp;
            const std::string path = tmp.file("center.db");
            engine live;
            setup(live);
            (void)live.intern(staff[round % std::size(staff)]);
            const int inputs = 150 + static_cast<int>(rng() % 150);
            std::mt19937_64 same = rng, cuts(static_cast<std::uint64_t>(round));
            time_point now_live = t0, now_durable = t0;
            case_id next_live = 1, next_durable = 1;
            for (int i = 0; i < inputs; ++i) one_input(live, rng, now_live, next_live);
            int done = 0;
            while (done < inputs) {
                sqlite_store s(path, {.sync = mode});
                engine durable;
                setup(durable);
                if (done == 0) (void)durable.intern(staff[round % std::size(staff)]);
                durable.open(s);
                REQUIRE(durable.durable());
                const int k = 1 + static_cast<int>(cuts() % 40);
                for (int i = 0; i < k && done < inputs; ++i, ++done)
                    one_input(durable, same, now_durable, next_durable);
                durable.flush();
            }
            sqlite_store s(path);
            engine reopened = opened(s);
            REQUIRE_MESSAGE(reopened.snapshot() == live.snapshot(), "round " << round);
            CHECK(stored_journal(s) == journal_text(live));
            CHECK(reopened.journal_size() == live.journal_size());
            CHECK(reopened.journal_begin() == live.journal_size()); // the journal stays in the store
        }
    }
}

TEST_CASE("per input, an input is in the file when the call returns; in batch mode once flushed") {
    scratch tmp;
    const std::string path = tmp.file("c.db");
    {
        sqlite_store s(path);
        engine e = opened(s);
        REQUIRE(e.start(progs()[0], 1, {}, t0, staff[0]).applied());
        sqlite_store other(path); // a second connection sees what is committed
        CHECK(other.load().cases.size() == 1);
    }
    {
        sqlite_store s(path, {.sync = durability::batch, .batch_inputs = 1000, .batch_time = std::chrono::hours(1)});
        engine e = opened(s);
        REQUIRE(e.start(progs()[0], 2, {}, t0 + seconds(1), staff[0]).applied());
        sqlite_store other(path);
        CHECK(other.load().cases.size() == 1); // not yet
        e.flush();
        CHECK(other.load().cases.size() == 2);
        REQUIRE(e.start(progs()[0], 3, {}, t0 + seconds(2), staff[0]).applied());
    } // closing the store commits its batch
    sqlite_store s(path);
    CHECK(s.load().cases.size() == 3);
}

TEST_CASE("bad stores are typed errors, and a file that is not a store is left as it was") {
    scratch tmp;
    auto refused = [](const std::string& path, const char* id, sqlite_options o = {}) {
        CHECK_THROWS_WITH_AS(sqlite_store(path, o), doctest::Contains(id), careflow::error);
    };
    refused(tmp.file("no/such/folder/c.db"), "careflow.store.open_failed");
    refused(tmp.file("missing.db"), "careflow.store.open_failed", {.create = false});
    CHECK_FALSE(fs::exists(tmp.file("missing.db")));

    const std::string text = tmp.file("notes.txt");
    std::ofstream(text) << "Dear diary, today the hotline was busy. This is not a database, not at all.\n";
    const std::string before = bytes_of(text);
    refused(text, "careflow.store.not_a_store");
    CHECK(bytes_of(text) == before);

    const std::string other = tmp.file("other.db");
    sql(other, "CREATE TABLE patients(id INTEGER PRIMARY KEY, name TEXT)");
    const std::string other_before = bytes_of(other);
    refused(other, "careflow.store.not_a_store");
    CHECK(bytes_of(other) == other_before);

    const std::string newer = tmp.file("newer.db");
    { sqlite_store s(newer); }
    sql(newer, "UPDATE careflow_meta SET value = '5' WHERE key = 'schema_version'");
    refused(newer, "careflow.store.newer_schema");
}

TEST_CASE("a store whose cases another program version made is a program mismatch; damaged rows are corrupt") {
    scratch tmp;
    const std::string path = tmp.file("c.db");
    {
        sqlite_store s(path);
        engine e;
        e.install(compile(hotline_model().build()));
        e.open(s);
        e.start("hotline_call", 1, {}, t0, staff[0]);
    }
    procedure_builder changed = hotline_model();
    changed.variable("extra", value_type::integer, 0);
    for (auto* installed : {"nothing", "changed"}) {
        sqlite_store s(path);
        engine e;
        if (std::string(installed) == "changed") e.install(compile(changed.build()));
        e.start(progs()[0], 9, {}, t0, staff[0]);
        const std::string before = e.snapshot();
        CHECK_THROWS_WITH_AS(e.open(s), doctest::Contains("careflow.store.program_mismatch"), careflow::error);
        CHECK(e.snapshot() == before);
        CHECK_FALSE(e.durable());
    }
    // A store whose hotline cases are all gone opens without the hotline installed.
    const std::string retired = tmp.file("retired.db");
    {
        sqlite_store s(retired);
        engine e;
        e.install(compile(hotline_model().build()));
        e.open(s);
        e.start("hotline_call", 1, {}, t0, staff[0]);
        REQUIRE(e.dispatch(1, "hang_up", t0 + seconds(1), staff[0]).applied());
        REQUIRE(e.erase(1));
    }
    {
        sqlite_store s(retired);
        engine e = opened(s);
        CHECK(e.size() == 0);
        REQUIRE(e.start(progs()[0], 2, {}, t0 + seconds(5), staff[0]).applied());
    }
    sqlite_store back(retired);
    CHECK(opened(back).size() == 1);
    sql(path, "UPDATE careflow_cases SET state = x'0102'");
    sqlite_store s(path);
    engine e;
    e.install(compile(hotline_model().build()));
    CHECK_THROWS_WITH_AS(e.open(s), doctest::Contains("careflow.store.corrupt"), careflow::error);
}

TEST_CASE("an input the store cannot take is an error result, and the engine is what the store holds") {
    scratch tmp;
    const std::string path = tmp.file("c.db");
    sqlite_store s(path);
    engine e = opened(s);
    const auto ref = e.intern(staff[0]);
    REQUIRE(e.start(progs()[0], 1, {}, t0, staff[0]).applied());
    const std::string durable_state = e.snapshot();
    // Another connection holds the write lock: the next write cannot happen.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    const auto r = e.dispatch(1, "answer", t0 + seconds(2), staff[0]);
    CHECK(r.kind == outcome::error);
    CHECK(r.code == codes::store_write_failed);
    CHECK(e.snapshot() == durable_state); // the answer did not happen
    // The typed path holds a step around the input: refused the same way, and it goes on.
    const auto answer = *progs()[0]->find_event("answer");
    CHECK(e.dispatch(1, answer, t0 + seconds(2), ref).code == codes::store_write_failed);
    CHECK(e.dispatch(1, answer, t0 + seconds(2), ref).code == codes::store_write_failed);
    CHECK(e.snapshot() == durable_state);
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    REQUIRE(e.dispatch(1, "answer", t0 + seconds(3), staff[0]).applied());
    sqlite_store again(path);
    engine reopened = opened(again);
    CHECK(reopened.snapshot() == e.snapshot());
}

TEST_CASE("an online backup opens as the same engine; a durable engine refuses restore and a second open") {
    scratch tmp;
    sqlite_store s(tmp.file("c.db"));
    engine e = opened(s);
    random_stream inputs(3);
    inputs.feed(e, 200);
    s.backup(tmp.file("backup.db"));
    sqlite_store b(tmp.file("backup.db"));
    engine restored = opened(b);
    CHECK(restored.snapshot() == e.snapshot());
    CHECK(stored_journal(b) == stored_journal(s));
    CHECK_THROWS_WITH_AS(e.restore(restored.snapshot()), doctest::Contains("careflow.store.attached"), careflow::error);
    CHECK_THROWS_WITH_AS(e.open(b), doctest::Contains("careflow.store.attached"), careflow::error);
    CHECK_THROWS_WITH_AS(s.backup(tmp.file("no/such/folder/b.db")), doctest::Contains("careflow.store.backup_failed"),
                         careflow::error);
}

TEST_CASE("archiving the journal moves old lines to another file; the store goes on, and a repeat settles") {
    scratch tmp;
    const std::string path = tmp.file("c.db"), archive = tmp.file("archive.db");
    sqlite_store s(path, {.sync = durability::batch});
    engine e = opened(s);
    random_stream inputs(21);
    inputs.feed(e, 200);
    const std::string whole = stored_journal(s);
    const auto size = e.journal_size();
    REQUIRE(size > 100);
    CHECK(s.archive_journal(100, archive) == 100);
    CHECK(s.journal_begin() == 100);
    CHECK(s.journal(0, 10).empty());
    // The archive holds the first 100 lines, the store the rest: together, the journal.
    std::string joined;
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(archive.c_str(), &db) == SQLITE_OK);
        sqlite3_stmt* q = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "SELECT line FROM careflow_journal ORDER BY pos", -1, &q, nullptr) == SQLITE_OK);
        while (sqlite3_step(q) == SQLITE_ROW)
            joined += reinterpret_cast<const char*>(sqlite3_column_text(q, 0)) + std::string("\n");
        sqlite3_finalize(q);
        sqlite3_close(db);
    }
    joined += stored_journal(s);
    CHECK(joined == whole);
    // The engine goes on, and a reopened one takes positions on from the end.
    inputs.feed(e, 50);
    e.flush();
    sqlite_store again(path);
    engine reopened = opened(again);
    CHECK(reopened.snapshot() == e.snapshot());
    CHECK(reopened.journal_size() == e.journal_size());
    // Everything but the last line; a second archive into the same file appends; a file
    // that is not such an archive is refused with nothing moved.
    CHECK(s.archive_journal(UINT64_MAX, archive) == e.journal_size() - 101);
    CHECK(s.journal_begin() == e.journal_size() - 1);
    CHECK(opened(again).journal_size() == e.journal_size());
    sql(tmp.file("other.db"), "CREATE TABLE careflow_archive_meta(key TEXT PRIMARY KEY, value TEXT); "
                              "INSERT INTO careflow_archive_meta VALUES ('format', 'something else')");
    CHECK_THROWS_WITH_AS(s.archive_journal(UINT64_MAX, tmp.file("other.db")),
                         doctest::Contains("careflow.store.archive_failed"), careflow::error);
    CHECK(s.journal_begin() == e.journal_size() - 1);
}
