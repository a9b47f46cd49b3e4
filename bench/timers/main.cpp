// The timer scenario's entry point; each queue registers its benchmarks in its own file.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
