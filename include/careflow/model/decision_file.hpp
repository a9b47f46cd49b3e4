/// \file careflow/model/decision_file.hpp
/// Decision tables as files: careflow's JSON ("careflow.decision/1") and DMN 1.x XML
/// (the `decisionTable` of a `decision`: inputs, outputs, rules, hit policy and
/// aggregation; the unary tests of careflow/model/decision.hpp; other FEEL is refused
/// with an error naming the construct). See docs/rules.md.
#pragma once

#include <careflow/model/decision.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace careflow {

/// The decisions of a DMN document. Decisions whose logic is not a decision table (a
/// literal expression, a context, …) are listed in `unsupported` with what they use;
/// asking `find` for one throws.
struct decision_model {
    std::vector<decision_table_decl> tables{};
    std::vector<std::pair<std::string, std::string>> unsupported{}; ///< decision name → the construct
    /// The table of the decision named `name` (its name, or its DMN id); throws
    /// `careflow::error` ("careflow.decision.unknown" / "careflow.dmn.unsupported").
    [[nodiscard]] const decision_table_decl& find(std::string_view name) const;
};

/// Read a DMN 1.x document (DMN 1.1 to 1.4 namespaces), namespace-aware (expat). Throws
/// `careflow::error`: "careflow.dmn.syntax" (not well-formed XML, with line:column),
/// "careflow.dmn.not_dmn" (not a DMN `definitions` element), "careflow.dmn.unsupported"
/// (an element of a decision table careflow does not run, named with its line), or the
/// table's own "careflow.decision.bad_table" when it compiles.
[[nodiscard]] decision_model read_dmn(std::string_view xml);

/// Read a table in careflow's JSON format; throws `careflow::error`
/// ("careflow.decision.bad_table", naming the JSON pointer at fault).
[[nodiscard]] decision_table_decl read_decision_json(std::string_view text);

/// A table in careflow's JSON format (`read_decision_json` reads it back).
[[nodiscard]] std::string to_decision_json(const decision_table_decl& d);

/// The table `name` of the file at `path`: DMN when it ends in ".dmn" or ".xml" (`name`
/// picks the decision; empty: the only one), careflow JSON otherwise (`name`, when given,
/// must be the table's). Throws `careflow::error` ("careflow.decision.unreadable" when
/// the file cannot be read).
[[nodiscard]] decision_table_decl load_decision(const std::filesystem::path& path, std::string_view name = {});

} // namespace careflow
