// What the CLI shows of personal data: a reader named with --as ACTOR_JSON sees what the
// read rules let them (each such read journaled by the engine); without one, every
// personal value is withheld. Shared by run, inspect and export.
#pragma once

#include "json_values.hpp"

#include <careflow/runtime/engine.hpp>
#include <careflow/store/key_ring.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace careflow {
class sqlite_store;
}

namespace careflow::cli {

/// The reader an --as option names: `{"id":"mgr-liu","roles":["manager"]}`; throws
/// usage_error for anything else.
[[nodiscard]] actor reader_arg(const std::string& text);

/// Every journal entry `s` holds (an archived part is not), read in pages.
[[nodiscard]] std::vector<journal_entry> store_journal(sqlite_store& s);

/// `entries` as `reader` may see them now (the export journaled), or with every personal
/// value withheld when there is no reader (or the engine has no clock yet: no case).
[[nodiscard]] std::vector<journal_entry> shown_journal(engine& e, std::span<const journal_entry> entries,
                                                       const std::optional<actor>& reader);

/// One journal entry as a JSON object (the shape of `careflow export --format jsonl`).
[[nodiscard]] json entry_json(const journal_entry& x);

/// The key ring a --keys file holds (client_commands.cpp): {"keys":[{"id":…,"key":"<64
/// hex digits>"}, …]}, the last current; nullptr for no file. Throws usage_error.
[[nodiscard]] std::shared_ptr<const key_ring> keys_arg(const std::string& file);

} // namespace careflow::cli
