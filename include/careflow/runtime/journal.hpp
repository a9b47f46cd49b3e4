/// \file careflow/runtime/journal.hpp
/// The journal: an append-only, ordered record of every input (applied, ignored,
/// refused, errored) and of everything the engine did by itself (timer fires, SLA
/// changes, notifications, spawns, finishes). The engine keeps it compactly in memory
/// and hands out self-contained `journal_entry`s (names, not ids) that can be written as
/// text, read back, replayed onto a snapshot and summarised into KPIs.
#pragma once

#include <careflow/runtime/types.hpp>

#include <iosfwd>
#include <span>
#include <string>
#include <vector>

namespace careflow {

/// What a journal entry records.
enum class record_kind : std::uint8_t {
    start,    ///< a case started (an input, unless spawned: then `other` is the parent)
    dispatch, ///< an event from the host (an input)
    fire,     ///< an event sent by a timer or an SLA clock (derived)
    assign,   ///< a person assigned to a duty by the host (an input)
    advance,  ///< the host advanced the clock (an input)
    sla,      ///< an SLA clock changed (derived): `event` is the clock, `detail` what happened
    notify,   ///< a notification effect (derived): `event` is the topic, `detail` the message
    spawn,    ///< a linked case was spawned (derived): `other` is the child
    finish,   ///< a case reached a final state (derived)
    erase,    ///< the host erased a finished case (an input)
    read,     ///< a person read a case (an input): `values` name each personal item, true if shown;
              ///< `event` is "export" for a journal export (`engine::journal_for`)
    consent   ///< a client's consent recorded (an input; `engine::record_consent`): `event` is the
              ///< topic, `client` the client, value `granted` given or withdrawn, `until` when it lapses
};

/// "start", "dispatch", ...
[[nodiscard]] std::string_view to_string(record_kind k) noexcept;

/// One journal entry, self-contained.
struct journal_entry {
    ticks time = 0;
    record_kind kind{};
    outcome result = outcome::applied;
    case_id id = 0;
    std::string procedure;          ///< "name@version"
    std::string event;              ///< event; SLA clock (sla); duty (assign); topic (notify); procedure (spawn)
    std::string actor;              ///< who acted; sla entries: the accountable person
    std::vector<std::string> roles; ///< the actor's roles for this input
    std::string from, to;           ///< state paths
    case_id other = 0;              ///< spawn: the child; start: the parent (0: none)
    std::string code;               ///< refusals and errors: the stable id
    std::string detail;             ///< refusal/error reason; sla: what happened; notify: message; assign: the person
    std::vector<std::pair<std::string, value>> values; ///< payload, initial variables, SLA figures
    /// dispatch/fire: `from == to`, yet the case left that state and entered it again (an
    /// external self-transition: a new visit)
    bool reentered = false;
    /// start: the client whose file the case joined ("" for none; a spawned case's is its
    /// parent's); consent and erase (event "client"): the client
    std::string client;

    /// Was this a host input (what replay feeds back)?
    [[nodiscard]] bool input() const noexcept {
        return kind == record_kind::dispatch || kind == record_kind::assign || kind == record_kind::advance ||
               kind == record_kind::erase || kind == record_kind::read || kind == record_kind::consent ||
               (kind == record_kind::start && other == 0);
    }
    /// A value by name, or an empty value.
    [[nodiscard]] value get(std::string_view name) const;
    friend bool operator==(const journal_entry&, const journal_entry&) = default;
};

/// Write entries as text: a header line (unless `header` is false: a chunk appended to a
/// file that has one), then one tab-separated line per entry (the format is documented
/// in docs/runtime.md and stable within a format version).
void write_journal(std::ostream& out, std::span<const journal_entry> entries, bool header = true);

/// Read entries written by `write_journal`, one chunk or several appended (a header line
/// may repeat between chunks). Throws `careflow::error` ("careflow.journal.bad_header",
/// "careflow.journal.bad_line") naming the line at fault.
[[nodiscard]] std::vector<journal_entry> read_journal(std::istream& in);

/// An instant as "2026-11-23T01:00:05.000000Z" (UTC, microseconds), and back.
[[nodiscard]] std::string format_time(ticks t);
[[nodiscard]] bool parse_time(std::string_view s, ticks& out) noexcept;

} // namespace careflow
