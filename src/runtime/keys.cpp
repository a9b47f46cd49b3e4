// Idempotent inputs: the host's key on an input (`engine::with_key`), the fingerprint that
// tells a re-sent input from a different one under the same key, recording the result
// with the key (in memory, or in the store in the input's own write), and handing a
// recorded result back.
#include "engine_impl.hpp"

#include <careflow/store/store.hpp>

#include <algorithm>
#include <mutex>
#include <set>

namespace careflow {

namespace {

// FNV-1a over length-prefixed parts: a fingerprint that tells inputs apart, not a secret.
class fingerprint {
public:
    fingerprint& add(std::string_view s) {
        add(static_cast<std::uint64_t>(s.size()));
        for (char c : s) byte(static_cast<unsigned char>(c));
        return *this;
    }
    fingerprint& add(const char* s) { return add(std::string_view(s)); }
    fingerprint& add(const std::string& s) { return add(std::string_view(s)); }
    fingerprint& add(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(v >> (8 * i)));
        return *this;
    }
    // A client id, when there is one (inputs recorded before clients fingerprint as before).
    fingerprint& client_of(std::string_view client) { return client.empty() ? *this : add("client").add(client); }
    fingerprint& value_of(const value& v) {
        add(static_cast<std::uint64_t>(v.get().index()));
        return add(std::string_view(v.to_string()));
    }
    // Fields by name, so that a re-sent input whose fields come in another order matches.
    fingerprint& fields_of(const payload& p) {
        std::vector<const std::pair<std::string, value>*> fields;
        for (const auto& f : p.fields()) fields.push_back(&f);
        std::sort(fields.begin(), fields.end(), [](auto* a, auto* b) { return a->first < b->first; });
        add(static_cast<std::uint64_t>(fields.size()));
        for (const auto* f : fields) add(f->first).value_of(f->second);
        return *this;
    }
    fingerprint& actor_of(const actor& who) {
        add(who.id).add(static_cast<std::uint64_t>(who.roles.size()));
        for (const auto& role : who.roles) add(role);
        return *this;
    }
    [[nodiscard]] std::uint64_t get() const { return h_; }

private:
    void byte(unsigned char c) {
        h_ ^= c;
        h_ *= 1099511628211ULL;
    }
    std::uint64_t h_ = 14695981039346656037ULL;
};

// A recorded code as one of the library's own ids (a result's code is a view of static text).
std::string_view known_code(std::string_view code) {
    if (code.empty()) return {};
    for (int r = 0; r <= static_cast<int>(detail::reason::not_finished); ++r)
        if (const auto c = detail::code_of(static_cast<detail::reason>(r)); c == code) return c;
    for (const auto c : {codes::store_write_failed, codes::key_reused})
        if (c == code) return c;
    // A code of another library version: kept once, for the life of the process.
    static std::mutex m;
    static std::set<std::string, std::less<>> others;
    const std::lock_guard lock(m);
    return *others.emplace(code).first;
}

// What identifies a keyed input: the host's request text when it gave one, else its content.
std::uint64_t ident(std::string_view request, const fingerprint& content) {
    return request.empty() ? content.get() : fingerprint().add("request").add(request).get();
}

} // namespace

namespace detail {

result replayed_result(const recorded_input& rec) {
    result r;
    r.kind = rec.kind;
    r.code = known_code(rec.code);
    r.reason = rec.reason;
    r.from = rec.from;
    r.to = rec.to;
    r.replayed = true;
    return r;
}

std::optional<recorded_input> engine_impl::find_key(std::string_view key) const {
    if (durable.to) return durable.to->recorded(key);
    const auto it = keys.find(std::string(key));
    return it == keys.end() ? std::nullopt : std::optional<recorded_input>(it->second);
}

void engine_impl::record_key(const result& r, std::size_t first) {
    recorded_input rec;
    rec.key = keyed.key;
    rec.fingerprint = keyed.fingerprint;
    rec.position = first;
    rec.id = keyed.id;
    rec.kind = r.kind;
    rec.code = r.code;
    rec.reason = r.reason;
    rec.from = r.from;
    rec.to = r.to;
    if (keyed.id != 0)
        if (const auto slot = index.find(keyed.id); slot != none32)
            rec.state = prog_of(slots[slot]).states()[slots[slot].state].path;
    if (durable.to)
        durable.keys.push_back(std::move(rec)); // written with the input, or not at all
    else
        keys.insert_or_assign(rec.key, std::move(rec));
}

} // namespace detail

result keyed_input::start(const std::shared_ptr<const program>& p, case_id id, const payload& variables, time_point now,
                          const actor& who, std::string_view client) {
    const auto name = p ? p->qualified_name() : std::string();
    const detail::input_key k{
        key_,
        ident(request_,
              fingerprint().add("start").add(id).add(name).client_of(client).fields_of(variables).actor_of(who)),
        id};
    return e_.impl_->with_key(k, [&] { return e_.start(p, id, variables, now, who, client); });
}

result keyed_input::start(std::string_view procedure, case_id id, const payload& variables, time_point now,
                          const actor& who, std::string_view client) {
    // By name: the name resolves to the installed program, so both spellings of a start match.
    const auto* in = e_.impl_->find_program(procedure);
    const auto name = in ? in->p->qualified_name() : std::string(procedure);
    const detail::input_key k{
        key_,
        ident(request_,
              fingerprint().add("start").add(id).add(name).client_of(client).fields_of(variables).actor_of(who)),
        id};
    return e_.impl_->with_key(k, [&] { return e_.start(procedure, id, variables, now, who, client); });
}

result keyed_input::dispatch(case_id id, std::string_view event, const payload& fields, time_point now,
                             const actor& who) {
    const detail::input_key k{
        key_, ident(request_, fingerprint().add("dispatch").add(id).add(event).fields_of(fields).actor_of(who)), id};
    return e_.impl_->with_key(k, [&] { return e_.dispatch(id, event, fields, now, who); });
}

result keyed_input::dispatch(case_id id, std::string_view event, time_point now, const actor& who) {
    static const payload none;
    return dispatch(id, event, none, now, who);
}

result keyed_input::assign(case_id id, std::string_view duty, std::string_view person, time_point now,
                           const actor& who) {
    const detail::input_key k{
        key_, ident(request_, fingerprint().add("assign").add(id).add(duty).add(person).actor_of(who)), id};
    return e_.impl_->with_key(k, [&] { return e_.assign(id, duty, person, now, who); });
}

result keyed_input::record_consent(std::string_view client, std::string_view topic, bool granted, time_point now,
                                   const actor& who, time_point until) {
    const auto lapses = until.is_special() ? std::string("-") : format_time(to_ticks(until));
    const detail::input_key k{key_,
                              ident(request_, fingerprint()
                                                  .add("consent")
                                                  .client_of(client)
                                                  .add(topic)
                                                  .add(granted ? "given" : "withdrawn")
                                                  .add(lapses)
                                                  .actor_of(who)),
                              0};
    return e_.impl_->with_key(k, [&] { return e_.record_consent(client, topic, granted, now, who, until); });
}

result keyed_input::advance(time_point now) {
    const detail::input_key k{key_, ident(request_, fingerprint().add("advance")), 0};
    return e_.impl_->with_key(k, [&] { return e_.advance(now); });
}

std::optional<recorded_input> engine::recorded(std::string_view key) const { return impl_->find_key(key); }

} // namespace careflow
