// careflow inspect, verify and backup: a store's engine as JSON (or a short table), its
// journal's hash chain checked, an online copy of a store in use, and a store restored
// from such a copy.
//
//   careflow inspect --store sqlite:PATH [--json] [--as ACTOR_JSON]
//   careflow verify --store sqlite:PATH
//   careflow backup --store sqlite:PATH --to FILE
//   careflow backup --restore FILE --store sqlite:PATH [--replace]
#include "commands.hpp"
#include "disclosure.hpp"
#include "state_json.hpp"

#include <careflow/procedures/procedures.hpp>
#include <careflow/store/sqlite.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace careflow::cli {

namespace {

bool help(const std::vector<std::string>& args) { return std::find(args.begin(), args.end(), "--help") != args.end(); }

} // namespace

int inspect(const std::vector<std::string>& args) {
    std::string store, as, keys;
    po::options_description o("inspect options");
    o.add_options()("store", po::value(&store)->required(), "sqlite:PATH — an existing store")(
        "json", "print one JSON object (the shape 'careflow run --final-state' writes)")(
        "keys", po::value(&keys), "the key file the store's personal data is sealed with")(
        "as", po::value(&as),
        "with --json: show the personal variables this reader may read (each read journaled)")("help", "this help");
    if (help(args)) {
        std::cout << "usage: careflow inspect --store sqlite:PATH [--json] [--as ACTOR_JSON] [--keys FILE]\n" << o;
        return 0;
    }
    const auto vm = parse(args, o);
    std::optional<actor> reader;
    if (!as.empty()) reader = reader_arg(as);
    const std::string path = sqlite_path(store);
    const auto ring = keys_arg(keys);
    try {
        sqlite_store db(path, {.create = false, .keys = ring});
        engine e;
        procedures::install_all(e);
        fire_counts fired;
        if (db.holds_engine()) { // an empty store is an empty engine: nothing is written to it
            e.open(db);
            fired.add_store(db);
        }
        if (vm.count("json")) {
            std::cout << state_json(e, fired, reader).dump() << "\n";
            return 0;
        }
        std::cout << fmt::format("{}: {} cases, clock {}, {} timers pending, {} journal entries\n", path, e.size(),
                                 e.now().is_special() ? std::string("-") : format_time(to_ticks(e.now())),
                                 e.pending_timers(), e.journal_size());
        std::vector<case_id> ids = e.cases();
        std::sort(ids.begin(), ids.end());
        for (const case_id id : ids) {
            const case_view c = e.get(id);
            std::string timers;
            for (const auto& [name, due] : c.pending_timers())
                timers += fmt::format(" {}@{}", name, format_time(to_ticks(due)));
            std::cout << fmt::format("  {:>20}  {:<22} {}{}{}\n", id, c.prog().qualified_name(), c.path(),
                                     c.finished() ? " (finished)" : "", timers);
        }
        return 0;
    } catch (const careflow::error& x) {
        throw usage_error(x.what());
    }
}

int verify(const std::vector<std::string>& args) {
    std::string store;
    po::options_description o("verify options");
    o.add_options()("store", po::value(&store)->required(), "sqlite:PATH — an existing store")("help", "this help");
    if (help(args)) {
        std::cout << "usage: careflow verify --store sqlite:PATH\n"
                     "  exit 0: 'journal verified: N entries, head <hex>'; exit 1: the first entry that fails\n"
                  << o;
        return 0;
    }
    (void)parse(args, o);
    const std::string path = sqlite_path(store);
    try {
        sqlite_store db(path, {.create = false});
        const journal_verification v = db.verify();
        if (!v.ok) {
            std::cout << "journal entry " << v.first_bad << " fails verification: " << v.why << "\n";
            return 1;
        }
        std::cout << "journal verified: " << v.entries << " entries, head " << (v.head.empty() ? "none" : v.head)
                  << "\n";
        return 0;
    } catch (const careflow::error& x) {
        throw usage_error(x.what());
    }
}

int backup(const std::vector<std::string>& args) {
    std::string store, to, from;
    po::options_description o("backup options");
    o.add_options()("store", po::value(&store)->required(), "sqlite:PATH — the store")(
        "to", po::value(&to), "copy the store, while it may be in use, to this new file")(
        "restore", po::value(&from), "make the store a copy of this backup instead")(
        "replace", "with --restore: replace a store that already exists")("help", "this help");
    if (help(args)) {
        std::cout << "usage: careflow backup --store sqlite:PATH --to FILE\n"
                     "       careflow backup --restore FILE --store sqlite:PATH [--replace]\n"
                  << o;
        return 0;
    }
    const auto vm = parse(args, o);
    const std::string path = sqlite_path(store);
    if (to.empty() == from.empty()) throw usage_error("backup takes one of --to FILE or --restore FILE");
    namespace fs = std::filesystem;
    try {
        if (!to.empty()) {
            if (fs::exists(to)) throw usage_error("'" + to + "' exists; a backup goes to a new file");
            sqlite_store db(path, {.create = false});
            db.backup(to);
            std::cout << "backed up " << path << " to " << to << "\n";
            return 0;
        }
        std::error_code ec;
        if (fs::exists(path, ec) && fs::file_size(path, ec) > 0 && !vm.count("replace"))
            throw usage_error("'" + path + "' exists; --replace to overwrite it with the backup");
        sqlite_store::restore_backup(from, path);
        sqlite_store check(path, {.create = false}); // the restored store opens (and is migrated)
        std::cout << "restored " << path << " from " << from << "\n";
        return 0;
    } catch (const careflow::error& x) {
        throw usage_error(x.what());
    }
}

} // namespace careflow::cli
