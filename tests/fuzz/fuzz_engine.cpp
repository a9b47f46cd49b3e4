// Fuzz target: a structured driver of engine calls on the shipped procedures. The bytes
// choose the calls (start with or without a client, dispatch by name and typed, assign,
// advance, erase, options, reads, a client's file and its erasure,
// inputs with time going backwards) and their arguments, good and bad. After every call:
// the outcome's code is one the engine documents, and an input that was not applied
// changed nothing. At the end: snapshot -> restore -> snapshot is identical (text and
// binary), and replaying the journal onto a fresh engine reproduces the engine.
#include "fuzz_setup.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <sstream>
#include <string_view>

using namespace careflow;
using boost::posix_time::seconds;

namespace {

struct reader {
    const std::uint8_t* p;
    std::size_t n;
    std::uint8_t byte() {
        if (!n) return 0;
        --n;
        return *p++;
    }
    bool more() const { return n > 0; }
};

const std::set<std::string_view>& refusal_codes() {
    static const std::set<std::string_view> s{codes::guard_false, codes::role_missing, codes::not_assignee,
                                              codes::access_denied};
    return s;
}

const std::set<std::string_view>& error_codes() {
    static const std::set<std::string_view> s{codes::unknown_case,     codes::unknown_event,    codes::bad_payload,
                                              codes::time_backwards,   codes::bad_time,         codes::duplicate_case,
                                              codes::unknown_program,  codes::unknown_calendar, codes::unknown_duty,
                                              codes::unknown_variable, codes::unknown_actor,    codes::reserved_actor,
                                              codes::reentrant_input,  codes::not_finished,     codes::action_failed,
                                              codes::unbound_action,   codes::eventless_loop,   codes::spawn_failed,
                                              codes::bad_client,       codes::unknown_consent,  codes::bad_consent};
    return s;
}

void check_code(const result& r) {
    switch (r.kind) {
    case outcome::applied:
    case outcome::ignored: fuzz::require(r.code.empty(), "an applied or ignored input has a code"); break;
    case outcome::refused: fuzz::require(refusal_codes().count(r.code) == 1, "a refusal with an unknown code"); break;
    case outcome::error: fuzz::require(error_codes().count(r.code) == 1, "an error with an unknown code"); break;
    }
}

value any_value(reader& in, value_type t, const std::vector<std::string>& symbols) {
    const std::uint8_t b = in.byte();
    if (b % 11 == 0) { // a value of another type, on purpose
        const value wrong[] = {value(true), value(std::int64_t{7}), value(2.5), value(std::string("x")),
                               value(symbol{"nope"})};
        return wrong[b % 5];
    }
    switch (t) {
    case value_type::boolean: return value(b % 2 == 0);
    case value_type::integer: return value(static_cast<std::int64_t>(b % 9) - 2);
    case value_type::real: return value(static_cast<double>(b) / 10.0);
    case value_type::text: return value(std::string(b % 4, static_cast<char>('a' + b % 26)));
    case value_type::time:
        return value(time_point(boost::gregorian::date(2026, 11, 23)) + boost::posix_time::hours(b % 200));
    case value_type::duration: return value(boost::posix_time::time_duration(seconds(b * 37)));
    case value_type::enumeration:
        return value(symbol{symbols.empty() || b % 7 == 0 ? std::string("nope") : symbols[b % symbols.size()]});
    }
    return {};
}

std::string without_actor_lines(const std::string& snapshot) {
    std::istringstream in(snapshot);
    std::string out, line;
    while (std::getline(in, line))
        if (line.rfind("actor ", 0) != 0) out += line + "\n";
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    reader in{data, size};
    engine e;
    fuzz::setup(e);
    const auto& programs = fuzz::shipped();
    const std::array<actor, 6> actors{actor{"op-1", {"operator"}},
                                      actor{"dr-1", {"counselor"}},
                                      actor{"dr-2", {"counselor"}},
                                      actor{"desk", {"receptionist", "back_office"}},
                                      actor{"boss", {"manager", "callback_agent"}},
                                      actor{"system", {}}};
    std::array<actor_ref, 6> refs{};
    for (std::size_t i = 0; i < actors.size(); ++i) refs[i] = e.intern(actors[i]);
    time_point now(boost::gregorian::date(2026, 11, 23), boost::posix_time::hours(1));
    auto pick_case = [&]() -> case_id {
        const auto ids = e.cases();
        const std::uint8_t b = in.byte();
        if (ids.empty() || b % 5 == 0) return 1 + b % 8;
        return ids[b % ids.size()];
    };
    auto program_of = [&](case_id id) -> const program* { return e.contains(id) ? &e.get(id).prog() : nullptr; };

    for (int op = 0; op < 64 && in.more(); ++op) {
        const std::uint8_t kind = in.byte() % 9;
        const std::uint8_t step = in.byte();
        now += step % 3 == 0 ? boost::posix_time::time_duration(seconds(step)) : boost::posix_time::minutes(step % 90);
        if (step % 41 == 0) now += boost::posix_time::hours(24 * (1 + step % 5));
        check_code(e.advance(now)); // due timers fire first, as an input of their own
        const actor& who = actors[in.byte() % actors.size()];
        const std::string before = e.snapshot();
        result r;
        bool changed_allowed = false;
        switch (kind) {
        case 0: { // start
            const auto& p = programs[in.byte() % programs.size()];
            payload vars;
            const std::uint8_t nvars = in.byte() % 3;
            for (std::uint8_t i = 0; i < nvars && !p->variables().empty(); ++i) {
                const auto& v = p->variables()[in.byte() % p->variables().size()];
                vars.set(in.byte() % 13 == 0 ? std::string("no_such") : v.name, any_value(in, v.type, v.symbols));
            }
            static const std::array<std::string, 4> clients{"", "C-1", "C-2", "case:9"}; // the last is refused
            const std::string& client = clients[in.byte() % clients.size()];
            r = in.byte() % 4 == 0 ? e.start(p->name(), 1 + in.byte() % 8, vars, now, who, client)
                                   : e.start(p, 1 + in.byte() % 8, vars, now, who, client);
            fuzz::require(client != "case:9" || r.code == codes::bad_client || r.code == codes::time_backwards ||
                              r.code == codes::reserved_actor || r.code == codes::unknown_program,
                          "a client id beginning 'case:' was accepted");
            break;
        }
        case 1:
        case 2: { // dispatch by name, or typed
            const case_id id = pick_case();
            const program* p = program_of(id);
            const bool typed = kind == 2;
            const std::uint8_t b = in.byte();
            if (!p || p->events().empty() || b % 19 == 0) {
                r = typed ? e.dispatch(id, static_cast<event_index>(b), now, refs[b % refs.size()])
                          : e.dispatch(id, "no_such_event", now, who);
                break;
            }
            const auto ev = static_cast<event_index>(b % p->events().size());
            const auto& decl = p->events()[ev];
            std::vector<value> fields;
            payload named;
            for (const auto& f : decl.payload) {
                fields.push_back(any_value(in, f.type, f.symbols));
                named.set(f.name, fields.back());
            }
            if (in.byte() % 17 == 0) named.set("extra", value(1));
            r = typed ? e.dispatch(id, ev, fields, now, refs[in.byte() % refs.size()])
                      : e.dispatch(id, decl.name, named, now, who);
            break;
        }
        case 3: { // assign
            const case_id id = pick_case();
            const program* p = program_of(id);
            const std::uint8_t b = in.byte();
            const std::string duty =
                p && !p->duties().empty() && b % 9 != 0 ? p->duties()[b % p->duties().size()] : std::string("no_duty");
            r = e.assign(id, duty, actors[b % 5].id, now, who);
            break;
        }
        case 4: { // erase: false when unknown or not finished, and then nothing changed
            const case_id id = pick_case();
            const bool finished = e.contains(id) && e.get(id).finished();
            const bool erased = e.erase(id);
            fuzz::require(erased == finished, "erase of a finished case failed, or of another succeeded");
            r.kind = erased ? outcome::applied : outcome::error;
            r.code = erased ? std::string_view() : codes::not_finished;
            break;
        }
        case 5: // an input with time going backwards
            r = e.dispatch(pick_case(), "answer", now - seconds(1 + in.byte()), who);
            fuzz::require(r.code == codes::time_backwards || r.code == codes::reserved_actor,
                          "an input in the past was not refused as time_backwards");
            break;
        case 6: { // what may this actor do, or read: reads only (a read journals itself and moves the clock)
            const case_id id = pick_case();
            const std::uint8_t how = in.byte();
            if (how % 5 == 1) { // a client's consent: given (perhaps until a time), or withdrawn
                static const std::array<std::string, 4> topics{"callback", "referral", "sms", "Bad"};
                const std::string client = how % 2 == 0 ? "C-1" : "C-2";
                const std::string& topic = topics[in.byte() % topics.size()];
                const std::uint8_t answer = in.byte();
                const time_point until = answer % 3 == 0 ? now + boost::posix_time::minutes(answer % 7)
                                                         : time_point(boost::posix_time::not_a_date_time);
                r = e.record_consent(client, topic, answer % 2 == 0, now, who, until);
                if (r.applied()) {
                    fuzz::require(topic == "callback" || topic == "referral", "an undeclared topic was accepted");
                    fuzz::require(e.consented(client, topic, now) == (answer % 2 == 0),
                                  "a consent recorded does not read back");
                } else {
                    fuzz::require(r.code == codes::unknown_consent || r.code == codes::bad_consent ||
                                      r.code == codes::reserved_actor,
                                  "a consent refused for an unexpected reason");
                }
                break;
            }
            if (how % 5 == 0) { // a client's file, or its erasure
                const std::string client = how % 2 == 0 ? "C-1" : "C-2";
                if (how % 3 == 0) {
                    try {
                        const client_file f = e.client_history(client, who, now);
                        for (const auto& c : f.cases)
                            fuzz::require(!e.contains(c.id) || e.get(c.id).client() == client,
                                          "a client's file holds another client's case");
                    } catch (const careflow::error& x) { // a refused look throws its code
                        fuzz::require(x.id() == codes::reserved_actor, "client_history threw something unexpected");
                    }
                    r.kind = outcome::applied; // a look: no result of its own
                    changed_allowed = true;
                    break;
                }
                r = e.erase_client(client, now, who);
                const bool may = std::find(who.roles.begin(), who.roles.end(), "manager") != who.roles.end();
                fuzz::require(r.applied() == (may && who.id != "system") || r.code == codes::reserved_actor,
                              "erase_client decided against the erasure roles");
                if (r.applied())
                    for (const case_id c : e.cases_of(client)) {
                        const case_view v = e.get(c);
                        for (const auto& item : v.prog().personal_items()) {
                            if (item.variable == no_index) continue;
                            const auto& decl = v.prog().variables()[item.variable];
                            if (decl.type == value_type::text)
                                fuzz::require(v.get<std::string>(item.name) == decl.initial_text,
                                              "an erased client's case kept a personal value");
                        }
                    }
                changed_allowed = true;
                break;
            }
            if (how % 2 == 0) {
                std::vector<std::string> asked;
                if (const program* p = program_of(id); p && in.byte() % 2 == 0)
                    asked.push_back(p->variables()[in.byte() % p->variables().size()].name);
                const case_reading rd = e.read(id, who, now, asked);
                for (const auto& name : rd.withheld)
                    fuzz::require(!rd.shows(name), "a read both showed and withheld a variable");
                fuzz::require(rd.outcome.kind != outcome::refused || !asked.empty(),
                              "a read that asked for nothing by name was refused");
                if (rd.outcome.kind == outcome::error)
                    fuzz::require(rd.values.empty(), "an invalid read showed values");
                r = rd.outcome;
                changed_allowed = true; // the clock
                break;
            }
            try {
                for (const auto& o : e.options(id, who)) {
                    fuzz::require(o.kind == outcome::applied || !o.code.empty(), "a refused option without a code");
                }
            } catch (const careflow::error& x) {
                fuzz::require(x.id() == codes::unknown_case, "options threw something else than unknown_case");
            }
            fuzz::require(e.snapshot() == before, "options changed the engine");
            continue;
        }
        case 7: // a special instant
            r = e.dispatch(pick_case(), "answer", time_point(boost::posix_time::not_a_date_time), who);
            fuzz::require(r.code == codes::bad_time, "a special instant was accepted");
            break;
        default: // advance far (bounded: the shipped procedures' timers are)
            now += boost::posix_time::hours(in.byte() % 48);
            r = e.advance(now);
            changed_allowed = true;
            break;
        }
        check_code(r);
        if (r.kind != outcome::applied && !changed_allowed && kind != 4)
            fuzz::require(e.snapshot() == before, "an input that was not applied changed the engine");
    }

    const std::string snap = e.snapshot();
    engine restored;
    fuzz::setup(restored);
    restored.restore(snap);
    fuzz::require(restored.snapshot() == snap, "snapshot -> restore -> snapshot differs");
    const std::string bytes = e.snapshot(snapshot_format::binary);
    engine from_binary;
    fuzz::setup(from_binary);
    from_binary.restore(bytes);
    fuzz::require(from_binary.snapshot() == snap, "binary snapshot -> restore differs");
    fuzz::require(from_binary.snapshot(snapshot_format::binary) == bytes, "binary -> restore -> binary differs");
    // Exact replay holds for a journal without erasures; across one, the erased client's
    // cases replay from what is left (engine::replay), which may go another way.
    const auto journal = e.journal();
    const bool erasures = std::any_of(journal.begin(), journal.end(), [](const journal_entry& x) {
        return x.kind == record_kind::erase && x.event == "client" && x.result == outcome::applied;
    });
    engine replayed;
    fuzz::setup(replayed);
    try {
        replayed.replay(journal);
    } catch (const careflow::error& x) {
        if (erasures && x.id() == codes::replay_diverged) return 0;
        std::fprintf(stderr, "%s\n", x.what());
        fuzz::broken("replaying the engine's own journal diverged");
    }
    if (!erasures)
        fuzz::require(without_actor_lines(replayed.snapshot()) == without_actor_lines(snap),
                      "restore + replay differs from the live engine");
    return 0;
}
