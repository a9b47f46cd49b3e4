/// \file careflow/model/definition.hpp
/// Procedures as files: a JSON definition (format "careflow.procedure/1", schema in
/// docs/definition.schema.json, described in docs/definitions.md) expresses everything
/// `procedure_builder` can — states and hierarchy, events with typed payloads, variables,
/// duties, roles, transitions with guards and actions, timers, SLA clocks with calendars
/// and thresholds, spawns, notifications, personal data, read rules, consent topics,
/// descriptions. Guards, values and deadlines are rule texts (careflow/model/rule_text.hpp).
///
///     procedure p = load_definition_file("procedures/hotline_call.json");
///     std::string json = to_definition(p); // load_definition(json) builds the same procedure
///
/// Host guards and host actions stay C++ callables, bound by name.
#pragma once

#include <careflow/error.hpp>
#include <careflow/model/procedure.hpp>
#include <careflow/model/validate.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace careflow {

/// The C++ callables a definition names. A transition's `{"host": "label"}` guard is
/// looked up in `guards`; a `{"call": "name"}` action's default implementation in
/// `actions` (an action left unbound here may still be bound by the engine).
struct definition_bindings {
    std::map<std::string, host_guard, std::less<>> guards{};
    std::map<std::string, host_action, std::less<>> actions{};
};

/// One problem of a definition, with where it is: the JSON pointer of the element at
/// fault ("/transitions/3/when") and its line and column in the text (1-based; 0 when the
/// problem is the whole file).
struct definition_problem {
    diagnostic what;     ///< level, id, subject, message (validation's, or the loader's own)
    std::string pointer; ///< RFC 6901 JSON pointer; "" for the document
    std::size_t line = 0, column = 0;
    /// "3:18: error [careflow.definition.bad_value] /states/2/timers/0/every: message"
    [[nodiscard]] std::string to_string() const;
};

/// A definition that does not load. `id()` is the first error's; `problems()` lists every
/// error and warning found. The loader's own ids:
/// - "careflow.definition.syntax": not JSON (the position is the parser's);
/// - "careflow.definition.format": not a careflow procedure definition, or a version of
///   the format this library does not read;
/// - "careflow.definition.bad_value": a member of the wrong JSON type, an unknown member,
///   a missing required member, a value out of its range;
/// - "careflow.definition.unbound_guard": a host guard no binding supplies;
/// - a rule text's own ids ("careflow.rules.syntax", …) at the rule's position;
/// - and every `careflow.model.*` id `validate` gives, at the element it names.
class definition_error : public error {
public:
    explicit definition_error(std::vector<definition_problem> problems);
    [[nodiscard]] const std::vector<definition_problem>& problems() const noexcept { return problems_; }

private:
    std::vector<definition_problem> problems_;
};

/// Every problem of a definition text — not JSON, not the format, bad rules, validation's
/// errors and warnings — each with its position. Empty: it loads and validates clean.
[[nodiscard]] std::vector<definition_problem> check_definition(std::string_view text,
                                                               const definition_bindings& bindings = {});

/// Build the procedure a definition text describes; throws `definition_error` when it has
/// any error (warnings do not stop it, as with `procedure_builder::build`).
[[nodiscard]] procedure load_definition(std::string_view text, const definition_bindings& bindings = {});

/// `load_definition` of a file's contents; throws `careflow::error`
/// ("careflow.definition.unreadable") when the file cannot be read.
[[nodiscard]] procedure load_definition_file(const std::filesystem::path& path,
                                             const definition_bindings& bindings = {});

/// The definition of a procedure as JSON text (two-space indented, members in the order
/// docs/definitions.md gives, defaults left out): `load_definition(to_definition(p))`
/// builds a procedure that compiles to the same program. Host guards are written by
/// label (with the variables they declare they read); their callables are not.
[[nodiscard]] std::string to_definition(const procedure& p);

} // namespace careflow
