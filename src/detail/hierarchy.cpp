// The state hierarchy as index arrays: parents, ancestry, initial leaves, containment.
#include "hierarchy.hpp"

namespace careflow::detail {

hierarchy::hierarchy(const procedure& p) : p_(&p) {
    const auto n = p.state_count();
    parent.assign(n, -1);
    children.assign(n, {});
    initial.assign(n, -1);
    depth.assign(n, 0);
    names.reserve(n);
    for (std::size_t s = 0; s < n; ++s) names.push_back(p.state(s).name);
    for (std::size_t s = 0; s < n; ++s) {
        const auto& d = p.state(s);
        if (!d.parent.empty()) {
            const int up = find(d.parent);
            if (up >= 0 && static_cast<std::size_t>(up) != s) {
                parent[s] = up;
                children[static_cast<std::size_t>(up)].push_back(static_cast<int>(s));
            } else if (static_cast<std::size_t>(up) == s) {
                cycle_members.push_back(static_cast<int>(s));
            }
        }
    }
    for (std::size_t s = 0; s < n; ++s) {
        // Walk up at most n steps: a longer walk means a cycle.
        int d = 0;
        int at = static_cast<int>(s);
        while (parent[static_cast<std::size_t>(at)] >= 0 && d <= static_cast<int>(n)) {
            at = parent[static_cast<std::size_t>(at)];
            ++d;
        }
        if (d > static_cast<int>(n)) cycle_members.push_back(static_cast<int>(s));
        depth[s] = d;
    }
    for (std::size_t s = 0; s < n; ++s) {
        const int c = find(p.state(s).initial);
        if (c >= 0 && parent[static_cast<std::size_t>(c)] == static_cast<int>(s)) initial[s] = c;
    }
    top = find(p.initial());
}

int hierarchy::find(std::string_view name) const {
    if (name.empty()) return -1;
    const auto& g = p_->graph();
    for (std::size_t s = 0; s < boost::num_vertices(g); ++s)
        if (g[s].name == name) return static_cast<int>(s);
    return -1;
}

int hierarchy::leaf(int s) const {
    for (std::size_t steps = 0; s >= 0 && compound(s); ++steps) {
        if (steps > parent.size()) return -1;
        s = initial[static_cast<std::size_t>(s)];
    }
    return s;
}

std::vector<int> hierarchy::ancestry(int s) const {
    std::vector<int> out;
    for (; s >= 0 && out.size() <= parent.size(); s = parent[static_cast<std::size_t>(s)]) out.push_back(s);
    return out;
}

bool hierarchy::within(int s, int a) const {
    for (int at : ancestry(s))
        if (at == a) return true;
    return false;
}

} // namespace careflow::detail
