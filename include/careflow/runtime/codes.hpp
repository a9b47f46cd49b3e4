/// \file careflow/runtime/codes.hpp
/// The stable ids of the run stage's refusals and errors, as constants a host compares
/// `result::code` with (`r.code == careflow::codes::role_missing`). Every id careflow
/// uses, of every stage, is listed with its meaning in docs/errors.md.
#pragma once

#include <string_view>

namespace careflow::codes {

// Refusals (outcome::refused): the input was valid but not allowed now.
inline constexpr std::string_view guard_false = "careflow.runtime.guard_false";   ///< a guard is false
inline constexpr std::string_view role_missing = "careflow.runtime.role_missing"; ///< the actor lacks every role
inline constexpr std::string_view not_assignee = "careflow.runtime.not_assignee"; ///< not the duty's assignee

// Errors (outcome::error): the input was invalid, or a step failed and was rolled back.
inline constexpr std::string_view unknown_case = "careflow.runtime.unknown_case";
inline constexpr std::string_view unknown_event = "careflow.runtime.unknown_event";
inline constexpr std::string_view bad_payload = "careflow.runtime.bad_payload";
inline constexpr std::string_view time_backwards = "careflow.runtime.time_backwards";
inline constexpr std::string_view bad_time = "careflow.runtime.bad_time"; ///< not a finite instant
inline constexpr std::string_view duplicate_case = "careflow.runtime.duplicate_case";
inline constexpr std::string_view unknown_program = "careflow.runtime.unknown_program";
inline constexpr std::string_view unknown_calendar = "careflow.runtime.unknown_calendar";
inline constexpr std::string_view unknown_duty = "careflow.runtime.unknown_duty";
inline constexpr std::string_view unknown_variable = "careflow.runtime.unknown_variable";
inline constexpr std::string_view unknown_actor = "careflow.runtime.unknown_actor";
inline constexpr std::string_view reserved_actor = "careflow.runtime.reserved_actor";   ///< an input named "system"
inline constexpr std::string_view reentrant_input = "careflow.runtime.reentrant_input"; ///< called from a callback
inline constexpr std::string_view not_finished = "careflow.runtime.not_finished";       ///< erase of a live case
inline constexpr std::string_view action_failed = "careflow.runtime.action_failed";
inline constexpr std::string_view unbound_action = "careflow.runtime.unbound_action";
inline constexpr std::string_view eventless_loop = "careflow.runtime.eventless_loop";
inline constexpr std::string_view spawn_failed = "careflow.runtime.spawn_failed";
/// A keyed input whose key is recorded for a different input (another operation, case,
/// name, value or actor): nothing changed, and the recorded input stands.
inline constexpr std::string_view key_reused = "careflow.runtime.key_reused";
/// A reader asked for a personal item no read rule lets them read (`engine::read`, `case_reading::get`).
inline constexpr std::string_view access_denied = "careflow.access.denied";
/// A client id that is too long or not printable text (`engine::start`).
inline constexpr std::string_view bad_client = "careflow.runtime.bad_client";
/// A consent topic no installed procedure declares (`engine::record_consent`).
inline constexpr std::string_view unknown_consent = "careflow.runtime.unknown_consent";
/// A consent's `until` not after its time, or given with a withdrawal (`engine::record_consent`).
inline constexpr std::string_view bad_consent = "careflow.runtime.bad_consent";

// A durable engine's input the store could not take (the engine is what the store holds).
inline constexpr std::string_view store_write_failed = "careflow.store.write_failed";

// Thrown as careflow::error by reads of a case (never by inputs).
inline constexpr std::string_view unknown_state = "careflow.runtime.unknown_state";
inline constexpr std::string_view unknown_sla = "careflow.runtime.unknown_sla";
inline constexpr std::string_view unknown_field = "careflow.runtime.unknown_field";
inline constexpr std::string_view wrong_type = "careflow.runtime.wrong_type"; ///< case_view::get<T> of another type

// Thrown by replay.
inline constexpr std::string_view replay_diverged = "careflow.replay.diverged";

} // namespace careflow::codes
