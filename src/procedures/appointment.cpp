// The shipped appointment procedure: request, confirmation within 24 h, reminders, cancellation rules, no-shows.
#include <careflow/model/builder.hpp>
#include <careflow/procedures/appointment.hpp>

namespace careflow::procedures {

procedure appointment(const appointment_params& k) {
    procedure_builder b{"appointment", 1};
    b.describe("An appointment: request by phone, web or walk-in; confirmation; change, cancellation, no-show.");
    b.variable("client", value_type::text)
        .variable("contact", value_type::text)
        .variable("channel", value_type::text, "phone") // phone, web, walk_in, callback
        .variable("appointment_at", value_type::time)
        .variable("counselor_id", value_type::text)
        .event("confirm", {{"at", value_type::time, {}}})
        .event("decline", {{"reason", value_type::text, {}}})
        .event("reschedule", {{"at", value_type::time, {}}})
        .event("cancel")
        .event("check_in")
        .event("done")
        .event("remind")
        .event("no_show_due")
        .duty("counselor");
    b.personal("client", sensitivity::contact).personal("contact", sensitivity::contact);
    b.may_read(sensitivity::contact).by_assignee("counselor").describe("the counselor of the appointment");
    b.may_read(sensitivity::contact).by_role(roles::counselor).in("requested").describe("counselors confirming");
    b.may_read(sensitivity::contact).by_role(roles::receptionist).describe("reception: scheduling and reminders");
    b.may_read(sensitivity::contact).by_role(roles::manager).describe("managers");

    const expr enough_notice = var("appointment_at") - now() >= expr(k.change_notice);
    b.state("requested").describe("collect name, age, contact, need; schedule by availability");
    b.state("confirmed")
        .describe("time, place and notes confirmed to the client")
        .at(var("appointment_at") - k.remind_before, "remind")
        .at(var("appointment_at") + k.no_show_grace, "no_show_due");
    b.state("in_session");
    b.state("attended").final();
    b.state("declined").final();
    b.state("withdrawn").final();
    b.state("cancelled").final();
    b.state("late_cancelled").final().describe("cancelled less than the notice before");
    b.state("no_show").final();

    b.transition("requested", "confirmed")
        .on("confirm")
        .require_role(roles::counselor)
        .then(set("appointment_at", field("at")))
        .then(assign("counselor", actor_id()))
        .then(set("counselor_id", actor_id()))
        .then(notify("client_confirmation", "appointment confirmed to the client"));
    b.transition("requested", "declined").on("decline").require_role(roles::counselor);
    b.transition("requested", "withdrawn").on("cancel");
    b.internal("confirmed").on("remind").then(notify("reminder", "appointment reminder sent"));
    b.transition("confirmed", "in_session").on("check_in");
    b.transition("confirmed", "no_show").on("no_show_due").then(notify("no_show", "client did not come"));
    b.transition("confirmed", "confirmed")
        .on("reschedule")
        .when(enough_notice && field("at") - now() >= expr(k.change_notice))
        .then(set("appointment_at", field("at")));
    b.transition("confirmed", "cancelled").on("cancel").when(enough_notice);
    b.transition("confirmed", "late_cancelled").on("cancel");
    b.transition("in_session", "attended").on("done");

    b.sla("confirm")
        .start(entered("requested"))
        .stop(received("confirm"))
        .stop(received("decline"))
        .cancel(received("cancel"))
        .goal(k.confirm_within)
        .accountable("counselor");
    return b.build();
}

} // namespace careflow::procedures
