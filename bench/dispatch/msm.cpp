// (b) Boost.MSM (functor front-end, back::state_machine), with the documented speed
// settings (no message queue, no exception handling). MSM has no superstate here: the
// in-call hang_up is one row per in-call state, as MSM users flatten small machines.
#include "harness.hpp"

#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>

namespace dispatch_bench {

namespace {

namespace msm = boost::msm;
namespace mpl = boost::mpl;
using msm::front::none;
using msm::front::Row;

struct e_ring {};
struct e_answer {};
struct e_register {};
struct e_assess {
    std::uint8_t urgency;
};
struct e_accept {};
struct e_resolve {};
struct e_finish {};
struct e_recorded {};
struct e_hang_up {};

struct call_def : msm::front::state_machine_def<call_def> {
    using no_exception_thrown = int;
    using no_message_queue = int;

    struct Ringing : msm::front::state<> {};
    struct Registration : msm::front::state<> {};
    struct Assessment : msm::front::state<> {};
    struct Transfer : msm::front::state<> {};
    struct Resolution : msm::front::state<> {};
    struct Counseling : msm::front::state<> {};
    struct Record : msm::front::state<> {};
    struct Ended : msm::front::state<> {};
    struct Missed : msm::front::state<> {};
    using initial_state = Ringing;

    std::uint8_t rings = 0;
    std::uint8_t urgency = 0;

    struct rings_left {
        template <class E, class F, class S, class T>
        bool operator()(const E&, F& f, S&, T&) const {
            return f.rings < 3;
        }
    };
    struct no_rings_left {
        template <class E, class F, class S, class T>
        bool operator()(const E&, F& f, S&, T&) const {
            return f.rings >= 3;
        }
    };
    struct count_ring {
        template <class E, class F, class S, class T>
        void operator()(const E&, F& f, S&, T&) const {
            ++f.rings;
        }
    };
    struct urgent {
        template <class F, class S, class T>
        bool operator()(const e_assess& e, F&, S&, T&) const {
            return e.urgency >= 2;
        }
    };
    struct not_urgent {
        template <class F, class S, class T>
        bool operator()(const e_assess& e, F&, S&, T&) const {
            return e.urgency < 2;
        }
    };
    struct store_urgency {
        template <class F, class S, class T>
        void operator()(const e_assess& e, F& f, S&, T&) const {
            f.urgency = e.urgency;
        }
    };

    struct transition_table
        : mpl::vector<Row<Ringing, e_ring, none, count_ring, rings_left>,
                      Row<Ringing, e_ring, Missed, none, no_rings_left>, Row<Ringing, e_answer, Registration>,
                      Row<Ringing, e_hang_up, Missed>, Row<Registration, e_register, Assessment>,
                      Row<Registration, e_hang_up, Record>, Row<Assessment, e_assess, Transfer, store_urgency, urgent>,
                      Row<Assessment, e_assess, Resolution, store_urgency, not_urgent>,
                      Row<Assessment, e_hang_up, Record>, Row<Transfer, e_accept, Counseling>,
                      Row<Transfer, e_hang_up, Record>, Row<Resolution, e_resolve, Record>,
                      Row<Resolution, e_hang_up, Record>, Row<Counseling, e_finish, Record>,
                      Row<Counseling, e_hang_up, Record>, Row<Record, e_recorded, Ended>> {};

    template <class FSM, class Event>
    void no_transition(const Event&, FSM&, int) {} // ignored, as in every implementation
};

using call = msm::back::state_machine<call_def>;

template <class S>
constexpr int id_of = msm::back::get_state_id<call::stt, S>::value;

struct msm_impl {
    struct fleet {
        explicit fleet(std::size_t n) : calls(n) {
            for (auto& c : calls) c.start();
            ids[id_of<call_def::Ringing>] = st::ringing;
            ids[id_of<call_def::Registration>] = st::registration;
            ids[id_of<call_def::Assessment>] = st::assessment;
            ids[id_of<call_def::Transfer>] = st::transfer;
            ids[id_of<call_def::Resolution>] = st::resolution;
            ids[id_of<call_def::Counseling>] = st::counseling;
            ids[id_of<call_def::Record>] = st::record;
            ids[id_of<call_def::Ended>] = st::ended;
            ids[id_of<call_def::Missed>] = st::missed;
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
        [[nodiscard]] st state(std::uint32_t i) const { return ids[calls[i].current_state()[0]]; }
        std::vector<call> calls;
        st ids[9]{};
    };
};

} // namespace

} // namespace dispatch_bench

CAREFLOW_DISPATCH_BENCH(dispatch_bench::msm_impl, msm);
