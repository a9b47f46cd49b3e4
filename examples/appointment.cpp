// Appointments with the shipped appointment procedure: requests by phone, web and walk-in;
// a confirmation inside 24 h and one outside it; a change with enough notice, one without;
// a timely cancellation, a late one, a no-show and an attended session. Ends with the
// rates the operations rules care about.
//
// Expected output: examples/appointment.expected
#include "narrator.hpp"

using namespace careflow;
using boost::posix_time::hours;
using boost::posix_time::minutes;

int main() {
    narrated_engine demo{};
    engine& e = demo.e;

    const actor desk{"rec-zhou", {"receptionist"}};
    const actor li{"dr-li", {"counselor"}};
    const actor client{"client", {}};
    const time_point monday(boost::gregorian::date(2026, 11, 23), hours(1)); // 09:00 Shanghai
    const time_point friday10 = monday + hours(24 * 4 + 1);

    e.start("appointment", 1, {{"client", "Ms Chen"}, {"channel", "phone"}}, monday, desk);
    e.start("appointment", 2, {{"client", "Mr Sun"}, {"channel", "web"}}, monday + minutes(30), desk);
    e.start("appointment", 3, {{"client", "Ms Ma"}, {"channel", "walk_in"}}, monday + hours(1), desk);
    e.start("appointment", 4, {{"client", "Mr Gao"}, {"channel", "web"}}, monday + hours(2), desk);

    e.dispatch(1, "confirm", {{"at", friday10}}, monday + hours(3), li);
    e.dispatch(3, "confirm", {{"at", friday10 + hours(2)}}, monday + hours(5), li);
    e.dispatch(4, "confirm", {{"at", friday10 + hours(4)}}, monday + hours(6), li);
    e.dispatch(2, "confirm", {{"at", friday10 + hours(6)}}, monday + hours(25), li); // over 24 h

    e.dispatch(3, "reschedule", {{"at", friday10 + hours(24 * 3)}}, monday + hours(24 * 2), client); // enough notice
    e.dispatch(4, "cancel", monday + hours(24 * 2), client);                                         // in time
    e.dispatch(2, "reschedule", {{"at", friday10 + hours(24 * 4)}}, friday10 - hours(2), client);    // too late
    e.dispatch(2, "cancel", friday10 - hours(1), client);                                            // late
    e.dispatch(1, "check_in", friday10 - minutes(5), desk);
    e.dispatch(1, "done", friday10 + minutes(50), li);
    e.advance(friday10 + hours(24 * 3) + hours(1)); // Monday: Ms Ma does not come

    const auto k = compute_kpis(e.journal());
    const auto* p = k.procedure("appointment");
    std::cout << "\nconfirmed within 24 h: " << k.sla("appointment", "confirm")->met << " of " << p->started
              << "; late cancellations: " << p->count("late_cancelled") << "; no-shows: " << p->count("no_show")
              << "; attended: " << p->count("attended") << "\n";
}
