// procedure: the model as a Boost.Graph adjacency_list, and its lookups.
#include <careflow/model/procedure.hpp>

#include <algorithm>

namespace careflow {

std::optional<procedure::state_id> procedure::find_state(std::string_view name) const {
    for (auto v : boost::make_iterator_range(boost::vertices(graph_)))
        if (graph_[v].name == name) return v;
    return std::nullopt;
}

std::optional<procedure::state_id> procedure::parent(state_id s) const {
    if (graph_[s].parent.empty()) return std::nullopt;
    return find_state(graph_[s].parent);
}

std::vector<procedure::state_id> procedure::children(state_id s) const {
    std::vector<state_id> out;
    for (auto v : boost::make_iterator_range(boost::vertices(graph_)))
        if (v != s && graph_[v].parent == graph_[s].name) out.push_back(v);
    return out;
}

std::string procedure::path(state_id s) const {
    std::string p = graph_[s].name;
    // Bounded by the state count so a (rejected) parent cycle cannot loop forever.
    std::size_t guard = state_count();
    for (auto up = parent(s); up && guard-- > 0; up = parent(*up)) p = graph_[*up].name + "." + p;
    return p;
}

std::vector<procedure::transition_id> procedure::transitions() const {
    std::vector<transition_id> out;
    for (auto e : boost::make_iterator_range(boost::edges(graph_))) out.push_back(e);
    std::sort(out.begin(), out.end(),
              [this](const transition_id& a, const transition_id& b) { return graph_[a].order < graph_[b].order; });
    return out;
}

const variable_decl* procedure::find_variable(std::string_view name) const {
    for (const auto& v : variables_)
        if (v.name == name) return &v;
    return nullptr;
}

const event_decl* procedure::find_event(std::string_view name) const {
    for (const auto& e : events_)
        if (e.name == name) return &e;
    return nullptr;
}

std::vector<std::string> procedure::calendars() const {
    std::vector<std::string> out;
    auto add = [&](const std::string& c) {
        if (!c.empty() && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    };
    for (const auto& t : timers_) add(t.calendar);
    for (const auto& s : slas_) add(s.calendar);
    return out;
}

} // namespace careflow
