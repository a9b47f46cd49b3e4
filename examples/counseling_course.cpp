// A course of counseling with the shipped counseling_course procedure: intake, a plan,
// weekly sessions with an evaluation every 4 sessions, closure, and the counselor's
// follow-up callback a week later.
//
// Expected output: examples/counseling_course.expected
#include "narrator.hpp"

using namespace careflow;
using boost::posix_time::hours;
using boost::posix_time::minutes;

int main() {
    narrated_engine demo{};
    engine& e = demo.e;

    const actor desk{"rec-zhou", {"receptionist"}};
    const actor li{"dr-li", {"counselor"}};
    const actor zhao{"dr-zhao", {"counselor"}};
    auto t = time_point(boost::gregorian::date(2026, 11, 2), hours(2)); // Monday 10:00 Shanghai
    e.start("counseling_course", 7, {{"client", "Ms Chen"}, {"contact", "138-0000-0001"}}, t, desk);
    e.dispatch(7, "assessed", t + minutes(50), li);
    e.dispatch(7, "plan", {{"goals", "sleep 7 h; fewer worries"}}, t + hours(1), li);
    for (int week = 1; week <= 6; ++week) {
        t += hours(24 * 7);
        e.dispatch(7, "session_held", t, week == 3 ? zhao : li); // week 3: a colleague may not log it
        if (week == 3) e.dispatch(7, "session_held", t + minutes(1), li);
        if (week == 4) e.dispatch(7, "evaluate", {{"goals", "sleep 7 h"}}, t + hours(1), li);
    }
    e.dispatch(7, "close", {{"outcome", "goals met"}}, t + hours(1), li);
    const auto c = e.get(7);
    std::cout << "\n"
              << std::get<std::int64_t>(c.variable("sessions").get()) << " sessions, "
              << std::get<std::int64_t>(c.variable("evaluations").get()) << " evaluation; follow-up callback case "
              << c.children().at(0) << " due "
              << narrator::when(std::get<time_point>(e.get(c.children()[0]).variable("due").get())) << "\n";
}
