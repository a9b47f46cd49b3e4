// The hotline simulator's front: validate the settings, run the replications, summarise
// them into a report (JSON and a table).
#include "replication.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace careflow::sim {

using detail::summarise;

double t95(int df) {
    static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                   2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                   2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1) return 0;
    if (df <= 30) return table[df - 1];
    return 1.96 + 2.4 / df; // close to the exact quantile beyond 30
}

hotline_report simulate_hotline(const hotline_config& k, const std::function<void(double)>& progress) {
    detail::check(k);
    const auto started = detail::clock_type::now();
    hotline_report r;
    r.config = k;
    std::vector<double> offered, answered, abandoned, sl, pw, asa, qt, ab, occ;
    detail::run_replications(k, nullptr, r.engine_inputs, r.engine_seconds, progress,
                             [&](detail::replication&, const detail::outcome_counts& c) {
                                 const double n = std::max(c.offered, 1.0);
                                 offered.push_back(c.offered);
                                 answered.push_back(c.answered);
                                 abandoned.push_back(c.abandoned);
                                 sl.push_back(c.within / n);
                                 pw.push_back(c.waited / n);
                                 asa.push_back(c.answered > 0 ? c.wait_answered / c.answered : 0);
                                 qt.push_back(c.queue_time / n);
                                 ab.push_back(c.abandoned / n);
                                 occ.push_back(c.shift > 0 ? c.busy / c.shift : 0);
                             });
    r.offered = summarise(offered);
    r.answered = summarise(answered);
    r.abandoned = summarise(abandoned);
    r.service_level = summarise(sl);
    r.p_wait = summarise(pw);
    r.asa_s = summarise(asa);
    r.mean_queue_time_s = summarise(qt);
    r.abandonment_rate = summarise(ab);
    r.occupancy = summarise(occ);
    r.total_seconds = std::chrono::duration<double>(detail::clock_type::now() - started).count();
    return r;
}

std::string hotline_report::json() const {
    const bool ci = config.replications > 1;
    nlohmann::ordered_json out{{"replications", config.replications}, {"seed", config.seed}};
    auto field = [&](const char* name, const estimate& e) {
        out[name] = e.mean; // NaN (nothing observed) is written as null
        if (ci) out[std::string(name) + "_ci95"] = e.ci95;
    };
    field("offered", offered);
    field("answered", answered);
    field("abandoned", abandoned);
    field("service_level", service_level);
    field("p_wait", p_wait);
    field("asa_s", asa_s);
    field("mean_queue_time_s", mean_queue_time_s);
    field("abandonment_rate", abandonment_rate);
    field("occupancy", occupancy);
    return out.dump();
}

std::string hotline_report::table() const {
    const bool ci = config.replications > 1;
    std::string out = fmt::format(
        "hotline: {:g} calls/h, {} operators, {} counselors, {:g} h after {:g} h warm-up, {} replication{}\n",
        config.arrivals_per_hour, config.operators, config.counselors, config.hours, config.warmup_hours,
        config.replications, config.replications == 1 ? "" : "s");
    auto row = [&](const char* name, const estimate& e, const char* unit, double scale) {
        out += fmt::format("  {:<28} {:>10.{}f}{}", name, e.mean * scale, scale == 100 ? 1 : 2, unit);
        if (ci) out += fmt::format("  ± {:.{}f}", e.ci95 * scale, scale == 100 ? 1 : 2);
        out += "\n";
    };
    row("offered calls", offered, "", 1);
    row("answered", answered, "", 1);
    row("abandoned", abandoned, "", 1);
    row("answered within the rings", service_level, " %", 100);
    row("waited at all", p_wait, " %", 100);
    row("mean wait of answered (ASA)", asa_s, " s", 1);
    row("mean time in queue", mean_queue_time_s, " s", 1);
    row("abandonment", abandonment_rate, " %", 100);
    row("operator occupancy", occupancy, " %", 100);
    return out;
}

} // namespace careflow::sim
