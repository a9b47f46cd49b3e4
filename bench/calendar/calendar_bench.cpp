// Calendar arithmetic on the default center calendar with a year of holidays and
// make-up days: add() of 1 hour vs 30 days of open time, add_working_days, and
// between() across a month. The claim: no day-by-day walk, so a month costs about what
// an hour does. And a zone with daylight saving (America/New_York, its change days mapped
// once at setup) costs about what the same hours at a fixed offset do.
#include <careflow/time/calendar_file.hpp>

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

using namespace careflow;
using boost::gregorian::date;

namespace {

const calendar& center() {
    static const calendar c = [] {
        calendar k = center_calendar();
        // A year of Chinese-style holidays and make-up days (illustrative dates).
        for (int d = 1; d <= 3; ++d) k.holiday(date(2026, 1, static_cast<unsigned short>(d)));
        for (int d = 15; d <= 23; ++d) k.holiday(date(2026, 2, static_cast<unsigned short>(d)));
        k.working_day(date(2026, 2, 14), {{boost::posix_time::hours(9), boost::posix_time::hours(18)}});
        k.working_day(date(2026, 2, 28), {{boost::posix_time::hours(9), boost::posix_time::hours(18)}});
        for (int d = 1; d <= 5; ++d) k.holiday(date(2026, 5, static_cast<unsigned short>(d)));
        for (int d = 1; d <= 7; ++d) k.holiday(date(2026, 10, static_cast<unsigned short>(d)));
        k.working_day(date(2026, 9, 27), {{boost::posix_time::hours(9), boost::posix_time::hours(18)}});
        k.working_day(date(2026, 10, 10), {{boost::posix_time::hours(9), boost::posix_time::hours(18)}});
        return k;
    }();
    return c;
}

// Weekdays 09:00-17:00 in New York (two clock changes a year) and the same hours at a
// fixed UTC-5: the zone's price.
calendar new_york_hours(bool zoned) {
    const std::vector<opening> day{{boost::posix_time::hours(9), boost::posix_time::hours(17)}};
    calendar c = zoned ? calendar::business("America/New_York") : calendar::business(boost::posix_time::hours(-5));
    c.weekdays(day);
    return c;
}
const calendar& new_york() {
    static const calendar c = new_york_hours(true);
    return c;
}
const calendar& fixed_minus_5() {
    static const calendar c = new_york_hours(false);
    return c;
}

std::vector<ticks> starts() {
    std::mt19937_64 rng(1);
    std::vector<ticks> s(1024);
    const ticks base = to_ticks(time_point(date(2026, 1, 1)));
    for (auto& x : s) x = base + static_cast<ticks>(rng() % (300ull * ticks_per_day));
    return s;
}

void add_business(benchmark::State& state, const calendar& c, ticks span) {
    const auto s = starts();
    std::size_t i = 0;
    ticks sum = 0;
    for (auto _ : state) {
        sum += c.add(s[i++ & 1023], span);
        benchmark::DoNotOptimize(sum);
    }
}

void add_1h(benchmark::State& state) { add_business(state, center(), ticks_per_hour); }
void add_24h(benchmark::State& state) { add_business(state, center(), 24 * ticks_per_hour); }
void add_30d(benchmark::State& state) { add_business(state, center(), 30 * 24 * ticks_per_hour); }
void add_30d_new_york(benchmark::State& state) { add_business(state, new_york(), 30 * 24 * ticks_per_hour); }
void add_30d_fixed_offset(benchmark::State& state) { add_business(state, fixed_minus_5(), 30 * 24 * ticks_per_hour); }

void add_1_working_day(benchmark::State& state) {
    const auto& c = center();
    const auto s = starts();
    std::size_t i = 0;
    ticks sum = 0;
    for (auto _ : state) {
        sum += c.add_working_days(s[i++ & 1023], 1);
        benchmark::DoNotOptimize(sum);
    }
}

void between_over_month(benchmark::State& state, const calendar& c) {
    const auto s = starts();
    std::size_t i = 0;
    ticks sum = 0;
    for (auto _ : state) {
        const ticks a = s[i++ & 1023];
        sum += c.between(a, a + 31 * ticks_per_day);
        benchmark::DoNotOptimize(sum);
    }
}

void between_month(benchmark::State& state) { between_over_month(state, center()); }
void between_month_new_york(benchmark::State& state) { between_over_month(state, new_york()); }
void between_month_fixed_offset(benchmark::State& state) { between_over_month(state, fixed_minus_5()); }

} // namespace

BENCHMARK(add_1h);
BENCHMARK(add_24h);
BENCHMARK(add_30d);
BENCHMARK(add_1_working_day);
BENCHMARK(between_month);
BENCHMARK(add_30d_new_york);
BENCHMARK(add_30d_fixed_offset);
BENCHMARK(between_month_new_york);
BENCHMARK(between_month_fixed_offset);
BENCHMARK_MAIN();
