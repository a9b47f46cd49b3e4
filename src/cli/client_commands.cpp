// Client files and keys on the command line: the --keys file every command that opens a
// store's personal data takes, `careflow erase-client` and `careflow history`.
//
//   careflow erase-client --store sqlite:PATH --client ID --as ACTOR_JSON [--keys FILE] [--at INSTANT]
//   careflow history --store sqlite:PATH --client ID --as ACTOR_JSON [--keys FILE] [--format text|json]
#include "commands.hpp"
#include "disclosure.hpp"
#include "state_json.hpp"

#include <careflow/procedures/procedures.hpp>
#include <careflow/store/sqlite.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

namespace careflow::cli {

std::shared_ptr<const key_ring> keys_arg(const std::string& file) {
    if (file.empty()) return nullptr;
    std::ifstream in(file, std::ios::binary);
    if (!in) throw usage_error("--keys: cannot read '" + file + "'");
    std::stringstream text;
    text << in.rdbuf();
    json j;
    try {
        j = json::parse(text.str());
    } catch (const json::exception&) {
        throw usage_error("--keys: '" + file + "' is not JSON");
    }
    auto bad = [&](const std::string& why) { return usage_error("--keys: '" + file + "': " + why); };
    const auto list = j.is_object() ? j.find("keys") : j.end();
    if (list == j.end() || !list->is_array() || list->empty())
        throw bad("expected {\"keys\":[{\"id\":…,\"key\":\"<64 hex digits>\"}, …]} (the last is current)");
    auto ring = std::make_shared<key_ring>();
    for (const auto& k : *list) {
        if (!k.is_object() || !k.contains("id") || !k["id"].is_string() || !k.contains("key") || !k["key"].is_string())
            throw bad("each key is {\"id\":…,\"key\":\"<64 hex digits>\"}");
        try {
            ring->add_hex(k["id"].get<std::string>(), k["key"].get<std::string>());
        } catch (const careflow::error& x) {
            throw bad(x.what());
        }
    }
    return ring;
}

namespace {

struct opened {
    std::unique_ptr<sqlite_store> db;
    engine e;
};

// The engine of an existing store, with the shipped procedures; usage_error when the
// store cannot be opened or holds no engine.
void open_store(opened& o, const std::string& store, const std::string& keys) {
    sqlite_options so;
    so.create = false;
    so.keys = keys_arg(keys);
    const std::string path = sqlite_path(store);
    o.db = std::make_unique<sqlite_store>(path, so);
    if (!o.db->holds_engine()) throw usage_error("'" + path + "' holds no engine yet");
    procedures::install_all(o.e);
    o.e.open(*o.db);
}

json case_json(const client_case& c) {
    auto instant = [](time_point t) { return t.is_special() ? json(nullptr) : json(format_time(to_ticks(t))); };
    json assignees = json::object();
    for (const auto& [duty, person] : c.assignees) assignees[duty] = person;
    return json{{"case", c.id},
                {"procedure", c.procedure},
                {"parent", c.parent == 0 ? json(nullptr) : json(c.parent)},
                {"started", instant(c.started)},
                {"ended", instant(c.ended)},
                {"state", c.state},
                {"held", c.held},
                {"assignees", std::move(assignees)}};
}

} // namespace

int erase_client(const std::vector<std::string>& args) {
    std::string store, client, as, keys, at;
    po::options_description o("erase-client options");
    o.add_options()("store", po::value(&store)->required(), "sqlite:PATH — an existing store")(
        "client", po::value(&client)->required(), "the client id given at start")(
        "as", po::value(&as)->required(), "who erases, {\"id\":…,\"roles\":[…]} (a manager by default policy)")(
        "keys", po::value(&keys), "the key file the store's personal data is sealed with")(
        "at", po::value(&at),
        "the instant of the erasure (ISO 8601 with an offset; default: now, or the store's "
        "clock if later)")("help", "this help");
    if (std::find(args.begin(), args.end(), "--help") != args.end()) {
        std::cout << "usage: careflow erase-client --store sqlite:PATH --client ID --as ACTOR_JSON [--keys FILE] "
                     "[--at INSTANT]\n"
                  << o;
        return 0;
    }
    (void)parse(args, o);
    const actor who = reader_arg(as);
    time_point when = boost::posix_time::microsec_clock::universal_time();
    if (!at.empty() && !parse_instant(at, when))
        throw usage_error("--at: '" + at + "' is not an ISO 8601 instant with an offset");
    opened s;
    try {
        open_store(s, store, keys);
        if (at.empty() && !s.e.now().is_special() && s.e.now() > when) when = s.e.now();
        const result r = s.e.erase_client(client, when, who);
        if (!r.applied()) {
            std::cerr << "careflow: client '" << client << "' not erased: " << r.code << ": " << r.reason << '\n';
            return 1;
        }
        std::cout << "client " << client << " erased: personal data of " << s.e.cases_of(client).size()
                  << " cases held and of every journal entry destroyed\n";
        return 0;
    } catch (const careflow::error& x) {
        throw usage_error(x.what());
    }
}

int history(const std::vector<std::string>& args) {
    std::string store, client, as, keys, format = "json";
    po::options_description o("history options");
    o.add_options()("store", po::value(&store)->required(), "sqlite:PATH — an existing store")(
        "client", po::value(&client)->required(), "the client id given at start")(
        "as", po::value(&as)->required(), "the reader, {\"id\":…,\"roles\":[…]}: personal values only they may read")(
        "keys", po::value(&keys), "the key file the store's personal data is sealed with")(
        "format", po::value(&format), "json (one object, default) or text (the journal format)")("help", "this help");
    if (std::find(args.begin(), args.end(), "--help") != args.end()) {
        std::cout << "usage: careflow history --store sqlite:PATH --client ID --as ACTOR_JSON [--keys FILE] "
                     "[--format json|text]\n"
                  << o;
        return 0;
    }
    (void)parse(args, o);
    if (format != "json" && format != "text") throw usage_error("--format: '" + format + "' is neither json nor text");
    const actor reader = reader_arg(as);
    opened s;
    try {
        open_store(s, store, keys);
        const client_file f = s.e.client_history(client, reader, s.e.now(), store_journal(*s.db));
        if (format == "text") {
            write_journal(std::cout, f.entries);
            return 0;
        }
        json cases = json::array();
        for (const auto& c : f.cases) cases.push_back(case_json(c));
        json entries = json::array();
        for (const auto& x : f.entries) entries.push_back(entry_json(x));
        json consents = json::array();
        for (const auto& c : f.consents) consents.push_back(consent_json(c));
        std::cout << json{{"client", f.client},
                          {"cases", std::move(cases)},
                          {"entries", std::move(entries)},
                          {"consents", std::move(consents)}}
                         .dump()
                  << '\n';
        return 0;
    } catch (const careflow::error& x) {
        throw usage_error(x.what());
    }
}

} // namespace careflow::cli
