// The run stage's reason codes as their stable ids, and the names of its enums.
#include "engine_impl.hpp"

namespace careflow {

std::string_view to_string(outcome o) noexcept {
    switch (o) {
    case outcome::applied: return "applied";
    case outcome::ignored: return "ignored";
    case outcome::refused: return "refused";
    case outcome::error: return "error";
    }
    return "?";
}

std::string_view to_string(sla_status s) noexcept {
    switch (s) {
    case sla_status::inactive: return "inactive";
    case sla_status::running: return "running";
    case sla_status::paused: return "paused";
    case sla_status::met: return "met";
    case sla_status::breached: return "breached";
    case sla_status::cancelled: return "cancelled";
    }
    return "?";
}

std::string_view to_string(sla_event e) noexcept {
    switch (e) {
    case sla_event::started: return "started";
    case sla_event::paused: return "paused";
    case sla_event::resumed: return "resumed";
    case sla_event::warning: return "warning";
    case sla_event::breached: return "breached";
    case sla_event::met: return "met";
    case sla_event::stopped_late: return "stopped_late";
    case sla_event::cancelled: return "cancelled";
    }
    return "?";
}

namespace detail {

std::string_view code_of(reason r) noexcept {
    switch (r) {
    case reason::none: return {};
    case reason::guard_false: return codes::guard_false;
    case reason::role_missing: return codes::role_missing;
    case reason::not_assignee: return codes::not_assignee;
    case reason::unknown_case: return codes::unknown_case;
    case reason::unknown_event: return codes::unknown_event;
    case reason::bad_payload: return codes::bad_payload;
    case reason::time_backwards: return codes::time_backwards;
    case reason::duplicate_case: return codes::duplicate_case;
    case reason::unknown_program: return codes::unknown_program;
    case reason::unknown_calendar: return codes::unknown_calendar;
    case reason::action_failed: return codes::action_failed;
    case reason::unbound_action: return codes::unbound_action;
    case reason::eventless_loop: return codes::eventless_loop;
    case reason::spawn_failed: return codes::spawn_failed;
    case reason::unknown_duty: return codes::unknown_duty;
    case reason::unknown_variable: return codes::unknown_variable;
    case reason::unknown_actor: return codes::unknown_actor;
    case reason::access_denied: return codes::access_denied;
    case reason::bad_client: return codes::bad_client;
    case reason::unknown_consent: return codes::unknown_consent;
    case reason::bad_consent: return codes::bad_consent;
    case reason::reserved_actor: return codes::reserved_actor;
    case reason::reentrant_input: return codes::reentrant_input;
    case reason::bad_time: return codes::bad_time;
    case reason::not_finished: return codes::not_finished;
    }
    return "?";
}

result failed(reason code, std::string detail, outcome kind) {
    result r;
    r.kind = kind;
    r.code = code_of(code);
    r.reason = std::move(detail);
    return r;
}

} // namespace detail
} // namespace careflow
