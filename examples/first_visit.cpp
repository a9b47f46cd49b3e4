// The first-visit responsibility system with the shipped first_visit procedure: three
// new clients. One is screened as a crisis (the manager is told at once); one is matched
// by rule to dr-li, who does every duty on time; one goes to dr-zhao, who is late with
// the records. Someone other than the responsible counselor tries the pre-contact, and a
// session cannot end before the agreement is signed. Ends with the responsibility
// fulfilment rate by counselor.
//
// Expected output: examples/first_visit.expected
#include "narrator.hpp"

using namespace careflow;
using boost::posix_time::hours;
using boost::posix_time::minutes;

int main() {
    narrated_engine demo{};
    engine& e = demo.e;

    const actor reception{"rec-zhou", {"receptionist"}};
    const actor back{"bo-wu", {"back_office"}};
    const actor li{"dr-li", {"counselor"}};
    const actor zhao{"dr-zhao", {"counselor"}};
    const time_point monday(boost::gregorian::date(2026, 11, 23), hours(1)); // 09:00 Shanghai
    const time_point appointment = monday + hours(48) + hours(1);            // Wednesday 10:00

    // The matching rule over preference, need and specialty.
    const std::vector<procedures::counselor_profile> roster = {
        {"dr-li", {"anxiety", "sleep"}, {"offline"}, 3, true},
        {"dr-zhao", {"family"}, {"online", "offline"}, 1, true},
    };
    const auto for_chen = procedures::match_counselor(roster, {"", "sleep", "offline"});
    const auto for_ma = procedures::match_counselor(roster, {"", "family", "online"});
    std::cout << "matching rule: Ms Chen -> " << *for_chen << ", Ms Ma -> " << *for_ma << "\n";

    e.start("first_visit", 1, {{"client", "Ms Chen"}, {"need", "sleep"}, {"appointment_at", appointment}}, monday,
            reception);
    e.start("first_visit", 2,
            {{"client", "Ms Ma"}, {"need", "family"}, {"mode", "online"}, {"appointment_at", appointment + hours(2)}},
            monday, reception);
    e.start("first_visit", 3, {{"client", "Mr Gao"}, {"appointment_at", appointment + hours(4)}}, monday, reception);

    // Tuesday: screening the day before.
    const auto tuesday = monday + hours(24);
    e.advance(tuesday + hours(5));
    e.dispatch(3, "screen", {{"risk", 5}, {"in_scope", true}}, tuesday + hours(6), back);
    e.dispatch(1, "screen", {{"risk", 1}, {"in_scope", true}}, tuesday + hours(6) + minutes(10), back);
    e.dispatch(2, "screen", {{"risk", 1}, {"in_scope", true}}, tuesday + hours(6) + minutes(20), back);
    e.dispatch(1, "assign_counselor", {{"counselor", *for_chen}, {"by_rule", true}}, tuesday + hours(6) + minutes(30),
               reception);
    e.dispatch(2, "assign_counselor", {{"counselor", *for_ma}, {"by_rule", true}}, tuesday + hours(6) + minutes(31),
               reception);
    e.dispatch(1, "contacted", tuesday + hours(7), zhao); // not Ms Chen's responsible counselor
    e.dispatch(1, "contacted", tuesday + hours(7) + minutes(5), li);
    e.dispatch(2, "contacted", tuesday + hours(8), zhao);

    // Wednesday: the first consultations.
    e.dispatch(1, "start_session", appointment, li);
    e.dispatch(1, "end_session", {{"plan", "8 sessions, CBT-I"}}, appointment + minutes(50), li); // unsigned
    e.dispatch(1, "sign_agreement", appointment + minutes(51), li);
    e.dispatch(1, "end_session", {{"plan", "8 sessions, CBT-I"}}, appointment + minutes(52), li);
    e.dispatch(2, "start_session", appointment + hours(2), zhao);
    e.dispatch(2, "sign_agreement", appointment + hours(2) + minutes(5), zhao);
    e.dispatch(2, "end_session", {{"plan", "family sessions"}}, appointment + hours(2) + minutes(55), zhao);
    e.dispatch(1, "record", appointment + hours(4), li);
    e.dispatch(1, "satisfaction", {{"score", 5}}, appointment + hours(5), actor{"client", {}});
    e.dispatch(1, "plan_follow_up", {{"next_step", "appointment"}}, appointment + hours(26), li);
    e.dispatch(1, "follow_up_done", appointment + hours(27), li);
    e.dispatch(2, "record", appointment + hours(2) + minutes(55) + hours(30), zhao); // late
    e.advance(appointment + hours(24 * 6));
    e.dispatch(2, "follow_up_done", appointment + hours(24 * 6), zhao);

    const auto k = compute_kpis(e.journal());
    std::cout << "\nresponsibility fulfilment (every duty on time):\n";
    for (const auto& r : k.responsibility)
        std::cout << "  " << r.person << ": " << r.fulfilled << " of " << r.cases << " first visits\n";
    std::cout << "  overall: " << static_cast<int>(k.responsibility_rate("first_visit") * 100 + 0.5) << " %\n";
}
