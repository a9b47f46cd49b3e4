// Smoke runs: CTest runs every benchmark once with CAREFLOW_BENCH_SMOKE set, so that the
// scenarios (and their cross-checks) never rot; the sizes shrink to keep that quick.
#pragma once

#include <cstddef>
#include <cstdlib>

namespace careflow_bench {

[[nodiscard]] inline bool smoke() {
    static const bool on = std::getenv("CAREFLOW_BENCH_SMOKE") != nullptr;
    return on;
}

/// `full` for a measurement, `small` for a smoke run.
[[nodiscard]] inline std::size_t scaled(std::size_t full, std::size_t small) { return smoke() ? small : full; }

} // namespace careflow_bench
