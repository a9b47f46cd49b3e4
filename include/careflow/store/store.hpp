/// \file careflow/store/store.hpp
/// Durable engines: the interface between an engine and the database that keeps it
/// (SQLite, `careflow/store/sqlite.hpp`; PostgreSQL to follow behind the same interface).
///
/// An engine opened on a store (`engine::open`) hands it, at the end of every input and
/// before the call returns, one `store_write`: the journal lines the input made, the
/// state of every case it changed, and what the engine learned (new people, actor refs,
/// programs). The store makes each write durable all at once or not at all. The rows are
/// opaque to the store — the engine encodes them (binary case records, journal text) —
/// so a store is a small thing: tables of blobs, written in transactions.
#pragma once

#include <careflow/runtime/types.hpp>
#include <careflow/store/key_ring.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace careflow {

/// One case's state as the engine encodes it, in a store's `cases` rows. Personal values
/// are kept apart: `state` holds the case with its personal variables at their initial
/// values, `personal` those variables' values (the engine's encoding), which the store
/// keeps sealed under its owner's data key (docs/security.md) and may lose on erasure.
struct stored_case {
    case_id id = 0;
    std::uint64_t order = 0; ///< start order: recovery reads cases in it
    std::string state;       ///< the binary case record without personal values (docs/store.md)
    std::string personal;    ///< the personal variables' values when any is set, else ""
    std::string owner;       ///< whose personal data it is: the client id, or "" without one (writes only)
};

/// A journal line that carries personal values: the line at `position` has each replaced
/// by "[erased]"; the store keeps `values` — the whole line's values field, its 14th
/// tab-separated field — sealed beside it, and puts it back in place when it reads the line.
struct sealed_line {
    std::uint64_t position = 0;
    std::string owner;  ///< the client id, or "" without one
    std::string values; ///< the whole line's values field, personal values included
};

/// What one input changed, made durable in one transaction.
struct store_write {
    std::string header;                  ///< the engine's counters and clock; replaces the stored one
    std::vector<std::string> dictionary; ///< new entries of the append-only dictionary (programs, people, refs)
    std::vector<stored_case> cases;      ///< cases written or rewritten
    std::vector<case_id> erased;         ///< cases removed
    std::uint64_t journal_first = 0;     ///< the journal position of `journal[0]`
    std::vector<std::string> journal;    ///< journal lines (the text form of `write_journal`, one entry each)
    std::vector<recorded_input> keys;    ///< keyed inputs made by this write (`engine::with_key`)
    std::vector<sealed_line> personal;   ///< the personal part of journal lines, in position order
    std::vector<std::string> shred;      ///< owners whose personal data the store destroys (erasure)
};

/// Everything a store holds that recovery needs.
struct stored_engine {
    bool empty = true;                   ///< a new store: nothing written yet
    std::string header;                  ///< the last header written
    std::vector<std::string> dictionary; ///< the whole dictionary, in order
    std::vector<stored_case> cases;      ///< the live cases, in start order
    std::uint64_t journal_size = 0;      ///< journal lines held (positions 0 to journal_size - 1)
};

/// A durable home for an engine. Implementations throw `careflow::error` with a
/// `careflow.store.*` id; a `write` that throws has changed nothing in the store.
class store {
public:
    virtual ~store() = default;
    /// What the store holds now.
    virtual stored_engine load() = 0;
    /// Make `w` durable (or part of the open batch, depending on the store's mode).
    virtual void write(const store_write& w) = 0;
    /// Make every write so far durable (a no-op when each write already is).
    virtual void flush() = 0;
    /// Journal lines `from` to `from + count - 1` (fewer at the end of the journal), each
    /// whole where the store holds its personal values (opened with the store's keys: the
    /// sealed values field in place of the chained one), and as chained — personal values
    /// "[erased]" — where they were erased.
    virtual std::vector<std::string> journal(std::uint64_t from, std::uint64_t count) = 0;
    /// The keyed input recorded under `key`, written by this store's writes so far (an
    /// open batch included), or nothing.
    virtual std::optional<recorded_input> recorded(std::string_view key) = 0;
};

} // namespace careflow
