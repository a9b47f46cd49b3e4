// DOT export: structure a Graphviz user relies on.
#include "fixtures.hpp"

#include <cstdio>
#include <fstream>

using namespace careflow;
using namespace careflow::test;

namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
std::size_t count(const std::string& s, const std::string& part) {
    std::size_t n = 0;
    for (auto at = s.find(part); at != std::string::npos; at = s.find(part, at + 1)) ++n;
    return n;
}
} // namespace

TEST_CASE("compound states become nested clusters") {
    const std::string dot = to_dot(hotline_model().build());
    CHECK(dot.rfind("digraph \"hotline_call\" {", 0) == 0);
    CHECK(contains(dot, "compound=true"));
    CHECK(count(dot, "subgraph \"cluster_") == 3); // call, talking, transfer
    // transfer's cluster sits inside talking's, which sits inside call's
    const auto call = dot.find("subgraph \"cluster_call\"");
    const auto talking = dot.find("subgraph \"cluster_talking\"");
    const auto transfer = dot.find("subgraph \"cluster_transfer\"");
    CHECK(call < talking);
    CHECK(talking < transfer);
    CHECK(dot.back() == '\n');
    CHECK(count(dot, "{") == count(dot, "}"));
}

TEST_CASE("transitions are labelled event [guard] / actions {roles} <duty>") {
    const std::string dot = to_dot(hotline_model().build());
    CHECK(contains(
        dot, "\"assessment\" -> \"crisis\" [label=\"assess [$urgency >= 4] / urgency := $urgency; log_crisis()\"]"));
    // an edge into a compound state ends at its cluster's border
    CHECK(contains(dot, "\"ringing\" -> \"registration\" [label=\"answer {operator}\", lhead=\"cluster_talking\"]"));
    CHECK(contains(dot, "label=\"resolve <by counselor>\""));
    // a transition declared on a compound state leaves its cluster
    CHECK(contains(dot, "ltail=\"cluster_call\""));
    // internal transitions are dashed self-loops
    CHECK(contains(dot, "\"ringing\" -> \"ringing\" [label=\"ring / rings := rings + 1\", style=dashed]"));
}

TEST_CASE("final states, the start marker, timers and SLA clocks are drawn") {
    const std::string dot = to_dot(hotline_model().build());
    CHECK(contains(dot, "\"closed\" [label=\"closed\", shape=doublecircle]"));
    CHECK(contains(dot, "\"__start\" [shape=point"));
    CHECK(contains(dot, "\"__start\" -> \"ringing\" [lhead=\"cluster_call\"]"));
    CHECK(contains(dot, "timer every 5s x3 -> ring"));
    CHECK(contains(dot, "timer after 2h -> record_due"));
    CHECK(contains(dot, "SLA answer: 15s"));
    procedure_builder b = minimal();
    b.edit("a").on_entry(notify("arrived")).on_exit(call("log"));
    b.host("log");
    CHECK(contains(to_dot(b.build()), "\"a\" [label=\"a\\nentry / notify arrived\\nexit / log()\"]"));
    const std::string bare =
        to_dot(hotline_model().build(), {.highlight = {}, .show_timers = false, .show_slas = false});
    CHECK_FALSE(contains(bare, "timer every"));
    CHECK_FALSE(contains(bare, "__slas"));
}

TEST_CASE("a highlighted state is filled") {
    const std::string dot = to_dot(hotline_model().build(), {.highlight = "counseling"});
    CHECK(contains(
        dot, "\"counseling\" [label=\"counseling\", style=\"rounded,filled\", fillcolor=\"#ffe08a\", penwidth=2]"));
    CHECK(count(dot, "fillcolor") == 1);
}

TEST_CASE("quotes and backslashes in names are escaped") {
    procedure_builder b{"quote\"d"};
    b.event("go");
    b.state("say \"hi\"");
    b.state("end\\").final();
    b.transition("say \"hi\"", "end\\").on("go");
    const std::string dot = to_dot(b.build());
    CHECK(contains(dot, "digraph \"quote\\\"d\""));
    CHECK(contains(dot, "\"say \\\"hi\\\"\" -> \"end\\\\\""));
}

TEST_CASE("Graphviz's dot accepts the output" * doctest::skip(std::system("dot -V > /dev/null 2>&1") != 0)) {
    const std::string path = "careflow_test_dot.gv";
    for (const auto& p :
         {hotline_model().build(), procedures::hotline_call(), procedures::phone_callback(), procedures::first_visit(),
          procedures::appointment(), procedures::counseling_course(), procedures::complaint()}) {
        std::ofstream(path) << to_dot(p, {.highlight = p.initial()});
        CHECK(std::system(("dot -Tsvg " + path + " -o careflow_test_dot.svg 2> careflow_test_dot.err").c_str()) == 0);
        std::ifstream err("careflow_test_dot.err");
        const std::string warnings((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
        CHECK_MESSAGE(warnings.empty(), p.name() << ": " << warnings);
    }
    std::remove(path.c_str());
    std::remove("careflow_test_dot.svg");
    std::remove("careflow_test_dot.err");
}
