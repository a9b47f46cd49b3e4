// The shipped phone-callback procedure: due-day attempts, retries, reach or give up, record.
#include <careflow/model/builder.hpp>
#include <careflow/procedures/phone_callback.hpp>

namespace careflow::procedures {

procedure phone_callback(const phone_callback_params& k) {
    procedure_builder b{"phone_callback", 1};
    b.describe("A follow-up telephone callback: preparation, execution, retries, records, tracking.");
    b.variable("consulted_at", value_type::time)
        .variable("due", value_type::time)
        .variable("contact", value_type::text)
        .variable("counselor", value_type::text)
        .variable("attempts", value_type::integer, 0)
        .variable("emotion", value_type::text)
        .variable("effect", value_type::text)
        .variable("suggestions", value_type::text)
        .variable("special", value_type::boolean, false)
        .variable("book_further", value_type::boolean, false)
        .event("due")
        .event("claim")
        .event("verify", {{"contact_ok", value_type::boolean, {}}})
        .event("reached")
        .event("unreachable")
        .event("retry")
        .event("feedback", {{"emotion", value_type::text, {}, sensitivity::clinical},
                            {"effect", value_type::text, {}, sensitivity::clinical},
                            {"suggestions", value_type::text, {}, sensitivity::clinical},
                            {"special", value_type::boolean, {}},
                            {"book_further", value_type::boolean, {}}})
        .event("record")
        .event("cancel")
        .duty("agent");
    b.personal("contact", sensitivity::contact)
        .personal("emotion", sensitivity::clinical)
        .personal("effect", sensitivity::clinical)
        .personal("suggestions", sensitivity::clinical);
    b.may_read({"contact"}).by_assignee("agent").describe("the agent who claimed the callback: whom to call");
    b.may_read(sensitivity::clinical)
        .by_assignee("agent")
        .in("conversation")
        .in("recording")
        .describe("the agent, during the conversation and its record");
    b.may_read(sensitivity::clinical).by_role(roles::counselor).describe("counselors: the callback's feedback");
    b.may_read(sensitivity::clinical).by_role(roles::manager).describe("managers: the file");

    b.state("planned").at(var("due"), "due", k.calendar).describe("1. planned from the consultation record");
    b.state("queued").describe("due: waiting for a trained agent");
    b.state("verifying").describe("2. verify contact details and the record before dialing");
    b.state("dialing");
    b.state("waiting_retry")
        .at(working_day(now(), 1, k.calendar), "retry", k.calendar)
        .describe("unreachable: retry on the next working day after this attempt's date");
    b.state("conversation").describe("2. purpose, care, recent state, open questions, support");
    b.state("recording").describe("3. enter into the client system");
    b.state("booking_check");
    b.state("second_check");
    b.state("done").final();
    b.state("unreachable").final().on_entry(notify("tell_counselor", "client unreachable after every attempt"));
    b.state("cancelled").final().describe("withdrawn before the call (e.g. the client declined follow-up)");
    b.state("contact_invalid").final().on_entry(notify("tell_counselor", "contact details failed verification"));
    if (!k.consent.empty())
        b.state("no_consent")
            .final()
            .describe("the client has not consented to be called back (or withdrew): nobody dials")
            .on_entry(notify("tell_counselor", "no consent to be called back: the callback is not made"));

    b.transition("planned", "queued").on("due");
    for (const char* from : {"planned", "queued", "waiting_retry"}) b.transition(from, "cancelled").on("cancel");
    b.transition("queued", "verifying")
        .on("claim")
        .require_role(roles::callback_agent)
        .then(assign("agent", actor_id()));
    if (k.consent.empty()) {
        b.transition("verifying", "dialing").on("verify").when(field("contact_ok") == true).by_assignee("agent");
    } else {
        b.consent(k.consent, "to be called back (follow-up callbacks)");
        b.transition("verifying", "dialing")
            .on("verify")
            .when(field("contact_ok") == true && consent(k.consent))
            .by_assignee("agent");
        b.transition("verifying", "no_consent").on("verify").when(!consent(k.consent)).by_assignee("agent");
    }
    b.transition("verifying", "contact_invalid").on("verify").by_assignee("agent");
    b.transition("dialing", "conversation")
        .on("reached")
        .by_assignee("agent")
        .then(set("attempts", var("attempts") + 1));
    b.transition("dialing", "unreachable")
        .on("unreachable")
        .when(var("attempts") + 1 >= 1 + k.max_retries)
        .by_assignee("agent")
        .then(set("attempts", var("attempts") + 1));
    b.transition("dialing", "waiting_retry")
        .on("unreachable")
        .by_assignee("agent")
        .then(set("attempts", var("attempts") + 1));
    b.transition("waiting_retry", "verifying").on("retry");
    b.transition("conversation", "recording")
        .on("feedback")
        .by_assignee("agent")
        .then(set("emotion", field("emotion")))
        .then(set("effect", field("effect")))
        .then(set("suggestions", field("suggestions")))
        .then(set("special", field("special")))
        .then(set("book_further", field("book_further")));
    b.transition("recording", "booking_check")
        .on("record")
        .by_assignee("agent")
        .then(notify("feedback_to_counselor", "callback recorded"));
    // 4. Tracking: book a further consultation (→ appointment), a second callback for special cases.
    b.transition("booking_check", "second_check")
        .when(var("book_further") == true)
        .then(spawn(k.appointment_procedure, {{"contact", var("contact")}, {"channel", "callback"}}));
    b.transition("booking_check", "second_check");
    b.transition("second_check", "done")
        .when(var("special") == true)
        .then(spawn("phone_callback", {{"consulted_at", var("consulted_at")},
                                       {"due", due_day(now(), k.second_callback_after, k.calendar)},
                                       {"contact", var("contact")},
                                       {"counselor", var("counselor")}}));
    b.transition("second_check", "done");

    b.sla("on_time")
        .start(entered("queued"))
        .stop(received("reached"))
        .stop(received("unreachable"))
        .goal_at(close_of_day(var("due"), k.calendar), k.calendar)
        .accountable("agent");
    b.sla("record")
        .start(entered("recording"))
        .stop(received("record"))
        .goal(k.record_within, k.calendar)
        .accountable("agent");
    return b.build();
}

} // namespace careflow::procedures
