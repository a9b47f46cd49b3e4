// Internal: the state hierarchy of a procedure as index arrays. Validation and
// compile() both resolve parents, initial children and leaves through it.
#pragma once

#include <careflow/model/procedure.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace careflow::detail {

struct hierarchy {
    explicit hierarchy(const procedure& p);

    std::vector<std::string> names;         ///< by state index, for `In("s")` in expressions
    std::vector<int> parent;                ///< -1: top level or unknown parent
    std::vector<std::vector<int>> children; ///< in declaration order
    std::vector<int> initial;               ///< resolved initial child, -1: none or not a child
    std::vector<int> depth;
    std::vector<int> cycle_members; ///< states on a parent cycle (then the rest is unreliable)
    int top = -1;                   ///< the procedure's initial state

    [[nodiscard]] int find(std::string_view name) const;
    [[nodiscard]] bool compound(int s) const { return !children[static_cast<std::size_t>(s)].empty(); }
    /// Follow initial children down to a leaf; -1 when an initial child is missing.
    [[nodiscard]] int leaf(int s) const;
    /// `s`, its parent, ..., the top-level ancestor.
    [[nodiscard]] std::vector<int> ancestry(int s) const;
    /// Is `a` the state `s` or one of its ancestors?
    [[nodiscard]] bool within(int s, int a) const;

private:
    const procedure* p_;
};

} // namespace careflow::detail
