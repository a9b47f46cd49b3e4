// One line of `careflow run`'s inputs: read as JSON (nlohmann/json), checked, applied to
// an engine with its key, and answered with the line to print (docs/store.md, "The
// command line"). Shared by the command and the fuzz target of its input format.
#pragma once

#include <careflow/runtime/engine.hpp>

#include <string>
#include <string_view>

namespace careflow::cli {

/// What became of one line.
struct line_outcome {
    enum class kind : std::uint8_t {
        blank,   ///< nothing but white space: skipped
        printed, ///< `line` is the JSON line to print (an input's result, or an error line for a key)
        stop     ///< not an input, and no key to answer for: `why` says what is wrong
    } what = kind::blank;
    std::string line;          ///< printed: one JSON object and a newline
    std::string why;           ///< stop: the problem; write_failed: the store's reason
    bool write_failed = false; ///< printed: the store refused the input (the engine is what it holds)
};

/// Read `text` as one input and apply it to `e` (keyed when it has a key). Never throws
/// for bad input; throws what the engine's store throws.
[[nodiscard]] line_outcome apply_line(engine& e, std::string_view text);

} // namespace careflow::cli
