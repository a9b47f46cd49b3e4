// Four calls to the hotline, run on careflow's engine with the host's clock, narrated:
// an ordinary call, a crisis, a caller who gives up while it rings (a breach of the
// three-ring SLA), and a counselor who files the record late. Ends with the KPIs
// computed from the journal. The procedure is in hotline.hpp.
//
// Expected output: examples/hotline_run.expected
#include "hotline.hpp"

#include <boost/date_time/posix_time/posix_time.hpp>

#include <iostream>

using namespace careflow;
using boost::posix_time::hours;
using boost::posix_time::minutes;
using boost::posix_time::seconds;

namespace {

// Shanghai wall-clock time for the narration (instants are UTC inside).
std::string clock_of(time_point t) {
    return boost::posix_time::to_simple_string((t + hours(8)).time_of_day()).substr(0, 8);
}

struct narrator : observer {
    void started(const case_view& c, time_point t) override {
        std::cout << clock_of(t) << "  call " << c.id() << " rings\n";
    }
    void transition(const case_view& c, std::string_view event, state_index from, state_index to,
                    time_point t) override {
        if (from == to) return; // internal: the ring tick
        std::cout << clock_of(t) << "  call " << c.id() << ": " << event << "  " << c.prog().states()[from].name
                  << " -> " << c.prog().states()[to].path << "\n";
    }
    void refused(const case_view& c, std::string_view event, const result& r, time_point t) override {
        std::cout << clock_of(t) << "  call " << c.id() << ": " << event << " REFUSED (" << r.reason << ")\n";
    }
    void notified(const case_view& c, std::string_view topic, std::string_view message, time_point t) override {
        std::cout << clock_of(t) << "  call " << c.id() << ": notify " << topic << ": " << message << "\n";
    }
    void sla_warning(const case_view& c, const program_sla& s, double f, time_point t) override {
        std::cout << clock_of(t) << "  call " << c.id() << ": SLA " << s.name << " at " << static_cast<int>(f * 100)
                  << " %\n";
    }
    void sla_breach(const case_view& c, const program_sla& s, time_point t) override {
        std::cout << clock_of(t) << "  call " << c.id() << ": SLA " << s.name << " BREACHED\n";
    }
    void sla_met(const case_view& c, const program_sla& s, time_point t) override {
        std::cout << clock_of(t) << "  call " << c.id() << ": SLA " << s.name << " met\n";
    }
    void finished(const case_view& c, time_point t) override {
        std::cout << clock_of(t) << "  call " << c.id() << " finished in " << c.path() << "\n";
    }
};

} // namespace

int main() {
    const auto hotline = compile(hotline_procedure());
    engine e;
    narrator n;
    e.add_observer(&n);

    const actor line{"switchboard", {}};
    const actor wang{"op-wang", {"operator"}};
    const actor li{"dr-li", {"counselor"}};
    const actor zhao{"dr-zhao", {"counselor"}};
    const time_point day(boost::gregorian::date(2026, 11, 23), hours(1)); // 09:00 in Shanghai

    // 1. An ordinary call, answered on the second ring, transferred, recorded on time.
    auto t = day;
    e.start(hotline, 1, {}, t, line);
    e.dispatch(1, "answer", t + seconds(7), wang);
    e.dispatch(1, "register", {{"name", "Ms Chen"}}, t + seconds(40), wang);
    e.dispatch(1, "assess", {{"urgency", 2}}, t + minutes(2), wang);
    e.dispatch(1, "join", t + minutes(3), li);
    e.dispatch(1, "resolve", t + minutes(30), zhao); // not the assigned counselor
    e.dispatch(1, "resolve", t + minutes(31), li);
    e.dispatch(1, "hang_up", t + minutes(35), wang);
    e.dispatch(1, "recorded", t + minutes(80), li);

    // 2. A crisis: urgency 5 goes straight to emergency handling.
    t = day + hours(2);
    e.start(hotline, 2, {}, t, line);
    e.dispatch(2, "answer", t + seconds(4), wang);
    e.dispatch(2, "register", {{"name", "(withheld)"}}, t + seconds(30), wang);
    e.dispatch(2, "assess", {{"urgency", 5}}, t + seconds(50), wang);
    e.dispatch(2, "join", t + minutes(1), zhao);
    e.dispatch(2, "hang_up", t + minutes(50), zhao);
    e.dispatch(2, "recorded", t + minutes(90), zhao);

    // 3. Nobody answers: the SLA breaches after three rings, the caller hangs up.
    t = day + hours(4);
    e.start(hotline, 3, {}, t, line);
    e.dispatch(3, "hang_up", t + seconds(21), line);

    // 4. The counselor files the record late.
    t = day + hours(5);
    e.start(hotline, 4, {}, t, line);
    e.dispatch(4, "answer", t + seconds(12), wang);
    e.dispatch(4, "register", {{"name", "Mr Sun"}}, t + seconds(50), wang);
    e.dispatch(4, "assess", {{"urgency", 1}}, t + minutes(2), wang);
    e.dispatch(4, "hang_up", t + minutes(15), wang);
    e.assign(4, "counselor", "dr-li", t + minutes(16), actor{"mgr-liu", {"manager"}});
    e.dispatch(4, "recorded", t + hours(3), li);
    // Time given to an engine never goes backwards; an input that tries is an error result.
    const result late = e.start(hotline, 5, {}, day, line);
    std::cout << "a start at 09:00 now: " << to_string(late.kind) << " (" << late.code << ")\n";
    e.advance(day + hours(10));

    std::cout << "\nKPIs from the journal (" << e.journal_size() << " entries):\n";
    const auto kpis = compute_kpis(e.journal());
    for (const auto& s : kpis.slas)
        std::cout << "  " << s.sla << ": " << s.met << " met, " << s.late << " late, " << s.missed
                  << " missed, attainment " << static_cast<int>(s.attainment() * 100 + 0.5) << " %\n";
    for (const auto& d : kpis.duties)
        std::cout << "  " << d.person << " (" << d.sla << "): " << d.on_time << " on time, " << d.late << " late\n";
    if (const auto* ringing = kpis.state("hotline_call", "call.ringing"))
        std::cout << "  mean time ringing: " << ringing->mean() / ticks_per_second << " s over " << ringing->visits
                  << " calls\n";
}
