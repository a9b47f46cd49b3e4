// A small counseling center, simulated for four weeks on careflow's engine with the
// shipped procedures: a 24-hour hotline busier in the evening, counselors taking
// transfers, follow-up callbacks worked by agents in office hours, appointment requests
// confirmed by counselors. Prints the figures a center manager plans with, and what the
// queueing formulas say about the evening peak.
//
// This is the README's main example. Expected output: examples/center_month.expected
#include <careflow/sim/center.hpp>
#include <careflow/sim/staffing.hpp>

#include <fmt/format.h>

#include <iostream>

using namespace careflow::sim;

int main() {
    center_config k;
    k.hotline.arrivals_per_hour = 5; // 120 calls a day on average
    // Calls by hour of day (Shanghai time): quiet at night, a peak 19:00-23:00.
    k.hotline.hourly_profile = {0.4, 0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0, 1.0, 1.0,
                                1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.4, 1.8, 2.0, 2.0, 1.6, 0.9};
    k.hotline.operators = 2;
    k.hotline.counselors = 2;
    k.hotline.handle = {distribution::kind::lognormal, 6 * 60, 0.8, {}};
    k.hotline.patience_mean_s = 90;
    k.hotline.transfer_rate = 0.25;
    k.hotline.counseling = {distribution::kind::lognormal, 35 * 60, 0.5, {}};
    k.hotline.hours = 28 * 24;
    k.hotline.warmup_hours = 0;
    k.hotline.replications = 4;
    k.hotline.seed = 2026;
    k.callback_agents = 2;
    k.follow_up_rate = 0.1;
    k.appointments_per_day = 8;

    const auto report = simulate_center(k);
    std::cout << report.table();

    // The evening peak: 5 × 2.0 = 10 calls an hour, 6-minute calls, 90 s patience.
    std::cout << "\nevening peak, 10 calls/h, by the queueing formulas (Erlang A):\n";
    for (int operators = 1; operators <= 4; ++operators) {
        const auto f = evaluate({10.0 / 3600.0, 6 * 60, operators, 90}, 15);
        std::cout << fmt::format("  {} operator{}: {:5.1f} % answered within three rings, {:4.1f} % abandon\n",
                                 operators, operators == 1 ? " " : "s", f.service_level * 100, f.abandonment * 100);
    }
    const auto needed = agents_needed({10.0 / 3600.0, 6 * 60, 1, 90}, 15, 0.8);
    std::cout << fmt::format("  for 80 % within three rings at the peak: {} operators\n", *needed);
}
