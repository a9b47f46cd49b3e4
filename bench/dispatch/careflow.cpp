// (e) careflow: the machine built with the builder (hierarchy, guards, set actions),
// compiled, and stepped on a `careflow::machine` (no clock, no timers, no journal).
#include "harness.hpp"

#include <careflow/careflow.hpp>

#include <array>

namespace dispatch_bench {

namespace {

std::shared_ptr<const careflow::program> hotline_machine() {
    using namespace careflow;
    procedure_builder b{"hotline_dispatch"};
    b.variable("rings", value_type::integer, 0).variable("urgency", value_type::integer, 0);
    for (const char* e : event_names)
        if (std::string_view(e) != "assess") b.event(e);
    b.event("assess", {{"urgency", value_type::integer, {}}});
    b.initial("ringing");
    b.state("ringing");
    b.state("talking").initial("registration");
    for (const char* s : {"registration", "assessment", "transfer", "resolution", "counseling"})
        b.state(s).parent("talking");
    b.state("record");
    b.state("ended").final();
    b.state("missed").final();
    b.internal("ringing").on("ring").when(var("rings") < 3).then(set("rings", var("rings") + 1));
    b.transition("ringing", "missed").on("ring");
    b.transition("ringing", "registration").on("answer");
    b.transition("ringing", "missed").on("hang_up");
    b.transition("talking", "record").on("hang_up");
    b.transition("registration", "assessment").on("register");
    b.transition("assessment", "transfer")
        .on("assess")
        .when(field("urgency") >= 2)
        .then(set("urgency", field("urgency")));
    b.transition("assessment", "resolution").on("assess").then(set("urgency", field("urgency")));
    b.transition("transfer", "counseling").on("accept");
    b.transition("resolution", "record").on("resolve");
    b.transition("counseling", "record").on("finish");
    b.transition("record", "ended").on("recorded");
    return compile(b.build());
}

struct careflow_impl {
    struct shared {
        std::shared_ptr<const careflow::program> p = hotline_machine();
        std::array<careflow::event_index, 9> events{}; // ev -> the program's event index
        std::vector<st> states;                        // the program's state index -> st
        shared() {
            for (std::size_t i = 0; i < events.size(); ++i) events[i] = *p->find_event(event_names[i]);
            states.resize(p->states().size(), st::ringing);
            for (std::size_t i = 0; i < std::size(state_names); ++i)
                states[*p->find_state(state_names[i])] = static_cast<st>(i);
        }
    };
    static const shared& the() {
        static const shared s;
        return s;
    }
    struct fleet {
        explicit fleet(std::size_t n) : sh(the()), m(sh.p) {
            m.reserve(n);
            for (std::size_t i = 0; i < n; ++i) m.add();
        }
        void dispatch(std::uint32_t c, const event& e) {
            const careflow::cell field{e.urgency};
            m.dispatch(c, sh.events[static_cast<std::size_t>(e.kind)],
                       e.kind == ev::assess ? std::span<const careflow::cell>(&field, 1)
                                            : std::span<const careflow::cell>());
        }
        [[nodiscard]] st state(std::uint32_t c) const { return sh.states[m.state(c)]; }
        const shared& sh;
        careflow::machine m;
    };
};

} // namespace

} // namespace dispatch_bench

CAREFLOW_DISPATCH_BENCH(dispatch_bench::careflow_impl, careflow);
