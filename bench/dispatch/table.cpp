// (d) The naive runtime table: per state, a vector of transitions with std::function
// guards and actions, tried in order (hierarchy flattened: hang_up is listed in every
// in-call state).
#include "harness.hpp"

#include <functional>

namespace dispatch_bench {

namespace {

struct call {
    st state = st::ringing;
    std::uint8_t rings = 0;
    std::uint8_t urgency = 0;
};

struct row {
    ev on;
    std::function<bool(const call&, const event&)> guard; // empty: always
    std::function<void(call&, const event&)> action;      // empty: none
    st target;
    bool internal = false;
};

std::vector<std::vector<row>> make_table() {
    std::vector<std::vector<row>> t(std::size(state_names));
    auto at = [&](st s) -> std::vector<row>& { return t[static_cast<std::size_t>(s)]; };
    at(st::ringing)
        .push_back({ev::ring, [](const call& c, const event&) { return c.rings < 3; },
                    [](call& c, const event&) { ++c.rings; }, st::ringing, true});
    at(st::ringing).push_back({ev::ring, {}, {}, st::missed});
    at(st::ringing).push_back({ev::answer, {}, {}, st::registration});
    at(st::ringing).push_back({ev::hang_up, {}, {}, st::missed});
    at(st::registration).push_back({ev::register_, {}, {}, st::assessment});
    auto store = [](call& c, const event& e) { c.urgency = e.urgency; };
    at(st::assessment)
        .push_back({ev::assess, [](const call&, const event& e) { return e.urgency >= 2; }, store, st::transfer});
    at(st::assessment).push_back({ev::assess, {}, store, st::resolution});
    at(st::transfer).push_back({ev::accept, {}, {}, st::counseling});
    at(st::resolution).push_back({ev::resolve, {}, {}, st::record});
    at(st::counseling).push_back({ev::finish, {}, {}, st::record});
    for (st s : {st::registration, st::assessment, st::transfer, st::resolution, st::counseling})
        at(s).push_back({ev::hang_up, {}, {}, st::record});
    at(st::record).push_back({ev::recorded, {}, {}, st::ended});
    return t;
}

struct table_impl {
    struct fleet {
        explicit fleet(std::size_t n) : calls(n) {}
        void dispatch(std::uint32_t i, const event& e) {
            call& c = calls[i];
            for (const row& r : table[static_cast<std::size_t>(c.state)]) {
                if (r.on != e.kind || (r.guard && !r.guard(c, e))) continue;
                if (r.action) r.action(c, e);
                if (!r.internal) c.state = r.target;
                return;
            }
        }
        [[nodiscard]] st state(std::uint32_t i) const { return calls[i].state; }
        std::vector<std::vector<row>> table = make_table();
        std::vector<call> calls;
    };
};

} // namespace

} // namespace dispatch_bench

CAREFLOW_DISPATCH_BENCH(dispatch_bench::table_impl, table);
