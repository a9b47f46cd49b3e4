// Personal data at rest in a real SQLite file: sealed with AES-256-GCM under a key ring
// (nothing personal readable in the database or its WAL), read back whole by recovery and
// by the journal, kept apart in clear without a ring; a missing or wrong key is a typed
// error; rotation re-wraps the data keys; a sealed row moved or changed does not open;
// erasing a client removes their values from the file (a store without a ring shows it
// best: the strings are there before and gone after), keeps the chain verifying and the
// KPIs equal.
#include "store_fixtures.hpp"

#include <careflow/runtime/kpi.hpp>

using namespace careflow;
using namespace careflow::test;

namespace {

const actor operator_7{"op-7", {"operator"}};
const actor manager{"mgr-liu", {"manager"}};

// What a client says on a call: distinctive strings to look for.
struct caller {
    std::string client, name, contact, reason;
};
const caller zhuge{"C-7731", "Zhuge Kongming-7731", "+86-139-7731-0042", "insomnia-after-loss-7731"};
const caller sima{"C-8842", "Sima Zhongda-8842", "+86-138-8842-0099", "panic-at-work-8842"};

std::shared_ptr<key_ring> ring_of(std::initializer_list<const char*> ids, unsigned char seed = 1) {
    auto r = std::make_shared<key_ring>();
    for (const char* id : ids) {
        std::array<unsigned char, 32> k{};
        for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<unsigned char>(seed * 31 + i + id[0]);
        r->add(id, k);
    }
    return r;
}

// A hotline call of `c` answered and registered (a start, three dispatches).
void call(engine& e, case_id id, const caller& c, time_point at) {
    REQUIRE(e.start(procedures::hotline_call_program(), id, {}, at, {"switchboard", {}}, c.client).applied());
    REQUIRE(e.dispatch(id, "answer", at + seconds(10), operator_7).applied());
    REQUIRE(e.dispatch(id, "register",
                       {{"name", c.name}, {"withheld", false}, {"contact", c.contact}, {"reason", c.reason}},
                       at + minutes(1), operator_7)
                .applied());
}

// The database file and its write-ahead log, as bytes.
std::string file_bytes(const std::string& path) { return bytes_of(path) + bytes_of(path + "-wal"); }

bool shows(const std::string& bytes, const caller& c) {
    return bytes.find(c.name) != std::string::npos || bytes.find(c.contact) != std::string::npos ||
           bytes.find(c.reason) != std::string::npos;
}

// One column of every row of a table, joined.
std::string column(const std::string& path, const char* query) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, query, -1, &s, nullptr) == SQLITE_OK);
    std::string out;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(s, 0));
        out.append(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, 0)));
        out += '\n';
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

} // namespace

TEST_CASE("with a key ring nothing personal is readable in the file, and every path reads it back whole") {
    scratch tmp;
    const std::string path = tmp.file("sealed.db");
    const auto ring = ring_of({"k1"});
    std::string live_journal;
    for (const auto sync : {durability::per_input, durability::batch}) {
        fs::remove(path);
        {
            sqlite_store s(path, {.sync = sync, .keys = ring});
            engine e = opened(s);
            call(e, 17, zhuge, t0);
            call(e, 18, sima, t0 + hours(1));
            e.flush();
            live_journal = journal_text(e);
            CHECK(!shows(file_bytes(path), zhuge)); // while open: in the WAL too
        }
        CHECK(!shows(file_bytes(path), zhuge));
        CHECK(!shows(file_bytes(path), sima));
        // Reopened with the ring: the cases and the journal are whole again.
        sqlite_store s(path, {.keys = ring});
        engine e = opened(s);
        CHECK(e.get(17).get<std::string>("caller") == zhuge.name);
        CHECK(e.get(18).get<std::string>("contact") == sima.contact);
        CHECK(stored_journal(s) == live_journal);
        CHECK(s.verify().ok);
        CHECK(s.data_keys() == std::vector<std::pair<std::string, std::size_t>>{{"k1", 2}}); // one per client
    }
    // The chained lines hold "[erased]" where the values were; the case rows hold none.
    const std::string lines = column(path, "SELECT line FROM careflow_journal");
    CHECK(lines.find("s:[erased]") != std::string::npos);
    CHECK(!shows(lines, zhuge));
    CHECK(!shows(column(path, "SELECT state FROM careflow_cases"), zhuge));
}

TEST_CASE("a missing or wrong key is a typed error, never garbage") {
    scratch tmp;
    const std::string path = tmp.file("sealed.db");
    {
        sqlite_store s(path, {.keys = ring_of({"k1"})});
        engine e = opened(s);
        call(e, 17, zhuge, t0);
    }
    auto refused = [&](std::shared_ptr<const key_ring> ring, const char* id) {
        sqlite_store s(path, {.create = false, .keys = std::move(ring)});
        engine e;
        setup(e);
        CHECK_THROWS_WITH_AS(e.open(s), doctest::Contains(""), error);
        try {
            e.open(s);
        } catch (const error& x) {
            CHECK(std::string(x.id()) == id);
            CHECK(std::string(x.what()).find(zhuge.name) == std::string::npos);
        }
        CHECK_FALSE(e.durable());
        // The journal reads are refused the same way.
        try {
            (void)s.journal(0, 100);
            FAIL("a sealed journal line opened without its key");
        } catch (const error& x) {
            CHECK(std::string(x.id()) == id);
        }
    };
    refused(nullptr, "careflow.store.missing_key");
    refused(ring_of({"k2"}), "careflow.store.missing_key");
    refused(ring_of({"k1"}, 9), "careflow.store.bad_key"); // the id, other bytes
    // verify reads only the chain: it needs no key.
    sqlite_store s(path, {.create = false});
    CHECK(s.verify().ok);
    // Bad keys in a ring.
    key_ring r;
    const std::array<unsigned char, 16> short_key{};
    CHECK_THROWS_WITH_AS(r.add("k1", short_key), doctest::Contains("not 32"), error);
    CHECK_THROWS_WITH_AS(r.add("with space", key_ring::random_key()), doctest::Contains("printable"), error);
    CHECK_THROWS_WITH_AS(r.add_hex("k1", "00ff"), doctest::Contains("64 hexadecimal"), error);
    CHECK_THROWS_WITH_AS(r.add_hex("k1", std::string(63, '0') + "g"), doctest::Contains("64 hexadecimal"), error);
    CHECK(r.empty());
    r.add("k1", key_ring::random_key());
    CHECK_THROWS_WITH_AS(r.add("k1", key_ring::random_key()), doctest::Contains("other bytes"), error);
    CHECK(r.current() == "k1");
    CHECK_THROWS_AS((void)key_ring().current(), error);
}

TEST_CASE("rotation re-wraps every data key under the current key; the old key may then leave") {
    scratch tmp;
    const std::string path = tmp.file("sealed.db");
    {
        sqlite_store s(path, {.keys = ring_of({"k1"})});
        engine e = opened(s);
        call(e, 17, zhuge, t0);
        call(e, 18, sima, t0 + hours(1));
    }
    const std::string before = file_bytes(path);
    {
        sqlite_store s(path, {.keys = ring_of({"k1", "k2"})});
        CHECK(s.rotate_keys() == 2);
        CHECK(s.rotate_keys() == 0);
        CHECK(s.data_keys() == std::vector<std::pair<std::string, std::size_t>>{{"k2", 2}});
        engine e = opened(s);
        call(e, 19, {"C-9", "Third Caller-9", "+86-1", "reason-9"}, t0 + hours(2)); // wrapped by k2
    }
    sqlite_store s(path, {.keys = ring_of({"k2"})});
    engine e = opened(s);
    CHECK(e.get(17).get<std::string>("caller") == zhuge.name);
    CHECK(e.get(19).get<std::string>("caller") == "Third Caller-9");
    CHECK(s.verify().ok);
    // Rotating with a ring that lacks a key that wrapped one changes nothing.
    sqlite_store other(tmp.file("other.db"), {.keys = ring_of({"k1"})});
    {
        engine o = opened(other);
        call(o, 1, zhuge, t0);
    }
    sqlite_store lacking(tmp.file("other.db"), {.keys = ring_of({"k3"})});
    CHECK_THROWS_WITH_AS(lacking.rotate_keys(), doctest::Contains("'k1'"), error);
}

TEST_CASE("a sealed row changed, or moved to another row, does not open") {
    scratch tmp;
    const std::string path = tmp.file("sealed.db");
    const auto ring = ring_of({"k1"});
    {
        sqlite_store s(path, {.keys = ring});
        engine e = opened(s);
        call(e, 17, zhuge, t0);
        call(e, 18, zhuge, t0 + hours(1)); // two sealed lines, under the same data key
    }
    sql(path,
        "UPDATE careflow_journal SET personal = (SELECT personal FROM careflow_journal WHERE personal IS NOT "
        "NULL ORDER BY pos LIMIT 1) WHERE pos = (SELECT max(pos) FROM careflow_journal WHERE personal IS NOT NULL)");
    sqlite_store s(path, {.keys = ring});
    CHECK_THROWS_WITH_AS((void)s.journal(0, 100), doctest::Contains("does not open"), error);
}

TEST_CASE("without a key ring personal values are kept apart in clear; erasure removes them from the file") {
    scratch tmp;
    const std::string path = tmp.file("plain.db");
    kpi_report kpis;
    std::string chained_before;
    {
        sqlite_store s(path);
        engine e = opened(s);
        call(e, 17, zhuge, t0);
        call(e, 18, sima, t0 + hours(1));
        REQUIRE(e.dispatch(17, "hang_up", t0 + hours(2), operator_7).applied());
        CHECK(shows(file_bytes(path), zhuge)); // apart, but in clear: the ring is what seals
        CHECK(!shows(column(path, "SELECT line FROM careflow_journal"), zhuge));
        CHECK(!shows(column(path, "SELECT state FROM careflow_cases"), zhuge));
        kpis = compute_kpis(e.journal());
        chained_before = column(path, "SELECT line FROM careflow_journal");

        CHECK(e.erase_client(zhuge.client, t0 + hours(3), operator_7).kind == outcome::refused);
        CHECK(shows(file_bytes(path), zhuge));
        REQUIRE(e.erase_client(zhuge.client, t0 + hours(3), manager).applied());
        CHECK(!shows(file_bytes(path), zhuge)); // at once: checkpointed, zeroed
        CHECK(shows(file_bytes(path), sima));
    }
    CHECK(!shows(file_bytes(path), zhuge));
    sqlite_store s(path);
    engine e = opened(s);
    CHECK(e.get(17).get<std::string>("caller").empty());
    CHECK(e.get(18).get<std::string>("caller") == sima.name);
    const std::string journal = stored_journal(s);
    CHECK(!shows(journal, zhuge));
    CHECK(journal.find(sima.name) != std::string::npos);
    // The chain is untouched: the same lines, verifying; the KPIs are the same.
    const std::string chained = column(path, "SELECT line FROM careflow_journal");
    CHECK(chained.substr(0, chained_before.size()) == chained_before);
    CHECK(s.verify().ok);
    std::istringstream in("careflow-journal 1\n" + journal);
    const auto entries = read_journal(in);
    std::vector<journal_entry> before_erasure;
    for (const auto& x : entries)
        if (x.kind != record_kind::erase || x.event != "client") before_erasure.push_back(x);
    CHECK(compute_kpis(before_erasure) == kpis);
}

TEST_CASE("erasure with a key ring: the data key and rows go, the cases go on, new data gets a new key") {
    scratch tmp;
    const std::string path = tmp.file("sealed.db");
    const auto ring = ring_of({"k1"});
    {
        sqlite_store s(path, {.sync = durability::batch, .keys = ring});
        engine e = opened(s);
        call(e, 17, zhuge, t0);
        call(e, 18, sima, t0 + hours(1));
        REQUIRE(e.erase_client(zhuge.client, t0 + hours(2), manager).applied());
        CHECK(s.unflushed() == 0); // an erasure commits at once, in batch mode too
        CHECK(s.data_keys() == std::vector<std::pair<std::string, std::size_t>>{{"k1", 1}});
        // The case goes on; what is said after the erasure is sealed under a new data key.
        REQUIRE(e.dispatch(17, "assess", {{"urgency", 3}}, t0 + hours(3), operator_7).applied());
    }
    sqlite_store s(path, {.keys = ring});
    engine e = opened(s);
    CHECK(e.get(17).get<std::string>("caller").empty());
    CHECK(e.get(17).get<std::int64_t>("urgency") == 3);
    CHECK(s.data_keys() == std::vector<std::pair<std::string, std::size_t>>{{"k1", 2}});
    CHECK(s.verify().ok);
    CHECK(!shows(stored_journal(s), zhuge));
}
