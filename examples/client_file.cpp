// A client's file, kept confidential: a hotline opens its store with the center's key ring,
// so every personal value — the caller's name, contact and reason — is sealed with
// AES-256-GCM and the database file holds none of them in clear. The caller is a client
// (a pseudonymous id the host gives): every case started or spawned for them joins one
// file. The counselor who took the call looks at the file (journaled: who looked, at whose
// file, when) and sees the reason; a callback agent sees the cases and dates, not the reason. The client asks to be
// forgotten: a manager erases them — their data key and sealed rows are destroyed, the
// case goes on, the KPIs are the same and the journal's hash chain still verifies.
//
// Expected output: examples/client_file.expected
#include <careflow/careflow.hpp>
#include <careflow/store/sqlite.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace careflow;
using boost::posix_time::minutes;
using boost::posix_time::seconds;

namespace {

bool file_holds(const std::string& path, const std::string& text) {
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
        std::ifstream in(path + suffix, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        bytes += s.str();
    }
    return bytes.find(text) != std::string::npos;
}

} // namespace

int main() {
    const auto dir = std::filesystem::temp_directory_path() / "careflow-client-file-example";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string file = (dir / "center.db").string();

    // The center's key ring (a real host reads the key from its key service).
    auto keys = std::make_shared<key_ring>();
    keys->add_hex("2026-a", "6b1f0c8e2d7a9b3c4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5");
    sqlite_store store(file, {.keys = keys});
    engine e;
    procedures::install_all(e);
    e.open(store);

    const time_point t(boost::gregorian::date(2025, 1, 24), boost::posix_time::hours(6) + minutes(30)); // 14:30 Beijing
    const actor operator_7{"op-7", {"operator"}}, counselor{"dr-wang", {"counselor"}};
    const actor agent{"agent-zhou", {"callback_agent"}}, manager{"mgr-liu", {"manager"}};
    e.start("hotline_call", 17, {}, t, {"switchboard", {}}, "C-7731");
    e.dispatch(17, "answer", t + seconds(10), operator_7);
    e.dispatch(17, "register",
               {{"name", "Zhuge Kongming"}, {"withheld", false}, {"contact", "139-7731-0042"}, {"reason", "insomnia"}},
               t + minutes(1), operator_7);
    e.dispatch(17, "assess", {{"urgency", 2}}, t + minutes(3), operator_7);
    e.assign(17, "counselor", "dr-wang", t + minutes(4), operator_7);
    std::cout << "sealed: the file holds the caller's name in clear: " << (file_holds(file, "Zhuge") ? "yes" : "no")
              << "\n";

    for (const actor& who : {counselor, agent}) {
        const client_file f = e.client_history("C-7731", who, t + minutes(5));
        std::ostringstream shown;
        write_journal(shown, f.entries);
        std::cout << who.id << " looks at C-7731: " << f.cases.size() << " case(s), first " << f.cases.front().procedure
                  << " in " << f.cases.front().state
                  << "; sees the reason: " << (shown.str().find("insomnia") != std::string::npos ? "yes" : "no")
                  << "\n";
    }

    const kpi_report before = compute_kpis(e.journal());
    const result refused = e.erase_client("C-7731", t + minutes(10), agent);
    std::cout << "agent erases: " << to_string(refused.kind) << " (" << refused.code << ")\n";
    const result erased = e.erase_client("C-7731", t + minutes(11), manager);
    std::cout << "manager erases: " << to_string(erased.kind) << "; the case goes on in " << e.get(17).path()
              << ", caller now '" << e.get(17).get<std::string>("caller") << "'\n";
    std::vector<journal_entry> without_erasures;
    for (const auto& x : e.journal())
        if (x.kind != record_kind::erase) without_erasures.push_back(x);
    std::cout << "KPIs unchanged: " << (compute_kpis(without_erasures) == before ? "yes" : "no")
              << "; chain verifies: " << (store.verify().ok ? "yes" : "no")
              << "; data keys left: " << store.data_keys().size() << "\n";
    std::filesystem::remove_all(dir);
}
