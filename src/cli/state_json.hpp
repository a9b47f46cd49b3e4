// The engine's state as JSON, the shape `careflow inspect --json` and `careflow run
// --final-state` write: the clock and every case (sorted by id) with its procedure, state,
// variables, assignees, SLA clocks, pending timers and timer fires since it started; and,
// when any client has answered one, the clients' consents.
#pragma once

#include "json_values.hpp"

#include <careflow/runtime/engine.hpp>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>

namespace careflow {
class sqlite_store;
}

namespace careflow::cli {

/// Timer fires per case and timer name, counted from journal entries given in order; a
/// case started again under an id erased before counts from its new start.
class fire_counts {
public:
    void add(const journal_entry& e);
    /// Every journal entry `s` holds (an archived part is not counted), read in pages.
    void add_store(sqlite_store& s);
    [[nodiscard]] const std::map<std::string, std::uint64_t>* of(case_id id) const;

private:
    std::unordered_map<case_id, std::map<std::string, std::uint64_t>> fired_;
};

/// One consent answer: {"topic","granted","at","until","recorded_by"} (`until` null: none).
[[nodiscard]] json consent_json(const consent_state& c);

/// The whole state; `fired` gives each case's count per state timer (0 for those never
/// fired). Personal variables show as `withheld` unless `reader` may read them (each case
/// is then read through `engine::read`, which journals it).
[[nodiscard]] json state_json(engine& e, const fire_counts& fired, const std::optional<actor>& reader);

} // namespace careflow::cli
