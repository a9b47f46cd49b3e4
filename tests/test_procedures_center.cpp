// Scenario tests for the first visit, appointments, counseling courses and complaints,
// and the KPIs the documents name, on a hand-checked set of cases.
#include "procedure_fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

namespace {
const time_point t0 = local(2026, 11, 23, 9, 0); // Monday 09:00 Shanghai

// A first visit booked for `appointment`, screened and matched to `counselor`.
void first_visit_to_pre_contact(center_fixture& f, case_id id, time_point appointment, const std::string& counselor) {
    REQUIRE(f.e.start("first_visit", id, {{"client", "Ms Chen"}, {"appointment_at", appointment}}, t0, f.reception)
                .applied());
    f.e.advance(appointment - hours(24));
    REQUIRE(f.e.dispatch(id, "screen", {{"risk", 1}, {"in_scope", true}}, appointment - hours(20), f.back).applied());
    REQUIRE(f.e.dispatch(id, "assign_counselor", {{"counselor", counselor}, {"by_rule", true}}, appointment - hours(19),
                         f.reception)
                .applied());
}
} // namespace

TEST_CASE("first visit: screening opens the day before; the screening result decides") {
    center_fixture f;
    const auto appt = local(2026, 11, 26, 10, 0);
    for (case_id id : {1, 2, 3}) f.e.start("first_visit", id, {{"appointment_at", appt}}, t0, f.reception);
    CHECK(f.seen.saw("1:client_confirmation"));
    CHECK(f.e.dispatch(1, "screen", {{"risk", 1}, {"in_scope", true}}, t0 + hours(1), f.back).kind == outcome::ignored);
    f.e.advance(appt - hours(24));
    CHECK(f.path(1) == "screening");
    f.e.dispatch(1, "screen", {{"risk", 5}, {"in_scope", true}}, appt - hours(2), f.back);
    f.e.dispatch(2, "screen", {{"risk", 1}, {"in_scope", false}}, appt - hours(2), f.back);
    f.e.dispatch(3, "screen", {{"risk", 1}, {"in_scope", true}}, appt - hours(2), f.back);
    CHECK(f.path(1) == "crisis");
    CHECK(f.seen.saw("1:manager")); // crisis: the manager at once
    CHECK(f.path(2) == "referral");
    CHECK(f.seen.saw("2:referral"));
    CHECK(f.path(3) == "matching");
    CHECK(f.sla(3, "screening") == sla_status::met);
    CHECK(f.e.dispatch(3, "screen", {{"risk", 1}, {"in_scope", true}}, appt - hours(1), f.reception).kind ==
          outcome::ignored);
}

TEST_CASE("first visit: only back office screens; only the responsible counselor makes the pre-contact") {
    center_fixture f;
    const auto appt = local(2026, 11, 26, 10, 0);
    f.e.start("first_visit", 1, {{"appointment_at", appt}}, t0, f.reception);
    f.e.advance(appt - hours(24));
    CHECK(f.e.dispatch(1, "screen", {{"risk", 1}, {"in_scope", true}}, appt - hours(20), f.reception).code ==
          "careflow.runtime.role_missing");
    f.e.dispatch(1, "screen", {{"risk", 1}, {"in_scope", true}}, appt - hours(20), f.back);
    CHECK(f.e.dispatch(1, "assign_counselor", {{"counselor", "dr-li"}, {"by_rule", false}}, appt - hours(19), f.li)
              .code == "careflow.runtime.role_missing");
    f.e.dispatch(1, "assign_counselor", {{"counselor", "dr-li"}, {"by_rule", false}}, appt - hours(19), f.manager);
    CHECK(f.e.get(1).assignee("responsible") == "dr-li");
    CHECK(f.seen.saw("1:counselor_notified"));
    const auto r = f.e.dispatch(1, "contacted", appt - hours(5), f.zhao);
    CHECK(r.code == "careflow.runtime.not_assignee");
    CHECK(r.reason.find("'dr-li' is") != std::string::npos);
    CHECK(f.e.dispatch(1, "contacted", appt - hours(5), f.li).applied());
    CHECK(f.sla(1, "pre_contact") == sla_status::met);
}

TEST_CASE("first visit: pre-contact must come before the appointment") {
    center_fixture f;
    const auto appt = local(2026, 11, 26, 10, 0);
    first_visit_to_pre_contact(f, 1, appt, "dr-li");
    f.e.dispatch(1, "contacted", appt + minutes(1), f.li);
    CHECK(f.sla(1, "pre_contact") == sla_status::breached);
}

TEST_CASE(
    "first visit: the agreement is signed before the session ends; records within 24 h; reminders until follow-up") {
    center_fixture f;
    const auto appt = local(2026, 11, 26, 10, 0); // a Thursday
    first_visit_to_pre_contact(f, 1, appt, "dr-li");
    f.e.dispatch(1, "contacted", appt - hours(5), f.li);
    f.e.dispatch(1, "start_session", appt, f.li);
    const auto unsigned_end = f.e.dispatch(1, "end_session", {{"plan", "6 sessions"}}, appt + minutes(50), f.li);
    CHECK(unsigned_end.code == "careflow.runtime.guard_false");
    CHECK(unsigned_end.reason.find("agreement_signed") != std::string::npos);
    f.e.dispatch(1, "sign_agreement", appt + minutes(51), f.li);
    REQUIRE(f.e.dispatch(1, "end_session", {{"plan", "6 sessions"}}, appt + minutes(52), f.li).applied());
    f.e.dispatch(1, "satisfaction", {{"score", 4}}, appt + hours(2), f.client);
    f.e.dispatch(1, "record", appt + minutes(52) + hours(24), f.li); // exactly 24 h: on time
    CHECK(f.sla(1, "record") == sla_status::met);
    CHECK(f.e.get(1).variable("satisfaction") == value(4));
    // Follow-up began Friday 10:52: reminded each working day until done — Monday, then
    // Wednesday (Tuesday is a holiday).
    f.e.advance(local(2026, 12, 2, 12, 0));
    std::size_t reminders = 0;
    for (const auto& t : f.seen.topics) reminders += t == "1:remind_responsible";
    CHECK(reminders == 2);
    f.e.dispatch(1, "plan_follow_up", {{"next_step", "appointment"}}, local(2026, 12, 2, 12, 0), f.li);
    f.e.dispatch(1, "follow_up_done", local(2026, 12, 2, 12, 5), f.li);
    CHECK(f.path(1) == "closed");
    CHECK(f.sla(1, "follow_up") == sla_status::met); // 3 working days: Mon, Wed, Thu 10:52
}

TEST_CASE("first visit: responsibility fulfilment rate by counselor") {
    // dr-li: client 1 every duty on time; client 2 record late. dr-zhao: client 3 on time.
    center_fixture f;
    const auto appt = local(2026, 11, 26, 10, 0);
    for (case_id id : {1, 2, 3}) f.e.start("first_visit", id, {{"appointment_at", appt + hours(id)}}, t0, f.reception);
    f.e.advance(appt - hours(21)); // every screening window is open by now
    for (case_id id : {1, 2, 3})
        REQUIRE(f.e.dispatch(id, "screen", {{"risk", 0}, {"in_scope", true}}, appt - hours(20), f.back).applied());
    for (case_id id : {1, 2, 3})
        f.e.dispatch(id, "assign_counselor", {{"counselor", id == 3 ? "dr-zhao" : "dr-li"}, {"by_rule", true}},
                     appt - hours(19), f.manager);
    for (case_id id : {1, 2, 3}) f.e.dispatch(id, "contacted", appt - hours(18), id == 3 ? f.zhao : f.li);
    auto& e = f.e;
    auto by = [&](case_id id) -> const actor& { return id == 3 ? f.zhao : f.li; };
    for (case_id id : {1, 2, 3}) { // one after another, in time order
        const auto start = appt + hours(static_cast<long>(id));
        REQUIRE(e.dispatch(id, "start_session", start, by(id)).applied());
        REQUIRE(e.dispatch(id, "sign_agreement", start + minutes(10), by(id)).applied());
        REQUIRE(e.dispatch(id, "end_session", {{"plan", "p"}}, start + minutes(50), by(id)).applied());
    }
    e.dispatch(1, "record", appt + hours(5), f.li);
    e.dispatch(3, "record", appt + hours(6), f.zhao);
    e.dispatch(2, "record", appt + hours(30), f.li); // late
    for (case_id id : {1, 2, 3}) e.dispatch(id, "follow_up_done", appt + hours(32), by(id));
    const auto k = compute_kpis(e.journal());
    const auto* li = k.responsible("first_visit", "dr-li");
    const auto* zhao = k.responsible("first_visit", "dr-zhao");
    REQUIRE(li);
    REQUIRE(zhao);
    CHECK(li->cases == 2);
    CHECK(li->fulfilled == 1);
    CHECK(zhao->cases == 1);
    CHECK(zhao->fulfilled == 1);
    CHECK(k.responsibility_rate("first_visit") == doctest::Approx(2.0 / 3.0));
}

TEST_CASE("first visit: the matching rule prefers the client's choice, then the need, then the lightest load") {
    using procedures::counselor_profile;
    const std::vector<counselor_profile> roster = {
        {"dr-li", {"anxiety"}, {"offline"}, 5, true},
        {"dr-zhao", {"family"}, {"online", "offline"}, 2, true},
        {"dr-sun", {"anxiety", "family"}, {"online"}, 1, true},
        {"dr-wu", {"anxiety"}, {"offline"}, 0, false},
    };
    CHECK(procedures::match_counselor(roster, {"dr-li", "family", "offline"}) == "dr-li");
    CHECK(procedures::match_counselor(roster, {"dr-wu", "anxiety", "offline"}) == "dr-li"); // unavailable preference
    CHECK(procedures::match_counselor(roster, {"", "anxiety", "online"}) == "dr-sun");
    CHECK(procedures::match_counselor(roster, {"", "family", "offline"}) == "dr-zhao");
    CHECK(procedures::match_counselor(roster, {"", "trauma", ""}) == "dr-sun"); // no specialty fits: lightest load
    CHECK_FALSE(procedures::match_counselor(roster, {"", "", "phone"}).has_value());
}

TEST_CASE("appointment: confirmed at 23:59 meets the 24 h rule; at 24:01 it does not") {
    center_fixture f;
    const auto appt = local(2026, 11, 30, 10, 0);
    f.e.start("appointment", 1, {{"client", "Mr Sun"}, {"channel", "web"}}, t0, f.reception);
    f.e.start("appointment", 2, {{"client", "Ms Ma"}, {"channel", "phone"}}, t0, f.reception);
    CHECK(f.e.dispatch(1, "confirm", {{"at", appt}}, t0 + hours(23) + minutes(59), f.client).code ==
          "careflow.runtime.role_missing");
    f.e.dispatch(1, "confirm", {{"at", appt}}, t0 + hours(23) + minutes(59), f.li);
    f.e.dispatch(2, "confirm", {{"at", appt}}, t0 + hours(24) + minutes(1), f.zhao);
    CHECK(f.sla(1, "confirm") == sla_status::met);
    CHECK(f.sla(2, "confirm") == sla_status::breached);
    CHECK(f.e.get(1).variable("appointment_at") == value(appt));
    CHECK(f.seen.saw("1:client_confirmation"));
}

TEST_CASE("appointment: cancelling 24 h before is a cancellation; 23 h before is late") {
    center_fixture f;
    const auto appt = local(2026, 11, 30, 10, 0);
    for (case_id id : {1, 2}) f.e.start("appointment", id, {}, t0, f.reception);
    for (case_id id : {1, 2}) f.e.dispatch(id, "confirm", {{"at", appt}}, t0 + hours(1), f.li);
    f.e.dispatch(1, "cancel", appt - hours(24), f.client);
    f.e.dispatch(2, "cancel", appt - hours(23), f.client);
    CHECK(f.path(1) == "cancelled");
    CHECK(f.path(2) == "late_cancelled");
}

TEST_CASE("appointment: a change needs 24 h notice and re-arms the reminder; reminders, no-show and attendance") {
    center_fixture f;
    const auto appt = local(2026, 11, 30, 10, 0);
    for (case_id id : {1, 2, 3}) f.e.start("appointment", id, {}, t0, f.reception);
    for (case_id id : {1, 2, 3}) f.e.dispatch(id, "confirm", {{"at", appt}}, t0 + hours(1), f.li);
    const auto moved = appt + hours(48);
    REQUIRE(f.e.dispatch(1, "reschedule", {{"at", moved}}, appt - hours(30), f.client).applied());
    CHECK(f.e.get(1).variable("appointment_at") == value(moved));
    CHECK(f.e.get(1).pending_timers()[0].second == moved - hours(24)); // reminder re-armed
    const auto late = f.e.dispatch(2, "reschedule", {{"at", moved}}, appt - hours(10), f.client);
    CHECK(late.kind == outcome::refused);
    CHECK(late.code == "careflow.runtime.guard_false");
    CHECK(f.seen.saw("2:reminder")); // 24 h before
    f.e.dispatch(3, "check_in", appt - minutes(5), f.reception);
    f.e.dispatch(3, "done", appt + minutes(50), f.li);
    f.e.advance(appt + minutes(15));
    CHECK(f.path(2) == "no_show");
    CHECK(f.path(3) == "attended");
    CHECK(f.path(1) == "confirmed");
}

TEST_CASE("appointment KPIs: confirmation-within-24 h, late-cancellation and no-show rates") {
    // Five requests: 1 confirmed in time and attended; 2 confirmed late, late-cancelled;
    // 3 confirmed in time, no-show; 4 confirmed in time, cancelled in time; 5 declined.
    center_fixture f;
    const auto appt = local(2026, 11, 30, 10, 0);
    for (case_id id = 1; id <= 5; ++id) f.e.start("appointment", id, {}, t0, f.reception);
    for (case_id id : {1, 3, 4}) f.e.dispatch(id, "confirm", {{"at", appt}}, t0 + hours(2), f.li);
    f.e.dispatch(5, "decline", {{"reason", "full"}}, t0 + hours(3), f.li);
    f.e.dispatch(2, "confirm", {{"at", appt}}, t0 + hours(30), f.li);
    f.e.dispatch(4, "cancel", appt - hours(48), f.client);
    f.e.dispatch(2, "cancel", appt - hours(2), f.client);
    f.e.dispatch(1, "check_in", appt, f.reception);
    f.e.dispatch(1, "done", appt + hours(1), f.li);
    const auto k = compute_kpis(f.e.journal());
    const auto* confirm = k.sla("appointment", "confirm");
    REQUIRE(confirm);
    CHECK(confirm->met == 4); // 1, 3, 4 and the decline (a reply) within 24 h
    CHECK(confirm->late == 1);
    CHECK(confirm->attainment() == doctest::Approx(0.8));
    const auto* a = k.procedure("appointment");
    REQUIRE(a);
    CHECK(a->started == 5);
    CHECK(a->rate("late_cancelled") == doctest::Approx(0.2));
    CHECK(a->rate("no_show") == doctest::Approx(0.2));
    CHECK(a->rate("attended") == doctest::Approx(0.2));
}

TEST_CASE("counseling course: an evaluation every 4 sessions; closure spawns the follow-up callback") {
    center_fixture f;
    f.e.start("counseling_course", 1, {{"client", "Ms Chen"}, {"contact", "138-0000"}}, t0, f.reception);
    f.e.dispatch(1, "assessed", t0 + hours(1), f.li);
    f.e.dispatch(1, "plan", {{"goals", "sleep, worry"}}, t0 + hours(2), f.li);
    auto t = t0 + hours(24);
    for (int s = 1; s <= 3; ++s) f.e.dispatch(1, "session_held", t += hours(24 * 7), f.li);
    CHECK(f.path(1) == "sessions");
    CHECK(f.e.dispatch(1, "session_held", t += hours(24 * 7), f.zhao).code == "careflow.runtime.not_assignee");
    f.e.dispatch(1, "session_held", t, f.li);
    CHECK(f.path(1) == "evaluation");
    CHECK(f.e.dispatch(1, "session_held", t + hours(1), f.li).kind == outcome::ignored); // evaluate first
    f.e.dispatch(1, "evaluate", {{"goals", "sleep"}}, t + hours(2), f.li);
    CHECK(f.path(1) == "sessions");
    CHECK(f.e.get(1).variable("since_evaluation") == value(0));
    CHECK(f.e.get(1).variable("sessions") == value(4));
    f.e.dispatch(1, "session_held", t += hours(24 * 7), f.li);
    f.e.dispatch(1, "close", {{"outcome", "goals met"}}, t + hours(1), f.li);
    CHECK(f.path(1) == "closed");
    const auto kids = f.e.get(1).children();
    REQUIRE(kids.size() == 1);
    CHECK(f.e.get(kids[0]).variable("due") == value(t + hours(1) + hours(24 * 7)));
    CHECK(f.e.get(kids[0]).variable("counselor") == value("dr-li"));
}

TEST_CASE("complaint: acknowledged within 1 working day, resolved within 7 days, escalated on breach") {
    center_fixture f;
    const auto friday = local(2026, 11, 27, 16, 0);
    f.e.start("complaint", 1, {{"complainant", "Mr Sun"}, {"subject", "waited too long"}}, friday, f.desk);
    f.e.start("complaint", 2, {{"complainant", "Ms Ma"}}, friday, f.desk);
    CHECK(f.e.get(1).report("acknowledge").due == local(2026, 11, 30, 16, 0)); // Monday, same moment
    CHECK(f.e.dispatch(1, "acknowledge", local(2026, 11, 30, 15, 59), f.li).code == "careflow.runtime.role_missing");
    f.e.dispatch(1, "acknowledge", local(2026, 11, 30, 16, 0), f.manager);
    CHECK(f.sla(1, "acknowledge") == sla_status::met);
    f.e.advance(local(2026, 11, 30, 16, 1));
    CHECK(f.e.get(2).sla("acknowledge").late());
    CHECK(f.e.get(2).variable("escalated") == value(true));
    CHECK(f.seen.saw("2:supervision"));
    CHECK_FALSE(f.e.get(1).variable("escalated") == value(true));
    f.e.dispatch(1, "resolve", {{"summary", "queue staffing fixed"}}, friday + hours(24 * 7), f.manager);
    CHECK(f.sla(1, "resolve") == sla_status::met);
    f.e.dispatch(1, "record_improvement", {{"improvement", "one more operator at noon"}}, friday + hours(24 * 8),
                 f.manager);
    CHECK(f.path(1) == "closed");
    f.e.dispatch(2, "acknowledge", local(2026, 12, 2, 9, 0), f.manager);
    // 7 working days from Friday: Mon 30, Wed 2 (Tue 1 a holiday), Thu 3, Fri 4, the make-up
    // Sat 5, Mon 7, Tue 8 at 16:00.
    f.e.advance(local(2026, 12, 8, 16, 0));
    CHECK_FALSE(f.e.get(2).sla("resolve").late());
    f.e.advance(local(2026, 12, 8, 16, 0) + seconds(1));
    CHECK(f.e.get(2).sla("resolve").late());
    const auto k = compute_kpis(f.e.journal());
    CHECK(k.sla("complaint", "acknowledge")->breaches == 1);
}
