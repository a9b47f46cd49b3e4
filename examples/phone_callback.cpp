// Follow-up callbacks with the shipped phone_callback procedure: one due on a Sunday
// (moved to Monday), an untrained agent turned away, a client reached who wants another
// consultation, a client unreachable three working days running (the counselor is told),
// and a client who withdrew their consent to be called back (nobody dials). National Day
// style: Tuesday 1 December is a holiday here.
//
// Expected output: examples/phone_callback.expected
#include "narrator.hpp"

using namespace careflow;
using boost::posix_time::hours;
using boost::posix_time::minutes;

int main() {
    calendar center = center_calendar();
    center.holiday(boost::gregorian::date(2026, 12, 1));
    narrated_engine demo{center};
    engine& e = demo.e;

    const actor desk{"planner", {}};
    const actor sun{"agent-sun", {"callback_agent"}};
    const actor temp{"temp-qian", {}};
    // Shanghai local 09:00 on a date, in UTC.
    auto at9 = [](int day) { return time_point(boost::gregorian::date(2026, 11, day), hours(1)); };

    // Each callback is in its client's file; each client said yes to being called back.
    e.start("phone_callback", 1, {{"due", at9(29) + hours(1)}, {"contact", "138-0000-0001"}, {"counselor", "dr-li"}},
            at9(20), desk, "client-a");
    e.start("phone_callback", 2, {{"due", at9(27)}, {"contact", "139-0000-0002"}, {"counselor", "dr-zhao"}}, at9(20),
            desk, "client-b");
    e.start("phone_callback", 3, {{"due", at9(27)}, {"contact", "137-0000-0003"}, {"counselor", "dr-li"}}, at9(20),
            desk, "client-c");
    for (const char* client : {"client-a", "client-b", "client-c"})
        e.record_consent(client, "callback", true, at9(20), desk);
    // Client c rings on Thursday: please do not call me again.
    e.record_consent("client-c", "callback", false, at9(26), desk);

    // Friday: case 2 is due. An untrained temp cannot take it; the trained agent can't reach the client.
    e.advance(at9(27));
    e.dispatch(2, "claim", at9(27) + minutes(5), temp);
    e.dispatch(2, "claim", at9(27) + minutes(6), sun);
    e.dispatch(2, "verify", {{"contact_ok", true}}, at9(27) + minutes(8), sun);
    e.dispatch(2, "unreachable", at9(27) + minutes(10), sun);
    e.dispatch(3, "claim", at9(27) + minutes(12), sun);
    e.dispatch(3, "verify", {{"contact_ok", true}}, at9(27) + minutes(13), sun); // no consent: not dialed

    // Monday: case 1 (due Sunday) is due now; case 2's retry comes round.
    e.advance(at9(30));
    e.dispatch(1, "claim", at9(30) + minutes(20), sun);
    e.dispatch(1, "verify", {{"contact_ok", true}}, at9(30) + minutes(21), sun);
    e.dispatch(1, "reached", at9(30) + minutes(22), sun);
    e.dispatch(1, "feedback",
               {{"emotion", "calmer"},
                {"effect", "sleeping 6 h"},
                {"suggestions", "evening sessions"},
                {"special", false},
                {"book_further", true}},
               at9(30) + minutes(40), sun);
    e.dispatch(1, "record", at9(30) + hours(2), sun);
    e.dispatch(2, "verify", {{"contact_ok", true}}, at9(30) + hours(3), sun);
    e.dispatch(2, "unreachable", at9(30) + hours(3) + minutes(1), sun);

    // Wednesday (Tuesday is a holiday): the third and last attempt.
    const time_point wed(boost::gregorian::date(2026, 12, 2), hours(1));
    e.advance(wed + hours(3));
    e.dispatch(2, "verify", {{"contact_ok", true}}, wed + hours(3) + minutes(5), sun);
    e.dispatch(2, "unreachable", wed + hours(3) + minutes(6), sun);

    const auto k = compute_kpis(e.journal());
    const auto* on_time = k.sla("phone_callback", "on_time");
    std::cout << "\ncallbacks attempted on the day they were due: " << on_time->met << " of "
              << on_time->met + on_time->late
              << "; records the same working day: " << k.sla("phone_callback", "record")->met << "\n";
}
