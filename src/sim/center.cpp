// The center simulator's front: validate the settings, run the replications with every
// shipped procedure, read each replication's KPIs from its journal, summarise.
#include "replication.hpp"

#include <careflow/runtime/kpi.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace careflow::sim {

using detail::summarise;

center_report simulate_center(const center_config& k, const std::function<void(double)>& progress) {
    detail::check(k.hotline);
    using L = limits;
    auto share = [](double x) { return x >= 0 && x <= 1; }; // NaN is no share
    auto positive = [](double x, double hi) { return x > 0 && x <= hi; };
    if (!share(k.follow_up_rate) || !share(k.reach_rate) || !share(k.cancel_rate) || !share(k.no_show_rate) ||
        k.cancel_rate + k.no_show_rate > 1)
        throw error("careflow.sim.bad_config", "rates are shares between 0 and 1");
    if (k.callback_agents < 1 || k.callback_agents > L::agents)
        throw error("careflow.sim.bad_config", "callback agents must be between 1 and " + std::to_string(L::agents));
    if (!positive(k.appointments_per_day, L::per_day) || !positive(k.confirm_mean_hours, 24 * 30) ||
        !positive(k.callback_minutes, 24 * 60) || !positive(k.record_minutes, 24 * 60) ||
        !(k.first_visits_per_week >= 0 && k.first_visits_per_week <= 7 * L::per_day) ||
        !(k.complaints_per_week >= 0 && k.complaints_per_week <= 7 * L::per_day))
        throw error("careflow.sim.bad_config",
                    "appointments (at most " + std::to_string(static_cast<int>(L::per_day)) +
                        " a day), confirmation (at most 30 days), callback and record times (at most a day) must be "
                        "positive; first visits and complaints per week between 0 and " +
                        std::to_string(static_cast<int>(7 * L::per_day)));
    const auto started = detail::clock_type::now();
    center_report r;
    r.config = k;
    std::map<std::pair<std::string, std::string>, std::pair<std::vector<double>, std::vector<double>>> clocks;
    std::vector<double> three, on_time, confirm, late, no_show, calls, callbacks, appointments, complaint_ok,
        responsible, visits, complaints;
    detail::run_replications(
        k.hotline, &k, r.engine_inputs, r.engine_seconds, progress,
        [&](detail::replication& rep, const detail::outcome_counts&) {
            const auto kpis = compute_kpis(rep.engine_ref().journal());
            for (const auto& s : kpis.slas) {
                auto& c = clocks[{s.procedure.substr(0, s.procedure.rfind('@')), s.sla}];
                c.first.push_back(s.attainment());
                c.second.push_back(static_cast<double>(s.met + s.late + s.missed));
            }
            auto rate = [&](const char* proc, const char* clock) {
                const auto* s = kpis.sla(proc, clock);
                return s ? s->attainment() : 1.0;
            };
            auto started_of = [&](const char* proc) {
                const auto* p = kpis.procedure(proc);
                return p ? static_cast<double>(p->started) : 0.0;
            };
            three.push_back(rate("hotline_call", "answer_within_rings"));
            on_time.push_back(rate("phone_callback", "on_time"));
            confirm.push_back(rate("appointment", "confirm"));
            const auto* a = kpis.procedure("appointment");
            late.push_back(a ? a->rate("late_cancelled") : 0.0);
            no_show.push_back(a ? a->rate("no_show") : 0.0);
            calls.push_back(started_of("hotline_call"));
            callbacks.push_back(started_of("phone_callback"));
            appointments.push_back(started_of("appointment"));
            visits.push_back(started_of("first_visit"));
            complaints.push_back(started_of("complaint"));
            responsible.push_back(kpis.responsibility_rate("first_visit"));
            // A complaint handled within target: both of its clocks met.
            const auto* ack = kpis.sla("complaint", "acknowledge");
            const auto* res = kpis.sla("complaint", "resolve");
            const double decided = res ? static_cast<double>(res->met + res->late + res->missed) : 0;
            complaint_ok.push_back(decided > 0 ? std::min(ack ? ack->attainment() : 1.0, res->attainment()) : 1.0);
        });
    for (const auto& [key, v] : clocks)
        r.clocks.push_back({key.first, key.second, summarise(v.first), summarise(v.second)});
    r.three_ring_rate = summarise(three);
    r.callback_on_time_rate = summarise(on_time);
    r.confirmation_rate = summarise(confirm);
    r.late_cancellation_rate = summarise(late);
    r.no_show_rate = summarise(no_show);
    r.calls = summarise(calls);
    r.callbacks = summarise(callbacks);
    r.appointments = summarise(appointments);
    r.first_visits = summarise(visits);
    r.complaints = summarise(complaints);
    r.complaint_rate = summarise(complaint_ok);
    r.responsibility_rate = summarise(responsible);
    r.total_seconds = std::chrono::duration<double>(detail::clock_type::now() - started).count();
    return r;
}

std::string center_report::json() const {
    const bool ci = config.hotline.replications > 1;
    auto put = [&](nlohmann::ordered_json& to, const char* name, const estimate& e) {
        to[name] = e.mean; // NaN (nothing observed) is written as null
        if (ci) to[std::string(name) + "_ci95"] = e.ci95;
    };
    nlohmann::ordered_json out{{"replications", config.hotline.replications}, {"seed", config.hotline.seed}};
    for (const auto& [name, e] : {std::pair<const char*, const estimate*>{"calls", &calls},
                                  {"callbacks", &callbacks},
                                  {"appointments", &appointments},
                                  {"three_ring_rate", &three_ring_rate},
                                  {"callback_on_time_rate", &callback_on_time_rate},
                                  {"confirmation_rate", &confirmation_rate},
                                  {"late_cancellation_rate", &late_cancellation_rate},
                                  {"no_show_rate", &no_show_rate},
                                  {"complaint_rate", &complaint_rate},
                                  {"responsibility_rate", &responsibility_rate},
                                  {"first_visits", &first_visits},
                                  {"complaints", &complaints}})
        put(out, name, *e);
    auto clocks_out = nlohmann::ordered_json::array();
    for (const auto& c : clocks) {
        nlohmann::ordered_json one{{"procedure", c.procedure}, {"clock", c.clock}};
        put(one, "attainment", c.attainment);
        put(one, "decided", c.decided);
        clocks_out.push_back(std::move(one));
    }
    out["clocks"] = std::move(clocks_out);
    return out.dump();
}

std::string center_report::table() const {
    const auto& h = config.hotline;
    const bool ci = h.replications > 1;
    std::string out = fmt::format(
        "center: {:g} days; hotline {:g} calls/h, {} operators, {} counselors; {} callback agents; {:g} appointment "
        "requests/day; {} replication{}\n",
        (h.warmup_hours + h.hours) / 24, h.arrivals_per_hour, h.operators, h.counselors, config.callback_agents,
        config.appointments_per_day, h.replications, h.replications == 1 ? "" : "s");
    auto row = [&](const std::string& name, const estimate& e, bool percent) {
        out += fmt::format("  {:<42} {:>8.{}f}{}", name, e.mean * (percent ? 100 : 1), percent ? 1 : 0,
                           percent ? " %" : "");
        if (ci) out += fmt::format("  ± {:.{}f}", e.ci95 * (percent ? 100 : 1), percent ? 1 : 0);
        out += "\n";
    };
    row("hotline calls", calls, false);
    row("callbacks planned", callbacks, false);
    row("appointment requests", appointments, false);
    row("answered within three rings", three_ring_rate, true);
    row("callbacks attempted on their due day", callback_on_time_rate, true);
    row("appointments confirmed within 24 h", confirmation_rate, true);
    row("late cancellations", late_cancellation_rate, true);
    row("no-shows", no_show_rate, true);
    row("first visits", first_visits, false);
    row("  responsibility fulfilled (every duty)", responsibility_rate, true);
    row("complaints", complaints, false);
    row("  handled within target", complaint_rate, true);
    out += "  SLA attainment by clock:\n";
    for (const auto& c : clocks) row("    " + c.procedure + "." + c.clock, c.attainment, true);
    return out;
}

} // namespace careflow::sim
