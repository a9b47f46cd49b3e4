// careflow export, and what every command shows of personal data (disclosure.hpp).
//
//   careflow export --store sqlite:PATH --as ACTOR_JSON [--format text|jsonl]
#include "disclosure.hpp"

#include "commands.hpp"

#include <careflow/procedures/procedures.hpp>
#include <careflow/store/sqlite.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>

namespace careflow::cli {

actor reader_arg(const std::string& text) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception&) {
        throw usage_error("--as: '" + text + "' is not JSON (give {\"id\":…,\"roles\":[…]})");
    }
    auto bad = [&](const std::string& why) { return usage_error("--as: " + why); };
    if (!j.is_object()) throw bad("the reader must be an object {\"id\":…,\"roles\":[…]}");
    const auto id = j.find("id");
    if (id == j.end() || !id->is_string() || id->get<std::string>().empty())
        throw bad("the reader needs an \"id\" string");
    actor who{id->get<std::string>(), {}};
    if (const auto roles = j.find("roles"); roles != j.end()) {
        if (!roles->is_array()) throw bad("\"roles\" must be an array of strings");
        for (const auto& r : *roles) {
            if (!r.is_string()) throw bad("\"roles\" must be an array of strings");
            who.roles.push_back(r.get<std::string>());
        }
    }
    for (const auto& [key, v] : j.items())
        if (key != "id" && key != "roles") throw bad("unknown member \"" + key + "\"");
    return who;
}

std::vector<journal_entry> store_journal(sqlite_store& s) {
    constexpr std::uint64_t page = 20000;
    std::vector<journal_entry> out;
    for (std::uint64_t from = s.journal_begin();; from += page) {
        const auto lines = s.journal(from, page);
        if (lines.empty()) break;
        std::ostringstream text;
        write_journal(text, {}, true); // the header line
        for (const auto& line : lines) text << line << '\n';
        std::istringstream in(text.str());
        auto chunk = read_journal(in);
        out.insert(out.end(), std::make_move_iterator(chunk.begin()), std::make_move_iterator(chunk.end()));
        if (lines.size() < page) break;
    }
    return out;
}

std::vector<journal_entry> shown_journal(engine& e, std::span<const journal_entry> entries,
                                         const std::optional<actor>& reader) {
    if (!reader || e.now().is_special()) return e.withhold(entries);
    return e.journal_for(*reader, e.now(), entries);
}

json entry_json(const journal_entry& x) {
    json values = json::object();
    for (const auto& [name, v] : x.values) values[name] = to_json(v);
    json roles = json::array();
    for (const auto& r : x.roles) roles.push_back(r);
    auto text = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    return json{{"time", format_time(x.time)},
                {"kind", std::string(to_string(x.kind))},
                {"result", std::string(to_string(x.result))},
                {"case", x.id},
                {"procedure", text(x.procedure)},
                {"event", text(x.event)},
                {"actor", text(x.actor)},
                {"roles", std::move(roles)},
                {"from", text(x.from)},
                {"to", text(x.to)},
                {"other", x.other == 0 ? json(nullptr) : json(x.other)},
                {"code", text(x.code)},
                {"detail", text(x.detail)},
                {"values", std::move(values)},
                {"reentered", x.reentered},
                {"client", text(x.client)}};
}

int export_journal(const std::vector<std::string>& args) {
    std::string store, as, format = "text", keys;
    po::options_description o("export options");
    o.add_options()("store", po::value(&store)->required(), "sqlite:PATH — an existing store")(
        "keys", po::value(&keys), "the key file the store's personal data is sealed with")(
        "as", po::value(&as)->required(), "the reader, {\"id\":…,\"roles\":[…]}: personal values only they may read")(
        "format", po::value(&format),
        "text (the journal format, default) or jsonl (a JSON object per entry)")("help", "this help");
    if (std::find(args.begin(), args.end(), "--help") != args.end()) {
        std::cout << "usage: careflow export --store sqlite:PATH --as ACTOR_JSON [--format text|jsonl] [--keys FILE]\n"
                  << o;
        return 0;
    }
    (void)parse(args, o);
    if (format != "text" && format != "jsonl")
        throw usage_error("--format: '" + format + "' is neither text nor jsonl");
    const actor reader = reader_arg(as);
    const std::string path = sqlite_path(store);
    const auto ring = keys_arg(keys);
    try {
        sqlite_store db(path, {.create = false, .keys = ring});
        engine e;
        procedures::install_all(e);
        std::vector<journal_entry> shown;
        if (db.holds_engine()) {
            e.open(db);
            shown = shown_journal(e, store_journal(db), reader); // the export is journaled in the store
        }
        if (format == "jsonl") {
            for (const auto& x : shown) std::cout << entry_json(x).dump() << '\n';
        } else {
            write_journal(std::cout, shown);
        }
        std::cout.flush();
        return 0;
    } catch (const careflow::error& x) {
        throw usage_error(x.what());
    }
}

} // namespace careflow::cli
