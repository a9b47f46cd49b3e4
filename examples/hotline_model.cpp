// The hotline call's model: validate it, compile it, look at what compile() resolved,
// and draw it. The procedure is the shipped one (careflow/procedures/hotline_call.hpp).
//
// Run with a file name to also write the Graphviz picture: hotline_model call.gv
//
// Expected output: examples/hotline_model.expected
#include <careflow/careflow.hpp>

#include <fstream>
#include <iostream>

using namespace careflow;

int main(int argc, char** argv) {
    const procedure model = procedures::hotline_call();
    for (const auto& d : validate(model)) std::cout << d.to_string() << "\n";

    const auto program = compile(model);
    std::cout << program->name() << ": " << program->states().size() << " states, " << program->events().size()
              << " events, " << program->decl_count() << " transitions, " << program->timers().size() << " timers, "
              << program->slas().size() << " SLA clocks\n";

    // What "hang_up" does in each leaf, with the exit and entry sequences compile() resolved.
    const auto hang_up = *program->find_event("hang_up");
    for (state_index s = 0; s < program->states().size(); ++s) {
        const auto& st = program->states()[s];
        if (st.compound || st.is_final) continue;
        const auto cs = program->candidates(s, hang_up);
        std::cout << "  hang_up in " << st.path << ": ";
        if (cs.empty()) {
            std::cout << "ignored\n";
            continue;
        }
        std::cout << "exit";
        for (auto x : program->sequence(cs[0].exits)) std::cout << " " << program->states()[x].name;
        std::cout << "; enter";
        for (auto x : program->sequence(cs[0].entries)) std::cout << " " << program->states()[x].name;
        std::cout << "\n";
    }
    if (argc > 1) {
        std::ofstream(argv[1]) << to_dot(model, {.highlight = "ringing"});
        std::cout << "wrote " << argv[1] << "\n";
    }
}
