// Shared test helpers.
#pragma once

#include <careflow/careflow.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace careflow::test {

inline duration hours(long h) { return boost::posix_time::hours(h); }
inline duration minutes(long m) { return boost::posix_time::minutes(m); }
inline duration seconds(long s) { return boost::posix_time::seconds(s); }
inline time_point at(int y, int mo, int d, int h, int mi) {
    return time_point(boost::gregorian::date(static_cast<unsigned short>(y), static_cast<unsigned short>(mo),
                                             static_cast<unsigned short>(d)),
                      hours(h) + minutes(mi));
}

/// Is there a diagnostic with this id?
inline bool has_id(const std::vector<diagnostic>& ds, const std::string& id) {
    return std::any_of(ds.begin(), ds.end(), [&](const diagnostic& d) { return d.id == id; });
}

/// The diagnostic with this id (fails the test when there is none).
inline diagnostic find_id(const std::vector<diagnostic>& ds, const std::string& id) {
    for (const auto& d : ds)
        if (d.id == id) return d;
    std::string all;
    for (const auto& d : ds) all += d.to_string() + "\n";
    FAIL("no diagnostic " << id << " among:\n" << all);
    return {};
}

} // namespace careflow::test

namespace careflow::test {

/// The smallest sound procedure: a -go-> b (final). Tests add one defect to it.
inline procedure_builder minimal(std::string name = "minimal") {
    procedure_builder b{std::move(name)};
    b.event("go");
    b.state("a");
    b.state("b").final();
    b.transition("a", "b").on("go");
    return b;
}

/// A hotline call in miniature: hierarchy (call > talking > transfer), a parent-level
/// hang-up, guarded triage, a ring timer, an SLA clock, roles and an internal transition.
///
///   call ─────────────────────────────────────────────┐
///   │ ringing ─answer{operator}─► talking ────────────┐│
///   │  ↺ ring (every 5s ×3)      │ registration        ││ ─hang_up─► abandoned
///   │                            │ assessment ─assess─► crisis / transfer / resolution
///   │                            │ transfer: handover ─join─► counseling
///   │                            └ ─hang_up─► recording ─recorded─► closed
inline procedure_builder hotline_model() {
    procedure_builder b{"hotline_call", 2};
    b.describe("A call to the mental-health hotline.")
        .variable("urgency", value_type::integer, 0)
        .variable("rings", value_type::integer, 0)
        .variable("caller", value_type::text)
        .variable("withheld", value_type::boolean, false)
        .event("ring")
        .event("answer")
        .event("hang_up")
        .event("register", {{"name", value_type::text, {}}, {"withheld", value_type::boolean, {}}})
        .event("assess", {{"urgency", value_type::integer, {}}})
        .event("join")
        .event("resolve")
        .event("recorded")
        .event("record_due")
        .duty("counselor")
        .host("log_crisis");
    b.state("call").initial("ringing");
    b.state("ringing").parent("call").every(seconds(5), "ring", 3);
    b.state("talking").parent("call").initial("registration");
    b.state("registration").parent("talking");
    b.state("assessment").parent("talking");
    b.state("crisis").parent("talking");
    b.state("transfer").parent("talking").initial("handover");
    b.state("handover").parent("transfer");
    b.state("counseling").parent("transfer");
    b.state("resolution").parent("talking");
    b.state("abandoned").final();
    b.state("recording").after(hours(2), "record_due");
    b.state("closed").final();

    b.internal("ringing").on("ring").then(set("rings", var("rings") + 1));
    b.transition("ringing", "talking").on("answer").require_role("operator");
    b.transition("call", "abandoned").on("hang_up");
    b.transition("talking", "recording").on("hang_up");
    b.transition("registration", "assessment")
        .on("register")
        .then(set("caller", field("name")))
        .then(set("withheld", field("withheld")));
    b.transition("assessment", "crisis")
        .on("assess")
        .when(field("urgency") >= 4)
        .then(set("urgency", field("urgency")))
        .then(call("log_crisis"));
    b.transition("assessment", "transfer")
        .on("assess")
        .when(field("urgency") >= 2)
        .then(set("urgency", field("urgency")));
    b.transition("assessment", "resolution").on("assess").then(set("urgency", field("urgency")));
    b.transition("crisis", "counseling").on("join").require_role("counselor").then(assign("counselor", actor_id()));
    b.transition("handover", "counseling").on("join").require_role("counselor").then(assign("counselor", actor_id()));
    b.transition("counseling", "resolution").on("resolve").by_assignee("counselor");
    b.transition("recording", "closed").on("recorded").by_assignee("counselor");
    b.internal("recording").on("record_due").then(notify("record_late", "record not filed within 2h"));
    b.sla("answer").start(entered("ringing")).stop(left("ringing")).cancel(received("hang_up")).goal(seconds(15));
    return b;
}

} // namespace careflow::test
