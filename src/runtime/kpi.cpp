// KPIs computed from a journal: SLA attainment and lateness, dwell per state, duties kept per person.
#include <careflow/error.hpp>
#include <careflow/runtime/kpi.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace careflow {

double sla_kpi::attainment() const noexcept {
    const std::size_t decided = met + late + missed;
    return decided ? static_cast<double>(met) / static_cast<double>(decided) : 1.0;
}

ticks sla_kpi::late_by_quantile(double q) const noexcept {
    if (late_by.empty()) return 0;
    const double rank = std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(late_by.size()));
    const auto i = static_cast<std::size_t>(std::max(rank, 1.0)) - 1;
    return late_by[std::min(i, late_by.size() - 1)];
}

double duty_kpi::fulfilment() const noexcept {
    const std::size_t all = on_time + late + missed;
    return all ? static_cast<double>(on_time) / static_cast<double>(all) : 1.0;
}

namespace {
std::string_view name_of(std::string_view procedure) { return procedure.substr(0, procedure.rfind('@')); }
} // namespace

const sla_kpi* kpi_report::sla(std::string_view procedure_name, std::string_view clock) const noexcept {
    for (const auto& s : slas)
        if (name_of(s.procedure) == procedure_name && s.sla == clock) return &s;
    return nullptr;
}

const dwell_kpi* kpi_report::state(std::string_view procedure_name, std::string_view path) const noexcept {
    for (const auto& d : dwell)
        if (name_of(d.procedure) == procedure_name && d.state == path) return &d;
    return nullptr;
}

const duty_kpi* kpi_report::duty(std::string_view clock, std::string_view person) const noexcept {
    for (const auto& d : duties)
        if (d.sla == clock && d.person == person) return &d;
    return nullptr;
}

double procedure_kpi::rate(std::string_view path) const noexcept {
    return started ? static_cast<double>(count(path)) / static_cast<double>(started) : 0.0;
}

std::size_t procedure_kpi::count(std::string_view path) const noexcept {
    for (const auto& [p, n] : reached)
        if (p == path) return n;
    return 0;
}

const procedure_kpi* kpi_report::procedure(std::string_view procedure_name) const noexcept {
    for (const auto& p : procedures)
        if (name_of(p.procedure) == procedure_name) return &p;
    return nullptr;
}

const responsibility_kpi* kpi_report::responsible(std::string_view procedure_name,
                                                  std::string_view person) const noexcept {
    for (const auto& r : responsibility)
        if (name_of(r.procedure) == procedure_name && r.person == person) return &r;
    return nullptr;
}

double kpi_report::responsibility_rate(std::string_view procedure_name) const noexcept {
    std::size_t cases = 0, fulfilled = 0;
    for (const auto& r : responsibility)
        if (name_of(r.procedure) == procedure_name) {
            cases += r.cases;
            fulfilled += r.fulfilled;
        }
    return cases ? static_cast<double>(fulfilled) / static_cast<double>(cases) : 1.0;
}

kpi_report compute_kpis(std::span<const journal_entry> journal) {
    std::map<std::pair<std::string, std::string>, sla_kpi> slas;
    std::map<std::pair<std::string, std::string>, dwell_kpi> dwell;
    std::map<std::tuple<std::string, std::string, std::string>, duty_kpi> duties;
    struct position {
        std::string procedure, state;
        ticks since = 0;
        bool finished = false;
    };
    std::map<case_id, position> where;
    // A breached clock not yet stopped: (case, clock) → (procedure, accountable person).
    std::map<std::pair<case_id, std::string>, std::pair<std::string, std::string>> open_breaches;

    // Per procedure: started, finished, and the states each case reached (a case counts once per state).
    std::map<std::string, procedure_kpi> procs;
    std::map<std::string, std::map<std::string, std::set<case_id>>> reached;
    auto reach = [&](const std::string& procedure, case_id id, const std::string& path) {
        // A case in "a.b.c" has reached "a", "a.b" and "a.b.c".
        for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1))
            reached[procedure][path.substr(0, dot)].insert(id);
        reached[procedure][path].insert(id);
    };
    // Per (case, accountable person): did every decided clock end met?
    std::map<std::tuple<std::string, case_id, std::string>, bool> verdicts;
    auto judge = [&](const std::string& procedure, case_id id, const std::string& person, bool ok) {
        if (person.empty()) return;
        auto [it, fresh] = verdicts.try_emplace({procedure, id, person}, ok);
        if (!fresh) it->second = it->second && ok;
    };
    auto duty = [&](const std::string& procedure, const std::string& clock, const std::string& person) -> duty_kpi* {
        if (person.empty()) return nullptr;
        auto& d = duties[{procedure, clock, person}];
        d.procedure = procedure;
        d.sla = clock;
        d.person = person;
        return &d;
    };
    auto leave = [&](position& p, ticks at) {
        auto& d = dwell[{p.procedure, p.state}];
        d.procedure = p.procedure;
        d.state = p.state;
        ++d.visits;
        d.total += at - p.since;
        d.longest = std::max(d.longest, at - p.since);
    };

    for (const auto& e : journal) {
        if (e.result != outcome::applied) continue;
        switch (e.kind) {
        case record_kind::start:
            where[e.id] = {e.procedure, e.to, e.time, false};
            ++procs[e.procedure].started;
            reach(e.procedure, e.id, e.to);
            break;
        case record_kind::dispatch:
        case record_kind::fire: {
            auto it = where.find(e.id);
            if (it == where.end() || (e.from == e.to && !e.reentered)) break;
            reach(e.procedure, e.id, e.to);
            leave(it->second, e.time);
            it->second.state = e.to;
            it->second.since = e.time;
            break;
        }
        case record_kind::finish: {
            auto it = where.find(e.id);
            if (it != where.end()) it->second.finished = true;
            ++procs[e.procedure].finished;
            break;
        }
        case record_kind::sla: {
            auto& k = slas[{e.procedure, e.event}];
            k.procedure = e.procedure;
            k.sla = e.event;
            const auto key = std::make_pair(e.id, e.event);
            if (e.detail == "started") {
                ++k.started;
            } else if (e.detail == "met") {
                ++k.met;
                if (auto* d = duty(e.procedure, e.event, e.actor)) ++d->on_time;
                judge(e.procedure, e.id, e.actor, true);
            } else if (e.detail == "stopped_late") {
                ++k.late;
                const value elapsed = e.get("elapsed"), goal = e.get("goal");
                if (!elapsed.empty() || !goal.empty()) {
                    // A journal read from outside may hold anything: say so, typed.
                    if (elapsed.type() != value_type::duration || goal.type() != value_type::duration)
                        throw error("careflow.journal.bad_value", "the SLA entry of clock '" + e.event + "' on case " +
                                                                      std::to_string(e.id) +
                                                                      " needs durations for elapsed and goal");
                    k.late_by.push_back(to_ticks(std::get<duration>(elapsed.get())) -
                                        to_ticks(std::get<duration>(goal.get())));
                }
                if (auto* d = duty(e.procedure, e.event, e.actor)) ++d->late;
                judge(e.procedure, e.id, e.actor, false);
                open_breaches.erase(key);
            } else if (e.detail == "breached") {
                ++k.breaches;
                open_breaches[key] = {e.procedure, e.actor};
            } else if (e.detail == "cancelled") {
                auto it = open_breaches.find(key);
                if (it != open_breaches.end()) {
                    ++k.missed;
                    if (auto* d = duty(e.procedure, e.event, it->second.second)) ++d->missed;
                    judge(e.procedure, e.id, it->second.second, false);
                    open_breaches.erase(it);
                } else {
                    ++k.cancelled;
                }
            }
            break;
        }
        default: break;
        }
    }
    // Breaches still open when the journal ends were never made good.
    for (const auto& [key, who] : open_breaches) {
        auto& k = slas[{who.first, key.second}];
        ++k.missed;
        if (auto* d = duty(who.first, key.second, who.second)) ++d->missed;
        judge(who.first, key.first, who.second, false);
    }
    kpi_report r;
    for (auto& [_, k] : slas) {
        std::sort(k.late_by.begin(), k.late_by.end());
        r.slas.push_back(std::move(k));
    }
    for (auto& [_, d] : dwell) r.dwell.push_back(std::move(d));
    for (auto& [_, d] : duties) r.duties.push_back(std::move(d));
    for (auto& [name, p] : procs) {
        p.procedure = name;
        for (const auto& [path, ids] : reached[name]) p.reached.emplace_back(path, ids.size());
        r.procedures.push_back(std::move(p));
    }
    std::map<std::pair<std::string, std::string>, responsibility_kpi> people;
    for (const auto& [key, ok] : verdicts) {
        auto& k = people[{std::get<0>(key), std::get<2>(key)}];
        k.procedure = std::get<0>(key);
        k.person = std::get<2>(key);
        ++k.cases;
        k.fulfilled += ok ? 1 : 0;
    }
    for (auto& [_, k] : people) r.responsibility.push_back(std::move(k));
    return r;
}

} // namespace careflow
