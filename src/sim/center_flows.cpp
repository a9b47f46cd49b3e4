// The center's processes in a replication, besides the hotline: the engine's clock ticks,
// callback agents working phone_callback cases in business hours, appointment requests and
// confirmations, first visits through the responsibility system, and complaints.
#include "replication.hpp"

namespace careflow::sim::detail {

void replication::tick() {
    timed([&] { return e_.advance(at(now_)); });
    if (now_ + tick_every_ < end_) push(now_ + tick_every_, kind::tick);
}

void replication::assign_agents() {
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

void replication::start_callback(case_id id, int a) {
    agents_[static_cast<std::size_t>(a)].busy = true;
    const actor& who = agent_actors_[static_cast<std::size_t>(a)];
    if (!agent_of_.count(id)) {
        agent_of_[id] = a;
        timed([&] { return e_.dispatch(id, "claim", at(now_), who); });
    }
    timed([&] { return e_.dispatch(id, "verify", {{"contact_ok", true}}, at(now_), who); });
    push(now_ + seconds(rng_.exponential(center_->callback_minutes * 60)), kind::callback_work, id, a);
}

void replication::callback_done(case_id id, int a) {
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

void replication::schedule_request(ticks from) {
    const double open_per_day = 8 * 3600.0;
    const double gap = rng_.exponential(open_per_day / center_->appointments_per_day);
    const ticks t = to_sim(calendar_.add(at(from), boost::posix_time::microseconds(seconds(gap))));
    if (t < end_) push(t, kind::request);
}

void replication::request() {
    const case_id id = next_appointment_++;
    timed([&] { return e_.start("appointment", id, {{"channel", "phone"}}, at(now_), switchboard_); });
    const double delay = rng_.exponential(center_->confirm_mean_hours * 3600);
    push(to_sim(calendar_.add(at(now_), boost::posix_time::microseconds(seconds(delay)))), kind::confirm, id);
    schedule_request(now_);
}

void replication::confirm(case_id id) {
    const actor& who = dr_actors_.empty() ? confirmer_ : dr_actors_[id % dr_actors_.size()];
    const time_point when = calendar_.add_working_days(at(now_), 3);
    timed([&] { return e_.dispatch(id, "confirm", {{"at", when}}, at(now_), who); });
    const ticks appt = to_sim(when);
    const double fate = rng_.uniform();
    if (fate < center_->cancel_rate) {
        const ticks before = seconds(rng_.uniform() * 72 * 3600);
        push_stage(std::max(now_, appt - before), kind::appointment_step, id, appointment_stage::cancel);
    } else if (fate >= center_->cancel_rate + center_->no_show_rate) {
        push_stage(appt - seconds(300), kind::appointment_step, id, appointment_stage::check_in);
    } // else: a no-show, which the engine's own timer records
}

void replication::appointment_step(case_id id, appointment_stage step) {
    switch (step) {
    case appointment_stage::cancel: timed([&] { return e_.dispatch(id, "cancel", at(now_), client_); }); break;
    case appointment_stage::check_in:
        timed([&] { return e_.dispatch(id, "check_in", at(now_), switchboard_); });
        push_stage(now_ + seconds(55 * 60), kind::appointment_step, id, appointment_stage::done);
        break;
    case appointment_stage::done: timed([&] { return e_.dispatch(id, "done", at(now_), confirmer_); }); break;
    }
}

ticks replication::open_after(ticks t, double mean_hours) {
    const double d = rng_.exponential(mean_hours * 3600);
    return to_sim(calendar_.add(at(t), boost::posix_time::microseconds(seconds(d))));
}

void replication::visit_request() {
    const case_id id = next_visit_++;
    const time_point appt = calendar_.add_working_days(at(now_), 3);
    timed([&] { return e_.start("first_visit", id, {{"appointment_at", appt}}, at(now_), reception_); });
    const ticks next = open_after(now_, 40.0 / center_->first_visits_per_week);
    if (next < end_) push(next, kind::visit_request);
}

void replication::visit_step(case_id id, visit_stage step) {
    const actor& dr = dr_actors_.empty() ? confirmer_ : dr_actors_[id % dr_actors_.size()];
    const time_point appt = std::get<time_point>(e_.get(id).variable("appointment_at").get());
    switch (step) {
    case visit_stage::screening: {
        const double u = rng_.uniform();
        const int risk = u < 0.03 ? 5 : 1;
        timed([&] {
            return e_.dispatch(id, "screen", {{"risk", risk}, {"in_scope", u < 0.03 || u >= 0.08}}, at(now_),
                               back_office_);
        });
        if (!e_.get(id).in("matching")) return; // crisis or referral
        timed([&] {
            return e_.dispatch(id, "assign_counselor", {{"counselor", dr.id}, {"by_rule", true}}, at(now_), reception_);
        });
        push_stage(std::min(open_after(now_, 3), std::max(now_, to_sim(appt) - seconds(600))), kind::visit_step, id,
                   visit_stage::pre_contact);
        return;
    }
    case visit_stage::pre_contact: // pre-contact, then the session at the appointment
        timed([&] { return e_.dispatch(id, "contacted", at(now_), dr); });
        push_stage(std::max(now_, to_sim(appt)), kind::visit_step, id, visit_stage::session);
        return;
    case visit_stage::session: // the session: the agreement signed after 10 minutes, the end at 50
        timed([&] { return e_.dispatch(id, "start_session", at(now_), dr); });
        push_stage(now_ + seconds(600), kind::visit_step, id, visit_stage::agreement);
        return;
    case visit_stage::agreement:
        timed([&] { return e_.dispatch(id, "sign_agreement", at(now_), dr); });
        push_stage(now_ + seconds(2400), kind::visit_step, id, visit_stage::end_session);
        return;
    case visit_stage::end_session:
        timed([&] { return e_.dispatch(id, "end_session", {{"plan", ""}}, at(now_), dr); });
        push_stage(now_ + seconds(rng_.exponential(12 * 3600)), kind::visit_step, id, visit_stage::record);
        return;
    case visit_stage::record:
        timed([&] { return e_.dispatch(id, "record", at(now_), dr); });
        push_stage(open_after(now_, 12), kind::visit_step, id, visit_stage::follow_up);
        return;
    case visit_stage::follow_up: timed([&] { return e_.dispatch(id, "follow_up_done", at(now_), dr); }); return;
    }
}

void replication::complaint() {
    const case_id id = next_complaint_++;
    timed([&] { return e_.start("complaint", id, {}, at(now_), switchboard_); });
    push_stage(open_after(now_, 5), kind::complaint_step, id, complaint_stage::acknowledge);
    const ticks next = now_ + seconds(rng_.exponential(7 * 86400.0 / center_->complaints_per_week));
    if (next < end_) push(next, kind::complaint);
}

void replication::complaint_step(case_id id, complaint_stage step) {
    switch (step) {
    case complaint_stage::acknowledge:
        timed([&] { return e_.dispatch(id, "acknowledge", at(now_), manager_); });
        push_stage(now_ + seconds(rng_.exponential(3 * 86400)), kind::complaint_step, id, complaint_stage::resolve);
        return;
    case complaint_stage::resolve:
        timed([&] { return e_.dispatch(id, "resolve", {{"summary", ""}}, at(now_), manager_); });
        push_stage(open_after(now_, 8), kind::complaint_step, id, complaint_stage::record);
        return;
    case complaint_stage::record:
        timed([&] { return e_.dispatch(id, "record_improvement", {{"improvement", ""}}, at(now_), manager_); });
        return;
    }
}

} // namespace careflow::sim::detail
