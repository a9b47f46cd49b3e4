// Running many replications and summarising them: seeds, progress, means and 95 %
// intervals, and the checks of a hotline configuration.
#include "replication.hpp"

#include <fmt/format.h>

namespace careflow::sim::detail {

estimate summarise(const std::vector<double>& xs) {
    estimate e;
    if (xs.empty()) return e;
    double sum = 0;
    for (double x : xs) sum += x;
    e.mean = sum / static_cast<double>(xs.size());
    if (xs.size() > 1) {
        double ss = 0;
        for (double x : xs) ss += (x - e.mean) * (x - e.mean);
        const double sd = std::sqrt(ss / static_cast<double>(xs.size() - 1));
        e.ci95 = t95(static_cast<int>(xs.size()) - 1) * sd / std::sqrt(static_cast<double>(xs.size()));
    }
    return e;
}

void check(const hotline_config& k) {
    using L = limits;
    auto bad = [](const std::string& why) { return error("careflow.sim.bad_config", why); };
    // Every comparison is written so that NaN fails it.
    auto within = [](double x, double lo, double hi) { return x >= lo && x <= hi; };
    if (!(k.arrivals_per_hour > 0 && k.arrivals_per_hour <= L::arrivals_per_hour))
        throw bad("arrivals per hour must be positive and at most " + fmt::format("{:g}", L::arrivals_per_hour));
    if (k.operators < 1 || k.operators > L::agents)
        throw bad("operators must be between 1 and " + std::to_string(L::agents));
    if (k.counselors < 0 || k.counselors > L::agents)
        throw bad("counselors must be between 0 and " + std::to_string(L::agents));
    if (!(k.handle.mean > 0 && k.handle.mean <= L::duration_s))
        throw bad("the handling time must be positive and at most a day");
    if (!(k.counseling.mean > 0 && k.counseling.mean <= L::duration_s))
        throw bad("the counseling time must be positive and at most a day");
    if (!within(k.patience_mean_s, 0, L::duration_s) || !within(k.answer_delay_s, 0, L::duration_s))
        throw bad("patience and the answer delay are between 0 and a day");
    if (k.rings < 1 || k.rings > L::rings || !(k.ring_cycle_s > 0 && k.ring_cycle_s <= 3600))
        throw bad("rings are between 1 and " + std::to_string(L::rings) + ", a ring cycle between 0 and an hour");
    if (!within(k.transfer_rate, 0, 1) || !within(k.crisis_rate, 0, 1) || k.transfer_rate + k.crisis_rate > 1)
        throw bad("the transfer and crisis rates are shares that add up to at most 1");
    if (k.transfer_rate + k.crisis_rate > 0 && k.counselors < 1) throw bad("transfers need at least one counselor");
    if (!k.operators_by_hour.empty()) {
        if (k.operators_by_hour.size() != 24 && k.operators_by_hour.size() != 168)
            throw bad("operators by hour has 24 or 168 values");
        for (int n : k.operators_by_hour)
            if (n < 0 || n > k.operators) throw bad("operators on duty must be between 0 and the pool size");
    }
    if (!(k.hours > 0 && k.hours <= L::hours) || !within(k.warmup_hours, 0, L::hours))
        throw bad("hours must be positive and the warm-up not negative, each at most " + fmt::format("{:g}", L::hours) +
                  " (ten years)");
    if (!(k.arrivals_per_hour * (k.hours + k.warmup_hours) <= L::calls))
        throw bad("at most " + fmt::format("{:g}", L::calls) + " calls per replication (arrivals per hour × hours)");
    if (k.replications < 1 || k.replications > L::replications)
        throw bad("replications must be between 1 and " + std::to_string(L::replications));
    if (!k.hourly_profile.empty() && k.hourly_profile.size() != 24 && k.hourly_profile.size() != 168)
        throw bad("an hourly profile has 24 or 168 values");
    for (double m : k.hourly_profile)
        if (!within(m, 0, 1000)) throw bad("hourly profile values are between 0 and 1000");
}

std::shared_ptr<const program> hotline_program(const hotline_config& k) {
    procedures::hotline_call_params params;
    params.rings = k.rings;
    params.ring_cycle = boost::posix_time::microseconds(std::llround(k.ring_cycle_s * 1e6));
    return procedures::hotline_call_program(params);
}

void run_replications(const hotline_config& k, const center_config* center, std::uint64_t& inputs,
                      double& engine_seconds, const std::function<void(double)>& progress,
                      const std::function<void(replication&, const outcome_counts&)>& each) {
    const auto program = hotline_program(k);
    for (int i = 0; i < k.replications; ++i) {
        replication rep(k, program, k.seed + static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ull, inputs,
                        engine_seconds, center);
        const auto c =
            rep.run(progress ? std::function<void(double)>([&](double f) { progress((i + f) / k.replications); })
                             : std::function<void(double)>());
        each(rep, c);
    }
    if (progress) progress(1.0);
}

} // namespace careflow::sim::detail
