// The shipped hotline-call procedure: three rings, registration, assessment, transfer, record and feedback callbacks.
#include <careflow/model/builder.hpp>
#include <careflow/procedures/hotline_call.hpp>

namespace careflow::procedures {

procedure hotline_call(const hotline_call_params& k) {
    procedure_builder b{"hotline_call", 1};
    b.describe("A call to the mental-health hotline: intake, transfer, resolution, record and feedback.");
    b.variable("caller", value_type::text)
        .variable("withheld", value_type::boolean, false)
        .variable("contact", value_type::text)
        .variable("reason", value_type::text)
        .variable("urgency", value_type::integer, 0)
        .variable("handover_note", value_type::text)
        .variable("counselor_id", value_type::text)
        .variable("needs_follow_up", value_type::boolean, false)
        .variable("consulted_at", value_type::time)
        .variable("rings", value_type::integer, 0)
        .variable("satisfaction", value_type::integer, 0)
        .enumeration("feedback_channel", {"none", "phone", "sms"}, "none")
        .event("ring")
        .event("answer")
        .event("hang_up")
        .event("register", {{"name", value_type::text, {}, sensitivity::contact},
                            {"withheld", value_type::boolean, {}},
                            {"contact", value_type::text, {}, sensitivity::contact},
                            {"reason", value_type::text, {}, sensitivity::clinical}})
        .event("assess", {{"urgency", value_type::integer, {}, sensitivity::clinical}})
        .event("handover", {{"note", value_type::text, {}, sensitivity::clinical}})
        .event("join")
        .event("confirm_identity")
        .event("resolve", {{"needs_follow_up", value_type::boolean, {}}})
        .event("record")
        .event("feedback",
               {{"channel", value_type::enumeration, {"none", "phone", "sms"}}, {"score", value_type::integer, {}}})
        .event("feedback_due")
        .duty("operator")
        .duty("counselor")
        .duty("recorder");
    // Personal data, and who may read it (docs/security.md lists the shipped rules).
    b.personal("caller", sensitivity::contact)
        .personal("contact", sensitivity::contact)
        .personal("reason", sensitivity::clinical)
        .personal("urgency", sensitivity::clinical)
        .personal("handover_note", sensitivity::clinical);
    b.may_read(sensitivity::clinical).by_assignee("operator").in("talking").describe("the operator, during the call");
    b.may_read({"caller", "reason", "urgency", "handover_note", "handover.note"})
        .by_role(roles::counselor)
        .in("awaiting_counselor")
        .in("crisis")
        .describe("a counselor deciding to take the transfer");
    b.may_read(sensitivity::clinical).by_assignee("counselor").describe("the counselor who took the call: the file");
    b.may_read(sensitivity::clinical).by_assignee("recorder").in("after_call").describe("the recorder, recording");
    b.may_read(sensitivity::clinical).by_role(roles::manager).describe("managers: the file");

    b.state("call").initial("ringing").describe("1. Intake and 2. transfer");
    b.state("ringing").parent("call").every(k.ring_cycle, "ring", k.max_rings).describe("1.1 rings until answered");
    b.state("talking").parent("call").initial("registration");
    b.state("registration").parent("talking").describe("1.2 name (may be withheld), contact, reason");
    b.state("assessment").parent("talking").describe("1.3 urgency; decide on transfer");
    b.state("crisis")
        .parent("talking")
        .describe("high risk: transfer at once, emergency handling")
        .on_entry(notify("crisis", "high risk: start emergency handling and transfer at once"))
        .on_entry(notify("manager", "crisis call in progress"));
    b.state("handover").parent("talking").describe("2.1 hand caller info and assessment to the counselor");
    b.state("awaiting_counselor").parent("talking");
    b.state("identity_check").parent("talking").describe("2.2 counselor re-confirms identity and reason");
    b.state("counseling").parent("talking").describe("2.3 in-depth counseling");
    b.state("resolution").parent("talking").describe("3. resources, emotional support, close");
    b.state("abandoned").final().describe("the caller hung up before the conversation");
    b.state("after_call").initial("recording").describe("4. record and feedback");
    b.state("recording").parent("after_call").describe("4.1 the consultation is recorded");
    b.state("awaiting_feedback").parent("after_call").describe("4.2 satisfaction feedback by phone or SMS");
    b.state("closed").final();
    b.edit("after_call").after(k.feedback_give_up, "feedback_due");

    b.internal("ringing").on("ring").then(set("rings", var("rings") + 1));
    b.transition("ringing", "talking")
        .on("answer")
        .require_role(roles::operator_)
        .then(assign("operator", actor_id()))
        .then(assign("recorder", actor_id()));
    b.transition("call", "abandoned").on("hang_up");
    b.transition("talking", "after_call").on("hang_up").then(set("consulted_at", now()));
    b.transition("registration", "assessment")
        .on("register")
        .by_assignee("operator")
        .then(set("caller", field("name")))
        .then(set("withheld", field("withheld")))
        .then(set("contact", field("contact")))
        .then(set("reason", field("reason")));
    b.transition("assessment", "crisis")
        .on("assess")
        .when(field("urgency") >= k.crisis_urgency)
        .by_assignee("operator")
        .then(set("urgency", field("urgency")));
    b.transition("assessment", "handover")
        .on("assess")
        .when(field("urgency") >= k.transfer_urgency)
        .by_assignee("operator")
        .then(set("urgency", field("urgency")));
    b.transition("assessment", "resolution")
        .on("assess")
        .by_assignee("operator")
        .then(set("urgency", field("urgency")));
    b.transition("handover", "awaiting_counselor")
        .on("handover")
        .by_assignee("operator")
        .then(set("handover_note", field("note")));
    for (const char* from : {"crisis", "awaiting_counselor"})
        b.transition(from, "identity_check")
            .on("join")
            .require_role(roles::counselor)
            .then(assign("counselor", actor_id()))
            .then(assign("recorder", actor_id()))
            .then(set("counselor_id", actor_id()));
    b.transition("identity_check", "counseling").on("confirm_identity").by_assignee("counselor");
    b.transition("counseling", "resolution")
        .on("resolve")
        .by_assignee("counselor")
        .then(set("needs_follow_up", field("needs_follow_up")));
    // An operator who resolved the call without a counselor can flag follow-up too.
    b.internal("resolution")
        .on("resolve")
        .by_assignee("recorder")
        .then(set("needs_follow_up", field("needs_follow_up")));

    // Recording; a caller who needs support gets the follow-up callbacks (→ procedure 2).
    std::vector<action> follow_ups;
    for (const auto& offset : k.follow_up_after)
        follow_ups.push_back(spawn(k.callback_procedure, {{"consulted_at", var("consulted_at")},
                                                          {"due", due_day(var("consulted_at"), offset, k.calendar)},
                                                          {"contact", var("contact")},
                                                          {"counselor", var("counselor_id")}}));
    auto with_callbacks = b.transition("recording", "awaiting_feedback").on("record").by_assignee("recorder");
    expr wants = var("needs_follow_up") == true;
    if (!k.callback_consent.empty()) {
        b.consent(k.callback_consent, "to be called back after the call (the follow-up callbacks)");
        with_callbacks.when(wants && consent(k.callback_consent));
        b.transition("recording", "awaiting_feedback")
            .on("record")
            .by_assignee("recorder")
            .when(wants)
            .then(notify("follow_up_without_consent",
                         "the caller needs follow-up but has not consented to be called back: offer other support"));
    } else {
        with_callbacks.when(wants);
    }
    for (auto& a : follow_ups) with_callbacks.then(a);
    b.transition("recording", "awaiting_feedback").on("record").by_assignee("recorder");
    // Feedback may come before or after the record; the call closes when both are in.
    b.internal("recording")
        .on("feedback")
        .then(set("feedback_channel", field("channel")))
        .then(set("satisfaction", field("score")));
    b.transition("awaiting_feedback", "closed")
        .on("feedback")
        .then(set("feedback_channel", field("channel")))
        .then(set("satisfaction", field("score")));
    b.transition("awaiting_feedback", "closed").when(var("feedback_channel") != symbol{"none"});
    b.transition("awaiting_feedback", "closed").on("feedback_due");
    b.internal("recording")
        .on("feedback_due")
        .then(notify("feedback_missing", "no satisfaction feedback within the limit"));

    b.sla("answer_within_rings")
        .start(entered("ringing"))
        .stop(left("ringing"))
        .cancel(received("hang_up"))
        .goal(k.ring_cycle * k.rings)
        .accountable("operator");
    b.sla("record").start(entered("after_call")).stop(received("record")).goal(k.record_within).accountable("recorder");
    b.sla("feedback").start(entered("after_call")).stop(received("feedback")).goal(k.feedback_within);
    return b.build();
}

} // namespace careflow::procedures
