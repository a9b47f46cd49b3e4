/// \file careflow/model/dot.hpp
/// Draw a procedure with Graphviz: `careflow::to_dot(p)` then `dot -Tsvg`.
/// Compound states are clusters, final states double circles, transitions are labelled
/// `event [guard] / actions {roles} <duty>`, timers are listed in their state and SLA
/// clocks in a legend.
#pragma once

#include <string>
#include <string_view>

namespace careflow {

class procedure;

/// Options for `to_dot`.
struct dot_options {
    std::string highlight; ///< a state to fill (e.g. a case's current state); empty: none
    bool show_timers = true;
    bool show_slas = true;
};

/// The procedure as a Graphviz digraph.
[[nodiscard]] std::string to_dot(const procedure& p, const dot_options& options = {});

} // namespace careflow
