// (c) Boost.Statechart: one state_machine object per case, states as classes with
// reactions; `talking` is a real superstate holding the in-call hang_up.
#include "harness.hpp"

#include <boost/mpl/list.hpp>
#include <boost/statechart/custom_reaction.hpp>
#include <boost/statechart/event.hpp>
#include <boost/statechart/simple_state.hpp>
#include <boost/statechart/state_machine.hpp>
#include <boost/statechart/transition.hpp>

#include <memory>

namespace dispatch_bench {

namespace {

namespace sc = boost::statechart;
namespace mpl = boost::mpl;

struct e_ring : sc::event<e_ring> {};
struct e_answer : sc::event<e_answer> {};
struct e_register : sc::event<e_register> {};
struct e_assess : sc::event<e_assess> {
    explicit e_assess(std::uint8_t u) : urgency(u) {}
    std::uint8_t urgency;
};
struct e_accept : sc::event<e_accept> {};
struct e_resolve : sc::event<e_resolve> {};
struct e_finish : sc::event<e_finish> {};
struct e_recorded : sc::event<e_recorded> {};
struct e_hang_up : sc::event<e_hang_up> {};

struct Ringing;
struct Talking;
struct Registration;
struct Assessment;
struct Transfer;
struct Resolution;
struct Counseling;
struct Record;
struct Ended;
struct Missed;

struct call : sc::state_machine<call, Ringing> {
    std::uint8_t rings = 0;
    std::uint8_t urgency = 0;
};

struct Ringing : sc::simple_state<Ringing, call> {
    using reactions = mpl::list<sc::custom_reaction<e_ring>, sc::transition<e_answer, Registration>,
                                sc::transition<e_hang_up, Missed>>;
    sc::result react(const e_ring&);
};
struct Talking : sc::simple_state<Talking, call, Registration> {
    using reactions = sc::transition<e_hang_up, Record>;
};
struct Registration : sc::simple_state<Registration, Talking> {
    using reactions = sc::transition<e_register, Assessment>;
};
struct Assessment : sc::simple_state<Assessment, Talking> {
    using reactions = sc::custom_reaction<e_assess>;
    sc::result react(const e_assess& e);
};
struct Transfer : sc::simple_state<Transfer, Talking> {
    using reactions = sc::transition<e_accept, Counseling>;
};
struct Resolution : sc::simple_state<Resolution, Talking> {
    using reactions = sc::transition<e_resolve, Record>;
};
struct Counseling : sc::simple_state<Counseling, Talking> {
    using reactions = sc::transition<e_finish, Record>;
};
struct Record : sc::simple_state<Record, call> {
    using reactions = sc::transition<e_recorded, Ended>;
};
struct Ended : sc::simple_state<Ended, call> {};
struct Missed : sc::simple_state<Missed, call> {};

sc::result Ringing::react(const e_ring&) {
    auto& c = context<call>();
    if (c.rings < 3) {
        ++c.rings;
        return discard_event();
    }
    return transit<Missed>();
}

sc::result Assessment::react(const e_assess& e) {
    context<call>().urgency = e.urgency;
    if (e.urgency >= 2) return transit<Transfer>();
    return transit<Resolution>();
}

struct statechart_impl {
    struct fleet {
        explicit fleet(std::size_t n) : calls(new call[n]), size(n) {
            for (std::size_t i = 0; i < n; ++i) calls[i].initiate();
        }
        void dispatch(std::uint32_t i, const event& e) {
            call& c = calls[i];
            switch (e.kind) {
            case ev::ring: c.process_event(e_ring{}); break;
            case ev::answer: c.process_event(e_answer{}); break;
            case ev::register_: c.process_event(e_register{}); break;
            case ev::assess: c.process_event(e_assess{e.urgency}); break;
            case ev::accept: c.process_event(e_accept{}); break;
            case ev::resolve: c.process_event(e_resolve{}); break;
            case ev::finish: c.process_event(e_finish{}); break;
            case ev::recorded: c.process_event(e_recorded{}); break;
            case ev::hang_up: c.process_event(e_hang_up{}); break;
            }
        }
        [[nodiscard]] st state(std::uint32_t i) const {
            const call& c = calls[i];
            if (c.state_cast<const Ringing*>()) return st::ringing;
            if (c.state_cast<const Registration*>()) return st::registration;
            if (c.state_cast<const Assessment*>()) return st::assessment;
            if (c.state_cast<const Transfer*>()) return st::transfer;
            if (c.state_cast<const Resolution*>()) return st::resolution;
            if (c.state_cast<const Counseling*>()) return st::counseling;
            if (c.state_cast<const Record*>()) return st::record;
            if (c.state_cast<const Ended*>()) return st::ended;
            return st::missed;
        }
        std::unique_ptr<call[]> calls;
        std::size_t size;
    };
};

} // namespace

} // namespace dispatch_bench

CAREFLOW_DISPATCH_BENCH(dispatch_bench::statechart_impl, statechart);
