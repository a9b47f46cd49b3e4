// Erlang C and Erlang A, against hand-checked values and limiting cases.
#include "fixtures.hpp"

#include <careflow/sim/staffing.hpp>

#include <cmath>

using namespace careflow;
using namespace careflow::sim;

TEST_CASE("Erlang C matches the textbook value and the closed forms") {
    CHECK(erlang_c(11, 10.0) == doctest::Approx(0.6821182046893323).epsilon(1e-12));
    CHECK(erlang_c(1, 0.5) == doctest::Approx(0.5)); // M/M/1: P(wait) = ρ
    CHECK(erlang_c(5, 5.0) == 1.0);                  // unstable: everyone waits
    // 100 calls/h, 3 min each: 5 erlangs; 7 agents.
    const queue_model m{100.0 / 3600.0, 180.0, 7, 0.0};
    const auto f = evaluate(m, 20.0);
    const double c = erlang_c(7, 5.0);
    CHECK(f.p_wait == doctest::Approx(c));
    const double drain = 7.0 / 180.0 - 100.0 / 3600.0;
    CHECK(f.service_level == doctest::Approx(1.0 - c * std::exp(-drain * 20.0)));
    CHECK(f.asa_s == doctest::Approx(c / drain));
    CHECK(f.occupancy == doctest::Approx(5.0 / 7.0));
    CHECK(f.abandonment == 0.0);
}

TEST_CASE("Erlang C stays finite and ordered for hundreds of agents") {
    double previous = 1.0;
    for (int c = 481; c <= 520; ++c) {
        const double p = erlang_c(c, 480.0);
        CHECK(std::isfinite(p));
        CHECK(p > 0.0);
        CHECK(p < previous); // more agents, less waiting
        previous = p;
    }
}

TEST_CASE("Erlang A with very patient callers tends to Erlang C") {
    const queue_model c{100.0 / 3600.0, 180.0, 7, 0.0};
    const queue_model a{100.0 / 3600.0, 180.0, 7, 1e7};
    const auto fc = evaluate(c, 20.0);
    const auto fa = evaluate(a, 20.0);
    CHECK(fa.p_wait == doctest::Approx(fc.p_wait).epsilon(1e-4));
    CHECK(fa.service_level == doctest::Approx(fc.service_level).epsilon(1e-3));
    CHECK(fa.asa_s == doctest::Approx(fc.asa_s).epsilon(1e-3));
    CHECK(fa.abandonment < 1e-4);
}

TEST_CASE("Erlang A with patience equal to handling time is the Poisson tail (M/M/infinity)") {
    // θ = μ: every caller leaves at rate μ whether served or not, so N ~ Poisson(a).
    const queue_model m{8.0 / 100.0, 100.0, 10, 100.0}; // a = 8, c = 10
    const auto f = evaluate(m, 0.0);
    CHECK(f.p_wait == doctest::Approx(0.283375741273).epsilon(1e-9));
    CHECK(f.mean_queue_time_s == doctest::Approx(0.425863855769 / 0.08).epsilon(1e-9));
    CHECK(f.abandonment == doctest::Approx(0.425863855769 / 100.0 / 0.08).epsilon(1e-9));
    CHECK(f.service_level == doctest::Approx(1.0 - 0.283375741273).epsilon(1e-9)); // within 0 s: no wait
}

TEST_CASE("Erlang A is stable even when overloaded, and handles hundreds of agents") {
    const queue_model over{10.0, 1.0, 5, 30.0}; // 10 erlangs on 5 agents
    const auto f = evaluate(over, 15.0);
    CHECK(f.stable);
    CHECK(f.abandonment > 0.4);
    CHECK(f.occupancy > 0.95);
    const queue_model big{480.0 / 300.0, 300.0, 500, 120.0};
    const auto g = evaluate(big, 15.0);
    CHECK(std::isfinite(g.service_level));
    CHECK(g.service_level > 0.5);
    CHECK(g.service_level <= 1.0);
}

TEST_CASE("agents_needed is the least staffing that reaches the target") {
    const queue_model m{100.0 / 3600.0, 180.0, 1, 0.0};
    const auto n = agents_needed(m, 15.0, 0.9);
    REQUIRE(n);
    auto at = [&](int c) {
        queue_model k = m;
        k.agents = c;
        return evaluate(k, 15.0).service_level;
    };
    CHECK(at(*n) >= 0.9);
    CHECK(at(*n - 1) < 0.9);
    CHECK(*n == 9); // SL 0.870 at 8 agents, 0.942 at 9 (checked independently)
    CHECK_FALSE(agents_needed(m, 15.0, 0.999999, 6).has_value());
    CHECK_THROWS_WITH_AS((void)evaluate(queue_model{0, 1, 1, 0}, 1), doctest::Contains("careflow.sim.bad_model"),
                         careflow::error);
}
