/// \file careflow/sim/hotline.hpp
/// Simulate a hotline on a virtual clock with the real engine and the shipped
/// `hotline_call` procedure: Poisson arrivals (optionally shaped by an hourly profile),
/// a pool of operators answering in FIFO order, service and patience distributions,
/// transfers to a pool of counselors. Seeded and deterministic: the same configuration and
/// seed give byte-identical reports. Independent replications give means and 95 % intervals.
#pragma once

#include <careflow/sim/random.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace careflow::sim {

/// The bounds every simulation setting is checked against (`careflow.sim.bad_config`
/// otherwise), so that no setting can make a simulation run without end or allocate
/// without bound.
struct limits {
    static constexpr double arrivals_per_hour = 100'000;
    static constexpr int agents = 10'000;        ///< operators, counselors, callback agents
    static constexpr double duration_s = 86'400; ///< any mean time: at most a day
    static constexpr double patience_s = 1e7;    ///< staffing formulas' patience: about four months
    static constexpr int rings = 100;
    static constexpr double hours = 87'600;      ///< simulated span and warm-up: ten years
    static constexpr double calls = 100'000'000; ///< arrivals per hour × hours, per replication
    static constexpr int replications = 1'000;
    static constexpr double per_day = 10'000; ///< appointment requests a day
};

/// What to simulate.
struct hotline_config {
    double arrivals_per_hour = 60;
    std::vector<double> hourly_profile; ///< rate multipliers by hour: 24 (of the day) or 168 (of the week, from Monday
                                        ///< 00:00 Shanghai); empty: flat
    std::vector<int> operators_by_hour; ///< shifts: operators on duty by hour (24 or 168 values, each ≤ operators);
                                        ///< empty: all, always
    int operators = 4;
    int counselors = 2;
    distribution handle{distribution::kind::exponential, 300, 1.0, {}}; ///< operator handling time
    double patience_mean_s = 0; ///< exponential patience; 0: callers never abandon
    int rings = 3;              ///< the answer SLA is rings × ring_cycle_s
    double ring_cycle_s = 5;
    double answer_delay_s = 0; ///< a free operator's pick-up time
    double transfer_rate = 0;  ///< share of answered calls handed to a counselor
    double crisis_rate =
        0; ///< share of answered calls assessed as a crisis: to the next free counselor, ahead of transfers
    distribution counseling{distribution::kind::exponential, 1800, 1.0, {}};
    double hours = 24;       ///< arrivals are generated for this long (after the warm-up)
    double warmup_hours = 1; ///< calls arriving earlier are not counted
    int replications = 1;
    std::uint64_t seed = 1;
};

/// A mean over replications and the half-width of its 95 % confidence interval (0 for one).
struct estimate {
    double mean = 0;
    double ci95 = 0;
};

/// What happened, per offered call unless the name says otherwise.
struct hotline_report {
    hotline_config config;
    estimate offered, answered, abandoned; ///< calls per replication
    estimate service_level;                ///< answered within the ring SLA (the engine's clock) ÷ offered
    estimate p_wait;                       ///< share of offered calls that waited at all
    estimate asa_s;                        ///< mean wait of answered calls
    estimate mean_queue_time_s;            ///< mean time in queue over all offered calls
    estimate abandonment_rate;             ///< abandoned ÷ offered
    estimate occupancy;                    ///< operators' busy time ÷ their time on shift
    std::uint64_t engine_inputs = 0;       ///< inputs given to the engine, all replications
    double engine_seconds = 0;             ///< wall-clock time inside the engine (not in the JSON: not deterministic)
    double total_seconds = 0;              ///< wall-clock time of the whole simulation

    /// One JSON object (deterministic: no timings).
    [[nodiscard]] std::string json() const;
    /// A short human-readable table.
    [[nodiscard]] std::string table() const;
};

/// Run the simulation. `progress` (optional) is called with the share done, 0..1.
/// Throws `careflow::error` ("careflow.sim.bad_config") for impossible settings.
[[nodiscard]] hotline_report simulate_hotline(const hotline_config& config,
                                              const std::function<void(double)>& progress = {});

/// The two-sided 95 % Student t quantile for `df` degrees of freedom.
[[nodiscard]] double t95(int df);

} // namespace careflow::sim
