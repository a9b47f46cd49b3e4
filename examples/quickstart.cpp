#include <careflow/careflow.hpp>
#include <iostream>
using namespace careflow;
using boost::posix_time::seconds;
int main() {
    procedure_builder b{"hotline_call"};
    b.event("answer").event("hang_up");
    b.state("ringing");
    b.state("talking");
    b.state("ended").final();
    b.transition("ringing", "talking").on("answer").require_role("operator");
    b.transition("talking", "ended").on("hang_up");
    b.sla("three_rings").start(entered("ringing")).stop(left("ringing")).goal(seconds(15));
    engine e;
    const time_point t0(boost::gregorian::date(2026, 11, 23));
    e.start(compile(b.build()), 1, {}, t0, {"switchboard", {}});
    auto r = e.dispatch(1, "answer", t0 + seconds(20), {"op-7", {"operator"}});
    std::cout << to_string(r.kind) << ": " << e.get(1).path() << ", three_rings "
              << to_string(e.get(1).sla("three_rings").status) << "\n";
}
