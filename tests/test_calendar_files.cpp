// Calendars as data: the JSON file format, the shipped official schedules checked against
// the notices' text, and iCalendar import.
#include "fixtures.hpp"

#include <careflow/time/calendar_file.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

using namespace careflow;
using namespace careflow::test;
using day = boost::gregorian::date;

namespace {

// The notices' text, typed from them: {first day off, last day off}, make-up days.
struct schedule {
    const char* name;
    std::vector<std::pair<day, day>> off;
    std::vector<day> make_up;
};

const schedule y2025{"china-2025",
                     {{day(2025, 1, 1), day(2025, 1, 1)},
                      {day(2025, 1, 28), day(2025, 2, 4)},
                      {day(2025, 4, 4), day(2025, 4, 6)},
                      {day(2025, 5, 1), day(2025, 5, 5)},
                      {day(2025, 5, 31), day(2025, 6, 2)},
                      {day(2025, 10, 1), day(2025, 10, 8)}},
                     {day(2025, 1, 26), day(2025, 2, 8), day(2025, 4, 27), day(2025, 9, 28), day(2025, 10, 11)}};
const schedule y2026{
    "china-2026",
    {{day(2026, 1, 1), day(2026, 1, 3)},
     {day(2026, 2, 15), day(2026, 2, 23)},
     {day(2026, 4, 4), day(2026, 4, 6)},
     {day(2026, 5, 1), day(2026, 5, 5)},
     {day(2026, 6, 19), day(2026, 6, 21)},
     {day(2026, 9, 25), day(2026, 9, 27)},
     {day(2026, 10, 1), day(2026, 10, 7)}},
    {day(2026, 1, 4), day(2026, 2, 14), day(2026, 2, 28), day(2026, 5, 9), day(2026, 9, 20), day(2026, 10, 10)}};

void check_year(const schedule& s, int year) {
    CAPTURE(s.name);
    const calendar c = shipped_calendar(s.name);
    const calendar center = center_calendar();
    for (day d(year, 1, 1); d.year() == year; d += boost::gregorian::days(1)) {
        bool off = false, make_up = false;
        for (const auto& [a, b] : s.off) off = off || (d >= a && d <= b);
        for (const auto& m : s.make_up) make_up = make_up || d == m;
        const int wd = d.day_of_week().as_number();
        const bool working = make_up || (!off && wd >= 1 && wd <= 5);
        CAPTURE(boost::gregorian::to_iso_extended_string(d));
        CHECK(c.is_working_day(d) == working);
        CHECK(center.is_working_day(d) == working);
    }
}

} // namespace

TEST_CASE("the shipped schedules match the State Council notices day by day") {
    check_year(y2025, 2025);
    check_year(y2026, 2026);
    const auto names = shipped_calendars();
    CHECK(std::find(names.begin(), names.end(), "center") != names.end());
    CHECK(std::string(shipped_calendar_text("china-2025")).find("国办发明电〔2024〕12号") != std::string::npos);
    CHECK_THROWS_WITH_AS((void)shipped_calendar("china-1999"), doctest::Contains("china-1999"), error);
}

TEST_CASE("a calendar file: zone, weekly hours, holidays, make-up days and exceptions") {
    const auto doc = parse_calendar(R"({
      "format": "careflow.calendar/1", "name": "ny", "zone": "America/New_York",
      "weekly": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]]},
      "holidays": [{"from": "2025-03-10", "to": "2025-03-10"}],
      "working_days": [{"date": "2025-03-15"}],
      "exceptions": [{"date": "2025-03-18", "hours": [["09:00", "12:00"]]}]
    })");
    const calendar& c = doc.value;
    CHECK(doc.name == "ny");
    CHECK(c.zone() == "America/New_York");
    CHECK_FALSE(c.is_working_day(day(2025, 3, 10)));
    CHECK(c.is_working_day(day(2025, 3, 11)));
    CHECK(c.is_open(at(2025, 3, 15, 13, 0)));       // Saturday make-up, Monday's hours, 09:00 EDT
    CHECK_FALSE(c.is_open(at(2025, 3, 18, 16, 0))); // Tuesday closes at 12:00 that day
    CHECK(c.is_open(at(2025, 3, 18, 15, 59)));
    // Written back and read again: the same answers.
    const calendar again = parse_calendar(to_calendar_json(c)).value;
    for (int h = 0; h < 24 * 14; ++h) {
        const time_point t = at(2025, 3, 9, 0, 0) + hours(h);
        CHECK(again.is_open(t) == c.is_open(t));
    }
    // 24x7 without weekly hours; a fixed offset.
    const calendar open = parse_calendar(R"({"format": "careflow.calendar/1", "utc_offset": "+08:00",
                                             "holidays": [{"date": "2025-01-01"}]})")
                              .value;
    CHECK(open.is_open(at(2025, 1, 2, 3, 0)));
    CHECK_FALSE(open.is_open(at(2025, 1, 1, 3, 0)));
}

TEST_CASE("a bad calendar file is one typed error naming where") {
    auto fails = [](const char* text, const char* where) {
        CAPTURE(text);
        CHECK_THROWS_WITH_AS((void)parse_calendar(text), doctest::Contains(where), error);
    };
    fails("{\n  \"format\": \"careflow.calendar/1\",\n  \"zone\": }", "line 3, column 11");
    fails(R"({"zone": "Asia/Shanghai"})", "format");
    fails(R"({"format": "careflow.calendar/1", "zone": "Nowhere/City"})", "zone");
    fails(R"({"format": "careflow.calendar/1", "holiday": []})", "unknown member \"holiday\"");
    fails(R"({"format": "careflow.calendar/1", "holidays": [{"date": "2025-02-30"}]})", "holidays[0].date");
    fails(R"({"format": "careflow.calendar/1", "holidays": [{"from": "2025-02-03", "to": "2025-02-01"}]})",
          "holidays[0].to");
    fails(R"({"format": "careflow.calendar/1", "weekly": {"mon": [["18:00", "09:00"]]}})", "weekly.mon");
    fails(R"({"format": "careflow.calendar/1", "weekly": {"mon": [["9:00", "17:00"]]}})", "weekly.mon[0][0]");
    fails(R"({"format": "careflow.calendar/1", "weekly": {"tue": [["09:00", ":2:00"]]}})", "weekly.tue[0][1]"); // fuzz
    fails(R"({"format": "careflow.calendar/1", "weekly": {"tue": [["09:00", "12:0:"]]}})", "weekly.tue[0][1]");
    fails(R"({"format": "careflow.calendar/1", "weekly": {"tue": [["09:00", "12:00::0"]]}})", "weekly.tue[0][1]");
    fails(R"({"format": "careflow.calendar/1", "holidays": [{"date": "2025-01-01"}],
              "working_days": [{"date": "2025-01-01"}]})",
          "already set by holidays[0]");
    fails(R"({"format": "careflow.calendar/1", "include": ["china-1999"]})", "include[0]");
    fails(R"({"format": "careflow.calendar/1", "zone": "UTC", "utc_offset": "+01:00"})", "not both");
    // nlohmann reads a number too large for a double as out_of_range, not a parse error.
    fails(R"({"format": "careflow.calendar/1", "n": 888888888888888e88888888888888})", "not JSON");
    CHECK_THROWS_WITH_AS((void)load_calendar_file("/nonexistent/cal.json"), doctest::Contains("/nonexistent/cal.json"),
                         error);
}

TEST_CASE("iCalendar import: all-day events become holidays or working days") {
    const char* ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
                      "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20250128\r\nDTEND;VALUE=DATE:20250131\r\n"
                      "SUMMARY:Spring Festival (folded\r\n  summary)\r\nEND:VEVENT\r\n"
                      "BEGIN:VEVENT\r\nUID:2\r\nDTSTART;VALUE=DATE:20250501\r\nSUMMARY:Labour Day\r\nEND:VEVENT\r\n"
                      "END:VCALENDAR\r\n";
    const auto days = read_ical_days(ics);
    REQUIRE(days.size() == 4);
    CHECK(days[0].day == day(2025, 1, 28));
    CHECK(days[2].day == day(2025, 1, 30));
    CHECK(days[0].summary == "Spring Festival (folded summary)");
    calendar c = center_hours();
    import_ical(c, ics);
    CHECK_FALSE(c.is_working_day(day(2025, 1, 29)));
    CHECK(c.is_working_day(day(2025, 1, 31)));
    CHECK_FALSE(c.is_working_day(day(2025, 5, 1)));
    const char* make_up = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:3\r\n"
                          "DTSTART;VALUE=DATE:20250126\r\nSUMMARY:make-up\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    import_ical(c, make_up, ical_as::working_days);
    CHECK(c.is_working_day(day(2025, 1, 26)));
    const calendar before = c;
    const char* timed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:4\r\n"
                        "DTSTART;VALUE=DATE:20250301\r\nSUMMARY:fine\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:5\r\n"
                        "DTSTART:20250302T100000Z\r\nSUMMARY:meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    CHECK_THROWS_WITH_AS(import_ical(c, timed), doctest::Contains("meeting"), error);
    CHECK(c.is_working_day(day(2025, 3, 3)) == before.is_working_day(day(2025, 3, 3)));
    CHECK(c.exceptions().size() == before.exceptions().size()); // nothing added
    CHECK_THROWS_AS((void)read_ical_days("not a calendar"), error);
    // Texts libical would read leniently, warning on standard error, are refused first
    // (found by fuzz_ical): each names what is wrong.
    const auto refused = [](const std::string& text, const char* why) {
        CAPTURE(text);
        CHECK_THROWS_WITH_AS((void)read_ical_days(text), doctest::Contains(why), error);
    };
    const std::string event = "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20250301\r\nEND:VEVENT\r\n";
    refused("END:VEVENT\r\nBEGIN:VCALENDAR\r\n" + event + "END:VCALENDAR\r\n", "END before BEGIN");
    refused("BEGIN:VCALENDAR\r\n" + event + "END:VCALENDAR\r\nEND;X=1:VCALENDAR\r\n", "END before BEGIN");
    refused("BEGIN:VCALENDAR\rEND:VCALENDAR\r\n", "carriage return");
    refused("BEGIN:VCALENDAR\r\nSUM MARY:x\r\nEND:VCALENDAR\r\n", "content line 2 has a malformed name");
    refused("BEGIN:VCALENDAR\r\nSUMMARY\r\nEND:VCALENDAR\r\n", "content line 2 is not name:value");
    refused(std::string("BEGIN:VCALENDAR\r\nSUMMARY:a\0b\r\nEND:VCALENDAR\r\n", 45), "control character");
    refused(" BEGIN:VCALENDAR\r\n", "continuation");
    // A folded BEGIN is still a BEGIN, and lines may end in LF alone.
    CHECK(read_ical_days(
              "BEG\n IN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;VALUE=DATE:20250301\nEND:VEVENT\nEND:VCALENDAR\n")
              .size() == 1);
}
