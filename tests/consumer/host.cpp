// The smallest host: build a procedure, compile it, report.
#include <careflow/careflow.hpp>

#include <iostream>

int main() {
    careflow::procedure_builder b{"greeting"};
    b.event("done");
    b.state("open");
    b.state("closed").final();
    b.transition("open", "closed").on("done");
    const auto program = careflow::compile(b.build());
    std::cout << "host: procedure '" << program->name() << "' compiled, " << program->states().size() << " states\n";
}
