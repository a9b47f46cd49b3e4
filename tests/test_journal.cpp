// The journal: what it records, its text format, and KPIs computed from it.
#include "fixtures.hpp"

#include <sstream>

using namespace careflow;
using namespace careflow::test;

namespace {
const actor op{"op-7", {"operator"}};
const actor counselor{"c-1", {"counselor"}};
const time_point t0 = at(2026, 11, 23, 1, 0);

std::shared_ptr<const program> hotline() {
    static const auto p = compile(hotline_model().build());
    return p;
}

std::vector<std::string> kinds(const std::vector<journal_entry>& j) {
    std::vector<std::string> out;
    for (const auto& e : j) out.push_back(std::string(to_string(e.kind)) + " " + std::string(to_string(e.result)));
    return out;
}
} // namespace

TEST_CASE("every input is journaled: applied, ignored, refused and errored") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    e.dispatch(1, "resolve", t0, op);            // ignored
    e.dispatch(1, "answer", t0, actor{"x", {}}); // refused
    e.dispatch(1, "fly", t0, op);                // error
    e.dispatch(1, "answer", t0 + seconds(2), op);
    const auto j = e.journal();
    const std::vector<std::string> expected = {"start applied",    "sla applied",    "dispatch ignored",
                                               "dispatch refused", "dispatch error", "dispatch applied",
                                               "sla applied"};
    CHECK(kinds(j) == expected);
    CHECK(j[0].procedure == "hotline_call@2");
    CHECK(j[0].to == "call.ringing");
    CHECK(j[0].get("urgency") == value(0));
    CHECK(j[1].event == "answer");
    CHECK(j[1].detail == "started");
    CHECK(j[3].code == "careflow.runtime.role_missing");
    CHECK(j[3].detail.find("operator") != std::string::npos);
    CHECK(j[4].code == "careflow.runtime.unknown_event");
    CHECK(j[5].from == "call.ringing");
    CHECK(j[5].to == "call.talking.registration");
    CHECK(j[5].actor == "op-7");
    CHECK(j[5].roles == std::vector<std::string>{"operator"});
    CHECK(j[6].detail == "met");
    CHECK(j[6].get("elapsed") == value(seconds(2)));
    CHECK(j[6].get("goal") == value(seconds(15)));
    CHECK(e.journal(5).size() == 2);
    CHECK(e.journal_size() == 7);
}

TEST_CASE("timer fires, notifications, spawns and finishes are journaled as derived entries") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    e.advance(t0 + seconds(5));
    e.dispatch(1, "hang_up", t0 + seconds(6), op);
    const auto j = e.journal();
    const std::vector<std::string> expected = {"start applied",    "sla applied", "advance applied", "fire applied",
                                               "dispatch applied", "sla applied", "finish applied"};
    CHECK(kinds(j) == expected);
    CHECK(j[3].event == "ring");
    CHECK(j[3].get("timer") == value(hotline()->timers()[0].name)); // which timer fired
    CHECK(j[3].actor == "system");
    CHECK_FALSE(j[3].input());
    CHECK(j[2].input());
    CHECK(j[5].detail == "cancelled");
    CHECK(j[6].to == "abandoned");
}

TEST_CASE("the journal round-trips through its text format") {
    engine e;
    e.bind("log_crisis", [](action_context&) {});
    e.start(hotline(), 1, {{"caller", "Li\tBai; =%"}}, t0, op);
    e.dispatch(1, "answer", t0 + seconds(3), op);
    e.dispatch(1, "register", {{"name", "Wang\nWu"}, {"withheld", true}}, t0 + seconds(9), op);
    e.dispatch(1, "assess", {{"urgency", 5}}, t0 + seconds(30), op);
    e.dispatch(1, "join", t0 + minutes(1), counselor);
    e.dispatch(1, "hang_up", t0 + minutes(20), op);
    e.advance(t0 + hours(3));
    const auto j = e.journal();
    std::stringstream text;
    write_journal(text, j);
    const auto back = read_journal(text);
    REQUIRE(back.size() == j.size());
    for (std::size_t i = 0; i < j.size(); ++i) CHECK(back[i] == j[i]);
    CHECK(text.str().rfind("careflow-journal 1\n", 0) == 0);
}

TEST_CASE("a damaged journal is a typed error naming the line") {
    std::stringstream none("hello\n");
    CHECK_THROWS_WITH_AS((void)read_journal(none), doctest::Contains("careflow.journal.bad_header"), careflow::error);
    std::stringstream short_line("careflow-journal 1\n2026-11-23T01:00:00.000000Z\tstart\n");
    CHECK_THROWS_WITH_AS((void)read_journal(short_line), doctest::Contains("line 2"), careflow::error);
    std::stringstream bad_time(
        "careflow-journal 1\n2026-13-23T01:00:00.000000Z\tstart\tapplied\t1\t\t\t\t\t\t\t0\t\t\t\n");
    CHECK_THROWS_WITH_AS((void)read_journal(bad_time), doctest::Contains("bad time"), careflow::error);
    std::stringstream bad_value(
        "careflow-journal 1\n2026-11-23T01:00:00.000000Z\tstart\tapplied\t1\t\t\t\t\t\t\t0\t\t\tx=q:1\n");
    CHECK_THROWS_WITH_AS((void)read_journal(bad_value), doctest::Contains("careflow.journal.bad_line"),
                         careflow::error);
}

TEST_CASE("instants format as ISO 8601 UTC with microseconds and parse back") {
    const ticks t = to_ticks(at(2026, 11, 23, 1, 2)) + 345678;
    CHECK(format_time(t) == "2026-11-23T01:02:00.345678Z");
    ticks back = 0;
    CHECK(parse_time(format_time(t), back));
    CHECK(back == t);
    CHECK_FALSE(parse_time("2026-11-23 01:02:00", back));
    CHECK_FALSE(parse_time("2026-02-30T01:02:00.000000Z", back));
}

TEST_CASE("KPIs on a hand-checked journal") {
    // Three calls. 1: answered after 10 s (met), counselor c-1 records in 1 h (met).
    // 2: answered after 20 s (late by 5 s), c-1 records after 3 h (late by 1 h).
    // 3: abandoned after 30 s (answer clock breached at 15 s, then cancelled: missed).
    procedure_builder b = hotline_model();
    b.event("recorded_x");
    auto model = b;
    model.sla("record").start(entered("recording")).stop(received("recorded")).goal(hours(2)).accountable("counselor");
    const auto p = compile(model.build());
    engine e;
    auto call = [&](case_id id, time_point start, long answer_after, long record_after_min) {
        e.start(p, id, {}, start, op);
        e.dispatch(id, "answer", start + seconds(answer_after), op);
        e.dispatch(id, "register", {{"name", "Li"}, {"withheld", false}}, start + seconds(answer_after + 10), op);
        e.dispatch(id, "assess", {{"urgency", 2}}, start + seconds(answer_after + 20), op);
        e.dispatch(id, "join", start + seconds(answer_after + 30), counselor);
        e.dispatch(id, "hang_up", start + minutes(10), op);
        e.dispatch(id, "recorded", start + minutes(10 + record_after_min), counselor);
    };
    call(1, t0, 10, 60);
    call(2, t0 + hours(5), 20, 180);
    e.start(p, 3, {}, t0 + hours(10), op);
    e.dispatch(3, "hang_up", t0 + hours(10) + seconds(30), op);

    const auto r = compute_kpis(e.journal());
    const sla_kpi* answer = r.sla("hotline_call", "answer");
    REQUIRE(answer);
    CHECK(answer->started == 3);
    CHECK(answer->met == 1);
    CHECK(answer->late == 1);
    CHECK(answer->missed == 1);
    CHECK(answer->breaches == 2);
    CHECK(answer->attainment() == doctest::Approx(1.0 / 3.0));
    CHECK(answer->late_by == std::vector<ticks>{5 * ticks_per_second});
    CHECK(answer->late_by_quantile(0.9) == 5 * ticks_per_second);

    const sla_kpi* record = r.sla("hotline_call", "record");
    REQUIRE(record);
    CHECK(record->met == 1);
    CHECK(record->late == 1);
    CHECK(record->late_by == std::vector<ticks>{ticks_per_hour});
    const duty_kpi* c1 = r.duty("record", "c-1");
    REQUIRE(c1);
    CHECK(c1->on_time == 1);
    CHECK(c1->late == 1);
    CHECK(c1->fulfilment() == doctest::Approx(0.5));

    const dwell_kpi* ringing = r.state("hotline_call", "call.ringing");
    REQUIRE(ringing);
    CHECK(ringing->visits == 3);
    CHECK(ringing->total == (10 + 20 + 30) * ticks_per_second);
    CHECK(ringing->longest == 30 * ticks_per_second);
    CHECK(ringing->mean() == 20 * ticks_per_second);
    // State rates and responsibility fulfilment.
    const procedure_kpi* calls = r.procedure("hotline_call");
    REQUIRE(calls);
    CHECK(calls->started == 3);
    CHECK(calls->finished == 3);
    CHECK(calls->count("abandoned") == 1);
    CHECK(calls->rate("abandoned") == doctest::Approx(1.0 / 3.0));
    CHECK(calls->count("call") == 3);         // every call was in call.*
    CHECK(calls->count("call.talking") == 2); // a prefix counts once per case
    const responsibility_kpi* li = r.responsible("hotline_call", "c-1");
    REQUIRE(li);
    CHECK(li->cases == 2);
    CHECK(li->fulfilled == 1);
    CHECK(r.responsibility_rate("hotline_call") == doctest::Approx(0.5));
    CHECK(r.responsible("hotline_call", "op-7") == nullptr);
    const dwell_kpi* recording = r.state("hotline_call", "recording");
    REQUIRE(recording);
    CHECK(recording->visits == 2);
    CHECK(recording->total == (60 + 180) * ticks_per_minute);
}

TEST_CASE("KPIs read the same from a journal file") {
    engine e;
    e.start(hotline(), 1, {}, t0, op);
    e.dispatch(1, "answer", t0 + seconds(20), op);
    std::stringstream text;
    write_journal(text, e.journal());
    const auto from_file = compute_kpis(read_journal(text));
    const auto* answer = from_file.sla("hotline_call", "answer");
    REQUIRE(answer);
    CHECK(answer->late == 1);
    CHECK(answer->late_by == std::vector<ticks>{5 * ticks_per_second});
}

TEST_CASE("KPIs of a journal with values of the wrong type are a typed error") {
    std::istringstream in("careflow-journal 1\n"
                          "2026-11-23T01:00:20.000000Z\tsla\tapplied\t1\thotline_call@2\tanswer\t\t\t\t\t0\t\t"
                          "stopped_late\telapsed=i:20000000;goal=d:15000000\n");
    const auto entries = read_journal(in);
    CHECK_THROWS_WITH_AS((void)compute_kpis(entries), doctest::Contains("careflow.journal.bad_value"), careflow::error);
}
