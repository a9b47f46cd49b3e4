// (a) The practical limit: an enum, a switch, and the case's data in three bytes.
#include "harness.hpp"

namespace dispatch_bench {

namespace {

struct call {
    st state = st::ringing;
    std::uint8_t rings = 0;
    std::uint8_t urgency = 0;
};

inline void step(call& c, const event& e) {
    switch (c.state) {
    case st::ringing:
        switch (e.kind) {
        case ev::ring:
            if (c.rings < 3)
                ++c.rings;
            else
                c.state = st::missed;
            break;
        case ev::answer: c.state = st::registration; break;
        case ev::hang_up: c.state = st::missed; break;
        default: break;
        }
        break;
    case st::registration:
    case st::assessment:
    case st::transfer:
    case st::resolution:
    case st::counseling:
        if (e.kind == ev::hang_up) { // the talking superstate
            c.state = st::record;
            break;
        }
        switch (c.state) {
        case st::registration:
            if (e.kind == ev::register_) c.state = st::assessment;
            break;
        case st::assessment:
            if (e.kind == ev::assess) {
                c.urgency = e.urgency;
                c.state = e.urgency >= 2 ? st::transfer : st::resolution;
            }
            break;
        case st::transfer:
            if (e.kind == ev::accept) c.state = st::counseling;
            break;
        case st::resolution:
            if (e.kind == ev::resolve) c.state = st::record;
            break;
        default:
            if (e.kind == ev::finish) c.state = st::record;
            break;
        }
        break;
    case st::record:
        if (e.kind == ev::recorded) c.state = st::ended;
        break;
    case st::ended:
    case st::missed: break;
    }
}

struct switch_impl {
    struct fleet {
        explicit fleet(std::size_t n) : calls(n) {}
        void dispatch(std::uint32_t c, const event& e) { step(calls[c], e); }
        [[nodiscard]] st state(std::uint32_t c) const { return calls[c].state; }
        std::vector<call> calls;
    };
};

} // namespace

const std::vector<st>& reference() {
    static const std::vector<st> r = [] {
        switch_impl::fleet f(episodes);
        run_trace(f);
        std::vector<st> out;
        for (std::uint32_t c = 0; c < episodes; ++c) out.push_back(f.state(c));
        return out;
    }();
    return r;
}

} // namespace dispatch_bench

CAREFLOW_DISPATCH_BENCH(dispatch_bench::switch_impl, switch);
