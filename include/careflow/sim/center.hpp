/// \file careflow/sim/center.hpp
/// Simulate a whole counseling center on the real engine with every shipped procedure:
/// the hotline of `careflow/sim/hotline.hpp` with transfers and follow-up, callbacks at
/// +1 week and +1 month worked by callback agents in business hours, appointment
/// requests, first visits and complaints. Seeded and deterministic, like the hotline.
#pragma once

#include <careflow/sim/hotline.hpp>

namespace careflow::sim {

/// A whole center: the hotline (with transfers and follow-up), callbacks at +1 week and
/// +1 month worked by callback agents in business hours, and appointment requests
/// confirmed by counselors — all through the shipped procedures on one engine.
struct center_config {
    hotline_config hotline;           ///< its hours are the simulated span
    double follow_up_rate = 0.1;      ///< share of answered callers who get follow-up callbacks
    int callback_agents = 3;          ///< work in the center calendar's opening hours
    double reach_rate = 0.7;          ///< share of dial attempts that reach the client
    double callback_minutes = 10;     ///< mean length of a callback conversation
    double record_minutes = 30;       ///< mean delay before the agent records it
    double appointments_per_day = 12; ///< requests, arriving in opening hours
    double confirm_mean_hours = 3;    ///< mean open time before a counselor replies
    double cancel_rate = 0.1;         ///< share of confirmed appointments cancelled
    double no_show_rate = 0.08;
    double first_visits_per_week = 5; ///< new clients, booked in opening hours
    double complaints_per_week = 1;
};

/// One SLA clock's attainment over replications.
struct clock_report {
    std::string procedure; ///< name
    std::string clock;
    estimate attainment; ///< met ÷ (met + late + missed)
    estimate decided;    ///< clocks decided per replication
};

/// What a center simulation reports: every SLA clock, and the KPIs the procedures name.
struct center_report {
    center_config config;
    std::vector<clock_report> clocks;
    estimate three_ring_rate, callback_on_time_rate, confirmation_rate, late_cancellation_rate, no_show_rate;
    estimate complaint_rate;      ///< complaints acknowledged and resolved within target (both clocks met)
    estimate responsibility_rate; ///< first visits in which the responsible counselor met every duty
    estimate calls, callbacks, appointments, first_visits, complaints; ///< cases started per replication
    std::uint64_t engine_inputs = 0;
    double engine_seconds = 0, total_seconds = 0;
    [[nodiscard]] std::string json() const;
    [[nodiscard]] std::string table() const;
};

/// Simulate a center. Throws `careflow::error` ("careflow.sim.bad_config").
[[nodiscard]] center_report simulate_center(const center_config& config,
                                            const std::function<void(double)>& progress = {});

} // namespace careflow::sim
