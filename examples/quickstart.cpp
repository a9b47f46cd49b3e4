// The README's first program: describe a procedure, build it, compile it.
// Expected output: examples/quickstart.expected
#include <careflow/careflow.hpp>
#include <iostream>
using namespace careflow;

int main() {
    procedure_builder b{"callback"};
    b.event("dial").event("reached").event("unreachable");
    b.state("planned");
    b.state("dialing").every(boost::posix_time::minutes(10), "dial", 3);
    b.state("done").final();
    b.transition("planned", "dialing").on("dial").require_role("callback_agent");
    b.transition("dialing", "done").on("reached");
    b.transition("dialing", "done").on("unreachable").then(notify("tell_counselor"));
    b.internal("dialing").on("dial");
    auto program = compile(b.build());
    for (auto& t : program->transitions())
        std::cout << t.source << " -" << t.event << "-> " << (t.target.empty() ? "(stays)" : t.target) << "\n";
}
