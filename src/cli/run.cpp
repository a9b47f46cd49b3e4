// careflow run: drive the shipped procedures from JSON Lines inputs, in memory or durable
// on a store, printing one JSON line per input once that input is durable. Keys make a
// re-run of the same file safe: a recorded key prints its recorded line again.
//
//   careflow run --builtin [--store sqlite:PATH] [--sync input|batch] --inputs FILE|-
//                [--final-state FILE] [--journal FILE] [--as ACTOR_JSON]
#include "commands.hpp"
#include "disclosure.hpp"
#include "inputs.hpp"
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

// One output line in one write(2): to a pipe, a line up to 4 KiB arrives whole or not at
// all, so a reader of a process killed mid-output never sees half an acknowledgment.
void write_line(const std::string& line) {
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t n = ::write(1, line.data() + done, line.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return; // the reader is gone (SIGPIPE is ignored): nothing more to tell it
        done += static_cast<std::size_t>(n);
    }
}

void write_file(const std::string& path, const std::string& body) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << body;
    out.close();
    if (!out) throw usage_error("cannot write '" + path + "'");
}

// The run itself: the engine, the store, the inputs line by line, the output lines as
// their inputs become durable.
int drive(int fd, const std::string& store, const std::string& sync, const std::string& final_state,
          const std::string& journal_file, const std::optional<actor>& as, std::shared_ptr<const key_ring> keys) {
    engine e;
    procedures::install_all(e);
    std::optional<sqlite_store> db;
    if (!store.empty()) {
        sqlite_options so;
        so.sync = sync == "batch" ? durability::batch : durability::per_input;
        so.keys = std::move(keys);
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
        for (const auto& l : waiting) write_line(l);
        waiting.clear();
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
            wait = static_cast<int>(
                std::max<std::int64_t>(0, 50 - std::chrono::duration_cast<std::chrono::milliseconds>(age).count()));
        }
        const auto got = reader.next(line, wait);
        if (got == line_reader::got::end) break;
        if (got == line_reader::got::timeout) {
            commit();
            continue;
        }
        ++number;
        line_outcome got_line = apply_line(e, line);
        if (got_line.what == line_outcome::kind::blank) continue;
        if (got_line.what == line_outcome::kind::stop) {
            commit();
            std::cerr << "careflow: line " << number << ": " << got_line.why << "\n";
            return 2;
        }
        std::string out = std::move(got_line.line);
        if (got_line.write_failed) {
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
            write_line(out);
            std::cerr << "careflow: line " << number << ": the store refused the input: " << got_line.why << "\n";
            return 2;
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
        if (!final_state.empty()) write_file(final_state, state_json(e, fired, as).dump() + "\n");
        if (!journal_file.empty()) {
            std::ostringstream text;
            write_journal(text, shown_journal(e, db ? store_journal(*db) : e.journal(), as));
            write_file(journal_file, text.str());
        }
        if (db) db->flush(); // the reads --as made are journaled like any input
    }
    return 0;
}

} // namespace

int run(const std::vector<std::string>& args) {
    std::string store, sync, inputs, final_state, journal_file, as, keys;
    po::options_description o("run options");
    o.add_options()("builtin", "drive the shipped procedures (required: the only procedures this build runs)")(
        "store", po::value(&store), "sqlite:PATH — durable on that store (made on first use); omitted: in memory")(
        "sync", po::value(&sync)->default_value("input"),
        "input: each input committed before its line is printed; batch: every 256 inputs or 50 ms, and at the end")(
        "inputs", po::value(&inputs)->required(), "JSON Lines file of inputs, or - for standard input")(
        "final-state", po::value(&final_state), "write the final state there (the JSON of 'careflow inspect --json')")(
        "journal", po::value(&journal_file), "write the whole journal there (text format) at the end")(
        "keys", po::value(&keys),
        "a key file ({\"keys\":[{\"id\":…,\"key\":\"<64 hex>\"}]}): personal data sealed with AES-256-GCM in the "
        "store")("as", po::value(&as),
                 "the reader of --final-state and --journal: personal values only they may read (each read journaled); "
                 "without it, every personal value is withheld")("help", "this help");
    if (std::find(args.begin(), args.end(), "--help") != args.end()) {
        std::cout
            << "usage: careflow run --builtin [--store sqlite:PATH] [--sync input|batch] [--keys FILE] --inputs FILE|- "
               "[--final-state FILE] [--journal FILE] [--as ACTOR_JSON]\n"
               "  one input per line: {\"key\":\"k1\",\"at\":\"2025-01-24T14:30:00+08:00\",\"op\":\"start\","
               "\"case\":17,\"procedure\":\"hotline_call\",\"actor\":{\"id\":\"op-7\",\"roles\":[\"operator\"]}}\n"
            << o;
        return 0;
    }
    const auto vm = parse(args, o);
    std::optional<actor> reader;
    if (!as.empty()) reader = reader_arg(as);
    if (!vm.count("builtin")) throw usage_error("run needs --builtin (the shipped procedures)");
    if (sync != "input" && sync != "batch") throw usage_error("--sync must be input or batch, not '" + sync + "'");
    int fd = 0;
    if (inputs != "-") {
        fd = ::open(inputs.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw usage_error("cannot read '" + inputs + "': " + std::strerror(errno));
    }
    std::signal(SIGPIPE, SIG_IGN);
    try {
        return drive(fd, store, sync, final_state, journal_file, reader, keys_arg(keys));
    } catch (const careflow::error& x) { // a store that fails under us: exit 2, its lines unprinted
        throw usage_error(x.what());
    }
}

} // namespace careflow::cli
