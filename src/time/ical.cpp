// iCalendar (RFC 5545) holiday lists read through libical: the all-day VEVENTs of a
// VCALENDAR become dated holidays or working days of a calendar.
#include "usual_hours.hpp"

#include <careflow/error.hpp>
#include <careflow/time/calendar_file.hpp>

#include <libical/ical.h>

#include <memory>

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

} // namespace

std::vector<ical_day> read_ical_days(std::string_view ics) {
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
