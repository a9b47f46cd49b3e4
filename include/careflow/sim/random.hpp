/// \file careflow/sim/random.hpp
/// Seeded randomness with results defined bit for bit (xoshiro256** and our own
/// transforms: the standard library's distributions vary between implementations), and
/// the duration distributions the simulator samples.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace careflow::sim {

/// xoshiro256**, seeded through splitmix64.
class rng {
public:
    explicit rng(std::uint64_t seed);
    std::uint64_t next() noexcept;
    /// Uniform in (0, 1), 53 bits.
    double uniform() noexcept;
    /// Exponential with the given mean.
    double exponential(double mean) noexcept;
    /// Standard normal (Box–Muller).
    double normal() noexcept;

private:
    std::uint64_t s_[4];
};

/// A distribution of durations in seconds.
struct distribution {
    enum class kind : std::uint8_t { exponential, lognormal, deterministic, empirical } shape = kind::exponential;
    double mean = 0;            ///< seconds
    double cv = 1.0;            ///< lognormal: coefficient of variation (sd / mean)
    std::vector<double> values; ///< empirical: observed durations, sampled uniformly

    [[nodiscard]] double sample(rng& r) const;
    /// "exponential", "lognormal", "deterministic", "empirical".
    [[nodiscard]] std::string name() const;
    /// Parse a shape name; throws `careflow::error` ("careflow.sim.bad_distribution").
    static kind parse(const std::string& name);
};

} // namespace careflow::sim
