// careflow: the same call built with the builder (ring timer, SLA clock, role), on one
// engine with the journal on, driven through the typed dispatch.
#include "harness.hpp"
#include "program.hpp"

#include <careflow/careflow.hpp>

#include <array>

namespace engine_bench {

namespace {

using namespace careflow;

struct careflow_host {
    explicit careflow_host(std::size_t n) : p(hotline()), e({.journal = true}), op(e.intern({"op-7", {"operator"}})) {
        for (std::size_t i = 0; i < 4; ++i) urgency[i] = value(static_cast<int>(i));
        events = {*p->find_event("answer"), *p->find_event("assess"), *p->find_event("resolve"),
                  *p->find_event("hang_up")};
        const actor who{"op-7", {"operator"}};
        for (std::size_t c = 0; c < n; ++c) e.start(p, c, {}, t0, who);
    }
    void run(const std::vector<input>& inputs) {
        time_point now = t0;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            if (i % inputs_per_tick == 0) now += boost::posix_time::microseconds(tick);
            const input& in = inputs[i];
            const auto fields =
                in.kind == in::assess ? std::span<const value>(&urgency[in.urgency], 1) : std::span<const value>();
            e.dispatch(in.c, events[static_cast<std::size_t>(in.kind)], fields, now, op);
        }
    }
    [[nodiscard]] summary report() const {
        summary s;
        const auto name = [&](state_index i) { return p->states()[i].name; };
        for (std::size_t c = 0; c < cases(); ++c) {
            const auto n = name(e.get(c).state());
            s.final_states.push_back(n == "ringing"      ? 0
                                     : n == "assessment" ? 1
                                     : n == "counseling" ? 2
                                     : n == "resolution" ? 3
                                                         : 4);
        }
        for (const auto& j : e.journal()) {
            s.timer_fires += j.kind == record_kind::fire;
            s.breaches += j.kind == record_kind::sla && j.detail == "breached";
        }
        s.journal = e.journal_size();
        return s;
    }

    std::shared_ptr<const program> p;
    engine e;
    actor_ref op;
    std::array<value, 4> urgency;
    std::array<event_index, 4> events{};
    const time_point t0{boost::gregorian::date(2026, 11, 23)};
};

} // namespace

} // namespace engine_bench

CAREFLOW_ENGINE_BENCH(engine_bench::careflow_host, careflow);
