// `careflow calendar` as a manager and a script use it: exact answers across New York's
// 2025 clock changes and the shipped Chinese schedules, instants written with the offset in
// force, local wall times read by RFC 5545, the --json shape, "never", and every bad file,
// name or argument a one-line error with exit 2.
#include "process.hpp"
#include "store_fixtures.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

using namespace careflow::test;
using nlohmann::json;

namespace {

const std::string cli = CAREFLOW_CLI;

// Weekdays 09:00-17:00, Sundays 01:00-04:00 (across both changes' hours), Thanksgiving off.
const char* new_york = R"({"format": "careflow.calendar/1", "zone": "America/New_York",
 "weekly": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "17:00"]], "wed": [["09:00", "17:00"]],
            "thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]], "sun": [["01:00", "04:00"]]},
 "holidays": [{"date": "2025-11-27"}]})";

std::string write(const scratch& tmp, const std::string& name, const std::string& text) {
    const std::string path = tmp.file(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

// The one line a query prints (exit 0 required).
std::string ask(std::vector<std::string> args) {
    args.insert(args.begin(), {cli, "calendar"});
    const ran r = run_to_end(args);
    INFO(r.err);
    REQUIRE(r.status == 0);
    REQUIRE(r.err.empty());
    REQUIRE(!r.out.empty());
    REQUIRE(r.out.back() == '\n');
    REQUIRE(lines_of(r.out).size() == 1);
    return r.out.substr(0, r.out.size() - 1);
}

} // namespace

TEST_CASE("across New York's clock changes the answers are the real zone's, with the offset in force") {
    scratch tmp;
    const std::string ny = write(tmp, "ny.json", new_york);
    // Saturday evening before the spring change: Sunday opens at 01:00 EST.
    CHECK(ask({ny, "next-open", "2025-03-08T20:00:00-05:00"}) == "2025-03-09T01:00:00-05:00");
    // 01:00-04:00 on the spring day is two real hours; 02:00 EST is 03:00 EDT.
    CHECK(ask({ny, "add", "2025-03-09T01:00:00-05:00", "PT1H30M"}) == "2025-03-09T03:30:00-04:00");
    CHECK(ask({ny, "add", "2025-03-09T01:00:00-05:00", "PT2H"}) == "2025-03-09T04:00:00-04:00");
    CHECK(ask({ny, "between", "2025-03-09", "2025-03-10"}) == "PT2H");
    // ... and four in the autumn, when 01:00-02:00 happens twice.
    CHECK(ask({ny, "between", "2025-11-02", "2025-11-03"}) == "PT4H");
    CHECK(ask({ny, "is-open", "2025-11-02T01:30:00-05:00"}) == "true"); // the second 01:30
    CHECK(ask({ny, "is-open", "2025-03-10T08:59:59-04:00"}) == "false");
    CHECK(ask({ny, "is-open", "2025-03-10T08:30:00-05:00"}) == "true"); // 09:30 EDT
    CHECK(ask({ny, "between", "2025-03-10T17:00", "2025-03-10T09:00"}) == "-PT8H");
    // A holiday is skipped; close-of-day counts working days from the first one.
    CHECK(ask({ny, "add-working-days", "2025-11-26T16:00:00-05:00", "1"}) == "2025-11-28T16:00:00-05:00");
    CHECK(ask({ny, "close-of-day", "2025-11-27T10:00"}) == "2025-11-28T17:00:00-05:00");
    CHECK(ask({ny, "close-of-day", "2025-03-08", "1"}) == "2025-03-10T17:00:00-04:00");
    CHECK(ask({ny, "close-of-day", "2025-03-10T10:00:00-04:00", "0"}) == "2025-03-10T17:00:00-04:00");
}

TEST_CASE("local wall times without an offset are read in the calendar's zone by RFC 5545") {
    scratch tmp;
    const std::string ny = write(tmp, "ny.json", new_york);
    // A skipped time moves forward by the gap; a repeated one is its first occurrence.
    CHECK(ask({ny, "next-open", "2025-03-09T02:30"}) == "2025-03-09T03:30:00-04:00");
    CHECK(ask({ny, "next-open", "2025-11-02T01:30:00"}) == "2025-11-02T01:30:00-04:00");
    CHECK(ask({ny, "next-open", "2025-11-03"}) == "2025-11-03T09:00:00-05:00");
    // Fractions of a second are kept, and written only when there are any.
    CHECK(ask({ny, "next-open", "2025-03-10T09:00:00.25-04:00"}) == "2025-03-10T09:00:00.25-04:00");
}

TEST_CASE("the shipped schedules by name: the 2025 Spring Festival and its make-up days") {
    // Sunday Jan 26 is a make-up working day; Jan 28 - Feb 4 are off.
    CHECK(ask({"china-2025", "is-open", "2025-01-26T10:00:00+08:00"}) == "true");
    CHECK(ask({"china-2025", "is-open", "2025-01-28T10:00"}) == "false");
    CHECK(ask({"center", "add-working-days", "2025-01-24T10:00:00+08:00", "1"}) == "2025-01-26T10:00:00+08:00");
    CHECK(ask({"center", "next-open", "2025-01-27T18:30"}) == "2025-02-05T09:00:00+08:00");
    CHECK(ask({"center", "add", "2025-01-27T17:00", "PT2H"}) == "2025-02-05T10:00:00+08:00");
    CHECK(ask({"center", "between", "2025-01-27T09:00", "2025-02-05T10:00"}) == "PT9H");
    CHECK(ask({"center", "close-of-day", "2025-01-25T12:00"}) == "2025-01-26T18:00:00+08:00");
    CHECK(ask({"center", "close-of-day", "2025-01-25T12:00", "1"}) == "2025-01-27T18:00:00+08:00");
    // The complaint's seven working days from Monday Jan 27.
    CHECK(ask({"center", "close-of-day", "2025-01-27T10:00", "7"}) == "2025-02-12T18:00:00+08:00");
    // A time given in another offset is answered in the calendar's.
    CHECK(ask({"center", "next-open", "2025-01-27T00:30:00Z"}) == "2025-01-27T09:00:00+08:00");
}

TEST_CASE("--json prints one object: the calendar, its zone, the query, its arguments and the result") {
    scratch tmp;
    const std::string ny = write(tmp, "ny.json", new_york);
    CHECK(
        ask({"center", "add-working-days", "2025-01-27T10:00", "1", "--json"}) ==
        R"({"calendar":"center","zone":"Asia/Shanghai","query":"add-working-days","at":"2025-01-27T10:00:00+08:00","n":1,"result":"2025-02-05T10:00:00+08:00"})");
    CHECK(ask({"--json", ny, "is-open", "2025-03-10T08:30:00-05:00"}) ==
          R"({"calendar":")" + ny +
              R"(","zone":"America/New_York","query":"is-open","at":"2025-03-10T09:30:00-04:00","result":true})");
    CHECK(
        ask({ny, "add", "2025-03-09T01:00:00-05:00", "PT90M", "--json"}) ==
        R"({"calendar":")" + ny +
            R"(","zone":"America/New_York","query":"add","at":"2025-03-09T01:00:00-05:00","duration":"PT1H30M","result":"2025-03-09T03:30:00-04:00"})");
    CHECK(
        ask({ny, "between", "2025-11-02", "2025-11-03", "--json"}) ==
        R"({"calendar":")" + ny +
            R"(","zone":"America/New_York","query":"between","from":"2025-11-02T00:00:00-04:00","to":"2025-11-03T00:00:00-05:00","result":"PT4H"})");
    const json close = json::parse(ask({"center", "close-of-day", "2025-01-25", "--json"}));
    CHECK(close.at("n") == 0);
    CHECK(close.at("result") == "2025-01-26T18:00:00+08:00");
    // A fixed-offset calendar has no zone name.
    const std::string fixed = write(tmp, "fixed.json", R"({"format": "careflow.calendar/1", "utc_offset": "+05:30"})");
    const json f = json::parse(ask({fixed, "next-open", "2025-01-01T00:00:00Z", "--json"}));
    CHECK(f.at("zone").is_null());
    CHECK(f.at("result") == "2025-01-01T05:30:00+05:30");
}

TEST_CASE("a calendar that never opens again answers never, and null in JSON") {
    scratch tmp;
    const std::string shut =
        write(tmp, "shut.json", R"({"format": "careflow.calendar/1", "zone": "UTC", "weekly": {}})");
    CHECK(ask({shut, "next-open", "2025-01-01T00:00:00Z"}) == "never");
    CHECK(ask({shut, "add", "2025-01-01T00:00:00Z", "PT1S"}) == "never");
    CHECK(ask({shut, "is-open", "2025-01-01T00:00:00Z"}) == "false");
    CHECK(ask({shut, "between", "2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z"}) == "PT0S");
    CHECK(json::parse(ask({shut, "close-of-day", "2025-01-01", "--json"})).at("result").is_null());
}

TEST_CASE("bad files, names and arguments are one-line errors with exit 2 that say what is wrong") {
    scratch tmp;
    const std::string broken = write(tmp, "broken.json", "{\n  \"format\": \"careflow.calendar/1\",\n  \"zone\": }");
    const std::string wrong_zone =
        write(tmp, "zone.json", R"({"format": "careflow.calendar/1", "zone": "Mars/Olympus_Mons"})");
    const std::vector<std::pair<std::vector<std::string>, std::string>> bad = {
        {{"china-1999", "is-open", "2025-01-01T00:00:00Z"}, "neither a shipped schedule (center, china-2025"},
        {{broken, "is-open", "2025-01-01T00:00:00Z"}, "line 3, column 11"},
        {{wrong_zone, "is-open", "2025-01-01T00:00:00Z"}, "careflow.calendar.unknown_zone"},
        {{tmp.file("."), "is-open", "2025-01-01T00:00:00Z"}, "careflow.calendar.bad_file"},
        {{"center", "is-open", "tomorrow"}, "'tomorrow' is not an instant"},
        {{"center", "is-open", "2025-02-29T10:00"}, "'2025-02-29T10:00' is not an instant"},
        {{"center", "add", "2025-01-01T00:00:00Z", "-PT1H"}, "not a non-negative ISO 8601 duration"},
        {{"center", "add", "2025-01-01T00:00:00Z", "P1M"}, "not a non-negative ISO 8601 duration"},
        {{"center", "add-working-days", "2025-01-01T00:00:00Z", "-1"}, "not a count of working days"},
        {{"center", "add-working-days", "2025-01-01T00:00:00Z", "2x"}, "not a count of working days"},
        {{"center", "between", "2025-01-01T00:00:00Z"}, "usage: careflow calendar center between T1 T2"},
        {{"center", "close-of-day", "2025-01-01", "1", "2"}, "usage: careflow calendar center close-of-day T [N]"},
        {{"center", "fly", "2025-01-01"}, "unknown query 'fly'"},
        {{"center", "is-open", "2025-01-01", "--utc"}, "unknown option '--utc'"},
        {{"center"}, "usage: careflow calendar"},
    };
    for (const auto& [args, message] : bad) {
        std::vector<std::string> argv{cli, "calendar"};
        argv.insert(argv.end(), args.begin(), args.end());
        const ran r = run_to_end(argv);
        CAPTURE(r.err);
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(lines_of(r.err).size() == 1);
        CHECK(r.err.rfind("careflow: ", 0) == 0);
        CHECK(r.err.find(message) != std::string::npos);
    }
    const ran help = run_to_end({cli, "calendar", "--help"});
    CHECK(help.status == 0);
    CHECK(help.out.find("close-of-day T [N]") != std::string::npos);
}
