// The hotline simulator: a discrete-event loop around the real engine.
#include <careflow/error.hpp>
#include <careflow/procedures/hotline_call.hpp>
#include <careflow/runtime/engine.hpp>
#include <careflow/sim/hotline.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <deque>
#include <queue>

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

// Counts the calls whose answer clock the engine judged met.
struct sla_counter : observer {
    std::vector<bool>* counted = nullptr;
    double within = 0;
    void sla_met(const case_view& c, const program_sla& s, time_point) override {
        if (s.name == "answer_within_rings" && (*counted)[c.id() - 1]) ++within;
    }
};

class replication {
public:
    replication(const hotline_config& k, std::shared_ptr<const program> p, std::uint64_t seed, std::uint64_t& inputs,
                double& engine_s)
        : k_(k), rng_(seed), inputs_(inputs), engine_s_(engine_s) {
        e_.install(std::move(p));
        sla_.counted = &counted_;
        e_.add_observer(&sla_);
        operators_.assign(static_cast<std::size_t>(k.operators), idle{});
        counselors_.assign(static_cast<std::size_t>(k.counselors), idle{});
        for (int i = 0; i < k.operators; ++i) op_actors_.push_back(actor{"op-" + std::to_string(i), {"operator"}});
        for (int i = 0; i < k.counselors; ++i) dr_actors_.push_back(actor{"dr-" + std::to_string(i), {"counselor"}});
        warmup_ = seconds(k.warmup_hours * 3600);
        end_ = warmup_ + seconds(k.hours * 3600);
        double top = 1;
        for (double m : k.hourly_profile) top = std::max(top, m);
        peak_ = k.arrivals_per_hour / 3600.0 * (k.hourly_profile.empty() ? 1.0 : top);
    }

    outcome_counts run(const std::function<void(double)>& progress) {
        schedule_arrival(0);
        std::size_t steps = 0;
        while (!events_.empty()) {
            const event ev = events_.top();
            events_.pop();
            now_ = ev.t;
            switch (ev.what) {
            case kind::arrival: arrive(); break;
            case kind::answer: answer(ev.call, ev.agent); break;
            case kind::patience: give_up(ev.call); break;
            case kind::handled: handled(ev.call, ev.agent); break;
            case kind::counseled: counseled(ev.call, ev.agent); break;
            }
            if (progress && (++steps & 4095) == 0)
                progress(std::min(1.0, static_cast<double>(now_) / static_cast<double>(end_)));
        }
        // Operators' time on shift in the measured window.
        c_.shift = static_cast<double>(k_.operators) * to_s(end_ - warmup_);
        for (auto& o : operators_) close_busy(o, end_);
        c_.within = sla_.within;
        return c_;
    }

private:
    enum class kind : std::uint8_t { arrival, answer, patience, handled, counseled };
    struct event {
        ticks t;
        std::uint64_t seq;
        kind what;
        std::uint32_t call;
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

    void push(ticks t, kind w, std::uint32_t call = 0, int agent = -1) { events_.push({t, seq_++, w, call, agent}); }

    template <class F>
    void timed(F&& f) {
        const auto a = clock_type::now();
        f();
        engine_s_ += std::chrono::duration<double>(clock_type::now() - a).count();
        ++inputs_;
    }

    void schedule_arrival(ticks from) {
        // Non-homogeneous Poisson by thinning against the peak rate.
        ticks t = from;
        for (;;) {
            t += seconds(rng_.exponential(1.0 / peak_));
            if (t >= end_) return;
            double rate = k_.arrivals_per_hour / 3600.0;
            if (!k_.hourly_profile.empty()) {
                const auto hour = static_cast<std::size_t>((t / (3600 * 1'000'000LL)) % 24);
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
        timed([&] { e_.start("hotline_call", id + 1, {}, at(now_), switchboard_); });
        if (k_.patience_mean_s > 0) push(now_ + seconds(rng_.exponential(k_.patience_mean_s)), kind::patience, id);
        schedule_arrival(now_);
        for (std::size_t i = 0; i < operators_.size(); ++i)
            if (!operators_[i].busy) {
                take(id, static_cast<int>(i));
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
        timed([&] { e_.dispatch(id + 1, "answer", at(now_), op_actors_[static_cast<std::size_t>(op)]); });
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
        timed([&] { e_.dispatch(id + 1, "hang_up", at(now_), switchboard_); });
        timed([&] { e_.erase(id + 1); });
    }

    void handled(std::uint32_t id, int op) {
        const actor& who = op_actors_[static_cast<std::size_t>(op)];
        const bool transfer = k_.transfer_rate > 0 && rng_.uniform() < k_.transfer_rate;
        timed([&] {
            e_.dispatch(id + 1, "register", {{"name", ""}, {"withheld", true}, {"contact", ""}, {"reason", ""}},
                        at(now_), who);
        });
        timed([&] { e_.dispatch(id + 1, "assess", {{"urgency", transfer ? 2 : 1}}, at(now_), who); });
        if (transfer) {
            timed([&] { e_.dispatch(id + 1, "handover", {{"note", ""}}, at(now_), who); });
            free_operator(op);
            for (std::size_t i = 0; i < counselors_.size(); ++i)
                if (!counselors_[i].busy) {
                    start_counseling(id, static_cast<int>(i));
                    return;
                }
            for_counselor_.push_back(id);
            return;
        }
        finish_call(id, who);
        free_operator(op);
    }

    void start_counseling(std::uint32_t id, int dr) {
        counselors_[static_cast<std::size_t>(dr)].busy = true;
        const actor& who = dr_actors_[static_cast<std::size_t>(dr)];
        timed([&] { e_.dispatch(id + 1, "join", at(now_), who); });
        timed([&] { e_.dispatch(id + 1, "confirm_identity", at(now_), who); });
        push(now_ + seconds(k_.counseling.sample(rng_)), kind::counseled, id, dr);
    }

    void counseled(std::uint32_t id, int dr) {
        const actor& who = dr_actors_[static_cast<std::size_t>(dr)];
        timed([&] { e_.dispatch(id + 1, "resolve", {{"needs_follow_up", false}}, at(now_), who); });
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
        timed([&] { e_.dispatch(id + 1, "hang_up", at(now_), who); });
        timed([&] { e_.dispatch(id + 1, "record", at(now_), who); });
        timed([&] { e_.dispatch(id + 1, "feedback", {{"channel", symbol{"sms"}}, {"score", 4}}, at(now_), caller_); });
        timed([&] { e_.erase(id + 1); });
    }

    void free_operator(int op) {
        idle& o = operators_[static_cast<std::size_t>(op)];
        close_busy(o, now_);
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
    rng rng_;
    std::uint64_t& inputs_;
    double& engine_s_;
    careflow::engine e_{engine_options{.journal = false, .eventless_limit = 64, .spawn_base = std::uint64_t{1} << 62}};
    sla_counter sla_;
    std::vector<bool> counted_;
    std::vector<call_state> calls_;
    std::deque<std::uint32_t> waiting_, for_counselor_;
    std::vector<idle> operators_, counselors_;
    std::vector<actor> op_actors_, dr_actors_;
    const actor switchboard_{"switchboard", {}};
    const actor caller_{"caller", {}};
    std::priority_queue<event, std::vector<event>, std::greater<>> events_;
    std::uint64_t seq_ = 0;
    ticks now_ = 0, warmup_ = 0, end_ = 0;
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
    if (k.transfer_rate < 0 || k.transfer_rate > 1) throw bad("the transfer rate is a share between 0 and 1");
    if (k.transfer_rate > 0 && k.counselors < 1) throw bad("transfers need at least one counselor");
    if (!(k.hours > 0) || k.warmup_hours < 0) throw bad("hours must be positive and the warm-up not negative");
    if (k.replications < 1) throw bad("at least one replication");
    if (!k.hourly_profile.empty() && k.hourly_profile.size() != 24) throw bad("an hourly profile has 24 values");
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
