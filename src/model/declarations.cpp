// Rendering and construction of the model's plain declarations.
#include <careflow/model/declarations.hpp>

#include <boost/date_time/posix_time/posix_time.hpp>
#include <fmt/format.h>

namespace careflow {

std::string_view to_string(value_type t) noexcept {
    switch (t) {
    case value_type::boolean: return "boolean";
    case value_type::integer: return "integer";
    case value_type::real: return "real";
    case value_type::text: return "text";
    case value_type::time: return "time";
    case value_type::duration: return "duration";
    case value_type::enumeration: return "enumeration";
    }
    return "?";
}

std::string_view to_string(sensitivity s) noexcept {
    switch (s) {
    case sensitivity::none: return "none";
    case sensitivity::contact: return "contact";
    case sensitivity::clinical: return "clinical";
    }
    return "?";
}

bool consent_topic_ok(std::string_view topic) noexcept {
    if (topic.empty() || topic.size() > 64) return false;
    for (const char c : topic)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) return false;
    return true;
}

std::optional<value_type> value::type() const noexcept {
    switch (v_.index()) {
    case 1: return value_type::boolean;
    case 2: return value_type::integer;
    case 3: return value_type::real;
    case 4: return value_type::text;
    case 5: return value_type::time;
    case 6: return value_type::duration;
    case 7: return value_type::enumeration;
    default: return std::nullopt;
    }
}

namespace {
std::string render_duration(const duration& d) {
    if (d.is_special()) return boost::posix_time::to_simple_string(d);
    const auto us = d.total_microseconds();
    const bool neg = us < 0;
    const auto a = neg ? -us : us;
    const char* sign = neg ? "-" : "";
    if (a % ticks_per_day == 0 && a != 0) return fmt::format("{}{}d", sign, a / ticks_per_day);
    if (a % ticks_per_hour == 0 && a != 0) return fmt::format("{}{}h", sign, a / ticks_per_hour);
    if (a % ticks_per_minute == 0 && a != 0) return fmt::format("{}{}min", sign, a / ticks_per_minute);
    if (a % ticks_per_second == 0) return fmt::format("{}{}s", sign, a / ticks_per_second);
    if (a % 1000 == 0) return fmt::format("{}{}ms", sign, a / 1000);
    return fmt::format("{}{}us", sign, a);
}
} // namespace

std::string value::to_string() const {
    struct visitor {
        std::string operator()(std::monostate) const { return "(empty)"; }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::int64_t i) const { return std::to_string(i); }
        std::string operator()(double r) const { return fmt::format("{}", r); }
        std::string operator()(const std::string& s) const { return "\"" + s + "\""; }
        std::string operator()(const time_point& t) const { return boost::posix_time::to_simple_string(t); }
        std::string operator()(const duration& d) const { return render_duration(d); }
        std::string operator()(const symbol& s) const { return s.name; }
    };
    return std::visit(visitor{}, v_);
}

bool span::valid() const noexcept {
    switch (kind) {
    case span_kind::elapsed:
        return !elapsed.is_special() && elapsed > duration(0, 0, 0) &&
               elapsed <= boost::posix_time::hours(24 * span::max_days);
    case span_kind::working_days: return days >= 1 && days <= span::max_days;
    case span_kind::working_day_close: return days >= 0 && days <= span::max_days;
    }
    return false;
}

std::string span::to_string() const {
    switch (kind) {
    case span_kind::elapsed: return render_duration(elapsed);
    case span_kind::working_days: return fmt::format("{} working day{}", days, days == 1 ? "" : "s");
    case span_kind::working_day_close:
        return days == 0 ? std::string("the same working day") : fmt::format("close of working day +{}", days);
    }
    return "?";
}

action call(std::string name) { return action{action_kind::call, std::move(name), {}, {}, {}}; }
action set(std::string name, expr v) { return action{action_kind::set, std::move(name), std::move(v), {}, {}}; }
action assign(std::string duty, expr who) {
    return action{action_kind::assign, std::move(duty), std::move(who), {}, {}};
}
action unassign(std::string duty) { return action{action_kind::unassign, std::move(duty), {}, {}, {}}; }
action spawn(std::string procedure, std::vector<std::pair<std::string, expr>> bindings) {
    return action{action_kind::spawn, std::move(procedure), {}, {}, std::move(bindings)};
}
action notify(std::string topic, std::string message) {
    return action{action_kind::notify, std::move(topic), {}, std::move(message), {}};
}

std::string action::to_string() const {
    switch (kind) {
    case action_kind::call: return target + "()";
    case action_kind::set: return target + " := " + value.to_string();
    case action_kind::assign: return target + " <- " + value.to_string();
    case action_kind::unassign: return "unassign " + target;
    case action_kind::spawn: return "spawn " + target;
    case action_kind::notify: return "notify " + target;
    }
    return "?";
}

std::string guard::to_string() const {
    if (!condition.empty()) return condition.to_string();
    if (predicate) return label.empty() ? std::string("host guard") : label;
    return {};
}

} // namespace careflow
