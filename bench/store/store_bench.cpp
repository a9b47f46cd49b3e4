// The durable store's costs, each against the database's own floor measured in the same run:
//
//   store_batch        the engine scenario (100,000 interleaved calls, bench/engine) on an
//                      engine opened on an SQLite store in batch mode (a commit every 256
//                      inputs), against
//   sqlite_floor_batch a plain program writing the very rows the store wrote (captured from
//                      the same run) with the same prepared statements, a savepoint per input
//                      and a commit every 256 inputs: SQLite's cost alone, no engine.
//   store_sealed       store_batch with the urgency (variable and assess field) personal and a
//                      key ring: from each assessment on, the case's personal part and the
//                      line's values sealed with AES-256-GCM into the same rows (the cases have
//                      no client: one shared data key), against store_batch (both hash the chain).
//   store_sealed_clients  the same with every case its own client: a data key made, wrapped and
//                      stored at each case's first personal value (100,000 keys) — the one-off
//                      cost of a new client.
//   store_per_input    2,000 inputs of the same calls in per-input mode (a committed,
//                      fsync'd transaction each), against
//   fsync_floor        2,000 single-row committed transactions on a file of the same settings.
//   recover            reopening a store of N live cases and a journal of M inputs (cases
//                      25k/50k/100k with no journal beyond the starts; 100k cases with 0.5M and
//                      1M more inputs): the slopes per case and per journal entry, and the
//                      bytes on disk per case row and per journal line (SQLite's dbstat).
#include "../common/smoke.hpp"
#include "../engine/harness.hpp"
#include "../engine/program.hpp"

#include <careflow/careflow.hpp>
#include <careflow/store/sqlite.hpp>

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <array>
#include <filesystem>
#include <map>
#include <unistd.h>

namespace {

using namespace careflow;
namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;
using engine_bench::cases;
using engine_bench::the_inputs;

const time_point t0{boost::gregorian::date(2026, 11, 23)};
const actor op{"op-7", {"operator"}};

double seconds_since(clock_type::time_point t) { return std::chrono::duration<double>(clock_type::now() - t).count(); }

// Files of this process, removed at exit.
struct scratch_dir {
    fs::path dir = fs::temp_directory_path() / ("careflow-bench-store-" + std::to_string(::getpid()));
    scratch_dir() { fs::create_directories(dir); }
    ~scratch_dir() { fs::remove_all(dir); }
    std::string file(const std::string& name) const { return (dir / name).string(); }
};
const scratch_dir& scratch() {
    static const scratch_dir d;
    return d;
}
void remove_store(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

// The engine scenario's inputs on an engine (the clock moves 100 ms every 1,000 inputs).
struct driver {
    std::shared_ptr<const program> p;
    bool clients = false; // each case its own client
    explicit driver(bool personal = false, bool own_clients = false)
        : p(engine_bench::hotline(personal)), clients(own_clients) {}
    std::array<value, 4> urgency{value(0), value(1), value(2), value(3)};
    std::array<event_index, 4> events{*p->find_event("answer"), *p->find_event("assess"), *p->find_event("resolve"),
                                      *p->find_event("hang_up")};
    void start_all(engine& e, std::size_t n) const {
        for (std::size_t c = 0; c < n; ++c) e.start(p, c, {}, t0, op, clients ? "C-" + std::to_string(c) : "");
    }
    /// The scenario's inputs that name a case below `n`, at most `limit` of them.
    void run(engine& e, std::size_t n, std::size_t limit = SIZE_MAX) const {
        const actor_ref who = e.intern(op);
        time_point now = t0;
        std::size_t done = 0;
        const auto& inputs = the_inputs();
        for (std::size_t i = 0; i < inputs.size() && done < limit; ++i) {
            if (i % engine_bench::inputs_per_tick == 0) now += boost::posix_time::microseconds(engine_bench::tick);
            const auto& in = inputs[i];
            if (in.c >= n) continue;
            const auto fields = in.kind == engine_bench::in::assess ? std::span<const value>(&urgency[in.urgency], 1)
                                                                    : std::span<const value>();
            e.dispatch(in.c, events[static_cast<std::size_t>(in.kind)], fields, now, who);
            ++done;
        }
    }
};

// A store that keeps every write it is given, to replay them as the floor.
class capture final : public store {
public:
    std::vector<store_write> writes;
    stored_engine load() override { return {}; }
    void write(const store_write& w) override { writes.push_back(w); }
    void flush() override {}
    std::vector<std::string> journal(std::uint64_t, std::uint64_t) override { return {}; }
    std::optional<recorded_input> recorded(std::string_view) override { return std::nullopt; }
};

sqlite_options batched() {
    sqlite_options o;
    o.sync = durability::batch;
    o.batch_inputs = 256;
    o.batch_time = std::chrono::hours(1); // commits by count only, as the floor does
    return o;
}

void batch_run(benchmark::State& state, bool sealed, bool clients = false) {
    const driver d(sealed, clients);
    sqlite_options o = batched();
    if (sealed) {
        auto ring = std::make_shared<key_ring>();
        ring->add("bench", key_ring::random_key());
        o.keys = ring;
    }
    for (auto _ : state) {
        const std::string path = scratch().file("batch.db");
        remove_store(path);
        {
            sqlite_store s(path, o);
            engine e;
            e.open(s);
            d.start_all(e, cases());
            e.flush();
            const auto t = clock_type::now();
            d.run(e, cases());
            e.flush();
            state.SetIterationTime(seconds_since(t));
        }
        remove_store(path);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * the_inputs().size()));
}

void store_batch(benchmark::State& state) { batch_run(state, false); }
void store_sealed(benchmark::State& state) { batch_run(state, true); }
void store_sealed_clients(benchmark::State& state) { batch_run(state, true, true); }

// SQLite alone writing what the store wrote: the same statements, savepoints and commits.
class floor_writer {
public:
    explicit floor_writer(const std::string& path) {
        { sqlite_store schema(path); } // the same schema, made by the store
        sqlite3_open(path.c_str(), &db_);
        exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA synchronous = FULL");
        prepare(header_, "INSERT OR REPLACE INTO careflow_header(id, body) VALUES (1, ?)");
        prepare(dictionary_, "INSERT INTO careflow_dictionary(body) VALUES (?)");
        prepare(upsert_, "INSERT OR REPLACE INTO careflow_cases(id, ord, state) VALUES (?, ?, ?)");
        prepare(erase_, "DELETE FROM careflow_cases WHERE id = ?");
        prepare(journal_, "INSERT INTO careflow_journal(pos, line) VALUES (?, ?)");
    }
    ~floor_writer() {
        for (auto* s : {header_, dictionary_, upsert_, erase_, journal_}) sqlite3_finalize(s);
        sqlite3_close(db_);
    }
    void write(const store_write& w) {
        if (batched_ == 0) exec("BEGIN IMMEDIATE");
        exec("SAVEPOINT careflow_input");
        for (const auto& d : w.dictionary) blob(dictionary_, 1, d), step(dictionary_);
        for (case_id id : w.erased) sqlite3_bind_int64(erase_, 1, static_cast<std::int64_t>(id)), step(erase_);
        for (const auto& c : w.cases) {
            sqlite3_bind_int64(upsert_, 1, static_cast<std::int64_t>(c.id));
            sqlite3_bind_int64(upsert_, 2, static_cast<std::int64_t>(c.order));
            blob(upsert_, 3, c.state);
            step(upsert_);
        }
        for (std::size_t i = 0; i < w.journal.size(); ++i) {
            sqlite3_bind_int64(journal_, 1, static_cast<std::int64_t>(w.journal_first + i));
            sqlite3_bind_text64(journal_, 2, w.journal[i].data(), w.journal[i].size(), SQLITE_STATIC, SQLITE_UTF8);
            step(journal_);
        }
        blob(header_, 1, w.header), step(header_);
        exec("RELEASE careflow_input");
        if (++batched_ == 256) flush();
    }
    void flush() {
        if (batched_ == 0) return;
        exec("COMMIT");
        batched_ = 0;
    }

private:
    void exec(const char* sql) {
        if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
    }
    void prepare(sqlite3_stmt*& s, const char* sql) {
        if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) fail(sql);
    }
    static void blob(sqlite3_stmt* s, int i, const std::string& b) {
        sqlite3_bind_blob64(s, i, b.data(), b.size(), SQLITE_STATIC);
    }
    void step(sqlite3_stmt* s) {
        if (sqlite3_step(s) != SQLITE_DONE) fail(sqlite3_sql(s));
        sqlite3_reset(s);
    }
    [[noreturn]] void fail(const char* what) {
        std::fprintf(stderr, "floor: %s: %s\n", what, sqlite3_errmsg(db_));
        std::abort();
    }
    sqlite3* db_ = nullptr;
    sqlite3_stmt *header_ = nullptr, *dictionary_ = nullptr, *upsert_ = nullptr, *erase_ = nullptr, *journal_ = nullptr;
    int batched_ = 0;
};

void sqlite_floor_batch(benchmark::State& state) {
    // The rows: what the store is handed in the scenario (starts first, untimed).
    static const auto captured = [] {
        const driver d;
        capture c;
        engine e;
        e.open(c);
        d.start_all(e, cases());
        const std::size_t starts = c.writes.size();
        d.run(e, cases());
        return std::make_pair(std::move(c.writes), starts);
    }();
    const auto& [writes, starts] = captured;
    for (auto _ : state) {
        const std::string path = scratch().file("floor.db");
        remove_store(path);
        {
            floor_writer f(path);
            for (std::size_t i = 0; i < starts; ++i) f.write(writes[i]);
            f.flush();
            const auto t = clock_type::now();
            for (std::size_t i = starts; i < writes.size(); ++i) f.write(writes[i]);
            f.flush();
            state.SetIterationTime(seconds_since(t));
        }
        remove_store(path);
    }
    state.counters["writes"] = static_cast<double>(writes.size() - starts);
}

std::size_t per_input_count() { return careflow_bench::scaled(2000, 100); }

void store_per_input(benchmark::State& state) {
    const driver d;
    for (auto _ : state) {
        const std::string path = scratch().file("per-input.db");
        remove_store(path);
        {
            sqlite_store s(path);
            engine e;
            e.open(s);
            d.start_all(e, 1000);
            const auto t = clock_type::now();
            d.run(e, 1000, per_input_count());
            state.SetIterationTime(seconds_since(t));
        }
        remove_store(path);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * per_input_count()));
}

void fsync_floor(benchmark::State& state) {
    const std::string line(100, 'x');
    for (auto _ : state) {
        const std::string path = scratch().file("fsync.db");
        remove_store(path);
        {
            sqlite3* db = nullptr;
            sqlite3_open(path.c_str(), &db);
            sqlite3_exec(db,
                         "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                         "CREATE TABLE t(pos INTEGER PRIMARY KEY, line TEXT NOT NULL)",
                         nullptr, nullptr, nullptr);
            sqlite3_stmt* ins = nullptr;
            sqlite3_prepare_v2(db, "INSERT INTO t(pos, line) VALUES (?, ?)", -1, &ins, nullptr);
            const auto t = clock_type::now();
            for (std::size_t i = 0; i < per_input_count(); ++i) {
                sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
                sqlite3_bind_int64(ins, 1, static_cast<std::int64_t>(i));
                sqlite3_bind_text(ins, 2, line.data(), static_cast<int>(line.size()), SQLITE_STATIC);
                sqlite3_step(ins);
                sqlite3_reset(ins);
                sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
            }
            state.SetIterationTime(seconds_since(t));
            sqlite3_finalize(ins);
            sqlite3_close(db);
        }
        remove_store(path);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * per_input_count()));
}

// ---- recovery ---------------------------------------------------------------------------

// A store of `n` live calls (started and answered) and `extra` more inputs (advances of the
// clock, one journal line each), made once per size and kept for the run.
std::string recovery_store(std::size_t n, std::size_t extra) {
    static std::map<std::pair<std::size_t, std::size_t>, std::string> made;
    const auto key = std::make_pair(n, extra);
    if (const auto it = made.find(key); it != made.end()) return it->second;
    const std::string path = scratch().file("recover-" + std::to_string(n) + "-" + std::to_string(extra) + ".db");
    remove_store(path);
    const driver d;
    sqlite_options o = batched();
    o.batch_inputs = 8192;
    sqlite_store s(path, o);
    engine e;
    e.open(s);
    d.start_all(e, n);
    const actor_ref who = e.intern(op);
    time_point now = t0 + boost::posix_time::seconds(1);
    for (std::size_t c = 0; c < n; ++c) e.dispatch(c, d.events[0], now, who); // answered: no timer left
    for (std::size_t i = 0; i < extra; ++i) e.advance(now += boost::posix_time::milliseconds(1));
    e.flush();
    return made[key] = path;
}

// Bytes of a table and its indexes on disk (SQLite's dbstat), or -1 without dbstat.
double table_bytes(sqlite3* db, const char* like) {
    sqlite3_stmt* q = nullptr;
    const std::string sql = std::string("SELECT sum(pgsize) FROM dbstat WHERE name LIKE '") + like + "%'";
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) != SQLITE_OK) return -1;
    const double v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_double(q, 0) : -1;
    sqlite3_finalize(q);
    return v;
}

double count_rows(sqlite3* db, const char* table) {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, (std::string("SELECT count(*) FROM ") + table).c_str(), -1, &q, nullptr);
    const double v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_double(q, 0) : 0;
    sqlite3_finalize(q);
    return v;
}

void recover(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const auto extra = static_cast<std::size_t>(state.range(1));
    const std::string path = recovery_store(n, extra);
    std::size_t live = 0;
    for (auto _ : state) {
        sqlite_store s(path);
        engine e;
        e.install(engine_bench::hotline());
        const auto t = clock_type::now();
        e.open(s);
        state.SetIterationTime(seconds_since(t));
        live = e.size();
    }
    if (live != n) {
        std::fprintf(stderr, "recovered %zu cases, not %zu\n", live, n);
        std::abort();
    }
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    const double lines = count_rows(db, "careflow_journal");
    state.counters["cases"] = static_cast<double>(n);
    state.counters["journal_lines"] = lines;
    state.counters["bytes_per_case"] = table_bytes(db, "careflow_cases") / static_cast<double>(n);
    state.counters["bytes_per_journal_line"] = table_bytes(db, "careflow_journal") / lines;
    state.counters["file_bytes"] = static_cast<double>(fs::file_size(path));
    sqlite3_close(db);
}

void recovery_sizes(benchmark::internal::Benchmark* b) {
    if (careflow_bench::smoke()) {
        b->Args({200, 0})->Args({200, 1000});
        return;
    }
    b->Args({25'000, 0})->Args({50'000, 0})->Args({100'000, 0})->Args({100'000, 500'000})->Args({100'000, 1'000'000});
}

} // namespace

BENCHMARK(store_batch)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(store_sealed)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(store_sealed_clients)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(sqlite_floor_batch)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(store_per_input)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(fsync_floor)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(recover)->Apply(recovery_sizes)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_MAIN();
