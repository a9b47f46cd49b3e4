// Internal: the one codec between values and a case's storage — cells for every type
// but text, a text table for text — used by the engine, the journal, snapshots and the
// compiler alike.
#pragma once

#include <careflow/program/program.hpp>

#include <span>
#include <string>
#include <vector>

namespace careflow::detail {

/// Convert a value to the cell of a slot of type `t` (symbols resolved against
/// `symbols`; integers widen to reals). False when it does not fit; text never fits a cell.
bool to_cell(const value& v, value_type t, const std::vector<std::string>& symbols, cell& out);

/// Write `v` into a slot of type `t`: text into `*text` (which must be given for a text
/// slot), anything else into `c`. False when it does not fit.
bool write_slot(const value& v, value_type t, const std::vector<std::string>& symbols, cell& c, std::string* text);

/// Variable `i` of a case whose cells are `vars` and text table `texts`.
value read_variable(const program_variable& v, std::span<const cell> vars, std::span<const std::string> texts,
                    std::size_t i);

/// Payload field `i` of an event whose fields are `fields` and text fields `texts`
/// (text fields are numbered among themselves, in declared order).
value read_field(std::span<const field_decl> decl, std::size_t i, std::span<const cell> fields,
                 std::span<const std::string> texts);

/// The position of text field `i` among the event's text fields.
std::size_t text_slot_of(std::span<const field_decl> decl, std::size_t i);

} // namespace careflow::detail
