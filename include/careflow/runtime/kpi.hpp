/// \file careflow/runtime/kpi.hpp
/// Key figures computed from a journal: SLA attainment and lateness, dwell time per
/// state, and per-person duty fulfilment for clocks with an accountable duty.
#pragma once

#include <careflow/runtime/journal.hpp>

#include <span>
#include <string>
#include <vector>

namespace careflow {

/// One SLA clock of one procedure, over every case in the journal.
struct sla_kpi {
    std::string procedure; ///< "name@version"
    std::string sla;
    std::size_t started = 0;
    std::size_t met = 0;        ///< stopped within the goal
    std::size_t late = 0;       ///< stopped after the goal
    std::size_t missed = 0;     ///< breached and never stopped (cancelled, or still open at the end)
    std::size_t cancelled = 0;  ///< cancelled before any breach
    std::size_t breaches = 0;   ///< breach events (each clock cycle breaches at most once)
    std::vector<ticks> late_by; ///< for each late stop, how far past the goal (open time), ascending

    /// met / (met + late + missed); 1 when nothing was decided.
    [[nodiscard]] double attainment() const noexcept;
    /// The q-quantile (0..1) of late_by (nearest rank), or 0 when none.
    [[nodiscard]] ticks late_by_quantile(double q) const noexcept;
    friend bool operator==(const sla_kpi&, const sla_kpi&) = default;
};

/// Time spent in one state, over every visit that ended.
struct dwell_kpi {
    std::string procedure;
    std::string state; ///< path
    std::size_t visits = 0;
    ticks total = 0;
    ticks longest = 0;
    [[nodiscard]] ticks mean() const noexcept { return visits ? total / static_cast<ticks>(visits) : 0; }
    friend bool operator==(const dwell_kpi&, const dwell_kpi&) = default;
};

/// How one accountable person did on one SLA clock.
struct duty_kpi {
    std::string procedure;
    std::string sla;
    std::string person;
    std::size_t on_time = 0;
    std::size_t late = 0;
    std::size_t missed = 0;
    /// on_time / (on_time + late + missed).
    [[nodiscard]] double fulfilment() const noexcept;
    friend bool operator==(const duty_kpi&, const duty_kpi&) = default;
};

/// Cases of one procedure, and how many reached each state at least once.
struct procedure_kpi {
    std::string procedure;
    std::size_t started = 0;
    std::size_t finished = 0;
    std::vector<std::pair<std::string, std::size_t>> reached; ///< (state path, cases), sorted by path
    /// Cases that reached `path` (or a descendant of it, by path prefix) ÷ cases started.
    [[nodiscard]] double rate(std::string_view path) const noexcept;
    [[nodiscard]] std::size_t count(std::string_view path) const noexcept;
    friend bool operator==(const procedure_kpi&, const procedure_kpi&) = default;
};

/// Responsibility fulfilment: of the cases in which `person` was accountable for at least
/// one decided SLA clock, those in which every such clock was met.
struct responsibility_kpi {
    std::string procedure;
    std::string person;
    std::size_t cases = 0;
    std::size_t fulfilled = 0;
    [[nodiscard]] double rate() const noexcept {
        return cases ? static_cast<double>(fulfilled) / static_cast<double>(cases) : 1.0;
    }
    friend bool operator==(const responsibility_kpi&, const responsibility_kpi&) = default;
};

/// All key figures of a journal, each list sorted by its names.
struct kpi_report {
    std::vector<sla_kpi> slas;
    std::vector<dwell_kpi> dwell;
    std::vector<duty_kpi> duties;
    std::vector<procedure_kpi> procedures;
    std::vector<responsibility_kpi> responsibility;
    [[nodiscard]] const sla_kpi* sla(std::string_view procedure_name, std::string_view clock) const noexcept;
    [[nodiscard]] const dwell_kpi* state(std::string_view procedure_name, std::string_view path) const noexcept;
    [[nodiscard]] const duty_kpi* duty(std::string_view clock, std::string_view person) const noexcept;
    [[nodiscard]] const procedure_kpi* procedure(std::string_view procedure_name) const noexcept;
    /// The fulfilment of one person in one procedure; nullptr when they were never accountable.
    [[nodiscard]] const responsibility_kpi* responsible(std::string_view procedure_name,
                                                        std::string_view person) const noexcept;
    /// All people together: cases fulfilled ÷ cases, over one procedure.
    [[nodiscard]] double responsibility_rate(std::string_view procedure_name) const noexcept;
    /// Reports are equal when every figure is (erasure must leave them so).
    friend bool operator==(const kpi_report&, const kpi_report&) = default;
};

/// Compute the report. Entries must be in journal order.
[[nodiscard]] kpi_report compute_kpis(std::span<const journal_entry> journal);

} // namespace careflow
