// The hotline call (PROCEDURES.md §1) as a careflow procedure, shared by the examples.
//
//   call ───────────────────────────────────────────────────────────┐
//   │ ringing ──answer{operator}──► talking ────────────────────────┐│
//   │  ↺ ring every 5 s, 3 times   │ registration ─register─►       ││
//   │  SLA: answered within 15 s   │ assessment ─assess─► crisis    ││ ──hang_up──► abandoned
//   │                              │             [urgency ≥ 4]      ││
//   │                              │           ─► transfer [≥ 2]    ││
//   │                              │           ─► resolution        ││
//   │                              │ transfer: handover ─join─► counseling
//   │                              └──hang_up──► recording ─recorded─► closed
//                                                 SLA: record within 2 h (by the counselor)
#pragma once

#include <careflow/careflow.hpp>

inline careflow::procedure hotline_procedure() {
    using namespace careflow;
    using boost::posix_time::hours;
    using boost::posix_time::seconds;
    procedure_builder b{"hotline_call"};
    b.variable("urgency", value_type::integer, 0)
        .variable("caller", value_type::text)
        .event("ring")
        .event("answer")
        .event("hang_up")
        .event("join")
        .event("resolve")
        .event("recorded")
        .event("register", {{"name", value_type::text, {}}})
        .event("assess", {{"urgency", value_type::integer, {}}})
        .event("record_due")
        .duty("counselor");
    b.state("call").initial("ringing");
    b.state("ringing").parent("call").every(seconds(5), "ring", 3);
    b.state("talking").parent("call").initial("registration");
    b.state("registration").parent("talking");
    b.state("assessment").parent("talking");
    b.state("crisis").parent("talking").on_entry(notify("crisis", "high risk: emergency handling"));
    b.state("transfer").parent("talking").initial("handover");
    b.state("handover").parent("transfer");
    b.state("counseling").parent("transfer");
    b.state("resolution").parent("talking");
    b.state("abandoned").final();
    b.state("recording").after(hours(2), "record_due");
    b.state("closed").final();

    b.internal("ringing").on("ring");
    b.transition("ringing", "talking").on("answer").require_role("operator");
    b.transition("call", "abandoned").on("hang_up");
    b.transition("talking", "recording").on("hang_up");
    b.transition("registration", "assessment").on("register").then(set("caller", field("name")));
    b.transition("assessment", "crisis")
        .on("assess")
        .when(field("urgency") >= 4)
        .then(set("urgency", field("urgency")));
    b.transition("assessment", "transfer")
        .on("assess")
        .when(field("urgency") >= 2)
        .then(set("urgency", field("urgency")));
    b.transition("assessment", "resolution").on("assess").then(set("urgency", field("urgency")));
    b.transition("crisis", "counseling").on("join").require_role("counselor").then(assign("counselor", actor_id()));
    b.transition("handover", "counseling").on("join").require_role("counselor").then(assign("counselor", actor_id()));
    b.transition("counseling", "resolution").on("resolve").by_assignee("counselor");
    b.transition("recording", "closed").on("recorded").by_assignee("counselor");
    b.internal("recording").on("record_due").then(notify("record_late", "no record within 2 h"));
    // Hanging up while it rings cancels the clock (cancel outranks stop): an abandoned
    // call is a miss if it had already breached, not an "answered late".
    b.sla("answer_within_three_rings")
        .start(entered("ringing"))
        .stop(left("ringing"))
        .cancel(received("hang_up"))
        .goal(seconds(15));
    b.sla("record_within_2h")
        .start(entered("recording"))
        .stop(received("recorded"))
        .goal(hours(2))
        .accountable("counselor");
    return b.build();
}
