// Internal: one replication of a simulation — a discrete-event loop that drives the real
// engine with the shipped procedures. The hotline's call flow is in replication.cpp, the
// rest of the center (callbacks, appointments, first visits, complaints) in
// center_flows.cpp; replications.cpp runs many and summarises them.
#pragma once

#include <careflow/error.hpp>
#include <careflow/procedures/procedures.hpp>
#include <careflow/runtime/engine.hpp>
#include <careflow/sim/center.hpp>

#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <queue>
#include <type_traits>

namespace careflow::sim::detail {

using clock_type = std::chrono::steady_clock;

struct outcome_counts {
    double offered = 0, answered = 0, abandoned = 0, within = 0, waited = 0;
    double wait_answered = 0, queue_time = 0, busy = 0, shift = 0;
};

// Counts the calls whose answer clock the engine judged met, and notes callbacks that
// need an agent (observers must not call back into the engine: the loop acts on these).
struct watcher : observer {
    std::vector<bool>* counted = nullptr;
    double within = 0;
    std::vector<case_id> needs_agent;
    std::vector<case_id> screening; // first visits whose screening window opened
    void sla_met(const case_view& c, const program_sla& s, time_point) override {
        if (s.name == "answer_within_rings" && c.id() <= counted->size() && (*counted)[c.id() - 1]) ++within;
    }
    void transition(const case_view& c, std::string_view, state_index, state_index to, time_point) override {
        const auto& name = c.prog().states()[to].name;
        if (c.prog().name() == "first_visit" && name == "screening") screening.push_back(c.id());
        if (c.prog().name() != "phone_callback") return;
        if (name == "queued" || name == "verifying") needs_agent.push_back(c.id());
    }
};

class replication {
public:
    replication(const hotline_config& k, std::shared_ptr<const program> p, std::uint64_t seed, std::uint64_t& inputs,
                double& engine_s, const center_config* center = nullptr)
        : k_(k), center_(center), rng_(seed), inputs_(inputs), engine_s_(engine_s),
          e_(engine_options{
              .journal = center != nullptr, .eventless_limit = 64, .spawn_base = std::uint64_t{1} << 40}) {
        if (center_) {
            procedures::install_all(e_, calendar_);
            for (int i = 0; i < center_->callback_agents; ++i) {
                agent_actors_.push_back(actor{"agent-" + std::to_string(i), {"callback_agent"}});
                agents_.push_back(idle{});
            }
        } else {
            e_.set_calendar(procedures::center_calendar_name, calendar_); // callback dates of the calls
        }
        e_.install(std::move(p));
        watch_.counted = &counted_;
        e_.add_observer(&watch_);
        operators_.assign(static_cast<std::size_t>(k.operators), idle{});
        counselors_.assign(static_cast<std::size_t>(k.counselors), idle{});
        for (int i = 0; i < k.operators; ++i) op_actors_.push_back(actor{"op-" + std::to_string(i), {"operator"}});
        for (int i = 0; i < k.counselors; ++i) dr_actors_.push_back(actor{"dr-" + std::to_string(i), {"counselor"}});
        warmup_ = seconds(k.warmup_hours * 3600);
        active_ = on_duty(0);
        end_ = warmup_ + seconds(k.hours * 3600);
        double top = 1;
        for (double m : k.hourly_profile) top = std::max(top, m);
        peak_ = k.arrivals_per_hour / 3600.0 * (k.hourly_profile.empty() ? 1.0 : top);
    }

    outcome_counts run(const std::function<void(double)>& progress);

private:
    enum class kind : std::uint8_t {
        arrival,
        answer,
        patience,
        handled,
        counseled,
        // the center: engine clock ticks, callbacks, appointment requests
        tick,
        callback_work,
        callback_record,
        agents_open,
        request,
        confirm,
        appointment_step,
        shift, // operators coming on or going off duty
        visit_request,
        visit_step,
        complaint,
        complaint_step
    };
    static constexpr ticks hour_ticks = 3600LL * 1'000'000LL;

    int on_duty(ticks t) const {
        if (k_.operators_by_hour.empty()) return k_.operators;
        const auto hour = static_cast<std::size_t>(t / hour_ticks);
        return k_.operators_by_hour[hour % k_.operators_by_hour.size()];
    }

    // Time on shift in [warmup, end): the number on duty times the time since the last change.
    void account_shift(ticks t);

    void shift();
    struct event {
        ticks t;
        std::uint64_t seq;
        kind what;
        case_id call; // a hotline call index, or a case id (callbacks, appointments: above 2^32)
        int agent;
        bool operator>(const event& o) const { return t != o.t ? t > o.t : seq > o.seq; }
    };
    struct call_state {
        ticks arrival = 0;
        ticks queued_until = -1; // when an operator took it
        bool done = false;       // answered or abandoned
    };
    struct idle {
        bool busy = false;
        ticks since = 0;
    };

    static ticks seconds(double s) { return static_cast<ticks>(std::llround(s * 1e6)); }
    static double to_s(ticks t) { return static_cast<double>(t) / 1e6; }
    time_point at(ticks t) const { return base_ + boost::posix_time::microseconds(t); }

    void push(ticks t, kind w, case_id call = 0, int agent = -1) { events_.push({t, seq_++, w, call, agent}); }
    template <class Stage>
    void push_stage(ticks t, kind w, case_id id, Stage s) {
        push(t, w, id, static_cast<int>(s));
    }

    // Every engine input goes through here: timed, counted, and checked. The simulator
    // only sends valid inputs, so an error result is a simulator bug, never data.
    template <class F>
    void timed(F&& f) {
        const auto a = clock_type::now();
        if constexpr (std::is_same_v<decltype(f()), result>) {
            const result r = f();
            if (r.kind == outcome::error)
                throw error("careflow.sim.internal",
                            "the simulator sent an invalid input: " + std::string(r.code) + ": " + r.reason);
        } else {
            f();
        }
        engine_s_ += std::chrono::duration<double>(clock_type::now() - a).count();
        ++inputs_;
        for (case_id id : watch_.screening)
            push_stage(open_after(now_, 2), kind::visit_step, id, visit_stage::screening);
        watch_.screening.clear();
        if (!watch_.needs_agent.empty()) {
            for (case_id id : watch_.needs_agent) waiting_callbacks_.push_back(id);
            watch_.needs_agent.clear();
            assign_agents();
        }
    }

    // ---- the center ----

    // Engine timers (callbacks coming due, retries, SLA clocks) fire when the engine is
    // advanced; ticks keep it moving when no call arrives.
    void tick();

    void assign_agents();

    void start_callback(case_id id, int a);

    void callback_done(case_id id, int a);

    // Appointment requests arrive in opening hours: exponential gaps of open time.
    void schedule_request(ticks from);

    void request();

    void confirm(case_id id);

    enum class appointment_stage : int { cancel, check_in, done };
    void appointment_step(case_id id, appointment_stage step);

    ticks to_sim(time_point t) const { return to_ticks(t) - to_ticks(base_); }

    // An exponential delay of open time with the given mean (hours) after `t`.
    ticks open_after(ticks t, double mean_hours);

    // First visits: booked for three working days ahead; the engine opens the screening
    // window the day before; back office screens, reception assigns a responsible
    // counselor, who contacts the client, sees them, records and follows up.
    void visit_request();

    /// The first-visit steps, in the order a visit goes through them.
    enum class visit_stage : int { screening, pre_contact, session, agreement, end_session, record, follow_up };
    void visit_step(case_id id, visit_stage step);

    // Complaints: acknowledged by a manager in open time, resolved days later.
    void complaint();

    enum class complaint_stage : int { acknowledge, resolve, record };
    void complaint_step(case_id id, complaint_stage step);

public:
    const careflow::engine& engine_ref() const { return e_; }

private:
    void schedule_arrival(ticks from);

    void arrive();

    void take(std::uint32_t id, int op);

    void answer(std::uint32_t id, int op);

    void give_up(std::uint32_t id);

    void handled(std::uint32_t id, int op);

    void start_counseling(std::uint32_t id, int dr);

    void counseled(std::uint32_t id, int dr);

    // Hang up, record and collect feedback at once, then drop the finished case.
    void finish_call(std::uint32_t id, const actor& who);
    /// The caller of call `id` consents to be called back (recorded by `who`).
    void consent_to_callbacks(std::uint32_t id, const actor& who);

    void free_operator(int op);

    void next_call(int op);

    void open_busy(idle& o);
    void close_busy(idle& o, ticks t);

    const hotline_config& k_;
    const center_config* center_;
    rng rng_;
    std::uint64_t& inputs_;
    double& engine_s_;
    calendar calendar_ = center_calendar();
    careflow::engine e_;
    watcher watch_;
    std::vector<idle> agents_;
    std::vector<actor> agent_actors_;
    std::deque<case_id> waiting_callbacks_;
    std::map<case_id, int> agent_of_;
    bool agents_open_pending_ = false;
    case_id next_appointment_ = std::uint64_t{1} << 32;
    const ticks tick_every_ = 5 * 60 * 1'000'000LL;
    const actor confirmer_{"dr-desk", {"counselor"}};
    const actor reception_{"reception", {"receptionist"}};
    const actor back_office_{"back-office", {"back_office"}};
    const actor manager_{"manager", {"manager"}};
    case_id next_visit_ = std::uint64_t{2} << 32;
    case_id next_complaint_ = std::uint64_t{3} << 32;
    std::vector<bool> counted_;
    std::vector<call_state> calls_;
    std::deque<std::uint32_t> waiting_, for_counselor_;
    std::vector<idle> operators_, counselors_;
    std::vector<actor> op_actors_, dr_actors_;
    const actor switchboard_{"switchboard", {}};
    const actor caller_{"caller", {}};
    const actor client_{"client", {}};
    std::priority_queue<event, std::vector<event>, std::greater<>> events_;
    std::uint64_t seq_ = 0;
    ticks now_ = 0, warmup_ = 0, end_ = 0, last_shift_ = 0;
    int active_ = 0; // operators on duty now
    double peak_ = 0;
    const time_point base_{boost::gregorian::date(2026, 11, 22), boost::posix_time::hours(16)}; // Mon 00:00 Shanghai
    outcome_counts c_;
};

/// Mean and 95 % half-width of replication results.
estimate summarise(const std::vector<double>& xs);

/// Throws `careflow.sim.bad_config` for impossible hotline settings.
void check(const hotline_config& k);

/// The shipped hotline procedure with the rings and ring cycle of `k`.
std::shared_ptr<const program> hotline_program(const hotline_config& k);

/// Run `k.replications` independent replications (seeds derived from `k.seed`), each
/// handed to `each` once it has run; `progress` sees the share done over all of them.
void run_replications(const hotline_config& k, const center_config* center, std::uint64_t& inputs,
                      double& engine_seconds, const std::function<void(double)>& progress,
                      const std::function<void(replication&, const outcome_counts&)>& each);

} // namespace careflow::sim::detail
