// The dispatch scenario's inputs: seeded, so every implementation and every run sees the
// same episodes in the same order.
#include "harness.hpp"

#include <algorithm>
#include <random>

namespace dispatch_bench {

namespace {

// One episode, ~8 events: rings, then usually a full call (register, assess with a varying
// urgency, transfer and counseling or a direct resolution, the record, the hang-up that
// ends every phone call); sometimes a caller who gives up, a hang-up mid-call, or a stray
// event the state ignores.
void episode(std::mt19937_64& rng, std::vector<event>& out) {
    auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
    const int rings = static_cast<int>(rng() % 5); // 4 rings: missed
    for (int i = 0; i < rings; ++i) out.push_back({ev::ring, 0});
    if (rings == 4 || chance(8)) {
        out.push_back({ev::hang_up, 0});
        return;
    }
    const std::uint8_t urgency = static_cast<std::uint8_t>(rng() % 4);
    std::vector<event> call{{ev::answer, 0}, {ev::register_, 0}, {ev::assess, urgency}};
    if (urgency >= 2) {
        call.push_back({ev::accept, 0});
        call.push_back({ev::finish, 0});
    } else {
        call.push_back({ev::resolve, 0});
    }
    if (chance(15)) // the caller hangs up mid-call: what is left of the call does not happen
        call.resize(1 + rng() % (call.size() - 1));
    if (chance(20)) call.insert(call.begin() + 1 + static_cast<std::ptrdiff_t>(rng() % call.size()), {ev::ring, 0});
    out.insert(out.end(), call.begin(), call.end());
    out.push_back({ev::hang_up, 0});
    out.push_back({ev::recorded, 0});
}

} // namespace

const trace& the_trace() {
    static const trace t = [] {
        trace r;
        std::mt19937_64 rng(2026);
        for (std::size_t i = 0; i < episodes; ++i) {
            r.begin.push_back(static_cast<std::uint32_t>(r.events.size()));
            episode(rng, r.events);
        }
        r.begin.push_back(static_cast<std::uint32_t>(r.events.size()));
        return r;
    }();
    return t;
}

const std::vector<input>& the_interleaving() {
    static const std::vector<input> v = [] {
        const trace& t = the_trace();
        std::vector<input> r;
        for (std::uint32_t c = 0; c < interleaved_cases(); ++c) {
            const std::uint32_t i = c % episodes;
            for (std::uint32_t k = t.begin[i]; k < t.begin[i + 1]; ++k) r.push_back({c, t.events[k]});
        }
        // Shuffle the positions, then give each case its own events back in order.
        std::mt19937_64 rng(7);
        std::shuffle(r.begin(), r.end(), rng);
        std::vector<std::uint32_t> next(interleaved_cases(), 0);
        for (input& in : r) {
            const std::uint32_t i = in.c % episodes;
            in.e = t.events[t.begin[i] + next[in.c]++];
        }
        return r;
    }();
    return v;
}

} // namespace dispatch_bench
