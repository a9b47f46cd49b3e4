// Scenario tests for the hotline call and the phone callback, on both sides of each limit.
#include "procedure_fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

namespace {
const time_point t0 = local(2026, 11, 23, 9, 0); // Monday 09:00 Shanghai

// Through to an answered, registered call.
void answer(center_fixture& f, case_id id, time_point t, long after_s) {
    REQUIRE(f.e.start("hotline_call", id, {}, t, f.desk, "caller-" + std::to_string(id)).applied());
    REQUIRE(f.e.dispatch(id, "answer", t + seconds(after_s), f.op).applied());
    REQUIRE(f.e.dispatch(id, "register",
                         {{"name", "Ms Chen"}, {"withheld", false}, {"contact", "138-0000"}, {"reason", "sleep"}},
                         t + seconds(after_s + 20), f.op)
                .applied());
}
} // namespace

TEST_CASE("hotline: answered on the third ring meets the SLA; just after breaches it") {
    center_fixture f;
    answer(f, 1, t0, 15); // 3 rings × 5 s
    CHECK(f.sla(1, "answer_within_rings") == sla_status::met);
    answer(f, 2, t0 + minutes(5), 16);
    CHECK(f.sla(2, "answer_within_rings") == sla_status::breached);
    CHECK(f.e.get(1).variable("rings") == value(3));
    CHECK(f.e.get(1).assignee("operator") == "op-wang");
}

TEST_CASE("hotline: a caller may hang up at any point") {
    center_fixture f;
    f.e.start("hotline_call", 1, {}, t0, f.desk);
    f.e.dispatch(1, "hang_up", t0 + seconds(8), f.desk);
    CHECK(f.path(1) == "abandoned");
    CHECK(f.sla(1, "answer_within_rings") == sla_status::cancelled);
    f.e.start("hotline_call", 2, {}, t0 + minutes(1), f.desk);
    f.e.advance(t0 + minutes(1) + seconds(20));
    f.e.dispatch(2, "hang_up", t0 + minutes(1) + seconds(21), f.desk);
    CHECK(f.e.get(2).sla("answer_within_rings").late()); // abandoned after the breach: a miss
    answer(f, 3, t0 + minutes(2), 4);
    f.e.dispatch(3, "hang_up", t0 + minutes(3), f.desk);
    CHECK(f.path(3) == "after_call.recording"); // hung up mid-conversation: still recorded
}

TEST_CASE("hotline: a withheld name is accepted") {
    center_fixture f;
    f.e.start("hotline_call", 1, {}, t0, f.desk);
    f.e.dispatch(1, "answer", t0 + seconds(3), f.op);
    CHECK(f.e.dispatch(1, "register", {{"name", ""}, {"withheld", true}, {"contact", ""}, {"reason", "anxiety"}},
                       t0 + seconds(30), f.op)
              .applied());
    CHECK(f.e.get(1).variable("withheld") == value(true));
}

TEST_CASE("hotline: a crisis goes to a counselor at once and tells the manager") {
    center_fixture f;
    answer(f, 1, t0, 4);
    REQUIRE(f.e.dispatch(1, "assess", {{"urgency", 5}}, t0 + minutes(1), f.op).applied());
    CHECK(f.path(1) == "call.talking.crisis");
    CHECK(f.seen.saw("1:crisis"));
    CHECK(f.seen.saw("1:manager"));
    REQUIRE(f.e.dispatch(1, "join", t0 + minutes(1) + seconds(30), f.li).applied());
    CHECK(f.path(1) == "call.talking.identity_check");
}

TEST_CASE("hotline: the handover comes before the counselor joins; only the joined counselor continues") {
    center_fixture f;
    answer(f, 1, t0, 4);
    f.e.dispatch(1, "assess", {{"urgency", 2}}, t0 + minutes(1), f.op);
    CHECK(f.path(1) == "call.talking.handover");
    CHECK(f.e.dispatch(1, "join", t0 + minutes(2), f.li).kind == outcome::ignored); // no handover yet
    REQUIRE(f.e.dispatch(1, "handover", {{"note", "sleep problems, 3 weeks"}}, t0 + minutes(2), f.op).applied());
    REQUIRE(f.e.dispatch(1, "join", t0 + minutes(3), f.li).applied());
    CHECK(f.e.dispatch(1, "confirm_identity", t0 + minutes(4), f.zhao).code == "careflow.runtime.not_assignee");
    CHECK(f.e.dispatch(1, "confirm_identity", t0 + minutes(4), f.li).applied());
    CHECK(f.e.dispatch(1, "resolve", {{"needs_follow_up", false}}, t0 + minutes(30), f.li).applied());
    CHECK(f.path(1) == "call.talking.resolution");
    CHECK(f.e.dispatch(1, "join", t0 + minutes(31), f.op).kind == outcome::ignored);
}

TEST_CASE("hotline: the record is due within 2 h of the call, by whoever is to record it") {
    center_fixture f;
    answer(f, 1, t0, 4);
    f.e.dispatch(1, "assess", {{"urgency", 1}}, t0 + minutes(1), f.op); // the operator resolves it
    f.e.dispatch(1, "hang_up", t0 + minutes(10), f.op);
    CHECK(f.e.dispatch(1, "record", t0 + minutes(20), f.li).code == "careflow.runtime.not_assignee");
    CHECK(f.e.dispatch(1, "record", t0 + minutes(10) + hours(2), f.op).applied());
    CHECK(f.sla(1, "record") == sla_status::met);
    answer(f, 2, t0 + hours(3), 4);
    f.e.dispatch(2, "assess", {{"urgency", 1}}, t0 + hours(3) + minutes(1), f.op);
    f.e.dispatch(2, "hang_up", t0 + hours(3) + minutes(10), f.op);
    f.e.dispatch(2, "record", t0 + hours(3) + minutes(10) + hours(2) + seconds(1), f.op);
    CHECK(f.sla(2, "record") == sla_status::breached);
}

TEST_CASE("hotline: satisfaction feedback within 24 h by phone or SMS, in either order with the record") {
    center_fixture f;
    answer(f, 1, t0, 4);
    f.e.dispatch(1, "assess", {{"urgency", 1}}, t0 + minutes(1), f.op);
    f.e.dispatch(1, "hang_up", t0 + minutes(10), f.op);
    f.e.dispatch(1, "feedback", {{"channel", symbol{"sms"}}, {"score", 5}}, t0 + hours(20), f.client);
    CHECK(f.path(1) == "after_call.recording");
    f.e.dispatch(1, "record", t0 + hours(21), f.op);
    CHECK(f.path(1) == "closed");
    CHECK(f.sla(1, "feedback") == sla_status::met);
    CHECK(f.e.get(1).variable("feedback_channel") == value(symbol{"sms"}));
    // No feedback: breached at 24 h, the call closes at the give-up time.
    center_fixture g;
    answer(g, 2, t0, 4);
    g.e.dispatch(2, "assess", {{"urgency", 1}}, t0 + minutes(1), g.op);
    g.e.dispatch(2, "hang_up", t0 + minutes(10), g.op);
    g.e.dispatch(2, "record", t0 + hours(1), g.op);
    g.e.advance(t0 + minutes(10) + hours(24));
    CHECK_FALSE(g.e.get(2).sla("feedback").late()); // exactly 24 h: not yet
    g.e.advance(t0 + minutes(10) + hours(24) + seconds(1));
    CHECK(g.e.get(2).sla("feedback").late());
    CHECK(g.path(2) == "after_call.awaiting_feedback");
    g.e.advance(t0 + hours(80));
    CHECK(g.path(2) == "closed");
}

TEST_CASE("hotline: a caller who needs follow-up gets callbacks at +1 week and +1 month") {
    center_fixture f;
    answer(f, 1, t0, 4);
    f.e.dispatch(1, "assess", {{"urgency", 3}}, t0 + minutes(1), f.op);
    f.e.dispatch(1, "handover", {{"note", "n"}}, t0 + minutes(2), f.op);
    f.e.dispatch(1, "join", t0 + minutes(3), f.li);
    f.e.dispatch(1, "confirm_identity", t0 + minutes(4), f.li);
    f.e.dispatch(1, "resolve", {{"needs_follow_up", true}}, t0 + minutes(40), f.li);
    REQUIRE(f.e.record_consent("caller-1", "callback", true, t0 + minutes(41), f.li).applied());
    f.e.dispatch(1, "hang_up", t0 + minutes(45), f.li);
    f.e.dispatch(1, "record", t0 + minutes(90), f.li);
    CHECK(!f.seen.saw("1:follow_up_without_consent"));
    const auto kids = f.e.get(1).children();
    REQUIRE(kids.size() == 2);
    CHECK(f.e.get(kids[0]).prog().name() == "phone_callback");
    // Due on dates: the call's date + 7 days and + 1 calendar month, at the day's start.
    CHECK(f.e.get(kids[0]).variable("due") == value(local(2026, 11, 30, 0, 0)));
    CHECK(f.e.get(kids[1]).variable("due") == value(local(2026, 12, 23, 0, 0)));
    CHECK(f.e.get(kids[0]).variable("counselor") == value("dr-li"));
    CHECK(f.e.get(kids[0]).variable("contact") == value("138-0000"));
    // Without the need, none.
    answer(f, 2, t0 + hours(2), 4);
    f.e.dispatch(2, "assess", {{"urgency", 1}}, t0 + hours(2) + minutes(1), f.op);
    f.e.dispatch(2, "hang_up", t0 + hours(2) + minutes(5), f.op);
    f.e.dispatch(2, "record", t0 + hours(2) + minutes(20), f.op);
    CHECK(f.e.get(2).children().empty());
    CHECK(!f.seen.saw("2:follow_up_without_consent"));
}

TEST_CASE("hotline: nobody is called back without the caller's consent, given, withdrawn or lapsed") {
    center_fixture f;
    auto needs_follow_up = [&](case_id id, time_point t) {
        answer(f, id, t, 4);
        f.e.dispatch(id, "assess", {{"urgency", 1}}, t + minutes(1), f.op);
        REQUIRE(f.e.dispatch(id, "resolve", {{"needs_follow_up", true}}, t + minutes(10), f.op).applied());
        f.e.dispatch(id, "hang_up", t + minutes(11), f.op);
    };
    // Never asked: the recorder is told to offer other support; no callback is spawned.
    needs_follow_up(1, t0);
    REQUIRE(f.e.dispatch(1, "record", t0 + minutes(30), f.op).applied());
    CHECK(f.e.get(1).children().empty());
    CHECK(f.seen.saw("1:follow_up_without_consent"));
    // Given, then withdrawn before the record: the latest answer counts.
    needs_follow_up(2, t0 + hours(1));
    REQUIRE(f.e.record_consent("caller-2", "callback", true, t0 + hours(1) + minutes(12), f.op).applied());
    REQUIRE(f.e.record_consent("caller-2", "callback", false, t0 + hours(1) + minutes(13), f.op).applied());
    f.e.dispatch(2, "record", t0 + hours(1) + minutes(30), f.op);
    CHECK(f.e.get(2).children().empty());
    CHECK(f.seen.saw("2:follow_up_without_consent"));
    // Given until a time that has passed by the record: lapsed.
    needs_follow_up(3, t0 + hours(2));
    REQUIRE(
        f.e.record_consent("caller-3", "callback", true, t0 + hours(2) + minutes(12), f.op, t0 + hours(2) + minutes(20))
            .applied());
    CHECK(f.e.consented("caller-3", "callback", t0 + hours(2) + minutes(19)));
    CHECK(!f.e.consented("caller-3", "callback", t0 + hours(2) + minutes(20)));
    f.e.dispatch(3, "record", t0 + hours(2) + minutes(30), f.op);
    CHECK(f.e.get(3).children().empty());
    // Another caller's consent is not this one's; this caller's own is.
    needs_follow_up(4, t0 + hours(3));
    REQUIRE(f.e.record_consent("caller-4", "callback", true, t0 + hours(3) + minutes(12), f.op).applied());
    f.e.dispatch(4, "record", t0 + hours(3) + minutes(30), f.op);
    CHECK(f.e.get(4).children().size() == 2);
    for (const case_id kid : f.e.get(4).children()) CHECK(f.e.get(kid).client() == "caller-4");
}

namespace {
// A callback for a client who consented to it.
case_id callback(center_fixture& f, case_id id, time_point due, time_point now) {
    const std::string client = "client-" + std::to_string(id);
    REQUIRE(f.e.start("phone_callback", id, {{"due", due}, {"contact", "138-0000"}, {"counselor", "dr-li"}}, now,
                      f.desk, client)
                .applied());
    REQUIRE(f.e.record_consent(client, "callback", true, now, f.desk).applied());
    return id;
}
} // namespace

TEST_CASE("callback: due on a Saturday, a holiday or a make-up working day") {
    center_fixture f;
    const auto now = local(2026, 11, 20, 10, 0);
    callback(f, 1, local(2026, 11, 28, 10, 0), now); // Saturday → Monday 09:00
    callback(f, 2, local(2026, 12, 1, 14, 0), now);  // a holiday → Wednesday 09:00
    callback(f, 3, local(2026, 12, 5, 14, 0), now);  // make-up Saturday → that day 14:00
    callback(f, 4, local(2026, 11, 24, 19, 0), now); // after hours → next morning
    CHECK(f.e.get(1).pending_timers()[0].second == local(2026, 11, 30, 9, 0));
    CHECK(f.e.get(2).pending_timers()[0].second == local(2026, 12, 2, 9, 0));
    CHECK(f.e.get(3).pending_timers()[0].second == local(2026, 12, 5, 14, 0));
    CHECK(f.e.get(4).pending_timers()[0].second == local(2026, 11, 25, 9, 0));
    f.e.advance(local(2026, 11, 30, 9, 0));
    CHECK(f.path(1) == "queued");
    CHECK(f.path(2) == "planned");
}

TEST_CASE("callback: only a trained agent may take it; details are verified before dialing") {
    center_fixture f;
    callback(f, 1, local(2026, 11, 24, 10, 0), t0);
    f.e.advance(local(2026, 11, 24, 10, 0));
    const auto r = f.e.dispatch(1, "claim", local(2026, 11, 24, 10, 5), f.untrained);
    CHECK(r.code == "careflow.runtime.role_missing");
    CHECK(r.reason.find("callback_agent") != std::string::npos);
    REQUIRE(f.e.dispatch(1, "claim", local(2026, 11, 24, 10, 6), f.agent).applied());
    CHECK(f.e.dispatch(1, "reached", local(2026, 11, 24, 10, 7), f.agent).kind == outcome::ignored); // not verified
    CHECK(f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2026, 11, 24, 10, 8), f.agent).applied());
    CHECK(f.path(1) == "dialing");
    callback(f, 2, local(2026, 11, 24, 10, 0), local(2026, 11, 24, 11, 0));
    f.e.dispatch(2, "claim", local(2026, 11, 24, 11, 1), f.agent);
    f.e.dispatch(2, "verify", {{"contact_ok", false}}, local(2026, 11, 24, 11, 2), f.agent);
    CHECK(f.path(2) == "contact_invalid");
    CHECK(f.seen.saw("2:tell_counselor"));
}

TEST_CASE("callback: nobody dials a client who has not consented or withdrew; the counselor is told") {
    center_fixture f;
    const auto due = local(2026, 11, 24, 10, 0);
    auto claim_and_verify = [&](case_id id, time_point t) {
        REQUIRE(f.e.dispatch(id, "claim", t, f.agent).applied());
        REQUIRE(f.e.dispatch(id, "verify", {{"contact_ok", true}}, t + minutes(1), f.agent).applied());
    };
    // Without a client nobody can have consented.
    REQUIRE(f.e.start("phone_callback", 1, {{"due", due}, {"contact", "138"}}, t0, f.desk).applied());
    f.e.advance(due);
    claim_and_verify(1, due + minutes(1));
    CHECK(f.path(1) == "no_consent");
    CHECK(f.seen.saw("1:tell_counselor"));
    // A client who withdrew after an unanswered attempt is not tried again.
    callback(f, 2, due, due + minutes(5));
    claim_and_verify(2, due + minutes(6));
    REQUIRE(f.path(2) == "dialing");
    REQUIRE(f.e.dispatch(2, "unreachable", due + minutes(8), f.agent).applied());
    REQUIRE(f.path(2) == "waiting_retry");
    REQUIRE(f.e.record_consent("client-2", "callback", false, due + hours(2), f.desk).applied());
    f.e.advance(local(2026, 11, 25, 9, 0));
    REQUIRE(f.path(2) == "verifying");
    REQUIRE(f.e.dispatch(2, "verify", {{"contact_ok", true}}, local(2026, 11, 25, 9, 1), f.agent).applied());
    CHECK(f.path(2) == "no_consent");
    CHECK(f.e.get(2).finished());
    // The options an agent sees follow the consent too (no dialing offered without it).
    callback(f, 3, due, local(2026, 11, 25, 9, 2));
    REQUIRE(f.e.record_consent("client-3", "callback", false, local(2026, 11, 25, 9, 3), f.desk).applied());
    f.e.advance(local(2026, 11, 25, 9, 4));
    REQUIRE(f.e.dispatch(3, "claim", local(2026, 11, 25, 9, 5), f.agent).applied());
    REQUIRE(f.e.record_consent("client-3", "callback", true, local(2026, 11, 25, 9, 6), f.desk).applied());
    REQUIRE(f.e.dispatch(3, "verify", {{"contact_ok", true}}, local(2026, 11, 25, 9, 7), f.agent).applied());
    CHECK(f.path(3) == "dialing");
}

TEST_CASE("callback: three retries on the working days after each attempt, then the counselor is told") {
    center_fixture f;
    callback(f, 1, local(2026, 11, 27, 10, 0), t0); // Friday
    f.e.advance(local(2026, 11, 27, 10, 0));
    f.e.dispatch(1, "claim", local(2026, 11, 27, 10, 1), f.agent);
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2026, 11, 27, 10, 2), f.agent);
    f.e.dispatch(1, "unreachable", local(2026, 11, 27, 10, 3), f.agent);
    CHECK(f.path(1) == "waiting_retry");
    CHECK(f.e.get(1).pending_timers()[0].second == local(2026, 11, 30, 9, 0)); // Monday's opening, not Saturday
    f.e.advance(local(2026, 11, 30, 9, 0));
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2026, 11, 30, 10, 5), f.agent);
    f.e.dispatch(1, "unreachable", local(2026, 11, 30, 10, 6), f.agent);
    CHECK(f.e.get(1).pending_timers()[0].second == local(2026, 12, 2, 9, 0)); // over the Tuesday holiday
    f.e.advance(local(2026, 12, 2, 9, 0));
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2026, 12, 2, 10, 7), f.agent);
    f.e.dispatch(1, "unreachable", local(2026, 12, 2, 10, 8), f.agent);
    CHECK(f.path(1) == "waiting_retry"); // the third retry is still to come
    CHECK(f.e.get(1).pending_timers()[0].second == local(2026, 12, 3, 9, 0));
    f.e.advance(local(2026, 12, 3, 9, 0));
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2026, 12, 3, 10, 0), f.agent);
    f.e.dispatch(1, "unreachable", local(2026, 12, 3, 10, 1), f.agent);
    CHECK(f.path(1) == "unreachable");
    CHECK(f.e.get(1).variable("attempts") == value(4)); // the first attempt and three retries
    CHECK(f.seen.saw("1:tell_counselor"));
    CHECK(f.sla(1, "on_time") == sla_status::met); // the first attempt was on the due day
}

TEST_CASE("callback: recorded the same working day, or late the next; feedback reaches the counselor") {
    center_fixture f;
    for (case_id id : {1, 2}) {
        callback(f, id, local(2026, 11, 24, 16, 0), t0);
    }
    f.e.advance(local(2026, 11, 24, 16, 0));
    for (case_id id : {1, 2}) f.e.dispatch(id, "claim", local(2026, 11, 24, 16, 10), f.agent);
    for (case_id id : {1, 2}) f.e.dispatch(id, "verify", {{"contact_ok", true}}, local(2026, 11, 24, 16, 11), f.agent);
    for (case_id id : {1, 2}) f.e.dispatch(id, "reached", local(2026, 11, 24, 16, 12), f.agent);
    for (case_id id : {1, 2})
        REQUIRE(f.e.dispatch(id, "feedback",
                             {{"emotion", "calmer"},
                              {"effect", "sleeping better"},
                              {"suggestions", ""},
                              {"special", false},
                              {"book_further", false}},
                             local(2026, 11, 24, 16, 30), f.agent)
                    .applied());
    f.e.dispatch(1, "record", local(2026, 11, 24, 18, 0), f.agent); // at the close: met
    f.e.dispatch(2, "record", local(2026, 11, 25, 9, 30), f.agent); // next morning: late
    CHECK(f.sla(1, "record") == sla_status::met);
    CHECK(f.sla(2, "record") == sla_status::breached);
    CHECK(f.path(1) == "done");
    CHECK(f.seen.saw("1:feedback_to_counselor"));
    CHECK(f.sla(1, "on_time") == sla_status::met);
}

TEST_CASE("callback: a first attempt the working day after it was due is late") {
    center_fixture f;
    callback(f, 1, local(2026, 11, 24, 10, 0), t0);
    f.e.advance(local(2026, 11, 24, 10, 0));
    f.e.dispatch(1, "claim", local(2026, 11, 25, 9, 10), f.agent);
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2026, 11, 25, 9, 11), f.agent);
    f.e.dispatch(1, "reached", local(2026, 11, 25, 9, 12), f.agent);
    CHECK(f.sla(1, "on_time") == sla_status::breached);
}

TEST_CASE("callback: a further consultation is booked and special cases get a second callback") {
    center_fixture f;
    callback(f, 1, local(2026, 11, 24, 10, 0), t0);
    f.e.advance(local(2026, 11, 24, 10, 0));
    f.e.dispatch(1, "claim", local(2026, 11, 24, 10, 1), f.agent);
    f.e.dispatch(1, "verify", {{"contact_ok", true}}, local(2026, 11, 24, 10, 2), f.agent);
    f.e.dispatch(1, "reached", local(2026, 11, 24, 10, 3), f.agent);
    f.e.dispatch(1, "feedback",
                 {{"emotion", "low"},
                  {"effect", "little"},
                  {"suggestions", "more sessions"},
                  {"special", true},
                  {"book_further", true}},
                 local(2026, 11, 24, 10, 20), f.agent);
    f.e.dispatch(1, "record", local(2026, 11, 24, 11, 0), f.agent);
    const auto kids = f.e.get(1).children();
    REQUIRE(kids.size() == 2);
    CHECK(f.e.get(kids[0]).prog().name() == "appointment");
    CHECK(f.e.get(kids[0]).variable("channel") == value("callback"));
    CHECK(f.e.get(kids[0]).path() == "requested");
    CHECK(f.e.get(kids[1]).prog().name() == "phone_callback");
    CHECK(f.e.get(kids[1]).variable("due") == value(local(2026, 11, 27, 0, 0))); // the date 3 days on
}

TEST_CASE("KPIs: three-ring answer rate and callback on-time rate on a hand-checked set") {
    // Calls: 1 answered at 10 s (met), 2 at 15 s (met), 3 at 20 s (late), 4 abandoned at 18 s
    // after the breach (missed), 5 abandoned at 8 s (cancelled, not counted).
    center_fixture f;
    const long answer_after[] = {10, 15, 20};
    for (case_id id = 1; id <= 3; ++id) answer(f, id, t0 + minutes(static_cast<long>(10 * id)), answer_after[id - 1]);
    f.e.start("hotline_call", 4, {}, t0 + minutes(40), f.desk);
    f.e.dispatch(4, "hang_up", t0 + minutes(40) + seconds(18), f.desk);
    f.e.start("hotline_call", 5, {}, t0 + minutes(50), f.desk);
    f.e.dispatch(5, "hang_up", t0 + minutes(50) + seconds(8), f.desk);
    // Callbacks due Tuesday: 6 attempted that day (on time), 7 only on Wednesday (late).
    for (case_id id : {6, 7}) callback(f, id, local(2026, 11, 24, 10, 0), t0 + hours(1));
    f.e.advance(local(2026, 11, 24, 10, 0));
    f.e.dispatch(6, "claim", local(2026, 11, 24, 11, 0), f.agent);
    f.e.dispatch(6, "verify", {{"contact_ok", true}}, local(2026, 11, 24, 11, 1), f.agent);
    f.e.dispatch(6, "reached", local(2026, 11, 24, 11, 2), f.agent);
    f.e.dispatch(7, "claim", local(2026, 11, 25, 9, 0), f.agent);
    f.e.dispatch(7, "verify", {{"contact_ok", true}}, local(2026, 11, 25, 9, 1), f.agent);
    f.e.dispatch(7, "unreachable", local(2026, 11, 25, 9, 2), f.agent);

    const auto k = compute_kpis(f.e.journal());
    const auto* rings = k.sla("hotline_call", "answer_within_rings");
    REQUIRE(rings);
    CHECK(rings->met == 2);
    CHECK(rings->late == 1);
    CHECK(rings->missed == 1);
    CHECK(rings->cancelled == 1);
    CHECK(rings->attainment() == doctest::Approx(0.5));
    CHECK(rings->late_by == std::vector<ticks>{5 * ticks_per_second});
    const auto* on_time = k.sla("phone_callback", "on_time");
    REQUIRE(on_time);
    CHECK(on_time->met == 1);
    CHECK(on_time->late == 1);
    CHECK(on_time->attainment() == doctest::Approx(0.5));
    CHECK(k.duty("on_time", "agent-sun")->fulfilment() == doctest::Approx(0.5));
    CHECK(k.procedure("hotline_call")->rate("abandoned") == doctest::Approx(0.4));
}
