/// \file careflow/runtime/reading.hpp
/// What one reader may see of a case (`engine::read`) and of the journal
/// (`engine::journal_for`). A procedure marks its personal variables and payload fields
/// (`sensitivity`) and states who may read them (`read_rule`); everything else is not
/// personal and anyone reading the case sees it. Every read of a case is journaled (a
/// `read` entry: who, which case, which personal items, when), so the journal is also the
/// audit trail of who saw what.
#pragma once

#include <careflow/runtime/journal.hpp>
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

/// What a personal value in a journal entry reads as once its client is erased
/// (`engine::erase_client`), in the engine's journal and in a store's: a store chains each
/// journal line with its personal values in this form and keeps the whole line sealed apart.
inline constexpr std::string_view erased = "[erased]";

/// One case of a client's file (`engine::client_history`): what happened, when, and who
/// was responsible — nothing personal.
struct client_case {
    case_id id = 0;
    std::string procedure; ///< "name@version"
    case_id parent = 0;    ///< the case that spawned it (0: started by the host)
    time_point started;    ///< when it started
    time_point ended;      ///< when it finished (not_a_date_time: not finished in these entries)
    std::string state;     ///< the last state the entries (or the engine) show it in
    bool held = false;     ///< does the engine still hold the case?
    /// Each duty's assignee, as last assigned in the entries (or held by the live case).
    std::vector<std::pair<std::string, std::string>> assignees;
};

/// A client's answer on one consent topic as last recorded (`engine::record_consent`).
/// Consent is data about the client, not personal values: it is kept in clear (the topic,
/// the answer, its times and who recorded it) so that guards can check it and an audit can
/// show when it was given.
struct consent_state {
    std::string topic;
    bool granted = false;    ///< given (true) or withdrawn (false)
    time_point at;           ///< when it was recorded
    time_point until;        ///< when a consent given lapses (not_a_date_time: it does not)
    std::string recorded_by; ///< the person who recorded it
    /// Does it hold at `now`: given, and not lapsed (`now < until`)?
    [[nodiscard]] bool holds(time_point now) const;
    friend bool operator==(const consent_state&, const consent_state&) = default;
};

/// A client's file as one reader may see it: every case linked to the client, in start
/// order, and those cases' journal entries with personal values shown only where the
/// reader may read them (as `engine::journal_for`), with the client's consent entries.
struct client_file {
    std::string client;
    std::vector<client_case> cases;
    std::vector<journal_entry> entries;
    std::vector<consent_state> consents; ///< the client's consents as they stand now, by topic
};

} // namespace careflow
