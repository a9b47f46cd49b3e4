/// \file careflow/model/procedure.hpp
/// The MODEL stage: a named, versioned state-machine graph held in a Boost.Graph
/// `adjacency_list` (states are vertices, transitions are edges) plus its variables,
/// events, timers and SLA clocks. Readable, checkable, drawable; never on the hot path:
/// hosts run cases on the compiled `program` (careflow/program/program.hpp).
#pragma once

#include <careflow/model/declarations.hpp>

#include <boost/graph/adjacency_list.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace careflow {

/// A host callback the procedure's actions may call, with an optional default implementation.
struct host_action_decl {
    std::string name;
    host_action fn;
};

/// A built procedure. Obtain one from `procedure_builder::build()`, which validates it.
class procedure {
public:
    /// States are vertices, transitions are edges. An internal (targetless) transition is a
    /// self-loop whose `transition_decl::target` is empty.
    using graph_type =
        boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, state_decl, transition_decl>;
    using state_id = graph_type::vertex_descriptor;
    using transition_id = graph_type::edge_descriptor;

    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] int version() const noexcept { return version_; }
    [[nodiscard]] const std::string& description() const noexcept { return description_; }
    [[nodiscard]] const graph_type& graph() const noexcept { return graph_; }

    /// The top-level state a new case enters (then its initial children, down to a leaf).
    [[nodiscard]] const std::string& initial() const noexcept { return initial_; }
    [[nodiscard]] const std::vector<variable_decl>& variables() const noexcept { return variables_; }
    [[nodiscard]] const std::vector<event_decl>& events() const noexcept { return events_; }
    [[nodiscard]] const std::vector<timer_decl>& timers() const noexcept { return timers_; }
    [[nodiscard]] const std::vector<sla_decl>& slas() const noexcept { return slas_; }
    [[nodiscard]] const std::vector<std::string>& duties() const noexcept { return duties_; }
    [[nodiscard]] const std::vector<host_action_decl>& host_actions() const noexcept { return host_actions_; }
    /// Who may read which personal items, and when (`procedure_builder::may_read`).
    [[nodiscard]] const std::vector<read_rule>& read_rules() const noexcept { return read_rules_; }
    /// The consent topics its guards may check (`procedure_builder::consent`), in order.
    [[nodiscard]] const std::vector<consent_decl>& consents() const noexcept { return consents_; }

    [[nodiscard]] std::size_t state_count() const noexcept { return boost::num_vertices(graph_); }
    [[nodiscard]] const state_decl& state(state_id s) const { return graph_[s]; }
    [[nodiscard]] std::optional<state_id> find_state(std::string_view name) const;
    [[nodiscard]] std::optional<state_id> parent(state_id s) const;
    /// Children in declaration order.
    [[nodiscard]] std::vector<state_id> children(state_id s) const;
    [[nodiscard]] bool is_compound(state_id s) const { return !children(s).empty(); }
    /// Dotted path from the top level, e.g. "call.transfer.counseling".
    [[nodiscard]] std::string path(state_id s) const;
    /// Every transition, in declaration order.
    [[nodiscard]] std::vector<transition_id> transitions() const;
    [[nodiscard]] const transition_decl& transition(transition_id t) const { return graph_[t]; }

    [[nodiscard]] const variable_decl* find_variable(std::string_view name) const;
    [[nodiscard]] const event_decl* find_event(std::string_view name) const;
    /// Every calendar name its timers and SLA clocks measure in (the engine must supply them).
    [[nodiscard]] std::vector<std::string> calendars() const;

private:
    friend class procedure_builder;
    friend class state_builder;
    friend class sla_builder;
    friend class read_rule_builder;
    std::string name_;
    int version_ = 1;
    std::string description_;
    std::string initial_;
    graph_type graph_;
    std::vector<variable_decl> variables_;
    std::vector<event_decl> events_;
    std::vector<timer_decl> timers_;
    std::vector<sla_decl> slas_;
    std::vector<std::string> duties_;
    std::vector<host_action_decl> host_actions_;
    std::vector<read_rule> read_rules_;
    std::vector<consent_decl> consents_;
};

} // namespace careflow
