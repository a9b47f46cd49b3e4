// Engine setup: installing programs and resolving their calendars and host actions; the
// people and actors the engine has seen (interned once, never forgotten).
#include "engine_impl.hpp"

namespace careflow::detail {

engine_impl::engine_impl(engine_options o) : options(o) {
    // The engine's own identity is person 0 / actor 0: timers and spawns act as it, and
    // it alone skips role and assignee checks. A host actor with the same id gets an
    // identity of its own, which every input refuses (`reserved_actor`).
    people.emplace_back(system_actor_id);
    person_index.emplace(std::string(system_actor_id), 0);
    actors.push_back({0, {}, {}});
}

std::uint16_t engine_impl::install(std::shared_ptr<const program> p) {
    for (std::size_t i = 0; i < programs.size(); ++i)
        if (programs[i].p == p) return static_cast<std::uint16_t>(i);
    installed in;
    in.p = std::move(p);
    resolve(in);
    programs.push_back(std::move(in));
    return static_cast<std::uint16_t>(programs.size() - 1);
}

void engine_impl::resolve(installed& in) {
    const program& p = *in.p;
    in.calendars.assign(p.calendars().size(), nullptr);
    for (std::size_t i = 0; i < p.calendars().size(); ++i) {
        auto it = calendars.find(p.calendars()[i]);
        if (it != calendars.end()) in.calendars[i] = &it->second;
    }
    in.hosts.assign(p.host_actions().size(), nullptr);
    for (std::size_t i = 0; i < p.host_actions().size(); ++i) {
        const auto& h = p.host_actions()[i];
        auto it = bindings.find(h.name);
        if (it != bindings.end())
            in.hosts[i] = &it->second;
        else if (h.fn)
            in.hosts[i] = &h.fn;
    }
    in.consents.clear();
    for (const auto& topic : p.consent_topics()) in.consents.push_back(intern_consent(topic));
}

std::uint32_t engine_impl::person_of(std::string_view id) {
    auto it = person_index.find(id);
    if (it != person_index.end()) return it->second;
    const auto n = static_cast<std::uint32_t>(people.size());
    people.emplace_back(id);
    person_index.emplace(std::string(id), n);
    return n;
}

std::uint32_t engine_impl::actor_of(std::string_view id, const std::vector<std::string>& roles) {
    // Looked up without building a key: a warm dispatch must not allocate.
    const std::uint32_t person = person_of(id);
    auto& known = actor_index[person];
    for (std::uint32_t a : known)
        if (actors[a].roles == roles) return a;
    const auto n = static_cast<std::uint32_t>(actors.size());
    actors.push_back({person, roles, {}});
    known.push_back(n); // actor 0 (the engine) is never in this index: no host input maps to it
    return n;
}

std::uint64_t engine_impl::mask_of(std::uint32_t a, std::uint16_t prog) {
    actor_identity& who = actors[a];
    if (who.masks.size() <= prog) {
        const std::size_t from = who.masks.size();
        who.masks.resize(programs.size());
        for (std::size_t i = from; i < programs.size(); ++i) who.masks[i] = programs[i].p->role_mask(who.roles);
    }
    return who.masks[prog];
}

const installed* engine_impl::find_program(std::string_view name) const {
    // The latest installed version of that name.
    for (auto it = programs.rbegin(); it != programs.rend(); ++it)
        if (it->p->name() == name) return &*it;
    return nullptr;
}

const installed* engine_impl::find_program(std::string_view name, int version) const {
    for (const auto& i : programs)
        if (i.p->name() == name && i.p->version() == version) return &i;
    return nullptr;
}

const installed* engine_impl::find_qualified(std::string_view qualified) const {
    for (const auto& i : programs)
        if (i.p->qualified_name() == qualified) return &i;
    return nullptr;
}

std::vector<std::uint32_t> engine_impl::ordered_slots() const {
    std::vector<std::uint32_t> out;
    out.reserve(index.size());
    for (std::uint32_t s = 0; s < slots.size(); ++s)
        if (slots[s].live) out.push_back(s);
    std::sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) { return slots[a].seq < slots[b].seq; });
    return out;
}

} // namespace careflow::detail
