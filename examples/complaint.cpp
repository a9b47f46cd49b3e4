// Complaints with the shipped complaint procedure: one acknowledged the next working day
// and resolved in time, with its summary and improvement recorded; one left too long,
// escalated to internal supervision when its limits pass.
//
// Expected output: examples/complaint.expected
#include "narrator.hpp"

using namespace careflow;
using boost::posix_time::hours;
using boost::posix_time::minutes;

int main() {
    narrated_engine demo{};
    engine& e = demo.e;

    const actor line{"complaints-line", {}};
    const actor liu{"mgr-liu", {"manager"}};
    const time_point friday(boost::gregorian::date(2026, 11, 27), hours(8)); // Friday 16:00 Shanghai

    e.start("complaint", 1, {{"complainant", "Mr Sun"}, {"subject", "waited 2 minutes on the hotline"}}, friday, line);
    e.start("complaint", 2, {{"complainant", "Ms Ma"}, {"subject", "appointment moved without notice"}},
            friday + hours(1), line);
    e.dispatch(1, "acknowledge", friday + hours(24 * 3) - minutes(30), liu); // Monday 15:30: within 1 working day
    e.dispatch(1, "resolve", {{"summary", "noon peak understaffed"}}, friday + hours(24 * 5), liu);
    e.dispatch(1, "record_improvement", {{"improvement", "an extra operator 11:30-13:30"}}, friday + hours(24 * 6),
               liu);
    e.advance(friday + hours(24 * 8));
    e.dispatch(2, "acknowledge", friday + hours(24 * 8), liu);

    const auto k = compute_kpis(e.journal());
    for (const char* clock : {"acknowledge", "resolve"}) {
        const auto* s = k.sla("complaint", clock);
        std::cout << "\n" << clock << " within target: " << s->met << ", breached: " << s->breaches;
    }
    std::cout << "\n";
}
