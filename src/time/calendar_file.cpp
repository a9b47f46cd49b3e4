// Calendar files: the JSON format read and written through nlohmann/json (strict: unknown
// members and conflicting dates are errors naming their path), and the shipped schedules.
#include "shipped_calendars.hpp"
#include "usual_hours.hpp"

#include <careflow/error.hpp>
#include <careflow/time/calendar_file.hpp>

#include <nlohmann/json.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

namespace careflow {
using boost::gregorian::date;
namespace {

using json = nlohmann::json;
constexpr std::string_view format_id = "careflow.calendar/1";
constexpr std::array<const char*, 7> day_keys{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw error("careflow.calendar.bad_file", where.empty() ? what : where + ": " + what);
}

const json& member(const json& j, const char* key, const std::string& where) {
    if (!j.contains(key)) fail(where, std::string("missing \"") + key + "\"");
    return j.at(key);
}

std::string text_of(const json& j, const std::string& where) {
    if (!j.is_string()) fail(where, "expected a string");
    return j.get<std::string>();
}

void only(const json& j, std::initializer_list<const char*> keys, const std::string& where) {
    if (!j.is_object()) fail(where, "expected an object");
    for (const auto& item : j.items()) {
        const std::string& k = item.key();
        if (std::none_of(keys.begin(), keys.end(), [&](const char* x) { return k == x; }))
            fail(where, "unknown member \"" + k + "\"");
    }
}

date date_of(const json& j, const std::string& where) {
    const std::string s = text_of(j, where);
    try {
        if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
            date d = boost::gregorian::from_simple_string(s);
            if (!d.is_special()) return d;
        }
    } catch (const std::exception&) {
    }
    fail(where, "\"" + s + "\" is not a date YYYY-MM-DD");
}

duration clock_of(const std::string& s, const std::string& where) {
    // "HH:MM" or "HH:MM:SS", 00:00 to 24:00.
    auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; };
    const bool shape = (s.size() == 5 || (s.size() == 8 && s[5] == ':' && digit(6) && digit(7))) && s[2] == ':' &&
                       digit(0) && digit(1) && digit(3) && digit(4);
    if (shape) {
        const int h = std::stoi(s.substr(0, 2)), m = std::stoi(s.substr(3, 2)),
                  sec = s.size() == 8 ? std::stoi(s.substr(6)) : 0;
        if (m < 60 && sec < 60 && (h < 24 || (h == 24 && m == 0 && sec == 0))) return duration(h, m, sec);
    }
    fail(where, "\"" + s + "\" is not a time of day HH:MM");
}

std::vector<opening> hours_of(const json& j, const std::string& where) {
    if (!j.is_array()) fail(where, "expected a list of [\"HH:MM\", \"HH:MM\"] pairs");
    std::vector<opening> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string at = where + "[" + std::to_string(i) + "]";
        if (!j[i].is_array() || j[i].size() != 2) fail(at, "expected [\"HH:MM\", \"HH:MM\"]");
        out.push_back(
            {clock_of(text_of(j[i][0], at + "[0]"), at + "[0]"), clock_of(text_of(j[i][1], at + "[1]"), at + "[1]")});
    }
    return out;
}

std::string clock_text(duration d) {
    char buf[16];
    const auto s = d.total_seconds();
    if (s % 60 == 0)
        std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60));
    else
        std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                      static_cast<int>(s % 60));
    return buf;
}

json hours_json(const std::vector<opening>& hours) {
    json out = json::array();
    for (const auto& o : hours) out.push_back({clock_text(o.begin), clock_text(o.end)});
    return out;
}

duration offset_of(const std::string& s, const std::string& where) {
    // "+08:00" / "-05:00" / "Z"
    if (s == "Z" || s == "+00:00" || s == "-00:00") return duration(0, 0, 0);
    if (s.size() == 6 && (s[0] == '+' || s[0] == '-')) {
        const duration d = clock_of(s.substr(1), where);
        if (d <= duration(18, 0, 0)) return s[0] == '-' ? -d : d;
    }
    fail(where, "\"" + s + "\" is not a UTC offset like +08:00");
}

std::string offset_text(duration d) { return (d.is_negative() ? "-" : "+") + clock_text(d.is_negative() ? -d : d); }

// Where a JSON syntax error is, as line and column of the text.
std::string position(std::string_view text, std::size_t byte) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < std::min(byte, text.size()); ++i) {
        if (text[i] == '\n')
            ++line, column = 1;
        else
            ++column;
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw error("careflow.calendar.bad_file", "cannot read calendar file " + file.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

std::vector<opening> detail::usual_hours(const calendar& c) {
    for (unsigned short d = 1; d <= 5; ++d) {
        auto h = c.weekly_hours(boost::gregorian::greg_weekday(d));
        if (!h.empty()) return h;
    }
    return {{duration(0, 0, 0), duration(24, 0, 0)}};
}

calendar_document parse_calendar(std::string_view text, const std::filesystem::path& base) {
    json j;
    try {
        j = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        fail(position(text, e.byte == 0 ? 0 : e.byte - 1), "not JSON");
    } catch (const json::exception& e) { // a number too large for a double: out_of_range 406
        fail(std::string(), std::string("not JSON: ") + e.what());
    }
    only(j,
         {"format", "name", "description", "source", "zone", "utc_offset", "weekly", "make_up_hours", "holidays",
          "working_days", "exceptions", "include"},
         "");
    if (text_of(member(j, "format", ""), "format") != format_id)
        fail("format", std::string("expected \"") + std::string(format_id) + "\"");
    calendar_document doc;
    if (j.contains("name")) doc.name = text_of(j["name"], "name");
    if (j.contains("description")) doc.description = text_of(j["description"], "description");
    if (j.contains("source")) doc.source = text_of(j["source"], "source");
    if (j.contains("zone") && j.contains("utc_offset")) fail("utc_offset", "give \"zone\" or \"utc_offset\", not both");
    const bool weekly = j.contains("weekly");
    calendar c;
    try {
        if (j.contains("zone")) {
            const std::string z = text_of(j["zone"], "zone");
            c = weekly ? calendar::business(z) : calendar::always_open(z);
        } else {
            const duration off = j.contains("utc_offset")
                                     ? offset_of(text_of(j["utc_offset"], "utc_offset"), "utc_offset")
                                     : duration(0, 0, 0);
            c = weekly ? calendar::business(off) : calendar::always_open(off);
        }
    } catch (const error& e) {
        if (e.id() == "careflow.calendar.unknown_zone") fail("zone", e.what());
        throw;
    }
    auto guarded = [](const std::string& where, auto&& f) {
        try {
            f();
        } catch (const error& e) {
            if (e.id() == "careflow.calendar.bad_file") throw;
            fail(where, e.what());
        }
    };
    if (weekly) {
        only(j["weekly"], {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}, "weekly");
        for (unsigned short d = 0; d < 7; ++d) {
            const std::string where = std::string("weekly.") + day_keys[d];
            if (j["weekly"].contains(day_keys[d]))
                guarded(where,
                        [&] { c.hours(boost::gregorian::greg_weekday(d), hours_of(j["weekly"][day_keys[d]], where)); });
        }
    }
    std::vector<opening> make_up = detail::usual_hours(c);
    if (j.contains("make_up_hours")) make_up = hours_of(j["make_up_hours"], "make_up_hours");

    // Dates set by this file (a date twice is a conflict); included schedules come first and
    // this file's own dates override them.
    std::map<date, std::string> seen;
    std::vector<std::pair<date, std::vector<opening>>> days; // set at once at the end
    auto claim = [&](date d, const std::string& where) {
        auto [it, fresh] = seen.emplace(d, where);
        if (!fresh) fail(where, boost::gregorian::to_iso_extended_string(d) + " is already set by " + it->second);
    };
    if (j.contains("include")) {
        if (!j["include"].is_array()) fail("include", "expected a list of names or files");
        for (std::size_t i = 0; i < j["include"].size(); ++i) {
            const std::string where = "include[" + std::to_string(i) + "]", what = text_of(j["include"][i], where);
            calendar inc;
            guarded(where, [&] {
                const auto names = shipped_calendars();
                if (std::find(names.begin(), names.end(), what) != names.end())
                    inc = shipped_calendar(what);
                else if (!base.empty())
                    inc = load_calendar_file(base / what).value;
                else
                    fail(where, "no shipped calendar named \"" + what + "\"");
            });
            for (auto& day : inc.exceptions()) days.push_back(std::move(day));
        }
    }
    auto each = [&](const char* key, auto&& f) {
        if (!j.contains(key)) return;
        if (!j[key].is_array()) fail(key, "expected a list");
        for (std::size_t i = 0; i < j[key].size(); ++i) f(j[key][i], std::string(key) + "[" + std::to_string(i) + "]");
    };
    each("holidays", [&](const json& h, const std::string& where) {
        only(h, {"date", "from", "to", "name"}, where);
        date from, to;
        if (h.contains("date")) {
            if (h.contains("from") || h.contains("to")) fail(where, "give \"date\" or \"from\" and \"to\", not both");
            from = to = date_of(h["date"], where + ".date");
        } else {
            from = date_of(member(h, "from", where), where + ".from");
            to = date_of(member(h, "to", where), where + ".to");
            if (to < from) fail(where + ".to", "ends before it begins");
            if ((to - from).days() > 366) fail(where + ".to", "a holiday longer than a year");
        }
        if (h.contains("name")) (void)text_of(h["name"], where + ".name");
        for (date d = from; d <= to; d += boost::gregorian::days(1)) {
            claim(d, where);
            days.emplace_back(d, std::vector<opening>{});
        }
    });
    auto dated = [&](const json& w, const std::string& where, bool need_hours) {
        only(w, {"date", "hours", "name"}, where);
        const date d = date_of(member(w, "date", where), where + ".date");
        if (w.contains("name")) (void)text_of(w["name"], where + ".name");
        std::vector<opening> hours = make_up;
        if (need_hours || w.contains("hours")) hours = hours_of(member(w, "hours", where), where + ".hours");
        claim(d, where);
        guarded(where + ".hours", [&] { (void)calendar().working_day(d, hours); }); // checked here, to say where
        days.emplace_back(d, std::move(hours));
    };
    each("working_days", [&](const json& w, const std::string& where) { dated(w, where, false); });
    each("exceptions", [&](const json& w, const std::string& where) { dated(w, where, true); });
    c.set_days(std::move(days));
    doc.value = std::move(c);
    return doc;
}

calendar_document load_calendar_file(const std::filesystem::path& file) {
    const std::string text = read_file(file);
    try {
        return parse_calendar(text, file.parent_path());
    } catch (const error& e) {
        throw error(e.id(), file.string() + ": " + e.what());
    }
}

calendar load_calendar(std::string_view name_or_file) {
    const auto names = shipped_calendars();
    if (std::find(names.begin(), names.end(), name_or_file) != names.end()) return shipped_calendar(name_or_file);
    const std::filesystem::path file{std::string(name_or_file)};
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
        throw error("careflow.calendar.unknown", "'" + std::string(name_or_file) + "' is neither a shipped schedule (" +
                                                     known + ") nor a calendar file");
    }
    return load_calendar_file(file).value;
}

std::string to_calendar_json(const calendar& c, std::string_view name) {
    json j = json::object();
    j["format"] = format_id;
    if (!name.empty()) j["name"] = name;
    if (!c.zone().empty())
        j["zone"] = c.zone();
    else
        j["utc_offset"] = offset_text(c.utc_offset());
    if (!c.is_24x7()) {
        json weekly = json::object();
        for (unsigned short d = 0; d < 7; ++d) {
            auto h = c.weekly_hours(boost::gregorian::greg_weekday(d));
            if (!h.empty()) weekly[day_keys[d]] = hours_json(h);
        }
        j["weekly"] = weekly;
    }
    json holidays = json::array(), exceptions = json::array();
    for (const auto& [d, hours] : c.exceptions()) {
        if (hours.empty())
            holidays.push_back({{"date", boost::gregorian::to_iso_extended_string(d)}});
        else
            exceptions.push_back({{"date", boost::gregorian::to_iso_extended_string(d)}, {"hours", hours_json(hours)}});
    }
    if (!holidays.empty()) j["holidays"] = holidays;
    if (!exceptions.empty()) j["exceptions"] = exceptions;
    return j.dump(2) + "\n";
}

std::vector<std::string> shipped_calendars() {
    std::vector<std::string> out;
    for (const auto& s : detail::shipped_calendar_files) out.emplace_back(s.name);
    return out;
}

std::string_view shipped_calendar_text(std::string_view name) {
    for (const auto& s : detail::shipped_calendar_files)
        if (s.name == name) return s.text;
    throw error("careflow.calendar.unknown", "no shipped calendar named \"" + std::string(name) + "\"");
}

calendar shipped_calendar(std::string_view name) {
    static std::mutex m;
    static std::map<std::string, calendar, std::less<>> parsed;
    const std::string_view text = shipped_calendar_text(name);
    {
        const std::lock_guard lock(m);
        if (auto it = parsed.find(name); it != parsed.end()) return it->second;
    }
    calendar c = parse_calendar(text).value; // may include other shipped schedules: parsed outside the lock
    const std::lock_guard lock(m);
    return parsed.emplace(std::string(name), std::move(c)).first->second;
}

calendar center_calendar() { return shipped_calendar("center"); }

} // namespace careflow
