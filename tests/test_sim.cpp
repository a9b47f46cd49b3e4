// The simulator: deterministic, and in its plain queueing configuration in statistical
// agreement with Erlang C (infinite patience) and Erlang A (exponential patience) over a
// grid of loads from light to 95 % occupancy.
#include "fixtures.hpp"

#include <nlohmann/json.hpp>

#include <careflow/sim/center.hpp>
#include <careflow/sim/staffing.hpp>

using namespace careflow;
using namespace careflow::sim;

namespace {
hotline_config plain(double per_hour, int operators, double patience, double hours, int reps, std::uint64_t seed) {
    hotline_config k;
    k.arrivals_per_hour = per_hour;
    k.operators = operators;
    k.handle = {distribution::kind::exponential, 180, 1.0, {}};
    k.patience_mean_s = patience;
    k.hours = hours;
    k.warmup_hours = 4;
    k.replications = reps;
    k.seed = seed;
    return k;
}

// Theory must fall inside the simulated interval, widened to 3 half-widths (≈ 99.9 %)
// plus a small absolute allowance for figures that are near zero.
void agrees(const char* what, const estimate& sim, double theory, double slack) {
    INFO(what << ": simulated " << sim.mean << " ± " << sim.ci95 << ", theory " << theory);
    CHECK(std::abs(sim.mean - theory) <= 3 * sim.ci95 + slack);
}
} // namespace

TEST_CASE("the same configuration and seed give byte-identical reports") {
    const auto k = plain(100, 7, 120, 20, 2, 42);
    const auto a = simulate_hotline(k).json();
    const auto b = simulate_hotline(k).json();
    CHECK(a == b);
    auto other = k;
    other.seed = 43;
    CHECK(simulate_hotline(other).json() != a);
}

TEST_CASE("the simulator agrees with Erlang C over loads from light to 95 % occupancy" *
          doctest::test_suite("statistical")) {
    struct point {
        double per_hour;
        int operators;
        double hours;
    };
    // Occupancy 0.33, 0.71, 0.83, 0.95 (3-minute calls).
    for (const point p : {point{20, 3, 120}, point{100, 7, 60}, point{150, 9, 60}, point{190, 10, 200}}) {
        const auto r = simulate_hotline(plain(p.per_hour, p.operators, 0, p.hours, 5, 11));
        const auto f = evaluate({p.per_hour / 3600.0, 180, p.operators, 0}, 15.0);
        INFO("load " << p.per_hour << "/h on " << p.operators);
        agrees("service level", r.service_level, f.service_level, 0.01);
        agrees("p(wait)", r.p_wait, f.p_wait, 0.01);
        agrees("ASA", r.asa_s, f.asa_s, 1.0);
        agrees("occupancy", r.occupancy, f.occupancy, 0.01);
        CHECK(r.abandoned.mean == 0);
    }
}

TEST_CASE("the simulator agrees with Erlang A when callers abandon" * doctest::test_suite("statistical")) {
    struct point {
        double per_hour;
        int operators;
        double patience;
    };
    for (const point p : {point{100, 7, 120}, point{150, 8, 60}, point{200, 9, 180}}) {
        const auto r = simulate_hotline(plain(p.per_hour, p.operators, p.patience, 60, 5, 5));
        const auto f = evaluate({p.per_hour / 3600.0, 180, p.operators, p.patience}, 15.0);
        INFO("load " << p.per_hour << "/h on " << p.operators << ", patience " << p.patience);
        agrees("service level", r.service_level, f.service_level, 0.01);
        agrees("p(wait)", r.p_wait, f.p_wait, 0.01);
        agrees("abandonment", r.abandonment_rate, f.abandonment, 0.005);
        agrees("mean queue time", r.mean_queue_time_s, f.mean_queue_time_s, 1.0);
        agrees("ASA", r.asa_s, f.asa_s, 1.0);
    }
}

TEST_CASE("confidence intervals shrink with more replications") {
    const auto few = simulate_hotline(plain(100, 7, 120, 10, 4, 3));
    const auto many = simulate_hotline(plain(100, 7, 120, 10, 16, 3));
    CHECK(many.service_level.ci95 < few.service_level.ci95);
    CHECK(many.asa_s.ci95 < few.asa_s.ci95);
    const auto one = simulate_hotline(plain(100, 7, 120, 20, 1, 3));
    CHECK(one.service_level.ci95 == 0);
    CHECK(one.json().find("_ci95") == std::string::npos);
}

TEST_CASE("the JSON report has every figure, with intervals when replicated") {
    const auto j = nlohmann::json::parse(simulate_hotline(plain(60, 4, 90, 10, 3, 1)).json());
    CHECK(j.at("replications") == 3);
    for (const char* key : {"offered", "answered", "abandoned", "service_level", "p_wait", "asa_s", "mean_queue_time_s",
                            "abandonment_rate", "occupancy"}) {
        CHECK(j.at(key).is_number());
        CHECK(j.at(std::string(key) + "_ci95").is_number());
    }
    // The center's report is JSON too (a figure with nothing observed would be null, never `nan`).
    center_config c;
    c.hotline = plain(1, 2, 120, 24, 1, 4);
    c.hotline.warmup_hours = 0;
    c.complaints_per_week = 0;
    const auto center = nlohmann::json::parse(simulate_center(c).json());
    CHECK(center.at("complaints") == 0);
    CHECK(center.at("clocks").is_array());
}

TEST_CASE("transfers, answer delays, profiles and other distributions run through the same engine") {
    auto k = plain(80, 5, 300, 24, 2, 9);
    k.transfer_rate = 0.3;
    k.counselors = 2;
    k.answer_delay_s = 3;
    k.handle = {distribution::kind::lognormal, 200, 0.8, {}};
    k.hourly_profile.assign(24, 0.5);
    for (int h = 9; h < 21; ++h) k.hourly_profile[static_cast<std::size_t>(h)] = 1.5;
    const auto r = simulate_hotline(k);
    CHECK(r.offered.mean > 0);
    CHECK(r.answered.mean + r.abandoned.mean == doctest::Approx(r.offered.mean));
    CHECK(r.p_wait.mean > 0); // waited for an operator (the pick-up delay is not queueing)
    CHECK(r.p_wait.mean < 1);
    CHECK(r.asa_s.mean >= 3.0); // but every answered call waited at least the pick-up
    k.handle = {distribution::kind::deterministic, 120, 1.0, {}};
    CHECK(simulate_hotline(k).answered.mean > 0);
    k.handle = {distribution::kind::empirical, 120, 1.0, {60, 120, 600}};
    CHECK(simulate_hotline(k).answered.mean > 0);
}

TEST_CASE("impossible settings are typed errors") {
    auto k = plain(60, 4, 0, 10, 1, 1);
    k.operators = 0;
    CHECK_THROWS_WITH_AS((void)simulate_hotline(k), doctest::Contains("careflow.sim.bad_config"), careflow::error);
    k = plain(60, 4, 0, 10, 1, 1);
    k.transfer_rate = 0.5;
    k.counselors = 0;
    CHECK_THROWS_WITH_AS((void)simulate_hotline(k), doctest::Contains("careflow.sim.bad_config"), careflow::error);
    CHECK_THROWS_WITH_AS((void)distribution::parse("gamma"), doctest::Contains("careflow.sim.bad_distribution"),
                         careflow::error);
}

TEST_CASE("a center simulation reports every SLA clock and the named KPIs, deterministically") {
    center_config k;
    k.hotline = plain(6, 2, 120, 24 * 12, 2, 4);
    k.hotline.warmup_hours = 0;
    k.hotline.transfer_rate = 0.2;
    k.first_visits_per_week = 10;
    k.complaints_per_week = 5;
    const auto a = simulate_center(k);
    CHECK(a.first_visits.mean > 0);
    CHECK(a.complaints.mean > 0);
    CHECK(a.json() == simulate_center(k).json());
    CHECK(a.calls.mean > 0);
    CHECK(a.callbacks.mean > 0);
    CHECK(a.appointments.mean > 0);
    std::vector<std::string> names;
    for (const auto& c : a.clocks) names.push_back(c.procedure + "." + c.clock);
    for (const char* expected : {"hotline_call.answer_within_rings", "hotline_call.record", "hotline_call.feedback",
                                 "phone_callback.on_time", "phone_callback.record", "appointment.confirm",
                                 "first_visit.pre_contact", "first_visit.record", "complaint.acknowledge"})
        CHECK(std::find(names.begin(), names.end(), expected) != names.end());
    for (const auto* e : {&a.three_ring_rate, &a.callback_on_time_rate, &a.confirmation_rate, &a.late_cancellation_rate,
                          &a.no_show_rate, &a.complaint_rate, &a.responsibility_rate}) {
        CHECK(e->mean >= 0);
        CHECK(e->mean <= 1);
    }
    CHECK(a.table().find("SLA attainment by clock") != std::string::npos);
    // More callback agents: more callbacks attempted on their due day.
    auto more = k;
    more.callback_agents = 1;
    more.follow_up_rate = 0.6;
    auto most = more;
    most.callback_agents = 6;
    CHECK(simulate_center(most).callback_on_time_rate.mean > simulate_center(more).callback_on_time_rate.mean);
    auto bad = k;
    bad.reach_rate = 2;
    CHECK_THROWS_WITH_AS((void)simulate_center(bad), doctest::Contains("careflow.sim.bad_config"), careflow::error);
}

TEST_CASE("shifts, a weekly arrival profile and crises") {
    auto k = plain(60, 6, 120, 48, 2, 5);
    k.operators_by_hour.assign(24, 2);
    for (int h = 8; h < 22; ++h) k.operators_by_hour[static_cast<std::size_t>(h)] = 6;
    const auto shifted = simulate_hotline(k);
    auto thin = k;
    thin.operators_by_hour.assign(24, 2);
    const auto two = simulate_hotline(thin);
    CHECK(two.service_level.mean < shifted.service_level.mean);
    CHECK(two.occupancy.mean > shifted.occupancy.mean); // occupancy is measured against time on duty
    // A week with a closed weekend offers fewer calls than an open one.
    auto week = plain(60, 4, 120, 24 * 7, 1, 5);
    week.warmup_hours = 0;
    const auto open = simulate_hotline(week).offered.mean;
    week.hourly_profile.assign(168, 1.0);
    for (std::size_t h = 24 * 5; h < 168; ++h) week.hourly_profile[h] = 0.0;
    const auto weekdays = simulate_hotline(week).offered.mean;
    CHECK(weekdays < open * 0.8);
    CHECK(weekdays > open * 0.6);
    // Crises go to a counselor without the handover.
    auto crisis = plain(60, 4, 300, 24, 1, 5);
    crisis.crisis_rate = 0.1;
    crisis.transfer_rate = 0.2;
    crisis.counselors = 2;
    const auto c = simulate_hotline(crisis);
    CHECK(c.answered.mean + c.abandoned.mean == doctest::Approx(c.offered.mean));
    auto bad = k;
    bad.operators_by_hour[3] = 7;
    CHECK_THROWS_WITH_AS((void)simulate_hotline(bad), doctest::Contains("careflow.sim.bad_config"), careflow::error);
    bad.operators_by_hour.assign(25, 1);
    CHECK_THROWS_WITH_AS((void)simulate_hotline(bad), doctest::Contains("careflow.sim.bad_config"), careflow::error);
}
