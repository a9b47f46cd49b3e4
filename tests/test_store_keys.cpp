// Idempotent inputs, store migrations and restores: a keyed input applies once and its
// key afterwards returns the recorded result, in memory and on a store (reopened or not,
// per input or batched); a key reused for another input is refused; a write the store
// refuses records no key. A version-1 store is migrated; a backup restores as a library
// call; a full disk is an input's error result and the engine stays equal to its store.
#include "store_fixtures.hpp"

#include <csignal>
#include <sys/resource.h>
#include <sys/wait.h>

using namespace careflow;
using namespace careflow::test;

namespace {

const actor op{"op-1", {"operator"}};

// Keyed inputs on `e`: the first of each applies, the second replays.
void keyed_round_trip(engine& e) {
    const auto first = e.with_key("k1").start("hotline_call", 17, {}, t0, op);
    REQUIRE(first.applied());
    CHECK_FALSE(first.replayed);
    const auto answer = e.with_key("k2").dispatch(17, "answer", t0 + seconds(20), op);
    REQUIRE(answer.applied());
    const std::string state = e.snapshot();
    const auto journal = e.journal_size();

    const auto again = e.with_key("k2").dispatch(17, "answer", t0 + seconds(25), op); // re-sent later: same input
    CHECK(again.replayed);
    CHECK(again.kind == answer.kind);
    CHECK(again.to == answer.to);
    CHECK(again.from == answer.from);
    const auto start_again = e.with_key("k1").start(progs()[0], 17, {}, t0, op); // the same start, by program
    CHECK(start_again.replayed);
    CHECK(start_again.applied());
    CHECK(e.snapshot() == state);
    CHECK(e.journal_size() == journal); // a replayed key is not an input: nothing is journaled

    const auto rec = e.recorded("k2");
    REQUIRE(rec);
    CHECK(rec->id == 17);
    CHECK(rec->kind == outcome::applied);
    CHECK(rec->code.empty());
    CHECK(rec->state == e.get(17).path());
    CHECK_FALSE(e.recorded("k3"));

    // The same key for another input: refused, nothing changes, the first stands.
    for (auto* other : {"hang_up", "answer"}) {
        const actor who = std::string(other) == "answer" ? actor{"op-2", {"operator"}} : op;
        const auto reused = e.with_key("k2").dispatch(17, other, t0 + seconds(30), who);
        CHECK(reused.kind == outcome::error);
        CHECK(reused.code == codes::key_reused);
        CHECK_FALSE(reused.replayed);
    }
    CHECK(e.with_key("k1").start("hotline_call", 18, {}, t0 + seconds(30), op).code == codes::key_reused);
    CHECK(e.snapshot() == state);
    CHECK(e.journal_size() == journal);

    // A refused input is recorded with its refusal, and replays as refused.
    const auto refused = e.with_key("k4").dispatch(17, "no_such_event", t0 + seconds(40), op);
    CHECK(refused.code == codes::unknown_event);
    const auto refused_again = e.with_key("k4").dispatch(17, "no_such_event", t0 + seconds(41), op);
    CHECK(refused_again.replayed);
    CHECK(refused_again.code == codes::unknown_event);
    CHECK(refused_again.reason == refused.reason);
    // An advance, and an empty key, which is no key.
    CHECK(e.with_key("k5").advance(t0 + hours(1)).applied());
    CHECK(e.with_key("k5").advance(t0 + hours(2)).replayed);
    CHECK_FALSE(e.with_key("").advance(t0 + hours(3)).replayed);
    CHECK_FALSE(e.with_key("").advance(t0 + hours(3)).replayed);
}

} // namespace

TEST_CASE("a keyed input applies once; its key then returns the recorded result and changes nothing") {
    engine e;
    setup(e);
    keyed_round_trip(e);
    // Fields in another order are the same input; another value is not.
    engine f;
    setup(f);
    REQUIRE(f.start("phone_callback", 1, {}, t0, op).applied());
    const payload ab{{"a", value(1)}, {"b", value("x")}};
    const payload ba{{"b", value("x")}, {"a", value(1)}};
    const payload other{{"a", value(2)}, {"b", value("x")}};
    const auto r = f.with_key("p").dispatch(1, "nope", ab, t0 + seconds(1), op);
    CHECK(f.with_key("p").dispatch(1, "nope", ba, t0 + seconds(2), op).replayed);
    CHECK(f.with_key("p").dispatch(1, "nope", other, t0 + seconds(2), op).code == codes::key_reused);
    CHECK(r.code == codes::unknown_event);
    // Restoring a snapshot forgets an engine's keys in memory: they named inputs of the
    // state it replaces.
    const std::string earlier = f.snapshot();
    REQUIRE(f.with_key("late").advance(t0 + hours(1)).applied());
    f.restore(earlier);
    CHECK_FALSE(f.recorded("late"));
    CHECK_FALSE(f.with_key("late").advance(t0 + hours(1)).replayed);
}

TEST_CASE("a host's own request text identifies a keyed input instead of its content") {
    engine e;
    setup(e);
    REQUIRE(e.with_key("r1", "POST /calls/17/answer").start("hotline_call", 17, {}, t0, op).applied());
    // Whatever the call looks like now, the same request under the key is the same input...
    CHECK(e.with_key("r1", "POST /calls/17/answer").advance(t0 + seconds(1)).replayed);
    // ...and another request is not, even for the very same call.
    CHECK(e.with_key("r1", "POST /calls/18/answer").start("hotline_call", 17, {}, t0, op).code == codes::key_reused);
    CHECK(e.with_key("r1").start("hotline_call", 17, {}, t0, op).code == codes::key_reused);
}

TEST_CASE("keys on a store: recorded with the input, replayed after a reopen, in both modes") {
    for (const auto mode : {durability::per_input, durability::batch}) {
        scratch tmp;
        const std::string path = tmp.file("c.db");
        {
            sqlite_store s(path, {.sync = mode});
            engine e = opened(s);
            keyed_round_trip(e); // in batch mode, the keys are found in the open batch
        }
        sqlite_store s(path, {.sync = mode});
        engine e = opened(s);
        const std::string state = e.snapshot();
        const auto again = e.with_key("k2").dispatch(17, "answer", t0 + hours(4), op);
        CHECK(again.replayed);
        CHECK(again.applied());
        CHECK(e.with_key("k4").dispatch(17, "no_such_event", t0 + hours(4), op).code == codes::unknown_event);
        CHECK(e.with_key("k2").dispatch(17, "hang_up", t0 + hours(4), op).code == codes::key_reused);
        CHECK(e.snapshot() == state);
        const auto rec = s.recorded("k1");
        REQUIRE(rec);
        CHECK(rec->position == 0);
        CHECK(rec->state == "call.ringing");
    }
}

TEST_CASE("a keyed input the store refuses records no key: sent again, it applies") {
    scratch tmp;
    const std::string path = tmp.file("c.db");
    sqlite_store s(path);
    engine e = opened(s);
    REQUIRE(e.with_key("a").start("hotline_call", 1, {}, t0, op).applied());
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    CHECK(e.with_key("b").dispatch(1, "answer", t0 + seconds(2), op).code == codes::store_write_failed);
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    CHECK_FALSE(e.recorded("b"));
    const auto r = e.with_key("b").dispatch(1, "answer", t0 + seconds(3), op);
    CHECK(r.applied());
    CHECK_FALSE(r.replayed);
    CHECK(e.with_key("b").dispatch(1, "answer", t0 + seconds(4), op).replayed);
}

TEST_CASE("a start by an unknown name on a durable engine is in the store's journal") {
    scratch tmp;
    sqlite_store s(tmp.file("c.db"));
    engine e = opened(s);
    CHECK(e.start("no_such_procedure", 1, {}, t0, op).code == codes::unknown_program);
    REQUIRE(e.start("hotline_call", 2, {}, t0 + seconds(1), op).applied());
    engine live;
    setup(live);
    (void)live.start("no_such_procedure", 1, {}, t0, op);
    (void)live.start("hotline_call", 2, {}, t0 + seconds(1), op);
    CHECK(stored_journal(s) == journal_text(live));
}

TEST_CASE("a version-1 store is migrated when opened, and goes on as the same engine") {
    scratch tmp;
    const std::string path = tmp.file("old.db");
    std::string before;
    {
        sqlite_store s(path);
        engine e = opened(s);
        random_stream inputs(11);
        inputs.feed(e, 120);
        before = e.snapshot();
    }
    // What version 1 held: the same tables without the keys (nor the chain of version 3, nor the
    // sealed rows of version 4).
    sql(path, "DROP TABLE careflow_keys; DROP TABLE careflow_chain; ALTER TABLE careflow_journal DROP COLUMN hash; "

              "ALTER TABLE careflow_cases DROP COLUMN owner; ALTER TABLE careflow_cases DROP COLUMN personal; "
              "ALTER TABLE careflow_journal DROP COLUMN owner; ALTER TABLE careflow_journal DROP COLUMN personal; "
              "DROP TABLE careflow_data_keys; "
              "UPDATE careflow_meta SET value = '1' WHERE key = 'schema_version'");
    {
        sqlite_store s(path);
        engine e = opened(s);
        CHECK(e.snapshot() == before);
        REQUIRE(e.with_key("after-migration").advance(t0 + hours(500)).applied());
        CHECK(e.with_key("after-migration").advance(t0 + hours(501)).replayed);
    }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT value FROM careflow_meta WHERE key = 'schema_version'", -1, &q, nullptr) ==
            SQLITE_OK);
    REQUIRE(sqlite3_step(q) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 0))) ==
          std::to_string(sqlite_store::schema_version));
    sqlite3_finalize(q);
    sqlite3_close(db);
    // A version that is no number is not a store.
    sql(path, "UPDATE careflow_meta SET value = '02' WHERE key = 'schema_version'");
    CHECK_THROWS_WITH_AS(sqlite_store(path, {}), doctest::Contains("careflow.store.not_a_store"), careflow::error);
}

TEST_CASE("a backup restores into a store as a library call; a bad backup writes nothing") {
    scratch tmp;
    const std::string path = tmp.file("c.db"), copy = tmp.file("backup.db");
    std::string at_backup;
    {
        sqlite_store s(path);
        engine e = opened(s);
        random_stream inputs(12);
        inputs.feed(e, 150);
        s.backup(copy);
        at_backup = e.snapshot();
        inputs.feed(e, 50); // the store moves on
        REQUIRE(e.snapshot() != at_backup);
    }
    sqlite_store::restore_backup(copy, path);
    {
        sqlite_store s(path);
        CHECK(opened(s).snapshot() == at_backup);
    }
    sqlite_store::restore_backup(copy, tmp.file("fresh.db")); // into a new file too
    {
        sqlite_store s(tmp.file("fresh.db"));
        CHECK(opened(s).snapshot() == at_backup);
    }
    const std::string target_before = bytes_of(path);
    std::ofstream(tmp.file("notes.txt")) << "not a database at all, just some notes about the week\n";
    CHECK_THROWS_WITH_AS(sqlite_store::restore_backup(tmp.file("notes.txt"), path),
                         doctest::Contains("careflow.store.not_a_store"), careflow::error);
    CHECK_THROWS_WITH_AS(sqlite_store::restore_backup(tmp.file("missing.db"), path),
                         doctest::Contains("careflow.store.open_failed"), careflow::error);
    CHECK_FALSE(fs::exists(tmp.file("missing.db")));
    sql(tmp.file("empty.db"), "PRAGMA user_version = 0");
    CHECK_THROWS_WITH_AS(sqlite_store::restore_backup(tmp.file("empty.db"), path),
                         doctest::Contains("careflow.store.not_a_store"), careflow::error);
    CHECK(bytes_of(path) == target_before);
}

TEST_CASE("a full disk is the error result of the input being written; the engine stays equal to its store") {
    for (const auto mode : {durability::per_input, durability::batch}) {
        scratch tmp;
        const std::string path = tmp.file("c.db");
        sqlite_store s(path, {.sync = mode, .batch_inputs = 8});
        engine e = opened(s);
        random_stream inputs(13);
        inputs.feed(e, 40);
        e.flush();
        // The process may write no byte past the files' present sizes plus a little: the
        // disk is full for it (EFBIG, which SQLite reports as a full disk or an I/O error).
        std::uintmax_t largest = 0;
        for (const auto& f : fs::directory_iterator(tmp.dir)) largest = std::max(largest, f.file_size());
        rlimit old{};
        REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
        const auto previous = std::signal(SIGXFSZ, SIG_IGN);
        rlimit full = old;
        full.rlim_cur = static_cast<rlim_t>(largest + 4096);
        REQUIRE(setrlimit(RLIMIT_FSIZE, &full) == 0);
        int refused = 0;
        for (int i = 0; i < 400 && refused == 0; ++i) {
            const std::string before = e.snapshot();
            const auto r = e.start(progs()[static_cast<std::size_t>(i) % progs().size()],
                                   1000 + static_cast<case_id>(i), {}, inputs.now + seconds(i), staff[0]);
            if (r.code == codes::store_write_failed) {
                ++refused;
                // per input: the input did not happen; batch: the engine went back to the last commit
                if (mode == durability::per_input) CHECK(e.snapshot() == before);
            }
        }
        setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, previous);
        CHECK(refused == 1);
        const std::string after = e.snapshot();
        sqlite_store again(path);
        CHECK(opened(again).snapshot() == after); // the engine is what the store holds
        // With room again, the engine goes on.
        REQUIRE(e.start("hotline_call", 5000, {}, inputs.now + hours(1), staff[0]).applied());
    }
}

TEST_CASE("a read-only store file: reads and replays work, the first write is that input's error result") {
    scratch tmp;
    const std::string path = tmp.file("c.db");
    std::string durable_state;
    {
        sqlite_store s(path);
        engine e = opened(s);
        REQUIRE(e.with_key("a").start("hotline_call", 1, {}, t0, op).applied());
        durable_state = e.snapshot();
    }
    fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(tmp.dir, fs::perms::all); // SQLite makes its shared-memory file beside it
    // In a child that cannot write the file (root can write anything: it becomes nobody).
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
        try {
            sqlite_store s(path);
            engine e = opened(s);
            if (e.snapshot() != durable_state) ::_exit(4);
            if (!e.with_key("a").start("hotline_call", 1, {}, t0, op).replayed) ::_exit(5);
            const auto r = e.dispatch(1, "answer", t0 + seconds(2), op);
            if (r.code != codes::store_write_failed) ::_exit(6);
            if (e.snapshot() != durable_state) ::_exit(7); // the answer did not happen
        } catch (const std::exception& x) {
            std::fprintf(stderr, "%s\n", x.what());
            ::_exit(8);
        }
        ::_exit(0);
    }
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("a corrupt page is careflow.store.corrupt, and the engine is left as it was") {
    scratch tmp;
    const std::string path = tmp.file("c.db");
    {
        sqlite_store s(path);
        engine e = opened(s);
        random_stream inputs(14);
        inputs.feed(e, 300);
    }
    // Overwrite every page but the first (the schema) with noise: the tables' pages are gone.
    const auto size = fs::file_size(path);
    REQUIRE(size > 3 * 4096);
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        std::mt19937 noise(1);
        for (std::uintmax_t at = 4096; at < size; ++at) {
            f.seekp(static_cast<std::streamoff>(at));
            f.put(static_cast<char>(noise()));
        }
    }
    engine e;
    setup(e);
    REQUIRE(e.start("hotline_call", 99, {}, t0, op).applied());
    const std::string before = e.snapshot();
    try {
        sqlite_store s(path);
        CHECK_THROWS_WITH_AS(e.open(s), doctest::Contains("careflow.store.corrupt"), careflow::error);
    } catch (const careflow::error& x) { // or already when the file is opened
        CHECK(std::string(x.id()) == "careflow.store.corrupt");
    }
    CHECK(e.snapshot() == before);
    CHECK_FALSE(e.durable());
}
