// A durable host: the engine is opened on an SQLite file, so a host that goes down —
// crash, redeploy, power cut — opens a new engine on the same file and goes on where the
// last input left it. Here a callback is planned for next Friday, the host "goes down"
// (its engine and store are destroyed), and a new one opens the file: the callback is
// still planned, its timer still pending with the same due time, and it fires on Friday
// exactly once. The planner's request carried a key: when it is sent again after the
// restart (the planner never saw the first answer), the recorded answer comes back and
// nothing happens twice. Then an online backup, which opens as the same engine.
//
// Expected output: examples/durable_host.expected
#include <careflow/careflow.hpp>
#include <careflow/store/sqlite.hpp>

#include <filesystem>
#include <iostream>

using namespace careflow;
using boost::posix_time::hours;
using boost::posix_time::minutes;

namespace {
void show(const engine& e, const char* when) {
    const auto c = e.get(1);
    std::cout << when << ": case 1 " << c.path() << ", " << e.pending_timers() << " timer(s) pending, journal at "
              << e.journal_size() << "\n";
}
} // namespace

int main() {
    const auto dir = std::filesystem::temp_directory_path() / "careflow-durable-host-example";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string file = (dir / "center.db").string();
    const time_point fri20(boost::gregorian::date(2026, 11, 20), hours(1)); // 09:00 Shanghai
    const actor desk{"planner", {}};
    const payload plan{{"due", fri20 + hours(24 * 7)}, {"contact", "138-0000-0001"}};

    {
        sqlite_store store(file); // a new file: made with the current schema
        engine e;
        procedures::install_all(e);
        e.open(store);
        e.with_key("plan-1").start("phone_callback", 1, plan, fri20, desk);
        show(e, "planned ");
    } // the host goes down: nothing of it is left but the file

    sqlite_store store(file);
    engine e;
    procedures::install_all(e); // programs and calendars first, as before
    e.open(store);
    show(e, "reopened");
    const result again = e.with_key("plan-1").start("phone_callback", 1, plan, fri20, desk);
    std::cout << "re-sent : " << to_string(again.kind) << (again.replayed ? ", replayed" : "") << "\n";
    show(e, "re-sent ");
    e.advance(fri20 + hours(24 * 7) - minutes(1));
    show(e, "Fri 8:59");
    e.advance(fri20 + hours(24 * 7));
    show(e, "Fri 9:00");

    store.backup((dir / "backup.db").string());
    sqlite_store copy((dir / "backup.db").string());
    engine restored;
    procedures::install_all(restored);
    restored.open(copy);
    std::cout << "backup  : the same engine: " << (restored.snapshot() == e.snapshot() ? "yes" : "no") << ", "
              << copy.journal(0, 1000).size() << " journal lines\n";
    std::filesystem::remove_all(dir);
}
