// Definition problems: their text form, the exception that carries them, and where in the
// file a validation diagnostic belongs.
#include "definition_places.hpp"
#include <careflow/model/definition.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace careflow {

std::string definition_problem::to_string() const {
    std::string s;
    if (line != 0) s = fmt::format("{}:{}: ", line, column);
    s += what.level == severity::error ? "error" : "warning";
    s += " [" + what.id + "] ";
    s += pointer.empty() ? what.subject : pointer;
    s += ": " + what.message;
    return s;
}

namespace {
std::string first_message(const std::vector<definition_problem>& ps) {
    for (const auto& p : ps)
        if (p.what.level == severity::error) {
            std::string m = p.to_string();
            const std::size_t n = std::count_if(
                ps.begin(), ps.end(), [](const definition_problem& x) { return x.what.level == severity::error; });
            if (n > 1) m += fmt::format(" (and {} more)", n - 1);
            return m;
        }
    return "no errors";
}
std::string first_id(const std::vector<definition_problem>& ps) {
    for (const auto& p : ps)
        if (p.what.level == severity::error) return p.what.id;
    return "careflow.definition.format";
}
} // namespace

definition_error::definition_error(std::vector<definition_problem> problems)
    : error(first_id(problems), first_message(problems)), problems_(std::move(problems)) {}

namespace detail {
namespace {

std::vector<std::string> quoted(const std::string& s) {
    std::vector<std::string> out;
    for (std::size_t i = s.find('\''); i != std::string::npos; i = s.find('\'', i)) {
        const std::size_t j = s.find('\'', i + 1);
        if (j == std::string::npos) break;
        out.push_back(s.substr(i + 1, j - i - 1));
        i = j + 1;
    }
    return out;
}
std::string index_in(const std::vector<std::string>& v, const std::string& name, const char* section) {
    const auto it = std::find(v.begin(), v.end(), name);
    return it == v.end() ? std::string() : fmt::format("/{}/{}", section, it - v.begin());
}
} // namespace

std::string definition_pointer(const definition_names& names_, const std::string& subject) {
    const auto names = quoted(subject);
    const std::string first = names.empty() ? std::string() : names[0];
    auto starts = [&](std::string_view p) { return subject.rfind(p, 0) == 0; };
    if (starts("state '")) {
        std::string p = index_in(names_.states, first, "states");
        if (!p.empty() && subject.size() > 6 && subject.ends_with(" entry")) p += "/on_entry";
        if (!p.empty() && subject.ends_with(" exit")) p += "/on_exit";
        return p;
    }
    if (starts("transition '") && names.size() >= 2) {
        const std::size_t dash = subject.find(" -", 11);
        const std::size_t arrow = subject.find("-> ", dash);
        std::string event = dash == std::string::npos || arrow == std::string::npos
                                ? std::string()
                                : subject.substr(dash + 2, arrow - dash - 2);
        if (event == "(eventless)") event.clear();
        for (std::size_t i = 0; i < names_.transitions.size(); ++i) {
            const auto& t = names_.transitions[i];
            if (t.source == names[0] && t.event == event && (t.target.empty() ? t.source : t.target) == names[1])
                return fmt::format("/transitions/{}", i);
        }
        return {};
    }
    if (starts("variable '")) return index_in(names_.variables, first, "variables");
    if (starts("event '")) return index_in(names_.events, first, "events");
    if (starts("timer '")) return index_in(names_.timers, first, "timers");
    if (starts("sla '")) return index_in(names_.slas, first, "slas");
    if (starts("consent topic '")) return index_in(names_.consents, first, "consents");
    if (starts("read rule ")) {
        const int n = std::atoi(subject.c_str() + 10);
        return n >= 1 ? fmt::format("/read_rules/{}", n - 1) : std::string();
    }
    return {};
}

} // namespace detail
} // namespace careflow
