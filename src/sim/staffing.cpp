// Staffing formulas: Erlang C and Erlang A, stable for hundreds of agents, and least staffing for a target.
#include <careflow/error.hpp>
#include <careflow/sim/hotline.hpp>
#include <careflow/sim/staffing.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace careflow::sim {
namespace {

void check(const queue_model& m) {
    // Bounded so that the state spaces below stay small (and NaN fails every test).
    if (!(m.arrivals_per_second > 0 && m.arrivals_per_second * 3600 <= limits::arrivals_per_hour) ||
        !(m.handle_mean_s > 0 && m.handle_mean_s <= limits::duration_s) || m.agents < 1 || m.agents > limits::agents ||
        !(m.patience_mean_s >= 0 && m.patience_mean_s <= limits::patience_s))
        throw error("careflow.sim.bad_model",
                    "a queue needs arrivals (at most 100,000 an hour), a handling time (at most a day), a patience "
                    "(at most 1e7 s) and 1 to 10,000 agents");
}

// Erlang C: B by the stable recursion B(k) = aB(k-1) / (k + aB(k-1)), then C from B.
queue_figures erlang_c_figures(const queue_model& m, double within_s) {
    const double mu = 1.0 / m.handle_mean_s;
    const double a = m.arrivals_per_second / mu;
    const int c = m.agents;
    queue_figures f;
    f.occupancy = std::min(1.0, a / c);
    if (a >= c) {
        f.stable = false;
        f.p_wait = 1;
        f.service_level = 0;
        f.asa_s = f.mean_queue_time_s = INFINITY;
        return f;
    }
    f.p_wait = erlang_c(c, a);
    const double drain = c * mu - m.arrivals_per_second; // rate at which a queue ahead empties
    f.service_level = 1.0 - f.p_wait * std::exp(-drain * within_s);
    f.asa_s = f.mean_queue_time_s = f.p_wait / drain;
    return f;
}

// P(served within t | the caller finds k callers queued ahead): it must move up k+1
// places (rates cμ + jθ, j = k+1..1 including its own chance to leave) without
// abandoning. Uniformized so that large queues and long thresholds stay exact and stable.
double served_within(int c, double mu, double theta, int ahead, double t) {
    const int places = ahead + 1;
    const double top = c * mu + places * theta; // the fastest total rate
    const double lt = top * t;
    // Distribution over "places still to go" after m uniformized events; mass that
    // reached the agent (served) or abandoned leaves the vector.
    std::vector<double> at(static_cast<std::size_t>(places) + 1, 0.0);
    at[static_cast<std::size_t>(places)] = 1.0;
    double served = 0.0;
    // Poisson(m; lt) weights in log space, so that long thresholds cannot underflow exp(-lt).
    const double log_lt = std::log(lt > 0 ? lt : 1e-300);
    const int limit = static_cast<int>(lt + 12.0 * std::sqrt(lt + 1.0) + 30.0);
    double served_by_m = 0.0;
    for (int m = 0; m <= limit; ++m) {
        const double weight = std::exp(-lt + m * log_lt - std::lgamma(m + 1.0));
        served += weight * served_by_m;
        // One more uniformized event.
        std::vector<double> next(at.size(), 0.0);
        for (int j = 1; j <= places; ++j) {
            const double p = at[static_cast<std::size_t>(j)];
            if (p == 0) continue;
            const double advance = (c * mu + (j - 1) * theta) / top;
            const double abandon = theta / top;
            if (j == 1)
                served_by_m += p * advance;
            else
                next[static_cast<std::size_t>(j - 1)] += p * advance;
            next[static_cast<std::size_t>(j)] += p * (1.0 - advance - abandon);
        }
        at.swap(next);
    }
    return served;
}

// Erlang A: the birth–death chain with deaths min(n, c)μ + (n - c)⁺θ, in log space.
queue_figures erlang_a_figures(const queue_model& m, double within_s) {
    const double lambda = m.arrivals_per_second;
    const double mu = 1.0 / m.handle_mean_s;
    const double theta = 1.0 / m.patience_mean_s;
    const int c = m.agents;
    // Truncate where the chain is far past its mode: the tail beyond decays faster than
    // geometrically (deaths grow with n).
    const double a = lambda / mu;
    const int n_max = static_cast<int>(std::max<double>(c, a) + 50.0 * std::sqrt(std::max(a, 1.0)) +
                                       std::max(0.0, lambda / theta) * 3.0 + 200.0);
    std::vector<double> log_p(static_cast<std::size_t>(n_max) + 1);
    log_p[0] = 0;
    for (int n = 1; n <= n_max; ++n) {
        const double death = std::min(n, c) * mu + std::max(n - c, 0) * theta;
        log_p[static_cast<std::size_t>(n)] = log_p[static_cast<std::size_t>(n - 1)] + std::log(lambda / death);
    }
    const double top = *std::max_element(log_p.begin(), log_p.end());
    double norm = 0;
    for (double lp : log_p) norm += std::exp(lp - top);
    std::vector<double> p(log_p.size());
    for (std::size_t n = 0; n < p.size(); ++n) p[n] = std::exp(log_p[n] - top) / norm;

    queue_figures f;
    double busy = 0, queued = 0, wait = 0, within = 0;
    for (int n = 0; n <= n_max; ++n) {
        const double pn = p[static_cast<std::size_t>(n)];
        busy += std::min(n, c) * pn;
        if (n >= c) {
            wait += pn;
            queued += (n - c) * pn;
            if (pn > 1e-300) within += pn * served_within(c, mu, theta, n - c, within_s);
        } else {
            within += pn; // answered at once (PASTA: arrivals see the stationary state)
        }
    }
    f.p_wait = wait;
    f.occupancy = busy / c;
    f.mean_queue_time_s = queued / lambda;   // Little on the queue, abandoners included
    f.abandonment = theta * queued / lambda; // abandonment flow ÷ arrival flow
    const double answered = 1.0 - f.abandonment;
    // ASA: for a caller finding n ≥ c, the time at each place is exponential with the total
    // exit rate whatever happens next, so given service the mean wait is Σ 1/(cμ + jθ).
    double served_wait = 0;
    for (int n = c; n <= n_max; ++n) {
        const double pn = p[static_cast<std::size_t>(n)];
        if (pn < 1e-300) continue;
        const int places = n - c + 1;
        double log_served = 0, mean_time = 0;
        for (int j = 1; j <= places; ++j) {
            const double adv = c * mu + (j - 1) * theta;
            log_served += std::log(adv / (adv + theta));
            mean_time += 1.0 / (c * mu + j * theta);
        }
        served_wait += pn * std::exp(log_served) * mean_time;
    }
    f.asa_s = answered > 0 ? served_wait / answered : 0;
    f.service_level = within;
    return f;
}

} // namespace

double erlang_c(int agents, double load) {
    if (agents < 1 || !(load > 0))
        throw error("careflow.sim.bad_model", "Erlang C needs agents >= 1 and a positive load");
    if (load >= agents) return 1.0;
    double b = 1.0;
    for (int k = 1; k <= agents; ++k) b = load * b / (k + load * b);
    const double rho = load / agents;
    return b / (1.0 - rho * (1.0 - b));
}

queue_figures evaluate(const queue_model& m, double within_s) {
    check(m);
    return m.patience_mean_s > 0 ? erlang_a_figures(m, within_s) : erlang_c_figures(m, within_s);
}

std::optional<int> agents_needed(queue_model m, double within_s, double target, int max_agents) {
    m.agents = 1;
    check(m); // before the load is turned into a count of agents
    if (!(within_s >= 0 && within_s <= limits::duration_s) || !(target > 0 && target < 1))
        throw error("careflow.sim.bad_model", "a target is a share in (0, 1) within 0 to a day");
    max_agents = std::min(max_agents, limits::agents);
    const double load = m.arrivals_per_second * m.handle_mean_s;
    for (int c = std::max(1, m.patience_mean_s > 0 ? 1 : static_cast<int>(std::floor(load)) + 1); c <= max_agents;
         ++c) {
        m.agents = c;
        const auto f = evaluate(m, within_s);
        if (f.stable && f.service_level >= target) return c;
    }
    return std::nullopt;
}

} // namespace careflow::sim
