// A morning on the mental-health hotline with the shipped hotline_call procedure:
// an ordinary call with a transfer, a crisis, a caller who gives up while it rings
// (a breach of the three-ring SLA), and a record filed late. A caller who needs support
// and agrees to be called back gets the +1 week and +1 month callbacks; the anonymous
// crisis caller gave no consent, so nobody calls them and the recorder is told to offer
// other support. Ends with the KPIs.
//
// Expected output: examples/hotline_call.expected
#include "narrator.hpp"

using namespace careflow;
using boost::posix_time::hours;
using boost::posix_time::minutes;
using boost::posix_time::seconds;

int main() {
    narrated_engine demo{};
    engine& e = demo.e;

    const actor line{"switchboard", {}};
    const actor wang{"op-wang", {"operator"}};
    const actor li{"dr-li", {"counselor"}};
    const actor zhao{"dr-zhao", {"counselor"}};
    const actor caller{"caller", {}};
    const time_point day(boost::gregorian::date(2026, 11, 23), hours(1)); // Monday 09:00 in Shanghai
    const payload chen{
        {"name", "Ms Chen"}, {"withheld", false}, {"contact", "138-0000-0001"}, {"reason", "cannot sleep"}};

    // 1. Answered on the second ring, transferred after the handover, follow-up needed.
    auto t = day;
    narrator::check(e.start("hotline_call", 1, {}, t, line, "client-chen"), "start");
    e.dispatch(1, "answer", t + seconds(7), wang);
    e.dispatch(1, "register", chen, t + seconds(40), wang);
    e.dispatch(1, "assess", {{"urgency", 3}}, t + minutes(2), wang);
    narrator::check(e.dispatch(1, "join", t + minutes(2) + seconds(30), li), "join before the handover");
    e.dispatch(1, "handover", {{"note", "three weeks of insomnia"}}, t + minutes(3), wang);
    e.dispatch(1, "join", t + minutes(4), li);
    e.dispatch(1, "confirm_identity", t + minutes(5), zhao); // not the counselor who joined
    e.dispatch(1, "confirm_identity", t + minutes(5), li);
    e.dispatch(1, "resolve", {{"needs_follow_up", true}}, t + minutes(40), li);
    narrator::check(e.record_consent("client-chen", "callback", true, t + minutes(41), li), "consent");
    e.dispatch(1, "hang_up", t + minutes(42), caller);
    e.dispatch(1, "feedback", {{"channel", symbol{"sms"}}, {"score", 5}}, t + minutes(55), caller);
    e.dispatch(1, "record", t + minutes(70), li);

    // 2. A crisis: straight to a counselor, the manager told.
    t = day + hours(1) + minutes(30);
    narrator::check(e.start("hotline_call", 2, {}, t, line), "start");
    e.dispatch(2, "answer", t + seconds(4), wang);
    e.dispatch(2, "register", {{"name", ""}, {"withheld", true}, {"contact", ""}, {"reason", "wants to die"}},
               t + seconds(30), wang);
    e.dispatch(2, "assess", {{"urgency", 5}}, t + seconds(45), wang);
    e.dispatch(2, "join", t + minutes(1), zhao);
    e.dispatch(2, "confirm_identity", t + minutes(2), zhao);
    e.dispatch(2, "resolve", {{"needs_follow_up", true}}, t + minutes(50), zhao);
    e.dispatch(2, "hang_up", t + minutes(51), zhao);
    e.dispatch(2, "record", t + minutes(80), zhao);
    e.dispatch(2, "feedback", {{"channel", symbol{"phone"}}, {"score", 4}}, t + hours(1) + minutes(30), caller);

    // 3. Nobody answers in time; the caller hangs up after the breach.
    t = day + hours(3) + minutes(30);
    narrator::check(e.start("hotline_call", 3, {}, t, line), "start");
    e.dispatch(3, "hang_up", t + seconds(21), caller);

    // 4. Resolved by the operator; the record comes late, no feedback ever.
    t = day + hours(4);
    narrator::check(e.start("hotline_call", 4, {}, t, line), "start");
    e.dispatch(4, "answer", t + seconds(12), wang);
    e.dispatch(4, "register", {{"name", "Mr Sun"}, {"withheld", false}, {"contact", "139"}, {"reason", "work stress"}},
               t + seconds(50), wang);
    e.dispatch(4, "assess", {{"urgency", 1}}, t + minutes(2), wang);
    e.dispatch(4, "hang_up", t + minutes(15), caller);
    e.dispatch(4, "record", t + hours(3), wang);
    e.advance(day + hours(24 * 4));

    std::cout << "\nKPIs from the journal (" << e.journal_size() << " entries):\n";
    const auto k = compute_kpis(e.journal());
    for (const char* clock : {"answer_within_rings", "record", "feedback"}) {
        const auto* s = k.sla("hotline_call", clock);
        std::cout << "  " << clock << ": " << s->met << " met, " << s->late << " late, " << s->missed << " missed ("
                  << static_cast<int>(s->attainment() * 100 + 0.5) << " %)\n";
    }
    std::cout << "  abandoned: " << static_cast<int>(k.procedure("hotline_call")->rate("abandoned") * 100 + 0.5)
              << " %\n";
    std::cout << "  callbacks planned: " << k.procedure("phone_callback")->started << "\n";
}
