// The shipped counseling-course procedure: intake, plan, sessions with periodic evaluation, closure, follow-up.
#include <careflow/model/builder.hpp>
#include <careflow/procedures/counseling_course.hpp>

namespace careflow::procedures {

procedure counseling_course(const counseling_course_params& k) {
    procedure_builder b{"counseling_course", 1};
    b.describe("A course of counseling: intake, plan, sessions with periodic evaluation, closure, follow-up.");
    b.variable("client", value_type::text)
        .variable("contact", value_type::text)
        .variable("goals", value_type::text)
        .variable("counselor_id", value_type::text)
        .variable("sessions", value_type::integer, 0)
        .variable("since_evaluation", value_type::integer, 0)
        .variable("evaluations", value_type::integer, 0)
        .variable("outcome", value_type::text)
        .event("assessed")
        .event("plan", {{"goals", value_type::text, {}, sensitivity::clinical}})
        .event("session_held")
        .event("evaluate", {{"goals", value_type::text, {}, sensitivity::clinical}})
        .event("close", {{"outcome", value_type::text, {}, sensitivity::clinical}})
        .duty("counselor");
    b.personal("client", sensitivity::contact)
        .personal("contact", sensitivity::contact)
        .personal("goals", sensitivity::clinical)
        .personal("outcome", sensitivity::clinical);
    b.may_read(sensitivity::clinical).by_assignee("counselor").describe("the course's counselor: the file");
    b.may_read(sensitivity::clinical).by_role(roles::manager).describe("managers: the file");

    b.state("intake").describe("intake assessment, face to face or by phone");
    b.state("planning").describe("a plan with goals and methods");
    b.state("sessions");
    b.state("evaluation").describe("periodic evaluation of effect; adjust the plan");
    b.state("closed").final();

    b.transition("intake", "planning")
        .on("assessed")
        .require_role(roles::counselor)
        .then(assign("counselor", actor_id()))
        .then(set("counselor_id", actor_id()));
    b.transition("planning", "sessions").on("plan").by_assignee("counselor").then(set("goals", field("goals")));
    b.internal("sessions")
        .on("session_held")
        .by_assignee("counselor")
        .then(set("sessions", var("sessions") + 1))
        .then(set("since_evaluation", var("since_evaluation") + 1));
    b.transition("sessions", "evaluation").when(var("since_evaluation") >= k.evaluate_every);
    b.transition("evaluation", "sessions")
        .on("evaluate")
        .by_assignee("counselor")
        .then(set("goals", field("goals")))
        .then(set("since_evaluation", 0))
        .then(set("evaluations", var("evaluations") + 1));
    b.transition("sessions", "closed")
        .on("close")
        .by_assignee("counselor")
        .then(set("outcome", field("outcome")))
        .then(spawn(k.callback_procedure, {{"consulted_at", now()},
                                           {"due", due_day(now(), k.follow_up_after, k.calendar)},
                                           {"contact", var("contact")},
                                           {"counselor", var("counselor_id")}}));
    return b.build();
}

} // namespace careflow::procedures
