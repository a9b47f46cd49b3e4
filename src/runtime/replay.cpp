// Replay: feeding a journal's inputs back into an engine (onto the snapshot they
// followed), checking at each one that the engine does what it did the first time.
#include "engine_impl.hpp"

#include "../detail/cells.hpp"

#include <careflow/error.hpp>

#include <set>

namespace careflow {

namespace {

// Codes of inputs rejected before anything changed (not even the clock).
bool rejected_first(std::string_view code) {
    for (const std::string_view c :
         {codes::bad_payload, codes::unknown_variable, codes::unknown_event, codes::unknown_case, codes::duplicate_case,
          codes::bad_client, codes::unknown_program, codes::unknown_calendar, codes::unknown_duty,
          codes::time_backwards, codes::bad_time, codes::reserved_actor, codes::unknown_actor, codes::not_finished})
        if (code == c) return true;
    return false;
}

} // namespace

std::size_t engine::replay(std::span<const journal_entry> entries) {
    // The clients erased in these entries, and their cases (spawned ones start with the client).
    std::set<std::string, std::less<>> erased_clients;
    for (const auto& e : entries)
        if (e.kind == record_kind::erase && e.event == "client" && e.result == outcome::applied)
            erased_clients.insert(e.client);
    std::set<case_id> erased_cases;
    if (!erased_clients.empty())
        for (const auto& e : entries)
            if (e.kind == record_kind::start && e.result == outcome::applied && erased_clients.count(e.client) != 0)
                erased_cases.insert(e.id);
    std::size_t n = 0;
    for (const auto& e : entries) {
        if (!e.input()) continue;
        // An input of an erased client's: its values may be gone. One rejected before it
        // changed anything is skipped (with its values erased it might not be rejected
        // again); another is replayed with what is left, unchecked.
        const bool erased = (e.kind == record_kind::start && erased_clients.count(e.client) != 0) ||
                            (e.kind != record_kind::erase && e.kind != record_kind::advance &&
                             e.kind != record_kind::consent && erased_cases.count(e.id) != 0);
        if (erased && e.result == outcome::error && rejected_first(e.code)) continue;
        // Inputs refused for an actor_ref the engine never made, or for calling the engine
        // back from a callback, changed nothing and cannot be made again as they were.
        // (An instant that was not finite, bad_time, is not in the journal to give again.)
        if (e.code == codes::unknown_actor || e.code == codes::reentrant_input || e.code == codes::bad_time) continue;
        const actor who{e.actor, e.roles};
        payload values;
        for (const auto& [name, v] : e.values) values.set(name, v);
        const time_point at = to_time_point(e.time);
        result r;
        switch (e.kind) {
        case record_kind::start: {
            const auto* known = impl_->find_qualified(e.procedure);
            r = known ? start(known->p, e.id, values, at, who, e.client)
                      : start(std::string_view(e.procedure).substr(0, e.procedure.rfind('@')), e.id, values, at, who,
                              e.client);
            break;
        }
        case record_kind::dispatch: r = dispatch(e.id, e.event, values, at, who); break;
        case record_kind::assign: {
            // An applied assignment names the person in `detail`; a rejected one in its values.
            const value person = e.get("person");
            const std::string name = person.type() == value_type::text ? std::get<std::string>(person.get()) : e.detail;
            r = assign(e.id, e.event, name, at, who);
            break;
        }
        case record_kind::advance: r = advance(at); break;
        case record_kind::erase: {
            if (e.event == "client") {
                r = erase_client(e.client, at, who);
                break;
            }
            const bool erased = erase(e.id);
            r.kind = erased ? outcome::applied : outcome::error;
            if (!erased) r.code = contains(e.id) ? codes::not_finished : codes::unknown_case;
            break;
        }
        case record_kind::consent: {
            const value granted = e.get("granted"), until = e.get("until");
            r = record_consent(e.client, e.event,
                               granted.type() == value_type::boolean && std::get<bool>(granted.get()), at, who,
                               until.type() == value_type::time ? std::get<time_point>(until.get())
                                                                : time_point(boost::posix_time::not_a_date_time));
            break;
        }
        case record_kind::read: {
            if (e.event == "export" || e.event == "history" ||
                e.event == "snapshot") { // what was shown is not in the journal: the clock is
                r = advance(at);
                if (e.result == outcome::applied) break;
                continue;
            }
            std::vector<std::string> items;
            for (const auto& [name, v] : e.values) items.push_back(name);
            r = read(e.id, who, at, items).outcome;
            break;
        }
        default: continue;
        }
        ++n;
        if (erased) continue;
        auto diverged = [&](const std::string& what) {
            return error(codes::replay_diverged, "input " + std::to_string(n) + " (" + std::string(to_string(e.kind)) +
                                                     " " + e.event + " on case " + std::to_string(e.id) + ") " + what);
        };
        if (r.kind != e.result)
            throw diverged("was " + std::string(to_string(e.result)) + ", replayed as " +
                           std::string(to_string(r.kind)));
        if (r.code != e.code)
            throw diverged("was " + (e.code.empty() ? std::string("without a code") : e.code) + ", replayed as " +
                           (r.code.empty() ? std::string("without a code") : std::string(r.code)));
        if (!e.to.empty() && e.kind != record_kind::erase && contains(e.id) && get(e.id).path() != e.to)
            throw diverged("ended in '" + e.to + "', replayed into '" + get(e.id).path() + "'");
    }
    return n;
}

} // namespace careflow
