// program: name lookups, containment and role masks over the compiled tables.
#include "read_rules.hpp"

#include <careflow/error.hpp>
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

namespace detail {

program_read_rule compile_read_rule(const program& p, const read_rule& r) {
    const std::string subject = "read rule of '" + p.name() + "'";
    if (r.items.empty() && r.up_to == sensitivity::none)
        throw error("careflow.model.bad_read_rule", subject + " names no item and no sensitivity");
    if (r.roles.empty() && r.duty.empty())
        throw error("careflow.model.bad_read_rule", subject + " names no reader: give roles or a duty");
    program_read_rule c;
    for (std::size_t i = 0; i < p.personal_items().size(); ++i)
        if (p.personal_items()[i].level <= r.up_to) c.items |= std::uint64_t{1} << i;
    for (const auto& name : r.items) {
        const std::uint16_t item = p.find_item(name);
        if (item == no_index)
            throw error("careflow.model.unknown_item", subject + " names '" + name + "', not a personal item");
        c.items |= std::uint64_t{1} << item;
    }
    c.roles = p.role_mask(r.roles);
    if (!r.duty.empty()) {
        const auto d = p.find_duty(r.duty);
        if (!d) throw error("careflow.model.unknown_duty", subject + " names undeclared duty '" + r.duty + "'");
        c.duty = *d;
    }
    if (!r.states.empty()) {
        c.leaves.assign((p.states().size() + 63) / 64, 0);
        for (const auto& name : r.states) {
            const auto at = p.find_state(name);
            if (!at) throw error("careflow.model.unknown_state", subject + " names unknown state '" + name + "'");
            for (std::size_t s = 0; s < p.states().size(); ++s)
                if (p.within(static_cast<state_index>(s), *at)) c.leaves[s / 64] |= std::uint64_t{1} << (s % 64);
        }
    }
    return c;
}

} // namespace detail

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
