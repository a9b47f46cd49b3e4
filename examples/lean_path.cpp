// The two fast paths a host reaches for in a hot loop.
//
// 1. careflow::machine — a triage step with no clock, timers or journal: a switchboard
//    routes 100,000 calls by their assessed urgency through a compiled procedure, with
//    events and the actor's roles resolved once, at two flat arrays' cost per call.
// 2. The engine's typed dispatch — the full engine (timers, SLA clocks, journal) driven
//    with a pre-resolved event, positional payload fields and an interned actor, so the
//    per-input work has no name lookups.
#include <careflow/careflow.hpp>

#include <array>
#include <iostream>

using namespace careflow;

namespace {

std::shared_ptr<const program> triage() {
    procedure_builder b{"triage"};
    b.variable("urgency", value_type::integer, 0)
        .event("assess", {{"urgency", value_type::integer, {}}})
        .event("route");
    b.initial("waiting");
    b.state("waiting");
    b.state("crisis").final();
    b.state("counselor").final();
    b.state("self_help").final();
    b.transition("waiting", "crisis").on("assess").when(field("urgency") >= 4).then(set("urgency", field("urgency")));
    b.transition("waiting", "counselor")
        .on("assess")
        .when(field("urgency") >= 2)
        .then(set("urgency", field("urgency")));
    b.transition("waiting", "self_help").on("assess").require_role("operator").then(set("urgency", field("urgency")));
    return compile(b.build());
}

} // namespace

int main() {
    // ---- 1. a machine ----
    const auto p = triage();
    machine m(p);
    m.reserve(100'000);
    const event_index assess = *p->find_event("assess");
    const std::uint64_t operator_role = p->role_mask(std::vector<std::string>{"operator"});
    std::array<int, 4> outcomes{}; // applied, ignored, refused, error
    for (std::uint32_t i = 0; i < 100'000; ++i) {
        const machine::handle c = m.add();
        const cell urgency{static_cast<std::int64_t>(i * 7 % 5)}; // 0..4
        // Every tenth caller reaches a volunteer without the operator role: low urgency is refused.
        const std::uint64_t roles = i % 10 == 0 ? 0 : operator_role;
        ++outcomes[static_cast<std::size_t>(m.dispatch(c, assess, std::span(&urgency, 1), roles))];
    }
    std::array<int, 3> routed{};
    for (std::uint32_t c = 0; c < m.size(); ++c) {
        const auto& leaf = p->states()[m.state(c)].name;
        routed[leaf == "crisis" ? 0 : leaf == "counselor" ? 1 : 2] += m.finished(c);
    }
    std::cout << "machine: " << m.size() << " calls, " << m.bytes_per_case() << " bytes each\n"
              << "  applied " << outcomes[0] << ", refused " << outcomes[2] << " (no operator role)\n"
              << "  crisis " << routed[0] << ", counselor " << routed[1] << ", self-help " << routed[2] << "\n";
    // An unknown event is an error result, not an exception; nothing changes.
    std::cout << "  dispatching event #9: " << to_string(m.dispatch(0, 9)) << "\n";

    // ---- 2. the engine's typed dispatch ----
    engine e;
    procedures::install_all(e);
    const auto hotline = procedures::hotline_call_program();
    const actor op{"op-7", {"operator"}};
    const actor_ref who = e.intern(op); // once
    const event_index answer = *hotline->find_event("answer");
    const time_point t0(boost::gregorian::date(2026, 11, 23), boost::posix_time::hours(1));
    for (case_id id = 1; id <= 3; ++id) e.start(hotline, id, {}, t0, op);
    for (case_id id = 1; id <= 3; ++id) {
        const auto r = e.dispatch(id, answer, t0 + boost::posix_time::seconds(static_cast<long>(7 * id)), who);
        std::cout << "engine: call " << id << " answer -> " << to_string(r.kind) << ", now in " << e.get(id).path()
                  << ", answer SLA " << to_string(e.get(id).sla("answer_within_rings").status)
                  << (e.get(id).sla("answer_within_rings").late() ? " (late)" : "") << "\n";
    }
    std::cout << "  journal entries: " << e.journal_size() << "\n";
}
