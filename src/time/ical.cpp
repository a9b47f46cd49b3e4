// iCalendar (RFC 5545) holiday lists read through libical: the all-day VEVENTs of a
// VCALENDAR become dated holidays or working days of a calendar.
#include "usual_hours.hpp"

#include <careflow/error.hpp>
#include <careflow/time/calendar_file.hpp>

#include <libical/ical.h>

#include <cctype>
#include <memory>
#include <string>
#include <vector>

namespace careflow {
using boost::gregorian::date;
namespace {

struct component_deleter {
    void operator()(icalcomponent* c) const noexcept { icalcomponent_free(c); }
};

[[noreturn]] void bad(const std::string& what) { throw error("careflow.calendar.bad_file", "iCalendar: " + what); }

date date_of(const icaltimetype& t, const std::string& summary) {
    if (!t.is_date) bad("event \"" + summary + "\" has a time of day; only all-day events (VALUE=DATE) are read");
    try {
        return date(static_cast<unsigned short>(t.year), static_cast<unsigned short>(t.month),
                    static_cast<unsigned short>(t.day));
    } catch (const std::exception&) {
        bad("event \"" + summary + "\" has an invalid date");
    }
}

// The content lines' shape, checked before libical sees the text (RFC 5545 3.1): lines end
// in CRLF or LF, a line starting with a space or tab continues the one before, every
// content line is `name[;parameters]:value` with a name of letters, digits and dashes, no
// control characters but HTAB, and BEGIN/END nest. libical reads worse texts leniently and
// writes "Encountered END before BEGIN" to standard error on some; a library writes nothing
// there, so they are refused here with the reason.
void check_content_lines(std::string_view text) {
    for (const char ch : text)
        if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\r' && ch != '\n') || ch == 0x7f)
            bad("a control character in the text");
    std::vector<std::string> lines; // unfolded
    for (std::size_t at = 0; at < text.size();) {
        std::size_t nl = text.find('\n', at);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view raw = text.substr(at, nl - at);
        at = nl + 1;
        if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
        if (raw.find('\r') != std::string_view::npos) bad("a carriage return that does not end a line");
        if (!raw.empty() && (raw[0] == ' ' || raw[0] == '\t')) {
            if (lines.empty()) bad("the text begins with a continuation line");
            lines.back().append(raw.substr(1));
        } else if (!raw.empty()) {
            lines.emplace_back(raw);
        }
    }
    long depth = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        const std::size_t end = line.find_first_of(";:");
        if (end == std::string::npos || end == 0 || line.find(':') == std::string::npos)
            bad("content line " + std::to_string(i + 1) + " is not name:value");
        std::string name;
        for (std::size_t k = 0; k < end; ++k) {
            const auto c = static_cast<unsigned char>(line[k]);
            if (!std::isalnum(c) && c != '-') bad("content line " + std::to_string(i + 1) + " has a malformed name");
            name.push_back(static_cast<char>(std::toupper(c)));
        }
        if (name == "BEGIN")
            ++depth;
        else if (name == "END" && depth-- == 0)
            bad("END before BEGIN");
    }
}

} // namespace

std::vector<ical_day> read_ical_days(std::string_view ics) {
    check_content_lines(ics);
    const std::string text(ics);
    std::unique_ptr<icalcomponent, component_deleter> root(icalparser_parse_string(text.c_str()));
    if (!root) bad("not an iCalendar text");
    icalcomponent* cal = root.get();
    if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        cal = icalcomponent_get_first_component(root.get(), ICAL_VCALENDAR_COMPONENT);
        if (!cal) bad("no VCALENDAR");
    }
    std::vector<ical_day> out;
    for (icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        if (icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY))
            bad("a malformed event: " +
                std::string(icalproperty_get_xlicerror(icalcomponent_get_first_property(ev, ICAL_XLICERROR_PROPERTY))));
        const char* s = icalcomponent_get_summary(ev);
        const std::string summary = s ? s : "";
        if (!icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY))
            bad("event \"" + summary + "\" has no DTSTART");
        if (icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY))
            bad("event \"" + summary + "\" repeats (RRULE); list each holiday as its own event");
        const date from = date_of(icalcomponent_get_dtstart(ev), summary);
        date to = from + boost::gregorian::days(1); // exclusive
        if (icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY))
            to = date_of(icalcomponent_get_dtend(ev), summary);
        if (to <= from) bad("event \"" + summary + "\" ends before it begins");
        if ((to - from).days() > 366) bad("event \"" + summary + "\" is longer than a year");
        for (date d = from; d < to; d += boost::gregorian::days(1)) out.push_back({d, summary});
    }
    return out;
}

calendar& import_ical(calendar& c, std::string_view ics, ical_as as) {
    const auto days = read_ical_days(ics); // all read before any is applied
    const std::vector<opening> hours = as == ical_as::working_days ? detail::usual_hours(c) : std::vector<opening>{};
    std::vector<std::pair<date, std::vector<opening>>> set;
    set.reserve(days.size());
    for (const auto& d : days) set.emplace_back(d.day, hours);
    return c.set_days(std::move(set));
}

} // namespace careflow
