// The shipped first-visit procedure: screening, the responsible counselor (首问负责), the session, record and
// follow-up.
#include <careflow/model/builder.hpp>
#include <careflow/procedures/first_visit.hpp>

#include <algorithm>

namespace careflow::procedures {

procedure first_visit(const first_visit_params& k) {
    procedure_builder b{"first_visit", 1};
    b.describe("A new client's first visit under one named responsible counselor.");
    b.variable("client", value_type::text)
        .variable("contact", value_type::text)
        .variable("preference", value_type::text)
        .variable("mode", value_type::text, "offline")
        .variable("need", value_type::text)
        .variable("appointment_at", value_type::time)
        .variable("risk", value_type::integer, 0)
        .variable("in_scope", value_type::boolean, true)
        .variable("matched_by_rule", value_type::boolean, false)
        .variable("responsible_id", value_type::text)
        .variable("agreement_signed", value_type::boolean, false)
        .variable("plan", value_type::text)
        .variable("next_step", value_type::text)
        .variable("satisfaction", value_type::integer, 0)
        .event("screening_opens")
        .event("screen", {{"risk", value_type::integer, {}, sensitivity::clinical},
                          {"in_scope", value_type::boolean, {}, sensitivity::clinical}})
        .event("assign_counselor", {{"counselor", value_type::text, {}}, {"by_rule", value_type::boolean, {}}})
        .event("contacted")
        .event("start_session")
        .event("sign_agreement")
        .event("end_session", {{"plan", value_type::text, {}, sensitivity::clinical}})
        .event("record")
        .event("satisfaction", {{"score", value_type::integer, {}}})
        .event("plan_follow_up", {{"next_step", value_type::text, {}, sensitivity::clinical}})
        .event("follow_up_done")
        .event("remind")
        .event("cancel")
        .duty("responsible");
    b.personal("client", sensitivity::contact)
        .personal("contact", sensitivity::contact)
        .personal("need", sensitivity::clinical)
        .personal("risk", sensitivity::clinical)
        .personal("in_scope", sensitivity::clinical)
        .personal("plan", sensitivity::clinical)
        .personal("next_step", sensitivity::clinical);
    b.may_read(sensitivity::contact).by_role(roles::receptionist).in("booked").describe("reception, booking");
    b.may_read(sensitivity::clinical)
        .by_role(roles::back_office)
        .in("screening")
        .describe("back office, pre-screening");
    b.may_read(sensitivity::clinical).by_assignee("responsible").describe("the responsible counselor: the file");
    b.may_read(sensitivity::clinical).by_role(roles::manager).describe("managers: the file");

    b.state("booked")
        .describe("1. client file opened, slip issued, confirmation sent")
        .on_entry(notify("client_confirmation", "appointment slip and confirmation sent to the client"))
        .at(k.screening_from_previous_working_day
                ? working_day(var("appointment_at"), -1, k.calendar)
                : local_day(plus_days(var("appointment_at"), -1, k.calendar), k.calendar),
            "screening_opens");
    b.state("screening").describe("2. mental state, history, emergencies (phone or questionnaire)");
    b.state("deciding");
    b.state("crisis").final().on_entry(notify("manager", "crisis found in pre-screening: start emergency handling"));
    b.state("referral").final().on_entry(notify("referral", "outside the center's scope: refer the client"));
    b.state("matching").describe("3. match one responsible counselor");
    b.state("pre_contact").describe("3. the responsible counselor confirms time, place and mode");
    b.state("ready");
    b.state("consultation").describe("4. trust, background, goals, assessment, agreement");
    b.state("after_visit").initial("recording");
    b.state("recording").parent("after_visit").describe("5. records within the limit");
    b.state("follow_up")
        .parent("after_visit")
        .describe("6. follow-up plan; reminders until done")
        .every(k.remind_every, "remind", k.max_reminders, k.calendar);
    b.state("closed").final();
    b.state("cancelled").final().describe("the client cancelled before the consultation");

    b.transition("booked", "screening").on("screening_opens");
    for (const char* from : {"booked", "screening", "matching", "pre_contact", "ready"})
        b.transition(from, "cancelled").on("cancel");
    b.transition("screening", "deciding")
        .on("screen")
        .require_role(roles::back_office)
        .then(set("risk", field("risk")))
        .then(set("in_scope", field("in_scope")));
    b.transition("deciding", "crisis").when(var("risk") >= k.crisis_risk);
    if (k.referral_consent.empty()) {
        b.transition("deciding", "referral").when(var("in_scope") == false);
    } else {
        b.consent(k.referral_consent, "to have their file shared with the center they are referred to");
        b.transition("deciding", "referral")
            .when(var("in_scope") == false && consent(k.referral_consent))
            .then(notify("share_with_referral", "the client consented: send the file to the referral"));
        b.transition("deciding", "referral")
            .when(var("in_scope") == false)
            .then(notify("referral_without_file",
                         "no consent to share the file: give the client the referral's contact, send nothing"));
    }
    b.transition("deciding", "matching");
    b.transition("matching", "pre_contact")
        .on("assign_counselor")
        .require_role(roles::manager)
        .require_role(roles::receptionist)
        .then(assign("responsible", field("counselor")))
        .then(set("responsible_id", field("counselor")))
        .then(set("matched_by_rule", field("by_rule")))
        .then(notify("counselor_notified", "you are the responsible counselor for a new client"));
    b.transition("pre_contact", "ready").on("contacted").by_assignee("responsible");
    b.transition("ready", "consultation").on("start_session").by_assignee("responsible");
    b.internal("consultation").on("sign_agreement").by_assignee("responsible").then(set("agreement_signed", true));
    b.transition("consultation", "after_visit")
        .on("end_session")
        .when(var("agreement_signed") == true)
        .by_assignee("responsible")
        .then(set("plan", field("plan")));
    b.transition("recording", "follow_up").on("record").by_assignee("responsible");
    b.internal("after_visit").on("satisfaction").then(set("satisfaction", field("score")));
    b.internal("follow_up").on("remind").then(notify("remind_responsible", "follow-up not yet done"));
    b.internal("follow_up").on("plan_follow_up").by_assignee("responsible").then(set("next_step", field("next_step")));
    b.transition("follow_up", "closed").on("follow_up_done").by_assignee("responsible");

    b.sla("screening").start(entered("screening")).stop(received("screen")).goal_at(var("appointment_at"));
    b.sla("pre_contact")
        .start(entered("pre_contact"))
        .stop(received("contacted"))
        .goal_at(var("appointment_at"))
        .accountable("responsible");
    b.sla("record")
        .start(entered("recording"))
        .stop(received("record"))
        .goal(k.record_within)
        .accountable("responsible");
    b.sla("follow_up")
        .start(entered("follow_up"))
        .stop(received("follow_up_done"))
        .goal(k.follow_up_within, k.calendar)
        .accountable("responsible");
    return b.build();
}

std::optional<std::string> match_counselor(const std::vector<counselor_profile>& roster,
                                           const client_request& request) {
    auto offers = [&](const counselor_profile& c) {
        return c.available &&
               (request.mode.empty() || std::find(c.modes.begin(), c.modes.end(), request.mode) != c.modes.end());
    };
    for (const auto& c : roster)
        if (!request.preferred.empty() && c.id == request.preferred && offers(c)) return c.id;
    const counselor_profile* best = nullptr;
    auto rank = [&](const counselor_profile& c) {
        const bool fits = !request.need.empty() &&
                          std::find(c.specialties.begin(), c.specialties.end(), request.need) != c.specialties.end();
        return std::make_tuple(fits ? 0 : 1, c.load, c.id);
    };
    for (const auto& c : roster)
        if (offers(c) && (!best || rank(c) < rank(*best))) best = &c;
    if (!best) return std::nullopt;
    return best->id;
}

} // namespace careflow::procedures
