// The engine scenario's call as a careflow procedure (ring timer, SLA clock, role), shared
// by the engine benchmark and the store benchmark.
#pragma once

#include <careflow/careflow.hpp>

namespace engine_bench {

/// With `personal`, the urgency (variable and field) is clinical personal data: a store
/// then keeps it sealed apart (the store benchmark's `store_sealed`).
inline std::shared_ptr<const careflow::program> hotline(bool personal = false) {
    using namespace careflow;
    using boost::posix_time::seconds;
    procedure_builder b{"hotline_call"};
    b.variable("urgency", value_type::integer, 0)
        .event("ring")
        .event("answer")
        .event("hang_up")
        .event("assess", {{"urgency", value_type::integer, {}, personal ? sensitivity::clinical : sensitivity::none}})
        .event("resolve");
    if (personal) b.personal("urgency", sensitivity::clinical);
    b.state("call").initial("ringing");
    b.state("ringing").parent("call").every(seconds(5), "ring", 3);
    b.state("talking").parent("call").initial("assessment");
    b.state("assessment").parent("talking");
    b.state("counseling").parent("talking");
    b.state("resolution").parent("talking");
    b.state("ended").final();
    b.internal("ringing").on("ring");
    b.transition("ringing", "talking").on("answer").require_role("operator");
    b.transition("assessment", "counseling")
        .on("assess")
        .when(field("urgency") >= 2)
        .then(set("urgency", field("urgency")));
    b.transition("assessment", "resolution").on("assess").then(set("urgency", field("urgency")));
    b.transition("counseling", "resolution").on("resolve");
    b.transition("call", "ended").on("hang_up");
    b.sla("answer").start(entered("ringing")).stop(left("ringing")).cancel(received("hang_up")).goal(seconds(15));
    return compile(b.build());
}

} // namespace engine_bench
