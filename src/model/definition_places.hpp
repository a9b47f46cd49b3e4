// Internal: where in a definition file a validation diagnostic belongs. The loader notes
// the names it declared, in file order; a diagnostic's subject ("state 'x'", "transition
// 'a' -e-> 'b'", "timer 'n'", "read rule 2 …") is matched back to a JSON pointer.
#pragma once

#include <string>
#include <vector>

namespace careflow::detail {

struct definition_names {
    struct transition {
        std::string source, event, target;
    };
    std::vector<std::string> states, variables, events, timers, slas, consents;
    std::vector<transition> transitions;
};

/// The JSON pointer of the element a diagnostic's subject names ("" when none matches:
/// the document as a whole).
[[nodiscard]] std::string definition_pointer(const definition_names& names, const std::string& subject);

} // namespace careflow::detail
