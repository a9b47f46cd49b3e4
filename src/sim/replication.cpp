// A replication's event loop and the hotline's call flow: arrivals, FIFO operators,
// patience, answer, handling, transfers to counselors, shifts and occupancy.
#include "replication.hpp"

namespace careflow::sim::detail {

outcome_counts replication::run(const std::function<void(double)>& progress) {
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
        case kind::visit_step: visit_step(ev.call, static_cast<visit_stage>(ev.agent)); break;
        case kind::complaint: complaint(); break;
        case kind::complaint_step: complaint_step(ev.call, static_cast<complaint_stage>(ev.agent)); break;
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
        case kind::appointment_step: appointment_step(ev.call, static_cast<appointment_stage>(ev.agent)); break;
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

void replication::account_shift(ticks t) {
    const ticks from = std::max(last_shift_, warmup_), to = std::min(t, end_);
    if (to > from) c_.shift += active_ * to_s(to - from);
    last_shift_ = std::max(last_shift_, t);
}

void replication::shift() {
    account_shift(now_);
    const int before = active_;
    active_ = on_duty(now_);
    // Newly on duty and free: take the longest-waiting calls.
    for (int op = before; op < active_; ++op)
        if (!operators_[static_cast<std::size_t>(op)].busy) next_call(op);
    if (now_ + hour_ticks < end_) push(now_ + hour_ticks, kind::shift);
}

void replication::schedule_arrival(ticks from) {
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

void replication::arrive() {
    const auto id = static_cast<std::uint32_t>(calls_.size());
    calls_.push_back({now_, -1, false});
    const bool count = now_ >= warmup_;
    counted_.push_back(count);
    if (count) ++c_.offered;
    // A center's calls link into the caller's file: a caller who needs follow-up consents
    // to the callbacks (the shipped procedure calls nobody back without it).
    timed([&] {
        return e_.start("hotline_call", id + 1, {}, at(now_), switchboard_,
                        center_ ? "caller-" + std::to_string(id + 1) : std::string());
    });
    if (k_.patience_mean_s > 0) push(now_ + seconds(rng_.exponential(k_.patience_mean_s)), kind::patience, id);
    schedule_arrival(now_);
    for (int i = 0; i < active_; ++i)
        if (!operators_[static_cast<std::size_t>(i)].busy) {
            take(id, i);
            return;
        }
    waiting_.push_back(id);
}

void replication::take(std::uint32_t id, int op) {
    calls_[id].queued_until = now_;
    open_busy(operators_[static_cast<std::size_t>(op)]);
    push(now_ + seconds(k_.answer_delay_s), kind::answer, id, op);
}

void replication::answer(std::uint32_t id, int op) {
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

void replication::give_up(std::uint32_t id) {
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

void replication::handled(std::uint32_t id, int op) {
    const actor& who = op_actors_[static_cast<std::size_t>(op)];
    const double u = rng_.uniform();
    const bool crisis = u < k_.crisis_rate;
    const bool transfer = crisis || u < k_.crisis_rate + k_.transfer_rate;
    const bool follow_up = center_ && rng_.uniform() < center_->follow_up_rate;
    timed([&] {
        return e_.dispatch(id + 1, "register", {{"name", ""}, {"withheld", true}, {"contact", ""}, {"reason", ""}},
                           at(now_), who);
    });
    timed([&] { return e_.dispatch(id + 1, "assess", {{"urgency", crisis ? 5 : transfer ? 2 : 1}}, at(now_), who); });
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
    if (follow_up) {
        consent_to_callbacks(id, who);
        timed([&] { return e_.dispatch(id + 1, "resolve", {{"needs_follow_up", true}}, at(now_), who); });
    }
    finish_call(id, who);
    free_operator(op);
}

void replication::consent_to_callbacks(std::uint32_t id, const actor& who) {
    timed([&] { return e_.record_consent("caller-" + std::to_string(id + 1), "callback", true, at(now_), who); });
}

void replication::start_counseling(std::uint32_t id, int dr) {
    counselors_[static_cast<std::size_t>(dr)].busy = true;
    const actor& who = dr_actors_[static_cast<std::size_t>(dr)];
    timed([&] { return e_.dispatch(id + 1, "join", at(now_), who); });
    timed([&] { return e_.dispatch(id + 1, "confirm_identity", at(now_), who); });
    push(now_ + seconds(k_.counseling.sample(rng_)), kind::counseled, id, dr);
}

void replication::counseled(std::uint32_t id, int dr) {
    const actor& who = dr_actors_[static_cast<std::size_t>(dr)];
    const bool follow_up = center_ && rng_.uniform() < center_->follow_up_rate;
    if (follow_up) consent_to_callbacks(id, who);
    timed([&] { return e_.dispatch(id + 1, "resolve", {{"needs_follow_up", follow_up}}, at(now_), who); });
    finish_call(id, who);
    counselors_[static_cast<std::size_t>(dr)].busy = false;
    if (!for_counselor_.empty()) {
        const auto next = for_counselor_.front();
        for_counselor_.pop_front();
        start_counseling(next, dr);
    }
}

void replication::finish_call(std::uint32_t id, const actor& who) {
    timed([&] { return e_.dispatch(id + 1, "hang_up", at(now_), who); });
    timed([&] { return e_.dispatch(id + 1, "record", at(now_), who); });
    timed([&] {
        return e_.dispatch(id + 1, "feedback", {{"channel", symbol{"sms"}}, {"score", 4}}, at(now_), caller_);
    });
    timed([&] { e_.erase(id + 1); });
}

void replication::free_operator(int op) {
    close_busy(operators_[static_cast<std::size_t>(op)], now_);
    if (op < active_) next_call(op); // off duty now: goes home after this call
}

void replication::next_call(int op) {
    while (!waiting_.empty()) { // FIFO: the longest-waiting call still on the line
        const auto next = waiting_.front();
        waiting_.pop_front();
        if (!calls_[next].done) {
            take(next, op);
            return;
        }
    }
}

void replication::open_busy(idle& o) {
    o.busy = true;
    o.since = now_;
}

void replication::close_busy(idle& o, ticks t) {
    if (!o.busy) return;
    const ticks from = std::max(o.since, warmup_), to = std::min(t, end_);
    if (to > from) c_.busy += to_s(to - from);
    o.busy = false;
}

} // namespace careflow::sim::detail
