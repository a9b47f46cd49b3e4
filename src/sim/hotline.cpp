// The hotline simulator: a discrete-event loop around the real engine.
#include <careflow/error.hpp>
#include <careflow/procedures/procedures.hpp>
#include <careflow/runtime/engine.hpp>
#include <careflow/runtime/kpi.hpp>
#include <careflow/sim/hotline.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <queue>
#include <type_traits>

namespace careflow::sim {

double t95(int df) {
    static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                   2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                   2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1) return 0;
    if (df <= 30) return table[df - 1];
    return 1.96 + 2.4 / df; // close to the exact quantile beyond 30
}

namespace {

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

    outcome_counts run(const std::function<void(double)>& progress) {
        schedule_arrival(0);
        if (!k_.operators_by_hour.empty()) push(hour_ticks, kind::shift);
        if (center_) {
            push(0, kind::tick);
            schedule_request(0);
            if (center_->first_visits_per_week > 0)
                push(open_after(0, 40.0 / center_->first_visits_per_week), kind::visit_request);
            if (center_->complaints_per_week > 0)
                push(seconds(rng_.exponential(7 * 86400.0 / center_->complaints_per_week)), kind::complaint);
        }
        std::size_t steps = 0;
        while (!events_.empty()) {
            const event ev = events_.top();
            events_.pop();
            now_ = ev.t;
            switch (ev.what) {
            case kind::arrival: arrive(); break;
            case kind::answer: answer(static_cast<std::uint32_t>(ev.call), ev.agent); break;
            case kind::patience: give_up(static_cast<std::uint32_t>(ev.call)); break;
            case kind::handled: handled(static_cast<std::uint32_t>(ev.call), ev.agent); break;
            case kind::counseled: counseled(static_cast<std::uint32_t>(ev.call), ev.agent); break;
            case kind::shift: shift(); break;
            case kind::visit_request: visit_request(); break;
            case kind::visit_step: visit_step(ev.call, ev.agent); break;
            case kind::complaint: complaint(); break;
            case kind::complaint_step: complaint_step(ev.call, ev.agent); break;
            case kind::tick: tick(); break;
            case kind::callback_work: callback_done(ev.call, ev.agent); break;
            case kind::callback_record:
                timed([&] {
                    return e_.dispatch(ev.call, "record", at(now_), agent_actors_[static_cast<std::size_t>(ev.agent)]);
                });
                break;
            case kind::agents_open:
                agents_open_pending_ = false;
                assign_agents();
                break;
            case kind::request: request(); break;
            case kind::confirm: confirm(ev.call); break;
            case kind::appointment_step: appointment_step(ev.call, ev.agent); break;
            }
            if (progress && (++steps & 4095) == 0)
                progress(std::min(1.0, static_cast<double>(now_) / static_cast<double>(end_)));
        }
        // Operators' time on shift in the measured window.
        account_shift(end_);
        for (auto& o : operators_) close_busy(o, end_);
        c_.within = watch_.within;
        return c_;
    }

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
    void account_shift(ticks t) {
        const ticks from = std::max(last_shift_, warmup_), to = std::min(t, end_);
        if (to > from) c_.shift += active_ * to_s(to - from);
        last_shift_ = std::max(last_shift_, t);
    }

    void shift() {
        account_shift(now_);
        const int before = active_;
        active_ = on_duty(now_);
        // Newly on duty and free: take the longest-waiting calls.
        for (int op = before; op < active_; ++op)
            if (!operators_[static_cast<std::size_t>(op)].busy) next_call(op);
        if (now_ + hour_ticks < end_) push(now_ + hour_ticks, kind::shift);
    }
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
        for (case_id id : watch_.screening) push(open_after(now_, 2), kind::visit_step, id, 0);
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
    void tick() {
        timed([&] { return e_.advance(at(now_)); });
        if (now_ + tick_every_ < end_) push(now_ + tick_every_, kind::tick);
    }

    void assign_agents() {
        if (!center_ || waiting_callbacks_.empty()) return;
        if (!calendar_.is_open(at(now_))) {
            if (!agents_open_pending_) {
                agents_open_pending_ = true;
                push(to_sim(calendar_.next_open(at(now_))), kind::agents_open);
            }
            return;
        }
        for (std::size_t a = 0; a < agents_.size() && !waiting_callbacks_.empty(); ++a) {
            if (agents_[a].busy) continue;
            // The agent who claimed a callback keeps it (retries); new ones go to anyone.
            for (auto it = waiting_callbacks_.begin(); it != waiting_callbacks_.end(); ++it) {
                auto owner = agent_of_.find(*it);
                if (owner != agent_of_.end() && owner->second != static_cast<int>(a)) continue;
                const case_id id = *it;
                waiting_callbacks_.erase(it);
                start_callback(id, static_cast<int>(a));
                break;
            }
        }
    }

    void start_callback(case_id id, int a) {
        agents_[static_cast<std::size_t>(a)].busy = true;
        const actor& who = agent_actors_[static_cast<std::size_t>(a)];
        if (!agent_of_.count(id)) {
            agent_of_[id] = a;
            timed([&] { return e_.dispatch(id, "claim", at(now_), who); });
        }
        timed([&] { return e_.dispatch(id, "verify", {{"contact_ok", true}}, at(now_), who); });
        push(now_ + seconds(rng_.exponential(center_->callback_minutes * 60)), kind::callback_work, id, a);
    }

    void callback_done(case_id id, int a) {
        const actor& who = agent_actors_[static_cast<std::size_t>(a)];
        if (rng_.uniform() < center_->reach_rate) {
            timed([&] { return e_.dispatch(id, "reached", at(now_), who); });
            timed([&] {
                return e_.dispatch(
                    id, "feedback",
                    {{"emotion", ""}, {"effect", ""}, {"suggestions", ""}, {"special", false}, {"book_further", false}},
                    at(now_), who);
            });
            push(now_ + seconds(rng_.exponential(center_->record_minutes * 60)), kind::callback_record, id, a);
        } else {
            timed([&] { return e_.dispatch(id, "unreachable", at(now_), who); });
        }
        agents_[static_cast<std::size_t>(a)].busy = false;
        assign_agents();
    }

    // Appointment requests arrive in opening hours: exponential gaps of open time.
    void schedule_request(ticks from) {
        const double open_per_day = 8 * 3600.0;
        const double gap = rng_.exponential(open_per_day / center_->appointments_per_day);
        const ticks t = to_sim(calendar_.add(at(from), boost::posix_time::microseconds(seconds(gap))));
        if (t < end_) push(t, kind::request);
    }

    void request() {
        const case_id id = next_appointment_++;
        timed([&] { return e_.start("appointment", id, {{"channel", "phone"}}, at(now_), switchboard_); });
        const double delay = rng_.exponential(center_->confirm_mean_hours * 3600);
        push(to_sim(calendar_.add(at(now_), boost::posix_time::microseconds(seconds(delay)))), kind::confirm, id);
        schedule_request(now_);
    }

    void confirm(case_id id) {
        const actor& who = dr_actors_.empty() ? confirmer_ : dr_actors_[id % dr_actors_.size()];
        const time_point when = calendar_.add_working_days(at(now_), 3);
        timed([&] { return e_.dispatch(id, "confirm", {{"at", when}}, at(now_), who); });
        const ticks appt = to_sim(when);
        const double fate = rng_.uniform();
        if (fate < center_->cancel_rate) {
            const ticks before = seconds(rng_.uniform() * 72 * 3600);
            push(std::max(now_, appt - before), kind::appointment_step, id, 0); // cancel
        } else if (fate >= center_->cancel_rate + center_->no_show_rate) {
            push(appt - seconds(300), kind::appointment_step, id, 1); // check in
        } // else: a no-show, which the engine's own timer records
    }

    void appointment_step(case_id id, int step) {
        switch (step) {
        case 0: timed([&] { return e_.dispatch(id, "cancel", at(now_), client_); }); break;
        case 1:
            timed([&] { return e_.dispatch(id, "check_in", at(now_), switchboard_); });
            push(now_ + seconds(55 * 60), kind::appointment_step, id, 2);
            break;
        default: timed([&] { return e_.dispatch(id, "done", at(now_), confirmer_); }); break;
        }
    }

    ticks to_sim(time_point t) const { return to_ticks(t) - to_ticks(base_); }

    // An exponential delay of open time with the given mean (hours) after `t`.
    ticks open_after(ticks t, double mean_hours) {
        const double d = rng_.exponential(mean_hours * 3600);
        return to_sim(calendar_.add(at(t), boost::posix_time::microseconds(seconds(d))));
    }

    // First visits: booked for three working days ahead; the engine opens the screening
    // window the day before; back office screens, reception assigns a responsible
    // counselor, who contacts the client, sees them, records and follows up.
    void visit_request() {
        const case_id id = next_visit_++;
        const time_point appt = calendar_.add_working_days(at(now_), 3);
        timed([&] { return e_.start("first_visit", id, {{"appointment_at", appt}}, at(now_), reception_); });
        const ticks next = open_after(now_, 40.0 / center_->first_visits_per_week);
        if (next < end_) push(next, kind::visit_request);
    }

    void visit_step(case_id id, int step) {
        const actor& dr = dr_actors_.empty() ? confirmer_ : dr_actors_[id % dr_actors_.size()];
        const time_point appt = std::get<time_point>(e_.get(id).variable("appointment_at").get());
        switch (step) {
        case 0: { // screening
            const double u = rng_.uniform();
            const int risk = u < 0.03 ? 5 : 1;
            timed([&] {
                return e_.dispatch(id, "screen", {{"risk", risk}, {"in_scope", u < 0.03 || u >= 0.08}}, at(now_),
                                   back_office_);
            });
            if (!e_.get(id).in("matching")) return; // crisis or referral
            timed([&] {
                return e_.dispatch(id, "assign_counselor", {{"counselor", dr.id}, {"by_rule", true}}, at(now_),
                                   reception_);
            });
            push(std::min(open_after(now_, 3), std::max(now_, to_sim(appt) - seconds(600))), kind::visit_step, id, 1);
            return;
        }
        case 1: // pre-contact, then the session at the appointment
            timed([&] { return e_.dispatch(id, "contacted", at(now_), dr); });
            push(std::max(now_, to_sim(appt)), kind::visit_step, id, 2);
            return;
        case 2: // the session: the agreement signed after 10 minutes, the end at 50
            timed([&] { return e_.dispatch(id, "start_session", at(now_), dr); });
            push(now_ + seconds(600), kind::visit_step, id, 5);
            return;
        case 5:
            timed([&] { return e_.dispatch(id, "sign_agreement", at(now_), dr); });
            push(now_ + seconds(2400), kind::visit_step, id, 6);
            return;
        case 6:
            timed([&] { return e_.dispatch(id, "end_session", {{"plan", ""}}, at(now_), dr); });
            push(now_ + seconds(rng_.exponential(12 * 3600)), kind::visit_step, id, 3);
            return;
        case 3:
            timed([&] { return e_.dispatch(id, "record", at(now_), dr); });
            push(open_after(now_, 12), kind::visit_step, id, 4);
            return;
        default: timed([&] { return e_.dispatch(id, "follow_up_done", at(now_), dr); }); return;
        }
    }

    // Complaints: acknowledged by a manager in open time, resolved days later.
    void complaint() {
        const case_id id = next_complaint_++;
        timed([&] { return e_.start("complaint", id, {}, at(now_), switchboard_); });
        push(open_after(now_, 5), kind::complaint_step, id, 0);
        const ticks next = now_ + seconds(rng_.exponential(7 * 86400.0 / center_->complaints_per_week));
        if (next < end_) push(next, kind::complaint);
    }

    void complaint_step(case_id id, int step) {
        switch (step) {
        case 0:
            timed([&] { return e_.dispatch(id, "acknowledge", at(now_), manager_); });
            push(now_ + seconds(rng_.exponential(3 * 86400)), kind::complaint_step, id, 1);
            return;
        case 1:
            timed([&] { return e_.dispatch(id, "resolve", {{"summary", ""}}, at(now_), manager_); });
            push(open_after(now_, 8), kind::complaint_step, id, 2);
            return;
        default:
            timed([&] { return e_.dispatch(id, "record_improvement", {{"improvement", ""}}, at(now_), manager_); });
            return;
        }
    }

public:
    const careflow::engine& engine_ref() const { return e_; }

private:
    void schedule_arrival(ticks from) {
        // Non-homogeneous Poisson by thinning against the peak rate.
        ticks t = from;
        for (;;) {
            t += seconds(rng_.exponential(1.0 / peak_));
            if (t >= end_) return;
            double rate = k_.arrivals_per_hour / 3600.0;
            if (!k_.hourly_profile.empty()) {
                const auto hour = static_cast<std::size_t>(t / (3600 * 1'000'000LL));
                rate *= k_.hourly_profile[hour % k_.hourly_profile.size()];
            }
            if (rng_.uniform() * peak_ <= rate) break;
        }
        push(t, kind::arrival);
    }

    void arrive() {
        const auto id = static_cast<std::uint32_t>(calls_.size());
        calls_.push_back({now_, -1, false});
        const bool count = now_ >= warmup_;
        counted_.push_back(count);
        if (count) ++c_.offered;
        timed([&] { return e_.start("hotline_call", id + 1, {}, at(now_), switchboard_); });
        if (k_.patience_mean_s > 0) push(now_ + seconds(rng_.exponential(k_.patience_mean_s)), kind::patience, id);
        schedule_arrival(now_);
        for (int i = 0; i < active_; ++i)
            if (!operators_[static_cast<std::size_t>(i)].busy) {
                take(id, i);
                return;
            }
        waiting_.push_back(id);
    }

    void take(std::uint32_t id, int op) {
        calls_[id].queued_until = now_;
        open_busy(operators_[static_cast<std::size_t>(op)]);
        push(now_ + seconds(k_.answer_delay_s), kind::answer, id, op);
    }

    void answer(std::uint32_t id, int op) {
        call_state& c = calls_[id];
        if (c.done) { // hung up during the pick-up
            free_operator(op);
            return;
        }
        c.done = true;
        if (counted_[id]) {
            ++c_.answered;
            const ticks wait = c.queued_until - c.arrival;
            if (wait > 0) ++c_.waited;
            c_.queue_time += to_s(wait);
            c_.wait_answered += to_s(now_ - c.arrival);
        }
        timed([&] { return e_.dispatch(id + 1, "answer", at(now_), op_actors_[static_cast<std::size_t>(op)]); });
        push(now_ + seconds(k_.handle.sample(rng_)), kind::handled, id, op);
    }

    void give_up(std::uint32_t id) {
        call_state& c = calls_[id];
        if (c.done) return;
        c.done = true;
        if (counted_[id]) {
            ++c_.abandoned;
            ++c_.waited;
            c_.queue_time += to_s(now_ - c.arrival);
        }
        timed([&] { return e_.dispatch(id + 1, "hang_up", at(now_), switchboard_); });
        timed([&] { e_.erase(id + 1); });
    }

    void handled(std::uint32_t id, int op) {
        const actor& who = op_actors_[static_cast<std::size_t>(op)];
        const double u = rng_.uniform();
        const bool crisis = u < k_.crisis_rate;
        const bool transfer = crisis || u < k_.crisis_rate + k_.transfer_rate;
        const bool follow_up = center_ && rng_.uniform() < center_->follow_up_rate;
        timed([&] {
            return e_.dispatch(id + 1, "register", {{"name", ""}, {"withheld", true}, {"contact", ""}, {"reason", ""}},
                               at(now_), who);
        });
        timed([&] {
            return e_.dispatch(id + 1, "assess", {{"urgency", crisis ? 5 : transfer ? 2 : 1}}, at(now_), who);
        });
        if (transfer) {
            if (!crisis) timed([&] { return e_.dispatch(id + 1, "handover", {{"note", ""}}, at(now_), who); });
            free_operator(op);
            for (std::size_t i = 0; i < counselors_.size(); ++i)
                if (!counselors_[i].busy) {
                    start_counseling(id, static_cast<int>(i));
                    return;
                }
            if (crisis)
                for_counselor_.push_front(id); // a crisis goes ahead of ordinary transfers
            else
                for_counselor_.push_back(id);
            return;
        }
        if (follow_up)
            timed([&] { return e_.dispatch(id + 1, "resolve", {{"needs_follow_up", true}}, at(now_), who); });
        finish_call(id, who);
        free_operator(op);
    }

    void start_counseling(std::uint32_t id, int dr) {
        counselors_[static_cast<std::size_t>(dr)].busy = true;
        const actor& who = dr_actors_[static_cast<std::size_t>(dr)];
        timed([&] { return e_.dispatch(id + 1, "join", at(now_), who); });
        timed([&] { return e_.dispatch(id + 1, "confirm_identity", at(now_), who); });
        push(now_ + seconds(k_.counseling.sample(rng_)), kind::counseled, id, dr);
    }

    void counseled(std::uint32_t id, int dr) {
        const actor& who = dr_actors_[static_cast<std::size_t>(dr)];
        timed([&] {
            return e_.dispatch(id + 1, "resolve",
                               {{"needs_follow_up", center_ && rng_.uniform() < center_->follow_up_rate}}, at(now_),
                               who);
        });
        finish_call(id, who);
        counselors_[static_cast<std::size_t>(dr)].busy = false;
        if (!for_counselor_.empty()) {
            const auto next = for_counselor_.front();
            for_counselor_.pop_front();
            start_counseling(next, dr);
        }
    }

    // Hang up, record and collect feedback at once, then drop the finished case.
    void finish_call(std::uint32_t id, const actor& who) {
        timed([&] { return e_.dispatch(id + 1, "hang_up", at(now_), who); });
        timed([&] { return e_.dispatch(id + 1, "record", at(now_), who); });
        timed([&] {
            return e_.dispatch(id + 1, "feedback", {{"channel", symbol{"sms"}}, {"score", 4}}, at(now_), caller_);
        });
        timed([&] { e_.erase(id + 1); });
    }

    void free_operator(int op) {
        close_busy(operators_[static_cast<std::size_t>(op)], now_);
        if (op < active_) next_call(op); // off duty now: goes home after this call
    }

    void next_call(int op) {
        while (!waiting_.empty()) { // FIFO: the longest-waiting call still on the line
            const auto next = waiting_.front();
            waiting_.pop_front();
            if (!calls_[next].done) {
                take(next, op);
                return;
            }
        }
    }

    void open_busy(idle& o) {
        o.busy = true;
        o.since = now_;
    }
    void close_busy(idle& o, ticks t) {
        if (!o.busy) return;
        const ticks from = std::max(o.since, warmup_), to = std::min(t, end_);
        if (to > from) c_.busy += to_s(to - from);
        o.busy = false;
    }

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

estimate summarise(const std::vector<double>& xs) {
    estimate e;
    if (xs.empty()) return e;
    double sum = 0;
    for (double x : xs) sum += x;
    e.mean = sum / static_cast<double>(xs.size());
    if (xs.size() > 1) {
        double ss = 0;
        for (double x : xs) ss += (x - e.mean) * (x - e.mean);
        const double sd = std::sqrt(ss / static_cast<double>(xs.size() - 1));
        e.ci95 = t95(static_cast<int>(xs.size()) - 1) * sd / std::sqrt(static_cast<double>(xs.size()));
    }
    return e;
}

void check(const hotline_config& k) {
    auto bad = [](const std::string& why) { return error("careflow.sim.bad_config", why); };
    if (!(k.arrivals_per_hour > 0)) throw bad("arrivals per hour must be positive");
    if (k.operators < 1) throw bad("at least one operator");
    if (k.counselors < 0) throw bad("counselors cannot be negative");
    if (!(k.handle.mean > 0)) throw bad("the handling time must be positive");
    if (k.patience_mean_s < 0 || k.answer_delay_s < 0) throw bad("patience and answer delay cannot be negative");
    if (k.rings < 1 || !(k.ring_cycle_s > 0)) throw bad("rings and the ring cycle must be positive");
    if (k.transfer_rate < 0 || k.crisis_rate < 0 || k.transfer_rate + k.crisis_rate > 1)
        throw bad("the transfer and crisis rates are shares that add up to at most 1");
    if (k.transfer_rate + k.crisis_rate > 0 && k.counselors < 1) throw bad("transfers need at least one counselor");
    if (!k.operators_by_hour.empty()) {
        if (k.operators_by_hour.size() != 24 && k.operators_by_hour.size() != 168)
            throw bad("operators by hour has 24 or 168 values");
        for (int n : k.operators_by_hour)
            if (n < 0 || n > k.operators) throw bad("operators on duty must be between 0 and the pool size");
    }
    if (!(k.hours > 0) || k.warmup_hours < 0) throw bad("hours must be positive and the warm-up not negative");
    if (k.replications < 1) throw bad("at least one replication");
    if (!k.hourly_profile.empty() && k.hourly_profile.size() != 24 && k.hourly_profile.size() != 168)
        throw bad("an hourly profile has 24 or 168 values");
    for (double m : k.hourly_profile)
        if (m < 0) throw bad("hourly profile values cannot be negative");
}

} // namespace

hotline_report simulate_hotline(const hotline_config& k, const std::function<void(double)>& progress) {
    check(k);
    const auto started = clock_type::now();
    procedures::hotline_call_params params;
    params.rings = k.rings;
    params.ring_cycle = boost::posix_time::microseconds(std::llround(k.ring_cycle_s * 1e6));
    const auto program = procedures::hotline_call_program(params);
    hotline_report r;
    r.config = k;
    std::vector<double> offered, answered, abandoned, sl, pw, asa, qt, ab, occ;
    for (int i = 0; i < k.replications; ++i) {
        replication rep(k, program, k.seed + static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ull, r.engine_inputs,
                        r.engine_seconds);
        const auto c =
            rep.run(progress ? std::function<void(double)>([&](double f) { progress((i + f) / k.replications); })
                             : std::function<void(double)>());
        const double n = std::max(c.offered, 1.0);
        offered.push_back(c.offered);
        answered.push_back(c.answered);
        abandoned.push_back(c.abandoned);
        sl.push_back(c.within / n);
        pw.push_back(c.waited / n);
        asa.push_back(c.answered > 0 ? c.wait_answered / c.answered : 0);
        qt.push_back(c.queue_time / n);
        ab.push_back(c.abandoned / n);
        occ.push_back(c.shift > 0 ? c.busy / c.shift : 0);
    }
    r.offered = summarise(offered);
    r.answered = summarise(answered);
    r.abandoned = summarise(abandoned);
    r.service_level = summarise(sl);
    r.p_wait = summarise(pw);
    r.asa_s = summarise(asa);
    r.mean_queue_time_s = summarise(qt);
    r.abandonment_rate = summarise(ab);
    r.occupancy = summarise(occ);
    r.total_seconds = std::chrono::duration<double>(clock_type::now() - started).count();
    if (progress) progress(1.0);
    return r;
}

std::string hotline_report::json() const {
    const bool ci = config.replications > 1;
    std::string out = "{";
    auto field = [&](const char* name, const estimate& e, bool last = false) {
        out += fmt::format("\"{}\": {:.6f}", name, e.mean);
        if (ci) out += fmt::format(", \"{}_ci95\": {:.6f}", name, e.ci95);
        if (!last) out += ", ";
    };
    out += fmt::format("\"replications\": {}, \"seed\": {}, ", config.replications, config.seed);
    field("offered", offered);
    field("answered", answered);
    field("abandoned", abandoned);
    field("service_level", service_level);
    field("p_wait", p_wait);
    field("asa_s", asa_s);
    field("mean_queue_time_s", mean_queue_time_s);
    field("abandonment_rate", abandonment_rate);
    field("occupancy", occupancy, true);
    out += "}";
    return out;
}

std::string hotline_report::table() const {
    const bool ci = config.replications > 1;
    std::string out = fmt::format(
        "hotline: {:g} calls/h, {} operators, {} counselors, {:g} h after {:g} h warm-up, {} replication{}\n",
        config.arrivals_per_hour, config.operators, config.counselors, config.hours, config.warmup_hours,
        config.replications, config.replications == 1 ? "" : "s");
    auto row = [&](const char* name, const estimate& e, const char* unit, double scale) {
        out += fmt::format("  {:<28} {:>10.{}f}{}", name, e.mean * scale, scale == 100 ? 1 : 2, unit);
        if (ci) out += fmt::format("  ± {:.{}f}", e.ci95 * scale, scale == 100 ? 1 : 2);
        out += "\n";
    };
    row("offered calls", offered, "", 1);
    row("answered", answered, "", 1);
    row("abandoned", abandoned, "", 1);
    row("answered within the rings", service_level, " %", 100);
    row("waited at all", p_wait, " %", 100);
    row("mean wait of answered (ASA)", asa_s, " s", 1);
    row("mean time in queue", mean_queue_time_s, " s", 1);
    row("abandonment", abandonment_rate, " %", 100);
    row("operator occupancy", occupancy, " %", 100);
    return out;
}

} // namespace careflow::sim

namespace careflow::sim {

center_report simulate_center(const center_config& k, const std::function<void(double)>& progress) {
    check(k.hotline);
    auto share = [](double x) { return x >= 0 && x <= 1; };
    if (!share(k.follow_up_rate) || !share(k.reach_rate) || !share(k.cancel_rate) || !share(k.no_show_rate) ||
        k.cancel_rate + k.no_show_rate > 1)
        throw error("careflow.sim.bad_config", "rates are shares between 0 and 1");
    if (k.callback_agents < 1) throw error("careflow.sim.bad_config", "at least one callback agent");
    if (!(k.appointments_per_day > 0) || !(k.confirm_mean_hours > 0) || !(k.callback_minutes > 0) ||
        !(k.record_minutes > 0))
        throw error("careflow.sim.bad_config", "appointment and callback figures must be positive");
    const auto started = clock_type::now();
    procedures::hotline_call_params params;
    params.rings = k.hotline.rings;
    params.ring_cycle = boost::posix_time::microseconds(std::llround(k.hotline.ring_cycle_s * 1e6));
    const auto program = procedures::hotline_call_program(params);
    center_report r;
    r.config = k;
    std::map<std::pair<std::string, std::string>, std::pair<std::vector<double>, std::vector<double>>> clocks;
    std::vector<double> three, on_time, confirm, late, no_show, calls, callbacks, appointments, complaint_ok,
        responsible, visits, complaints;
    for (int i = 0; i < k.hotline.replications; ++i) {
        replication rep(k.hotline, program, k.hotline.seed + static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ull,
                        r.engine_inputs, r.engine_seconds, &k);
        (void)rep.run(progress
                          ? std::function<void(double)>([&](double f) { progress((i + f) / k.hotline.replications); })
                          : std::function<void(double)>());
        const auto kpis = compute_kpis(rep.engine_ref().journal());
        for (const auto& s : kpis.slas) {
            auto& c = clocks[{s.procedure.substr(0, s.procedure.rfind('@')), s.sla}];
            c.first.push_back(s.attainment());
            c.second.push_back(static_cast<double>(s.met + s.late + s.missed));
        }
        auto rate = [&](const char* proc, const char* clock) {
            const auto* s = kpis.sla(proc, clock);
            return s ? s->attainment() : 1.0;
        };
        auto started_of = [&](const char* proc) {
            const auto* p = kpis.procedure(proc);
            return p ? static_cast<double>(p->started) : 0.0;
        };
        three.push_back(rate("hotline_call", "answer_within_rings"));
        on_time.push_back(rate("phone_callback", "on_time"));
        confirm.push_back(rate("appointment", "confirm"));
        const auto* a = kpis.procedure("appointment");
        late.push_back(a ? a->rate("late_cancelled") : 0.0);
        no_show.push_back(a ? a->rate("no_show") : 0.0);
        calls.push_back(started_of("hotline_call"));
        callbacks.push_back(started_of("phone_callback"));
        appointments.push_back(started_of("appointment"));
        visits.push_back(started_of("first_visit"));
        complaints.push_back(started_of("complaint"));
        responsible.push_back(kpis.responsibility_rate("first_visit"));
        // A complaint handled within target: both of its clocks met.
        const auto* ack = kpis.sla("complaint", "acknowledge");
        const auto* res = kpis.sla("complaint", "resolve");
        const double decided = res ? static_cast<double>(res->met + res->late + res->missed) : 0;
        complaint_ok.push_back(decided > 0 ? std::min(ack ? ack->attainment() : 1.0, res->attainment()) : 1.0);
    }
    for (const auto& [key, v] : clocks)
        r.clocks.push_back({key.first, key.second, summarise(v.first), summarise(v.second)});
    r.three_ring_rate = summarise(three);
    r.callback_on_time_rate = summarise(on_time);
    r.confirmation_rate = summarise(confirm);
    r.late_cancellation_rate = summarise(late);
    r.no_show_rate = summarise(no_show);
    r.calls = summarise(calls);
    r.callbacks = summarise(callbacks);
    r.appointments = summarise(appointments);
    r.first_visits = summarise(visits);
    r.complaints = summarise(complaints);
    r.complaint_rate = summarise(complaint_ok);
    r.responsibility_rate = summarise(responsible);
    r.total_seconds = std::chrono::duration<double>(clock_type::now() - started).count();
    if (progress) progress(1.0);
    return r;
}

std::string center_report::json() const {
    const bool ci = config.hotline.replications > 1;
    auto num = [&](const char* name, const estimate& e) {
        std::string s = fmt::format("\"{}\": {:.6f}", name, e.mean);
        if (ci) s += fmt::format(", \"{}_ci95\": {:.6f}", name, e.ci95);
        return s;
    };
    std::string out =
        fmt::format("{{\"replications\": {}, \"seed\": {}, ", config.hotline.replications, config.hotline.seed);
    out += num("calls", calls) + ", " + num("callbacks", callbacks) + ", " + num("appointments", appointments) + ", ";
    out += num("three_ring_rate", three_ring_rate) + ", " + num("callback_on_time_rate", callback_on_time_rate) + ", ";
    out += num("confirmation_rate", confirmation_rate) + ", " + num("late_cancellation_rate", late_cancellation_rate) +
           ", ";
    out += num("no_show_rate", no_show_rate) + ", " + num("complaint_rate", complaint_rate) + ", ";
    out += num("responsibility_rate", responsibility_rate) + ", " + num("first_visits", first_visits) + ", ";
    out += num("complaints", complaints) + ", \"clocks\": [";
    for (std::size_t i = 0; i < clocks.size(); ++i) {
        const auto& c = clocks[i];
        out += fmt::format("{}{{\"procedure\": \"{}\", \"clock\": \"{}\", ", i ? ", " : "", c.procedure, c.clock);
        out += num("attainment", c.attainment) + ", " + num("decided", c.decided) + "}";
    }
    return out + "]}";
}

std::string center_report::table() const {
    const auto& h = config.hotline;
    const bool ci = h.replications > 1;
    std::string out = fmt::format(
        "center: {:g} days; hotline {:g} calls/h, {} operators, {} counselors; {} callback agents; {:g} appointment "
        "requests/day; {} replication{}\n",
        (h.warmup_hours + h.hours) / 24, h.arrivals_per_hour, h.operators, h.counselors, config.callback_agents,
        config.appointments_per_day, h.replications, h.replications == 1 ? "" : "s");
    auto row = [&](const std::string& name, const estimate& e, bool percent) {
        out += fmt::format("  {:<42} {:>8.{}f}{}", name, e.mean * (percent ? 100 : 1), percent ? 1 : 0,
                           percent ? " %" : "");
        if (ci) out += fmt::format("  ± {:.{}f}", e.ci95 * (percent ? 100 : 1), percent ? 1 : 0);
        out += "\n";
    };
    row("hotline calls", calls, false);
    row("callbacks planned", callbacks, false);
    row("appointment requests", appointments, false);
    row("answered within three rings", three_ring_rate, true);
    row("callbacks attempted on their due day", callback_on_time_rate, true);
    row("appointments confirmed within 24 h", confirmation_rate, true);
    row("late cancellations", late_cancellation_rate, true);
    row("no-shows", no_show_rate, true);
    row("first visits", first_visits, false);
    row("  responsibility fulfilled (every duty)", responsibility_rate, true);
    row("complaints", complaints, false);
    row("  handled within target", complaint_rate, true);
    out += "  SLA attainment by clock:\n";
    for (const auto& c : clocks) row("    " + c.procedure + "." + c.clock, c.attainment, true);
    return out;
}

} // namespace careflow::sim
