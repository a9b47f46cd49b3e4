// program: name lookups, containment and role masks over the compiled tables.
#include <careflow/program/program.hpp>

#include <algorithm>

namespace careflow {
namespace {
std::optional<std::uint16_t> lookup(const std::vector<std::pair<std::string, std::uint16_t>>& table,
                                    std::string_view name) {
    auto it = std::lower_bound(table.begin(), table.end(), name,
                               [](const auto& entry, std::string_view n) { return entry.first < n; });
    if (it == table.end() || it->first != name) return std::nullopt;
    return it->second;
}
std::optional<std::uint16_t> position(const std::vector<std::string>& v, std::string_view name) {
    auto it = std::find(v.begin(), v.end(), name);
    if (it == v.end()) return std::nullopt;
    return static_cast<std::uint16_t>(it - v.begin());
}
} // namespace

bool program::within(state_index s, state_index ancestor) const noexcept {
    for (; s != no_index; s = states_[s].parent)
        if (s == ancestor) return true;
    return false;
}

std::optional<state_index> program::find_state(std::string_view name) const noexcept {
    return lookup(state_names_, name);
}
std::optional<event_index> program::find_event(std::string_view name) const noexcept {
    return lookup(event_names_, name);
}
std::optional<var_index> program::find_variable(std::string_view name) const noexcept {
    return lookup(variable_names_, name);
}
std::optional<std::uint16_t> program::find_duty(std::string_view name) const noexcept {
    return position(duties_, name);
}
std::optional<std::uint16_t> program::find_sla(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < slas_.size(); ++i)
        if (slas_[i].name == name) return static_cast<std::uint16_t>(i);
    return std::nullopt;
}
std::optional<std::uint16_t> program::find_role(std::string_view name) const noexcept { return position(roles_, name); }

std::uint16_t program::item_of(event_index e, std::uint16_t f) const noexcept {
    for (std::size_t i = 0; i < items_.size(); ++i)
        if (items_[i].event == e && items_[i].field == f) return static_cast<std::uint16_t>(i);
    return no_index;
}

std::uint16_t program::find_item(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < items_.size(); ++i)
        if (items_[i].name == name) return static_cast<std::uint16_t>(i);
    return no_index;
}

std::uint64_t program::role_mask(std::span<const std::string> names) const noexcept {
    std::uint64_t mask = 0;
    for (const auto& n : names)
        if (auto r = find_role(n)) mask |= std::uint64_t{1} << *r;
    return mask;
}

} // namespace careflow
