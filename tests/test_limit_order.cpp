// No default limit of a shipped procedure falls before an earlier step's limit, whatever
// the start instant: every hour of 2025 and 2026 in the default center calendar (the
// official schedules with their holidays and make-up days), each ordered pair checked and,
// where the rule fixes it, the open time between them checked exactly.
#include "procedure_fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

namespace {

// Every hour of 2025 and 2026, Shanghai time.
std::vector<time_point> every_hour() {
    std::vector<time_point> out;
    for (time_point t = local(2025, 1, 1, 0, 0); t < local(2027, 1, 1, 0, 0); t += hours(1)) out.push_back(t);
    return out;
}

// One case per hour of 2025 and 2026 on `e`: `start(id, t)` starts it (it must apply),
// `check(id, t)` examines it. Returns how many were started.
template <class Start, class Check>
case_id hourly_cases(engine& e, Start start, Check check) {
    case_id id = 0;
    for (const time_point t : every_hour()) {
        CAPTURE(t);
        REQUIRE(start(e, ++id, t).applied());
        check(id, t);
    }
    return id;
}

const actor desk{"switchboard", {}};
const actor reception{"rec-zhou", {procedures::roles::receptionist}};

} // namespace

TEST_CASE("a complaint's resolution falls six working days after its acknowledgement, from any start") {
    engine e;
    procedures::install_all(e);
    const calendar c = center_calendar();
    const auto started = hourly_cases(
        e,
        [](engine& x, case_id id, time_point t) {
            return x.start("complaint", id, {{"complainant", "c"}}, t, desk);
        },
        [&](case_id id, time_point t) {
            const auto ack = e.get(id).report("acknowledge").due, resolve = e.get(id).report("resolve").due;
            REQUIRE(ack.has_value());
            REQUIRE(resolve.has_value());
            CHECK(*ack > t);
            CHECK(*resolve > *ack);
            // Both count from the same start at the same business moment: six working days apart.
            CHECK(c.between(*ack, *resolve) == hours(6 * 8));
        });
    CHECK(started == 17520);
}

TEST_CASE("a hotline call's week callback is due before its month callback, on working days after the call") {
    engine e;
    procedures::install_all(e);
    procedure_builder b{"probe", 1};
    b.variable("week", value_type::time).variable("month", value_type::time);
    b.state("s")
        .open_ended()
        .on_entry(set(
            "week", procedures::due_day(now(), procedures::date_offset::in_days(7), procedures::center_calendar_name)))
        .on_entry(set("month", procedures::due_day(now(), procedures::date_offset::in_months(1),
                                                   procedures::center_calendar_name)));
    e.install(compile(b.build()));
    const calendar c = center_calendar();
    hourly_cases(
        e, [](engine& x, case_id id, time_point t) { return x.start("probe", id, {}, t, desk); },
        [&](case_id id, time_point t) {
            const auto week = std::get<time_point>(e.get(id).variable("week").get());
            const auto month = std::get<time_point>(e.get(id).variable("month").get());
            CHECK(c.local_date(week) > c.local_date(t));
            CHECK(month > week);
            CHECK(c.is_working_day(c.local_date(week)));
            CHECK(c.is_working_day(c.local_date(month)));
        });
}

TEST_CASE("a callback is queued before its on-time limit, with the due working day's whole open time to make it") {
    // Due on every day of 2025 and 2026 (holidays included): queued at the opening of the
    // due date or of the next working day, late after that day's close.
    const calendar c = center_calendar();
    engine e;
    procedures::install_all(e);
    std::vector<boost::gregorian::date> days;
    for (auto d = boost::gregorian::date(2025, 1, 1); d < boost::gregorian::date(2027, 1, 1);
         d += boost::gregorian::days(1))
        days.push_back(d);
    for (std::size_t i = 0; i < days.size(); ++i)
        REQUIRE(e.start("phone_callback", i + 1, {{"due", c.start_of_day(days[i])}, {"contact", "138"}},
                        local(2024, 12, 20, 10, 0), desk)
                    .applied());
    std::vector<time_point> queued_at; // before any fires: a holiday's callbacks share an opening
    for (std::size_t i = 0; i < days.size(); ++i) {
        REQUIRE(e.get(i + 1).pending_timers().size() == 1);
        queued_at.push_back(e.get(i + 1).pending_timers()[0].second);
    }
    for (std::size_t i = 0; i < days.size(); ++i) { // the due timers come in date order
        const case_id id = i + 1;
        CAPTURE(days[i]);
        const time_point queued = queued_at[i];
        e.advance(queued);
        REQUIRE(e.get(id).path() == "queued");
        const auto limit = e.get(id).report("on_time").due;
        REQUIRE(limit.has_value());
        CHECK(queued >= c.start_of_day(days[i]));
        CHECK(*limit > queued);
        CHECK(c.between(queued, *limit) == hours(8));
        CHECK(c.local_date(*limit) == c.next_working_day(days[i], 0));
    }
}

TEST_CASE("pre-screening opens before the appointment, with open time to screen in") {
    engine e;
    procedures::install_all(e);
    const calendar c = center_calendar();
    hourly_cases(
        e,
        [](engine& x, case_id id, time_point t) {
            return x.start("first_visit", id, {{"client", "c"}, {"appointment_at", t}}, local(2024, 12, 1, 9, 0),
                           reception);
        },
        [&](case_id id, time_point t) {
            const auto timers = e.get(id).pending_timers();
            REQUIRE(timers.size() == 1);
            const time_point opens = timers[0].second;
            CHECK(opens < t);
            // The window holds at least the whole previous working day (8 open hours).
            CHECK(c.between(opens, t) >= hours(8));
            CHECK(c.local_date(opens) == c.previous_working_day(c.local_date(t)));
        });
}
