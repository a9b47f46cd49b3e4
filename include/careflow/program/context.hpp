/// \file careflow/program/context.hpp
/// What a host guard can read: the case's variables, the event's payload, the time and
/// the actor, by name. (Expression guards are faster: they read by pre-resolved index.)
#pragma once

#include <careflow/program/program.hpp>

#include <string_view>

namespace careflow {

/// The value of a non-text cell of type `t` (`symbols` names enumeration values).
[[nodiscard]] value cell_value(const cell& c, value_type t, std::span<const std::string> symbols);

/// Read-only view handed to a host guard.
class guard_context {
public:
    guard_context(const program& p, event_index event, const eval_context& ctx) noexcept
        : program_(&p), event_(event), ctx_(&ctx) {}

    /// A case variable; throws `careflow::error` ("careflow.runtime.unknown_variable") if undeclared.
    [[nodiscard]] value variable(std::string_view name) const;
    /// A payload field of the current event; throws ("careflow.runtime.unknown_field") if it has none such.
    [[nodiscard]] value field(std::string_view name) const;
    [[nodiscard]] time_point now() const { return to_time_point(ctx_->now); }
    [[nodiscard]] std::string_view actor_id() const {
        return ctx_->actor ? std::string_view(*ctx_->actor) : std::string_view();
    }
    /// Whether the case's client has given consent on `topic` and it holds now (as the
    /// expression `consent("topic")`); throws ("careflow.runtime.unknown_consent") when the
    /// procedure does not declare the topic.
    [[nodiscard]] bool consent(std::string_view topic) const;
    [[nodiscard]] const program& prog() const noexcept { return *program_; }
    [[nodiscard]] const eval_context& raw() const noexcept { return *ctx_; }

private:
    const program* program_;
    event_index event_;
    const eval_context* ctx_;
};

} // namespace careflow
