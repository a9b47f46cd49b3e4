// The engine scenario's inputs (seeded: the same for every host and run).
#include "harness.hpp"

#include <algorithm>
#include <random>

namespace engine_bench {

const std::vector<input>& the_inputs() {
    static const std::vector<input> v = [] {
        std::vector<input> r;
        for (std::uint32_t c = 0; c < cases(); ++c)
            for (int k = 0; k < 4; ++k) r.push_back({c, static_cast<in>(k), 0});
        std::mt19937_64 rng(5);
        std::shuffle(r.begin(), r.end(), rng);
        std::vector<std::uint8_t> next(cases(), 0);
        for (auto& i : r) {
            i.kind = static_cast<in>(next[i.c]++);
            i.urgency = static_cast<std::uint8_t>(i.c % 4);
        }
        return r;
    }();
    return v;
}

} // namespace engine_bench
