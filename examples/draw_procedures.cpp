// Writes every shipped procedure as Graphviz DOT into a folder (default: the current one).
// docs/procedures/README.md gives the command that turns them into the committed SVGs.
//
// Expected output: examples/draw_procedures.expected
#include <careflow/careflow.hpp>

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
    using namespace careflow;
    const std::string dir = argc > 1 ? argv[1] : ".";
    for (const auto& p : {procedures::hotline_call(), procedures::phone_callback(), procedures::first_visit(),
                          procedures::appointment(), procedures::counseling_course(), procedures::complaint()}) {
        std::ofstream(dir + "/" + p.name() + ".gv") << to_dot(p);
        std::cout << p.name() << ": " << p.state_count() << " states\n";
    }
}
