/// \file careflow/sim/staffing.hpp
/// Queueing formulas for staffing a line: Erlang C (M/M/c, callers wait forever) and
/// Erlang A (M/M/c+M, exponential patience). Rates are per second.
///
/// Stable for hundreds of agents: Erlang C uses the Erlang B recursion; Erlang A solves
/// the birth–death chain in log space.
#pragma once

#include <optional>

namespace careflow::sim {

/// A queue to evaluate: arrival rate λ, mean handling time 1/μ, c agents, and mean
/// patience 1/θ (0: callers never abandon, i.e. Erlang C).
struct queue_model {
    double arrivals_per_second = 0;
    double handle_mean_s = 0;
    int agents = 0;
    double patience_mean_s = 0; ///< 0: infinite patience
};

/// What the formulas predict, per offered call.
struct queue_figures {
    bool stable = true;           ///< Erlang C needs λ < cμ; Erlang A is always stable
    double p_wait = 0;            ///< share of calls that wait at all
    double service_level = 0;     ///< share of offered calls answered within the threshold
    double asa_s = 0;             ///< mean wait of answered calls
    double mean_queue_time_s = 0; ///< mean time in queue over all offered calls (abandoners included)
    double abandonment = 0;       ///< share of offered calls that abandon
    double occupancy = 0;         ///< share of agent time busy
};

/// The figures for `m`, with the service level measured at `within_s` seconds.
/// Throws `careflow::error` ("careflow.sim.bad_model") for non-positive rates or agents.
[[nodiscard]] queue_figures evaluate(const queue_model& m, double within_s);

/// Erlang C probability of waiting for `agents` servers offered `load` erlangs (λ/μ).
[[nodiscard]] double erlang_c(int agents, double load);

/// The smallest number of agents whose service level within `within_s` reaches `target`
/// (and, with a limit, whose abandonment stays at or below it); nothing above `max_agents`.
[[nodiscard]] std::optional<int> agents_needed(queue_model m, double within_s, double target, int max_agents = 10000);

} // namespace careflow::sim
