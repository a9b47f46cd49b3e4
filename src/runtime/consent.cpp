// Consent as data: a client's answer on each consent topic (`engine::record_consent`),
// recorded as a journaled input, kept per client and topic, read by guards through the
// evaluation context (`consent("topic")`), withdrawn by erasure, and handed to a store as
// dictionary entries (durable.cpp) and to snapshots (snapshot.cpp, snapshot_binary.cpp).
#include "engine_impl.hpp"

#include <careflow/error.hpp>

#include <algorithm>

namespace careflow {

namespace detail {

std::uint16_t engine_impl::intern_consent(std::string_view topic) {
    const auto it = std::find(consent_topics.begin(), consent_topics.end(), topic);
    if (it != consent_topics.end()) return static_cast<std::uint16_t>(it - consent_topics.begin());
    if (consent_topics.size() >= 0xFFFF) throw error("careflow.runtime.too_many_consents", "too many consent topics");
    consent_topics.emplace_back(topic);
    return static_cast<std::uint16_t>(consent_topics.size() - 1);
}

std::uint16_t engine_impl::find_consent(std::string_view topic) const {
    for (const installed& in : programs)
        for (std::uint16_t t : in.consents)
            if (consent_topics[t] == topic) return t;
    return 0xFFFF;
}

std::uint64_t engine_impl::client_consents(std::string_view client, std::span<const std::uint16_t> topics,
                                           ticks now) const {
    const auto it = consents.find(client);
    if (it == consents.end()) return 0;
    std::uint64_t mask = 0;
    for (const consent_record& r : it->second) {
        if (!r.granted || (r.until != no_time && now >= r.until)) continue;
        for (std::size_t i = 0; i < topics.size(); ++i)
            if (topics[i] == r.topic) mask |= std::uint64_t{1} << i;
    }
    return mask;
}

void engine_impl::set_consent(std::string_view client, const consent_record& r) {
    auto it = consents.find(client);
    if (it == consents.end()) it = consents.emplace(std::string(client), std::vector<consent_record>{}).first;
    auto& mine = it->second;
    const auto same =
        std::find_if(mine.begin(), mine.end(), [&](const consent_record& x) { return x.topic == r.topic; });
    if (same != mine.end())
        *same = r;
    else
        mine.push_back(r);
    if (durable.to) durable.consents.push_back(consent_entry(*this, client, r));
}

void engine_impl::forget_consents(std::string_view client) {
    const auto it = consents.find(client);
    if (it == consents.end()) return;
    consents.erase(it);
    if (durable.to) durable.consents.push_back(forget_entry(client));
}

result engine_impl::record_consent(std::string_view client, std::string_view topic, bool granted, ticks until, ticks t,
                                   std::uint32_t actor) {
    record in = input_record(record_kind::consent, 0, t, actor);
    in.client = store_text(std::string(client));
    in.sub = granted ? 1 : 0;
    in.value = until;
    auto as_given = [&] {
        given_input g;
        g.event = std::string(topic);
        g.values.emplace_back("granted", value(granted));
        if (until != no_time) g.values.emplace_back("until", value(to_time_point(until)));
        return g;
    };
    if (busy) return reject(in, reason::reentrant_input, reentrant_message, as_given());
    return top_level([&] {
        std::string why;
        if (const reason code = precheck(in, t, why); code != reason::none)
            return reject(in, code, std::move(why), as_given());
        if (client.empty() || !client_ok(client)) return reject(in, reason::bad_client, client_rule, as_given());
        const std::uint16_t known = find_consent(topic);
        if (known == 0xFFFF)
            return reject(in, reason::unknown_consent,
                          "no installed procedure declares the consent topic '" + std::string(topic) + "'", as_given());
        if (until != no_time && (!granted || until <= t))
            return reject(in, reason::bad_consent,
                          granted ? "a consent's 'until' must be after the time it is given"
                                  : "a withdrawal has no 'until'",
                          as_given());
        if (queue.next_due() <= t) advance(t); // the timers due first, as for any input
        clock = std::max(clock, t);
        in.index = known;
        set_consent(client, consent_record{known, granted, t, until, actors[actor].person});
        in.result = outcome::applied;
        log(in);
        result ok;
        ok.kind = outcome::applied;
        return ok;
    });
}

std::vector<consent_state> engine_impl::consent_states(std::string_view client) const {
    std::vector<consent_state> out;
    const auto it = consents.find(client);
    if (it == consents.end()) return out;
    for (const auto& r : it->second) {
        consent_state s;
        s.topic = consent_topics[r.topic];
        s.granted = r.granted;
        s.at = to_time_point(r.at);
        s.until = r.until == no_time ? time_point(boost::posix_time::not_a_date_time) : to_time_point(r.until);
        s.recorded_by = people[r.person];
        out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [](const consent_state& a, const consent_state& b) { return a.topic < b.topic; });
    return out;
}

} // namespace detail

bool consent_state::holds(time_point now) const { return granted && (until.is_special() || now < until); }

result engine::record_consent(std::string_view client, std::string_view topic, bool granted, time_point now,
                              const actor& who, time_point until) {
    auto& e = *impl_;
    return e.record_consent(client, topic, granted, until.is_special() ? no_time : to_ticks(until),
                            now.is_special() ? no_time : to_ticks(now), e.actor_of(who.id, who.roles));
}

std::vector<consent_state> engine::consents(std::string_view client) const { return impl_->consent_states(client); }

std::vector<std::string> engine::consenting_clients() const {
    std::vector<std::string> out;
    for (const auto& [client, answers] : impl_->consents) out.push_back(client);
    return out;
}

bool engine::consented(std::string_view client, std::string_view topic, time_point at) const {
    for (const auto& s : consents(client))
        if (s.topic == topic) return s.holds(at);
    return false;
}

} // namespace careflow
