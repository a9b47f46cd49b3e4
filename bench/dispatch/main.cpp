// The dispatch scenario's entry point; each implementation registers its benchmarks in its own file.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
