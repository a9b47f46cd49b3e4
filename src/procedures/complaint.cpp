// The shipped complaint procedure: acknowledgement and resolution within their targets, improvement recorded.
#include <careflow/model/builder.hpp>
#include <careflow/procedures/complaint.hpp>

namespace careflow::procedures {

procedure complaint(const complaint_params& k) {
    procedure_builder b{"complaint", 1};
    b.describe("A complaint: acknowledged, resolved, summary and improvement recorded; escalated on breach.");
    b.variable("complainant", value_type::text)
        .variable("channel", value_type::text, "hotline")
        .variable("subject", value_type::text)
        .variable("summary", value_type::text)
        .variable("improvement", value_type::text)
        .variable("escalated", value_type::boolean, false)
        .event("acknowledge")
        .event("resolve", {{"summary", value_type::text, {}, sensitivity::clinical}})
        .event("record_improvement", {{"improvement", value_type::text, {}}})
        .event("escalate")
        .duty("handler");
    b.personal("complainant", sensitivity::contact)
        .personal("subject", sensitivity::clinical)
        .personal("summary", sensitivity::clinical);
    b.may_read(sensitivity::clinical).by_assignee("handler").describe("the complaint's handler");
    b.may_read(sensitivity::clinical)
        .by_role(roles::manager)
        .by_role(roles::supervisor)
        .describe("managers and supervision");

    b.state("open").initial("received");
    b.state("received").parent("open");
    b.state("investigating").parent("open");
    b.state("improving").parent("open").describe("summary and improvement recorded");
    b.state("closed").final();

    b.transition("received", "investigating")
        .on("acknowledge")
        .require_role(roles::manager)
        .require_role(roles::supervisor)
        .then(assign("handler", actor_id()));
    b.transition("investigating", "improving")
        .on("resolve")
        .by_assignee("handler")
        .then(set("summary", field("summary")));
    b.transition("improving", "closed")
        .on("record_improvement")
        .by_assignee("handler")
        .then(set("improvement", field("improvement")));
    b.internal("open")
        .on("escalate")
        .then(set("escalated", true))
        .then(notify("supervision", "complaint past its limit: escalated to internal supervision"));

    b.sla("acknowledge")
        .start(entered("received"))
        .stop(received("acknowledge"))
        .goal(k.acknowledge_within, k.calendar)
        .on_breach("escalate");
    b.sla("resolve")
        .start(entered("received"))
        .stop(received("resolve"))
        .goal(k.resolve_within, k.calendar)
        .on_breach("escalate")
        .accountable("handler");
    return b.build();
}

} // namespace careflow::procedures
