// Shared by the store tests: the shipped procedures on an engine, a scratch folder per
// test, a random input stream over the shipped procedures, and ways to look into a file.
#pragma once

#include "fixtures.hpp"

#include <careflow/store/sqlite.hpp>

#include <sqlite3.h>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace careflow::test {

namespace fs = std::filesystem;

inline const time_point t0 = at(2026, 11, 23, 9, 0);
inline const actor staff[] = {{"op-1", {"operator"}},
                              {"op-2", {"operator", "counselor"}},
                              {"c-1", {"counselor", "callback_agent"}},
                              {"m-1", {"manager", "supervisor", "receptionist", "back_office"}}};

inline const std::vector<std::shared_ptr<const program>>& progs() {
    static const std::vector<std::shared_ptr<const program>> all{
        procedures::hotline_call_program(), procedures::phone_callback_program(),    procedures::first_visit_program(),
        procedures::appointment_program(),  procedures::counseling_course_program(), procedures::complaint_program()};
    return all;
}

inline void setup(engine& e) {
    static const calendar center = center_calendar();
    e.set_calendar(procedures::center_calendar_name, center);
    for (const auto& p : progs()) e.install(p);
}

// An engine with the shipped procedures, opened on `s`.
inline engine opened(store& s) {
    engine e;
    setup(e);
    e.open(s);
    return e;
}

// A folder of its own for each test, removed at the end.
struct scratch {
    fs::path dir;
    scratch() {
        static int n = 0;
        dir = fs::temp_directory_path() / ("careflow-store-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~scratch() { fs::remove_all(dir); }
    std::string file(const std::string& name) const { return (dir / name).string(); }
};

// One random input on the shipped procedures (a start, an advance of up to two days, an
// assignment, an event or a client's consent, some refused), at `now`, which moves on.
inline void one_input(engine& e, std::mt19937_64& rng, time_point& now, case_id& next) {
    static const char* const clients[] = {"", "client-a", "client-b", "client-c"};
    static const char* const topics[] = {"callback", "referral", "sms"}; // no shipped procedure asks for "sms"
    now += seconds(static_cast<long>(rng() % 40));
    const actor& who = staff[rng() % std::size(staff)];
    const case_id id = 1 + rng() % next;
    switch (rng() % 8) {
    case 0: e.start(progs()[rng() % progs().size()], next++, {}, now, who, clients[rng() % std::size(clients)]); break;
    case 1:
        now += hours(static_cast<long>(rng() % 48));
        e.advance(now);
        break;
    case 2: e.assign(id, "counselor", staff[rng() % std::size(staff)].id, now, who); break;
    case 3:
        if (e.contains(id) && e.get(id).finished())
            e.erase(id);
        else
            e.record_consent(clients[1 + rng() % 3], topics[rng() % std::size(topics)], rng() % 3 != 0, now, who);
        break;
    default:
        if (!e.contains(id)) break;
        const auto& events = e.get(id).prog().events();
        e.dispatch(id, events[rng() % events.size()].name, now, who);
    }
}

/// A seeded stream of random inputs (`one_input`), fed a few at a time.
struct random_stream {
    std::mt19937_64 rng;
    time_point now = t0;
    case_id next = 1;
    explicit random_stream(std::uint64_t seed) : rng(seed) {}
    void feed(engine& e, int n) {
        for (int i = 0; i < n; ++i) one_input(e, rng, now, next);
    }
};

inline std::string journal_text(const engine& e) {
    std::ostringstream out;
    write_journal(out, e.journal(), false);
    return out.str();
}

inline std::string stored_journal(sqlite_store& s) {
    std::string out;
    for (const auto& line : s.journal(0, UINT64_MAX)) out += line + "\n";
    return out;
}

inline std::string bytes_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void sql(const std::string& path, const char* statement) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, statement, nullptr, nullptr, &message);
    INFO((message ? message : ""));
    sqlite3_free(message);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

} // namespace careflow::test
