// Seeded randomness for the simulators: xoshiro256** and the service-time distributions.
#include <careflow/error.hpp>
#include <careflow/sim/random.hpp>

#include <cmath>

namespace careflow::sim {
namespace {
std::uint64_t splitmix(std::uint64_t& x) noexcept {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
} // namespace

rng::rng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix(seed);
}

std::uint64_t rng::next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

double rng::uniform() noexcept { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

double rng::exponential(double mean) noexcept { return -std::log(uniform()) * mean; }

double rng::normal() noexcept {
    const double u = uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
}

double distribution::sample(rng& r) const {
    switch (shape) {
    case kind::exponential: return r.exponential(mean);
    case kind::deterministic: return mean;
    case kind::lognormal: {
        // Parameters of the underlying normal from the mean and coefficient of variation.
        const double s2 = std::log(1.0 + cv * cv);
        return std::exp(std::log(mean) - s2 / 2.0 + std::sqrt(s2) * r.normal());
    }
    case kind::empirical:
        if (values.empty()) return mean;
        return values[static_cast<std::size_t>(r.next() % values.size())];
    }
    return mean;
}

std::string distribution::name() const {
    switch (shape) {
    case kind::exponential: return "exponential";
    case kind::lognormal: return "lognormal";
    case kind::deterministic: return "deterministic";
    case kind::empirical: return "empirical";
    }
    return "?";
}

distribution::kind distribution::parse(const std::string& name) {
    if (name == "exponential") return kind::exponential;
    if (name == "lognormal") return kind::lognormal;
    if (name == "deterministic") return kind::deterministic;
    if (name == "empirical") return kind::empirical;
    throw error("careflow.sim.bad_distribution",
                "unknown distribution '" + name + "' (exponential, lognormal, deterministic, empirical)");
}

} // namespace careflow::sim
