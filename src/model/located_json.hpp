// Internal: JSON parsed with nlohmann's SAX parser into a document plus the position of
// every value and member key, by JSON pointer — so that a definition's problems can say
// "line 12, column 18" (nlohmann 3.11's DOM keeps no positions).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace careflow::detail {

/// A line and a column, both from 1; the column counts characters (a UTF-8 sequence once).
struct text_position {
    std::size_t line = 0, column = 0;
};

/// The position of byte `offset` of `text`.
[[nodiscard]] text_position position_of(std::string_view text, std::size_t offset) noexcept;

struct located_json {
    nlohmann::json doc;
    /// JSON pointer → byte offset of the value's first character.
    std::unordered_map<std::string, std::size_t> values;
    /// JSON pointer of an object member → byte offset of its key's opening quote.
    std::unordered_map<std::string, std::size_t> keys;
    /// Members given twice in one object (the later value is kept), by pointer.
    std::vector<std::string> duplicate_keys;
};

/// Why a text is not JSON: nlohmann's message and the byte where it stopped.
struct json_syntax_problem {
    std::string message;
    std::size_t offset = 0;
};

/// Parse `text` (strict JSON, UTF-8). Returns the problem when it is not JSON.
[[nodiscard]] std::optional<json_syntax_problem> parse_located(std::string_view text, located_json& out);

/// "/a/b~1c/0": `segment` escaped per RFC 6901 and appended to `pointer`.
[[nodiscard]] std::string pointer_append(const std::string& pointer, std::string_view segment);

} // namespace careflow::detail
