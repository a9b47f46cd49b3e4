// Fuzz target: JSON procedure definitions (careflow/model/definition.hpp). check_definition
// never throws and places every problem; a definition without errors loads, compiles (or
// is refused by compile with a careflow::error for a limit), and its own definition text
// loads back to the same text.
#include "fuzz_setup.hpp"

#include <careflow/model/definition.hpp>

#include <string_view>

using namespace careflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<definition_problem> problems;
    try {
        problems = check_definition(text);
    } catch (...) {
        fuzz::broken("check_definition threw");
    }
    bool errors = false;
    for (const auto& p : problems) {
        fuzz::require(!p.what.id.empty(), "a problem without an id");
        if (p.line != 0) fuzz::require(p.column >= 1, "a line without a column");
        errors |= p.what.level == severity::error;
    }
    procedure proc;
    try {
        proc = load_definition(text);
    } catch (const definition_error& e) {
        fuzz::require(errors, "load_definition refused what check_definition passed");
        fuzz::require(e.problems().size() == problems.size(), "load and check disagree on the problems");
        return 0;
    }
    fuzz::require(!errors, "load_definition took a definition with errors");
    const std::string once = to_definition(proc);
    try {
        fuzz::require(to_definition(load_definition(once)) == once, "definition -> load -> definition differs");
    } catch (const careflow::error&) {
        fuzz::broken("a procedure's own definition is refused");
    }
    try {
        (void)compile(proc);
    } catch (const careflow::error&) {
        // a program limit (too many roles, consents, a too-deep expression)
    }
    return 0;
}
