// careflow run: drive the shipped procedures from JSON Lines inputs, in memory or durable
// on a store, printing one JSON line per input once that input is durable. Keys make a
// re-run of the same file safe: a recorded key prints its recorded line again.
//
//   careflow run --builtin [--store sqlite:PATH] [--sync input|batch] --inputs FILE|-
//                [--final-state FILE] [--journal FILE]
#include "commands.hpp"
#include "json_values.hpp"
#include "state_json.hpp"

#include <careflow/procedures/procedures.hpp>
#include <careflow/runtime/engine.hpp>
#include <careflow/store/sqlite.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <optional>
#include <poll.h>
#include <sstream>
#include <unistd.h>

namespace careflow::cli {

namespace {

// Lines from a file descriptor, with a wait that can end before the next line comes (so
// that a batch is committed on time while the input pauses).
class line_reader {
public:
    explicit line_reader(int fd) : fd_(fd) {}
    enum class got { line, end, timeout };
    /// The next line; `wait_ms` < 0 waits as long as it takes.
    got next(std::string& line, int wait_ms) {
        for (;;) {
            if (const auto nl = buf_.find('\n', scanned_); nl != std::string::npos) {
                line.assign(buf_, 0, nl);
                buf_.erase(0, nl + 1);
                scanned_ = 0;
                return got::line;
            }
            scanned_ = buf_.size();
            if (eof_) {
                if (buf_.empty()) return got::end;
                line.swap(buf_);
                buf_.clear();
                scanned_ = 0;
                return got::line;
            }
            if (wait_ms >= 0) {
                pollfd p{fd_, POLLIN, 0};
                const int ready = ::poll(&p, 1, wait_ms);
                if (ready == 0) return got::timeout;
                if (ready < 0 && errno == EINTR) continue;
            }
            char chunk[65536];
            const ssize_t n = ::read(fd_, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw usage_error(std::string("cannot read the inputs: ") + std::strerror(errno));
            if (n == 0)
                eof_ = true;
            else
                buf_.append(chunk, static_cast<std::size_t>(n));
        }
    }

private:
    int fd_;
    std::string buf_;
    std::size_t scanned_ = 0;
    bool eof_ = false;
};

// A line that is not an input; `key` is set when the line had a readable key.
struct unreadable {
    std::optional<std::string> key;
    std::string why;
};

const json& field(const json& j, const char* name, json::value_t type, const char* what) {
    const auto it = j.find(name);
    if (it == j.end()) throw unreadable{{}, std::string("no \"") + name + "\""};
    const bool ok = it->type() == type || (type == json::value_t::number_unsigned &&
                                           it->type() == json::value_t::number_integer && it->get<std::int64_t>() >= 0);
    if (!ok) throw unreadable{{}, std::string("\"") + name + "\" must be " + what};
    return *it;
}

std::string text(const json& j, const char* name) {
    return field(j, name, json::value_t::string, "a string").get<std::string>();
}

actor actor_of(const json& j) {
    const json& a = field(j, "actor", json::value_t::object, "an object {\"id\":…,\"roles\":[…]}");
    actor who;
    who.id = text(a, "id");
    if (const auto roles = a.find("roles"); roles != a.end()) {
        if (!roles->is_array()) throw unreadable{{}, "\"actor\".\"roles\" must be an array of strings"};
        for (const auto& r : *roles) {
            if (!r.is_string()) throw unreadable{{}, "\"actor\".\"roles\" must be an array of strings"};
            who.roles.push_back(r.get<std::string>());
        }
    }
    return who;
}

// Named values (initial variables or event fields), each converted for its declared type.
template <class TypeOf>
payload values_of(const json& j, const char* name, TypeOf type_of) {
    payload out;
    const auto it = j.find(name);
    if (it == j.end()) return out;
    if (!it->is_object()) throw unreadable{{}, std::string("\"") + name + "\" must be an object"};
    for (const auto& [k, v] : it->items()) {
        try {
            out.set(k, to_value(v, type_of(k)));
        } catch (const std::invalid_argument& x) {
            throw unreadable{{}, std::string("\"") + name + "\".\"" + k + "\": " + x.what()};
        }
    }
    return out;
}

// What a line says, applied to `e`: the result and the case it named (0: none).
struct applied {
    result r;
    case_id id = 0;
};

applied apply(engine& e, const json& in, const std::string& key) {
    const std::string op = text(in, "op");
    time_point at;
    if (!parse_instant(text(in, "at"), at))
        throw unreadable{{}, "\"at\" must be an ISO 8601 instant with an offset, like 2025-01-24T14:30:00+08:00"};
    auto keyed = e.with_key(key);
    if (op == "advance") return {keyed.advance(at), 0};
    const case_id id = field(in, "case", json::value_t::number_unsigned, "a non-negative integer").get<case_id>();
    const actor who = actor_of(in);
    if (op == "start") {
        const std::string procedure = text(in, "procedure");
        const auto p = e.find_program(procedure);
        const payload vars = values_of(in, "variables", [&](const std::string& name) -> std::optional<value_type> {
            const auto v = p ? p->find_variable(name) : std::nullopt;
            return v ? std::optional(p->variables()[*v].type) : std::nullopt;
        });
        return {keyed.start(procedure, id, vars, at, who), id};
    }
    if (op == "dispatch") {
        const std::string event = text(in, "event");
        const program* p = e.contains(id) ? &e.get(id).prog() : nullptr;
        const auto ev = p ? p->find_event(event) : std::nullopt;
        const payload fields = values_of(in, "fields", [&](const std::string& name) -> std::optional<value_type> {
            if (!ev) return std::nullopt;
            for (const auto& f : p->events()[*ev].payload)
                if (f.name == name) return f.type;
            return std::nullopt;
        });
        return {keyed.dispatch(id, event, fields, at, who), id};
    }
    if (op == "assign") return {keyed.assign(id, text(in, "duty"), text(in, "person"), at, who), id};
    throw unreadable{{}, "\"op\" must be start, dispatch, assign or advance, not \"" + op + "\""};
}

json output_line(const std::optional<std::string>& key, std::string_view outcome_name, std::string_view code,
                 const std::string& state, bool replayed, const std::string& reason) {
    json line{{"key", key ? json(*key) : json(nullptr)},
              {"outcome", outcome_name},
              {"code", code},
              {"state", state},
              {"replayed", replayed}};
    if (!reason.empty()) line["reason"] = reason;
    return line;
}

// The line for an input: a keyed input's from its record, so that a replay repeats it.
json line_for(const engine& e, const std::optional<std::string>& key, const applied& a) {
    if (key && a.r.code != codes::key_reused)
        if (const auto rec = e.recorded(*key))
            return output_line(key, to_string(rec->kind), rec->code, rec->state, a.r.replayed, rec->reason);
    const std::string state = a.id != 0 && e.contains(a.id) ? e.get(a.id).path() : std::string();
    return output_line(key, to_string(a.r.kind), a.r.code, state, a.r.replayed, a.r.reason);
}

void write_file(const std::string& path, const std::string& body) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << body;
    out.close();
    if (!out) throw usage_error("cannot write '" + path + "'");
}

} // namespace

int drive(int fd, const std::string& store, const std::string& sync, const std::string& final_state,
          const std::string& journal_file);

int run(const std::vector<std::string>& args) {
    std::string store, sync, inputs, final_state, journal_file;
    po::options_description o("run options");
    o.add_options()("builtin", "drive the shipped procedures (required: the only procedures this build runs)")(
        "store", po::value(&store), "sqlite:PATH — durable on that store (made on first use); omitted: in memory")(
        "sync", po::value(&sync)->default_value("input"),
        "input: each input committed before its line is printed; batch: every 256 inputs or 50 ms, and at the end")(
        "inputs", po::value(&inputs)->required(), "JSON Lines file of inputs, or - for standard input")(
        "final-state", po::value(&final_state), "write the final state there (the JSON of 'careflow inspect --json')")(
        "journal", po::value(&journal_file), "write the whole journal there (text format) at the end")("help",
                                                                                                         "this help");
    if (std::find(args.begin(), args.end(), "--help") != args.end()) {
        std::cout << "usage: careflow run --builtin [--store sqlite:PATH] [--sync input|batch] --inputs FILE|- "
                     "[--final-state FILE] [--journal FILE]\n"
                     "  one input per line: {\"key\":\"k1\",\"at\":\"2025-01-24T14:30:00+08:00\",\"op\":\"start\","
                     "\"case\":17,\"procedure\":\"hotline_call\",\"actor\":{\"id\":\"op-7\",\"roles\":[\"operator\"]}}\n"
                  << o;
        return 0;
    }
    const auto vm = parse(args, o);
    if (!vm.count("builtin")) throw usage_error("run needs --builtin (the shipped procedures)");
    if (sync != "input" && sync != "batch") throw usage_error("--sync must be input or batch, not '" + sync + "'");
    int fd = 0;
    if (inputs != "-") {
        fd = ::open(inputs.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw usage_error("cannot read '" + inputs + "': " + std::strerror(errno));
    }
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return drive(fd, store, sync, final_state, journal_file);
    } catch (const careflow::error& x) { // a store that fails under us: exit 2, its lines unprinted
        throw usage_error(x.what());
    }
}

int drive(int fd, const std::string& store, const std::string& sync, const std::string& final_state,
          const std::string& journal_file) {
    engine e;
    procedures::install_all(e);
    std::optional<sqlite_store> db;
    if (!store.empty()) {
        sqlite_options so;
        so.sync = sync == "batch" ? durability::batch : durability::per_input;
        try {
            db.emplace(sqlite_path(store), so);
            e.open(*db);
        } catch (const careflow::error& x) {
            throw usage_error(x.what());
        }
    }
    // Lines wait here until their inputs are durable (batch mode), then go out in order.
    std::vector<std::string> waiting;
    auto release = [&] {
        for (const auto& l : waiting) std::fwrite(l.data(), 1, l.size(), stdout);
        waiting.clear();
        std::fflush(stdout);
    };
    auto commit = [&] {
        if (db && db->unflushed() > 0) db->flush();
        release();
    };
    line_reader reader(fd);
    std::string line;
    std::size_t number = 0;
    auto batch_began = std::chrono::steady_clock::now();
    for (;;) {
        int wait = -1;
        if (!waiting.empty()) { // lines wait for a commit: no longer than the batch time
            const auto age = std::chrono::steady_clock::now() - batch_began;
            wait = static_cast<int>(std::max<std::int64_t>(
                0, 50 - std::chrono::duration_cast<std::chrono::milliseconds>(age).count()));
        }
        const auto got = reader.next(line, wait);
        if (got == line_reader::got::end) break;
        if (got == line_reader::got::timeout) {
            commit();
            continue;
        }
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        std::optional<std::string> key;
        std::string out;
        try {
            json in;
            try {
                in = json::parse(line);
            } catch (const json::parse_error& x) {
                throw unreadable{{}, std::string("not JSON: ") + x.what()};
            }
            if (!in.is_object()) throw unreadable{{}, "an input is a JSON object"};
            if (const auto k = in.find("key"); k != in.end()) {
                if (!k->is_string() || k->get_ref<const std::string&>().empty())
                    throw unreadable{{}, "\"key\" must be a non-empty string"};
                key = k->get<std::string>();
            }
            try {
                const applied a = apply(e, in, key.value_or(std::string()));
                out = line_for(e, key, a).dump() + "\n";
                if (a.r.code == codes::store_write_failed && !a.r.replayed) {
                    // The store cannot take writes: what it holds is printed, then stop.
                    const std::size_t kept = db ? db->unflushed() : 0;
                    if (kept == waiting.size()) {
                        try {
                            commit();
                        } catch (const careflow::error&) {
                            waiting.clear();
                        }
                    } else {
                        waiting.clear(); // the batch was lost with its commit
                    }
                    std::fwrite(out.data(), 1, out.size(), stdout);
                    std::fflush(stdout);
                    std::cerr << "careflow: line " << number << ": the store refused the input: " << a.r.reason
                              << "\n";
                    return 2;
                }
            } catch (unreadable& u) {
                u.key = key;
                throw;
            }
        } catch (const unreadable& u) {
            if (!u.key) {
                commit();
                std::cerr << "careflow: line " << number << ": " << u.why << "\n";
                return 2;
            }
            out = output_line(u.key, "error", "careflow.cli.bad_input", "", false, u.why).dump() + "\n";
        }
        if (waiting.empty()) batch_began = std::chrono::steady_clock::now();
        waiting.push_back(std::move(out));
        if (!db || db->unflushed() == 0) release();
    }
    commit();
    if (fd != 0) ::close(fd);
    if (!final_state.empty() || !journal_file.empty()) {
        fire_counts fired;
        if (db)
            fired.add_store(*db);
        else
            for (const auto& x : e.journal()) fired.add(x);
        if (!final_state.empty()) write_file(final_state, state_json(e, fired).dump() + "\n");
        if (!journal_file.empty()) {
            std::ostringstream text;
            if (db) {
                write_journal(text, {}, true);
                for (const auto& l : db->journal(0, UINT64_MAX)) text << l << '\n';
            } else {
                write_journal(text, e.journal());
            }
            write_file(journal_file, text.str());
        }
    }
    return 0;
}

} // namespace careflow::cli
