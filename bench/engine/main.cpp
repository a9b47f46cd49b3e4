// The engine scenario's entry point; each host registers its benchmark in its own file.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
