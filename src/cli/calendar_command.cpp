// careflow calendar: when a limit falls, asked of a calendar file or a shipped schedule.
//
//   careflow calendar FILE.json|NAME is-open T            [--json]
//   careflow calendar FILE.json|NAME next-open T          [--json]
//   careflow calendar FILE.json|NAME add T DURATION       [--json]
//   careflow calendar FILE.json|NAME add-working-days T N [--json]
//   careflow calendar FILE.json|NAME between T1 T2        [--json]
//   careflow calendar FILE.json|NAME close-of-day T [N]   [--json]
//
// Instants are read as ISO 8601 with an offset (2025-03-10T09:00:00-04:00), or without one
// as the calendar's local wall time (2025-03-10T09:00, 2025-03-10 for its midnight), and
// written with the offset in force at that instant in the calendar's zone. Durations are
// ISO 8601 (PT1H30M). An instant the calendar never reaches is "never" (JSON null).
#include "commands.hpp"
#include "json_values.hpp"

#include <careflow/error.hpp>
#include <careflow/time/calendar_file.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <charconv>
#include <iostream>
#include <optional>

namespace careflow::cli {

namespace {

const char* calendar_usage =
    "usage: careflow calendar FILE.json|NAME QUERY ARGS... [--json]\n"
    "  is-open T              is the calendar open at T? (true or false)\n"
    "  next-open T            T when open, else the next opening\n"
    "  add T DURATION         the instant DURATION of open time after T (PT1H30M)\n"
    "  add-working-days T N   N working days after T, at the same business moment\n"
    "  between T1 T2          open time from T1 to T2 (negative when T2 is earlier)\n"
    "  close-of-day T [N]     the close of the N-th working day from T (N = 0: T's own, or the next)\n"
    "NAME is a shipped schedule (china-2025, china-2026, center) or a careflow.calendar/1 file.\n"
    "T is 2025-03-10T09:00:00-04:00, or a local wall time in the calendar: 2025-03-10T09:00[:00], "
    "2025-03-10.\n"
    "Instants are printed with the offset in force in the calendar's zone; 'never' when the\n"
    "calendar does not open again. --json prints one object with the query and its result.\n";

// ISO 8601 with an offset, or the calendar's local wall time (minutes, seconds or a date).
time_point instant_arg(const calendar& c, const std::string& text) {
    time_point t;
    if (parse_instant(text, t)) return t;
    // Local: YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS[.f]; read by appending
    // a zero offset, then placed on the calendar's wall clock.
    std::string probe = text;
    if (probe.size() == 10)
        probe += "T00:00:00";
    else if (probe.size() == 16)
        probe += ":00";
    if (probe.size() >= 19 && parse_instant(probe + "Z", t)) {
        const boost::gregorian::date day = t.date();
        return c.at(day, t.time_of_day());
    }
    throw usage_error("'" + text + "' is not an instant (like 2025-03-10T09:00:00-04:00 or 2025-03-10T09:00)");
}

duration duration_arg(const std::string& text) {
    duration d;
    if (!parse_duration(text, d) || d.is_negative())
        throw usage_error("'" + text + "' is not a non-negative ISO 8601 duration (like PT1H30M or P2D)");
    return d;
}

int count_arg(const std::string& text) {
    int n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 0 || n > 1'000'000)
        throw usage_error("'" + text + "' is not a count of working days (0 to 1000000)");
    return n;
}

// "2025-03-10T09:00:00-04:00": the local wall time and the offset in force at `t`.
std::string local_instant(const calendar& c, time_point t) {
    if (t.is_special()) return "never";
    const duration offset = c.utc_offset_at(t);
    return format_instant(t, offset);
}

} // namespace

int calendar_query(const std::vector<std::string>& args) {
    bool as_json = false;
    std::vector<std::string> words;
    for (const auto& a : args) {
        if (a == "--help") {
            std::cout << calendar_usage;
            return 0;
        }
        if (a == "--json")
            as_json = true;
        else if (a.rfind("--", 0) == 0)
            throw usage_error("calendar: unknown option '" + a + "' (try careflow calendar --help)");
        else
            words.push_back(a);
    }
    if (words.size() < 2) throw usage_error("usage: careflow calendar FILE.json|NAME QUERY ARGS... [--json]");
    const std::string& source = words[0];
    const std::string& query = words[1];
    const std::vector<std::string> rest(words.begin() + 2, words.end());
    auto arity = [&](std::size_t least, std::size_t most, const char* shape) {
        if (rest.size() < least || rest.size() > most)
            throw usage_error(std::string("usage: careflow calendar ") + source + " " + query + " " + shape);
    };
    static const char* const queries[] = {"is-open", "next-open", "add", "add-working-days", "between", "close-of-day"};
    if (std::find(std::begin(queries), std::end(queries), query) == std::end(queries))
        throw usage_error("calendar: unknown query '" + query + "' (try careflow calendar --help)");

    try {
        const calendar c = load_calendar(source);
        json out{{"calendar", source}, {"zone", c.zone().empty() ? json(nullptr) : json(c.zone())}, {"query", query}};
        std::string text;
        // The instant asked about (every query but between), and an instant as the answer.
        auto from = [&](const std::string& arg) {
            const time_point t = instant_arg(c, arg);
            out["at"] = local_instant(c, t);
            return t;
        };
        auto answer = [&](time_point r) {
            out["result"] = r.is_special() ? json(nullptr) : json(local_instant(c, r));
            text = local_instant(c, r);
        };
        if (query == "is-open") {
            arity(1, 1, "T");
            const bool open = c.is_open(from(rest[0]));
            out["result"] = open;
            text = open ? "true" : "false";
        } else if (query == "next-open") {
            arity(1, 1, "T");
            answer(c.next_open(from(rest[0])));
        } else if (query == "add") {
            arity(2, 2, "T DURATION");
            const time_point t = from(rest[0]);
            const duration d = duration_arg(rest[1]);
            out["duration"] = format_duration(d);
            answer(c.add(t, d));
        } else if (query == "add-working-days" || query == "close-of-day") {
            const bool close = query == "close-of-day";
            arity(close ? 1 : 2, 2, close ? "T [N]" : "T N");
            const time_point t = from(rest[0]);
            const int n = rest.size() == 2 ? count_arg(rest[1]) : 0;
            out["n"] = n;
            answer(close ? c.close_of_working_day(t, n) : c.add_working_days(t, n));
        } else { // between
            arity(2, 2, "T1 T2");
            const time_point a = instant_arg(c, rest[0]), b = instant_arg(c, rest[1]);
            out["from"] = local_instant(c, a);
            out["to"] = local_instant(c, b);
            text = format_duration(c.between(a, b));
            out["result"] = text;
        }
        std::cout << (as_json ? out.dump() : text) << "\n";
        return 0;
    } catch (const error& e) { // an unreadable file, an unknown name, an instant out of range
        throw usage_error(e.what());
    } catch (const std::out_of_range& e) { // an answer past the year 9999
        throw usage_error(std::string("calendar: the answer lies outside the years 1400-9999 (") + e.what() + ")");
    }
}

} // namespace careflow::cli
