// What host guards read: variables, payload fields and consents by name, and cell-to-value conversion.
#include <careflow/error.hpp>
#include <careflow/program/context.hpp>

namespace careflow {

value cell_value(const cell& c, value_type t, std::span<const std::string> symbols) {
    switch (t) {
    case value_type::boolean: return value(c.i != 0);
    case value_type::integer: return value(c.i);
    case value_type::real: return value(c.r);
    case value_type::text: return value(c.s ? *c.s : std::string());
    case value_type::time: return value(to_time_point(c.i));
    case value_type::duration: return value(to_duration(c.i));
    case value_type::enumeration:
        if (c.i >= 0 && static_cast<std::size_t>(c.i) < symbols.size())
            return value(symbol{symbols[static_cast<std::size_t>(c.i)]});
        return value(symbol{"?"});
    }
    return {};
}

value guard_context::variable(std::string_view name) const {
    const auto i = program_->find_variable(name);
    if (!i)
        throw error("careflow.runtime.unknown_variable",
                    "no variable '" + std::string(name) + "' in " + program_->name());
    const auto& v = program_->variables()[*i];
    if (v.type == value_type::text) return value(ctx_->texts[v.text_slot]);
    return cell_value(ctx_->vars[*i], v.type, v.symbols);
}

value guard_context::field(std::string_view name) const {
    if (event_ != no_index) {
        const auto& fields = program_->events()[event_].payload;
        std::uint16_t text = 0;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (fields[i].name == name) {
                if (fields[i].type == value_type::text) return value(ctx_->field_texts[text]);
                return cell_value(ctx_->fields[i], fields[i].type, fields[i].symbols);
            }
            if (fields[i].type == value_type::text) ++text;
        }
    }
    throw error("careflow.runtime.unknown_field", "no payload field '" + std::string(name) + "' here");
}

bool guard_context::consent(std::string_view topic) const {
    const auto topics = program_->consent_topics();
    for (std::size_t i = 0; i < topics.size(); ++i)
        if (topics[i] == topic) return (ctx_->consents >> i & 1U) != 0;
    throw error("careflow.runtime.unknown_consent",
                "procedure '" + program_->name() + "' declares no consent topic '" + std::string(topic) + "'");
}

} // namespace careflow
