/// \file careflow/runtime/reading.hpp
/// What one reader may see of a case (`engine::read`) and of the journal
/// (`engine::journal_for`). A procedure marks its personal variables and payload fields
/// (`sensitivity`) and states who may read them (`read_rule`); everything else is not
/// personal and anyone reading the case sees it. Every read of a case is journaled (a
/// `read` entry: who, which case, which personal items, when), so the journal is also the
/// audit trail of who saw what.
#pragma once

#include <careflow/runtime/types.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace careflow {

/// What a reader sees in place of a personal value they may not read (in journal
/// exports, and in every CLI output): a text value, the same for every item.
inline constexpr std::string_view withheld = "[withheld]";

/// One case as one reader may see it, at the instant of the read.
struct case_reading {
    /// applied: every item asked for is shown; refused (`careflow.access.denied`, the
    /// reason naming the items): some were withheld; error: the read was invalid (unknown
    /// case or variable, time going backwards, a reserved actor) and showed nothing.
    result outcome;
    case_id id = 0;
    std::string procedure; ///< "name@version"
    std::string state;     ///< the current leaf's path
    bool finished = false;
    /// The variables shown, in declaration order: those that are not personal, and the
    /// personal ones the reader may read.
    std::vector<std::pair<std::string, value>> values;
    /// The personal variables withheld from this reader, in declaration order.
    std::vector<std::string> withheld;

    /// A shown variable's value. Throws `careflow::error`: `careflow.access.denied` naming
    /// the item for a withheld one, `careflow.runtime.unknown_variable` for one the read
    /// did not cover.
    [[nodiscard]] value get(std::string_view name) const;
    /// Was the variable shown?
    [[nodiscard]] bool shows(std::string_view name) const noexcept;
};

} // namespace careflow
