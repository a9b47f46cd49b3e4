// Internal: a read rule compiled against a program — its items as a mask of the program's
// personal items, its roles as the program's role mask, its duty, and the leaves its
// states cover. Shared by compile() (a procedure's own rules, validated before) and the
// engine (a host's rules, `engine::allow_read`, checked here).
#pragma once

#include <careflow/program/program.hpp>

namespace careflow::detail {

/// Compile `r` for `p`. Throws `careflow::error` (`careflow.model.bad_read_rule`,
/// `unknown_item`, `unknown_duty`, `unknown_state`) for a rule that names no item, no
/// reader, or what `p` does not have. Roles `p` does not know do not enter the mask: a
/// caller whose rule names such roles must check them by name.
[[nodiscard]] program_read_rule compile_read_rule(const program& p, const read_rule& r);

} // namespace careflow::detail
