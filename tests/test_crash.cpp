// The crash test: `careflow run` drives a seeded stream of 10,000+ mixed inputs on the
// shipped procedures (timers firing, SLA clocks breaching, spawns, refusals, bad lines)
// into a real SQLite store and is killed with SIGKILL at random moments — during recovery,
// between inputs, in the middle of a commit — then started again on the whole stream,
// over and over, per input and batched. Every line printed before a kill must come back
// identical and replayed (nothing applied twice, nothing acknowledged lost), and at the
// end the store must equal an in-memory run of the same stream exactly: every output
// line, the state (cases, variables, SLA clocks, pending timers, fires) and the journal.
//
// CAREFLOW_CRASH_INPUTS and CAREFLOW_CRASH_KILLS (per mode) size it; the defaults are what
// CI runs.
#include "process.hpp"
#include "store_fixtures.hpp"

#include <careflow/procedures/procedures.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <thread>

using namespace careflow;
using namespace careflow::test;
using nlohmann::ordered_json;

namespace {

const std::string cli = CAREFLOW_CLI;

int setting(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

std::string iso(time_point t) { return format_time(to_ticks(t)); }

// A JSON value for a field of type `f`, sometimes of the wrong type (the engine refuses it).
ordered_json sample(const field_decl& f, std::mt19937_64& rng, time_point now) {
    if (rng() % 40 == 0) return "wrong type";
    switch (f.type) {
    case value_type::boolean: return rng() % 2 == 0;
    case value_type::integer: return static_cast<int>(rng() % 6);
    case value_type::real: return static_cast<double>(rng() % 100) / 4;
    case value_type::text: return "t" + std::to_string(rng() % 1000);
    case value_type::time: return iso(now + hours(static_cast<long>(rng() % 200)));
    case value_type::duration: return "PT" + std::to_string(rng() % 90) + "M";
    case value_type::enumeration: return f.symbols.empty() ? "x" : f.symbols[rng() % f.symbols.size()];
    }
    return nullptr;
}

ordered_json actor_json(const actor& who) { return {{"id", who.id}, {"roles", who.roles}}; }

// The stream: mostly inputs that apply (chosen with an in-memory engine's `options`), with
// timers and clocks firing as time passes, and a share of refusals, errors and bad lines.
std::string make_stream(std::uint64_t seed, int count) {
    std::mt19937_64 rng(seed);
    engine e;
    procedures::install_all(e);
    const std::vector<std::string> names{"hotline_call", "phone_callback",    "first_visit",
                                         "appointment",  "counseling_course", "complaint"};
    time_point now = at(2025, 1, 6, 0, 30);
    case_id next = 1;
    std::string out;
    for (int i = 0; i < count; ++i) {
        ordered_json in{{"key", "k" + std::to_string(i)}};
        now += seconds(static_cast<long>(rng() % 90));
        const actor& who = staff[rng() % std::size(staff)];
        const std::vector<case_id> live = e.cases();
        const unsigned roll = static_cast<unsigned>(rng() % 100);
        if (roll < 2) { // a line that is not an input
            in["at"] = rng() % 2 ? "not a time" : iso(now);
            in["op"] = rng() % 2 ? "fly" : "advance";
            if (in["op"] == "advance") in["at"] = "2025-13-45T99:00:00Z";
            out += in.dump() + "\n";
            continue;
        }
        in["at"] = iso(now);
        if (roll < 12 || live.size() < 3) {
            const bool bad = rng() % 30 == 0;
            const std::string name = bad ? "no_such_procedure" : names[rng() % names.size()];
            const case_id id = rng() % 40 == 0 && next > 1 ? 1 + rng() % (next - 1) : next++;
            in["op"] = "start";
            in["case"] = id;
            in["procedure"] = name;
            in["variables"] = ordered_json::object();
            in["actor"] = actor_json(who);
            const std::string client = rng() % 3 == 0 ? std::string() : "C-" + std::to_string(rng() % 25);
            if (!client.empty()) in["client"] = client;
            (void)e.start(name, id, {}, now, who, client);
        } else if (roll < 20) {
            now += hours(static_cast<long>(rng() % 72));
            in["at"] = iso(now);
            in["op"] = "advance";
            (void)e.advance(now);
        } else if (roll < 25) {
            const case_id id = live[rng() % live.size()];
            const auto duties = e.get(id).prog().duties();
            const std::string duty = duties.empty() || rng() % 10 == 0 ? "nobody" : duties[rng() % duties.size()];
            const std::string person = staff[rng() % std::size(staff)].id;
            in["op"] = "assign";
            in["case"] = id;
            in["duty"] = duty;
            in["person"] = person;
            in["actor"] = actor_json(who);
            (void)e.assign(id, duty, person, now, who);
        } else {
            const case_id id = rng() % 50 == 0 ? 999999 : live[rng() % live.size()];
            in["op"] = "dispatch";
            in["case"] = id;
            in["actor"] = actor_json(who);
            std::string event = "no_such_event";
            payload fields;
            ordered_json fj = ordered_json::object();
            if (e.contains(id)) {
                const program& p = e.get(id).prog();
                const auto options = e.options(id, who);
                std::vector<std::string> open;
                for (const auto& o : options)
                    if (o.kind == outcome::applied) open.push_back(o.event);
                if (!open.empty() && rng() % 6 != 0)
                    event = open[rng() % open.size()];
                else if (rng() % 10 != 0)
                    event = p.events()[rng() % p.events().size()].name;
                if (const auto ev = p.find_event(event))
                    for (const auto& f : p.events()[*ev].payload) fj[f.name] = sample(f, rng, now);
            }
            in["event"] = event;
            if (!fj.empty() || rng() % 2) in["fields"] = fj;
            // The generator's engine takes the same values (text where the JSON was text).
            for (const auto& [k, v] : fj.items()) {
                if (v.is_boolean())
                    fields.set(k, value(v.get<bool>()));
                else if (v.is_number_integer())
                    fields.set(k, value(v.get<std::int64_t>()));
                else if (v.is_number_float())
                    fields.set(k, value(v.get<double>()));
                else
                    fields.set(k, value(v.get<std::string>()));
            }
            (void)e.dispatch(id, event, fields, now, who);
        }
        out += in.dump() + "\n";
    }
    return out;
}

// A printed line without its "replayed" flag, for comparing a replay with the first print.
std::string unflagged(const std::string& line) {
    auto j = ordered_json::parse(line);
    j.erase("replayed");
    return j.dump();
}

} // namespace

TEST_CASE("killed with SIGKILL at random moments, careflow run loses no acknowledged input and applies none twice") {
    const int inputs = setting("CAREFLOW_CRASH_INPUTS", 10000);
    const int kills = setting("CAREFLOW_CRASH_KILLS", 10);
    scratch tmp;
    const std::string stream = tmp.file("stream.jsonl");
    std::ofstream(stream, std::ios::binary) << make_stream(20250106, inputs);
    const std::vector<std::string> keys = [&] {
        std::vector<std::string> k;
        for (const auto& l : lines_of(bytes_of(stream))) k.push_back(ordered_json::parse(l).at("key"));
        return k;
    }();
    REQUIRE(static_cast<int>(keys.size()) == inputs);

    // The reference: the same stream in memory, never interrupted.
    const ran reference = run_to_end({cli, "run", "--builtin", "--inputs", stream, "--final-state",
                                      tmp.file("ref.json"), "--journal", tmp.file("ref.journal")});
    REQUIRE(reference.status == 0);
    const auto expected = lines_of(reference.out);
    REQUIRE(expected.size() == keys.size());
    std::map<std::string, int> outcomes;
    for (const auto& l : expected) ++outcomes[ordered_json::parse(l).at("outcome").get<std::string>()];
    MESSAGE("stream: " << inputs << " inputs; applied " << outcomes["applied"] << ", ignored " << outcomes["ignored"]
                       << ", refused " << outcomes["refused"] << ", error " << outcomes["error"]);
    CHECK(outcomes["applied"] > inputs / 3);
    CHECK(outcomes["error"] > 0);
    CHECK(outcomes["refused"] + outcomes["ignored"] > 0);
    const std::string ref_journal = bytes_of(tmp.file("ref.journal"));
    CHECK(ref_journal.find("\tfire\t") != std::string::npos);
    CHECK(ref_journal.find("\tspawn\t") != std::string::npos);
    CHECK(ref_journal.find("breached") != std::string::npos);

    std::mt19937_64 rng(7);
    // The third run seals personal data with a key ring (batch mode): data keys are made
    // and stored under the kills too.
    const std::string key_file = tmp.file("keys.json");
    std::ofstream(key_file) << R"({"keys":[{"id":"k","key":")" << std::string(64, 'a') << R"("}]})";
    for (const std::string run : {"input", "batch", "sealed"}) {
        CAPTURE(run);
        const std::string mode = run == "input" ? "input" : "batch";
        const std::string store = "sqlite:" + tmp.file("crash-" + run + ".db");
        std::vector<std::string> keyed;
        if (run == "sealed") keyed = {"--keys", key_file};
        std::vector<std::string> args{cli, "run", "--builtin", "--store", store, "--sync", mode, "--inputs", stream};
        args.insert(args.end(), keyed.begin(), keyed.end());
        std::size_t acked = 0; // lines acknowledged so far (always a prefix of the stream)
        int killed = 0, mid_recovery = 0;
        // Every line printed, checked against the first print of its key and the reference.
        auto check_line = [&](std::size_t i, const std::string& line) {
            REQUIRE(i < keys.size());
            const auto j = ordered_json::parse(line);
            REQUIRE(j.at("key") == keys[i]); // in stream order, none skipped
            CHECK(unflagged(line) == unflagged(expected[i]));
            if (i < acked && j.at("code") != "careflow.cli.bad_input")
                CHECK_MESSAGE(j.at("replayed") == true, "acknowledged before a kill, yet applied again: " << line);
        };
        while (killed < kills) {
            child c(args);
            std::string line;
            std::size_t seen = 0;
            if (rng() % 5 == 0) { // during recovery or the replay of recorded keys
                std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
                ++mid_recovery;
            } else {
                const std::size_t more = 1 + rng() % (2 * keys.size() / static_cast<std::size_t>(kills * 2 + 1));
                while (seen < acked + more && c.line(line)) check_line(seen++, line);
                std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
            }
            c.kill();
            while (c.line(line)) check_line(seen++, line); // what it printed before it died
            const int status = c.wait();
            if (status == 0) break; // it finished before the kill: the stream is too short
            REQUIRE(status == 128 + SIGKILL);
            acked = std::max(acked, seen);
            ++killed;
        }
        std::vector<std::string> to_end = args;
        to_end.insert(to_end.end(), {"--journal", tmp.file(run + ".journal")});
        const ran last = run_to_end(to_end);
        REQUIRE(last.status == 0);
        const auto lines = lines_of(last.out);
        REQUIRE(lines.size() == keys.size());
        for (std::size_t i = 0; i < lines.size(); ++i) check_line(i, lines[i]);
        MESSAGE(run << ": " << killed << " kills (" << mid_recovery << " during recovery), " << acked
                    << " inputs acknowledged before the last kill");
        CHECK(killed == kills);
        // The store is the never-interrupted run, exactly.
        std::vector<std::string> inspect{cli, "inspect", "--store", store, "--json"};
        inspect.insert(inspect.end(), keyed.begin(), keyed.end());
        const ran state = run_to_end(inspect);
        REQUIRE(state.status == 0);
        CHECK(state.out == bytes_of(tmp.file("ref.json")));
        CHECK(bytes_of(tmp.file(run + ".journal")) == ref_journal);
    }
}
