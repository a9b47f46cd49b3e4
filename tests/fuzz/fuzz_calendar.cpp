// Fuzz target: calendar files (careflow.calendar/1). parse_calendar may only throw
// careflow::error; a calendar it accepts must write back to a file that reads as the same
// calendar, and its arithmetic must keep its promises at instants drawn from the input:
// next_open is open and not before, add then between gives the duration back, a working
// day's close is not before the instant.
#include "fuzz_setup.hpp"

#include <careflow/time/calendar_file.hpp>

#include <string_view>

using namespace careflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    calendar c;
    try {
        c = parse_calendar(text).value;
    } catch (const careflow::error&) {
        return 0;
    }
    const std::string once = to_calendar_json(c);
    calendar again;
    try {
        again = parse_calendar(once).value;
    } catch (const careflow::error&) {
        fuzz::broken("a calendar's own file is refused");
    }
    fuzz::require(to_calendar_json(again) == once, "calendar -> file -> calendar -> file differs");
    fuzz::require(again.exceptions() == c.exceptions(), "the dated days differ after a round trip");
    // Instants between 2020 and 2030 from the input's bytes.
    std::uint64_t h = 1469598103934665603ull;
    for (const std::uint8_t b : text) h = (h ^ b) * 1099511628211ull;
    const ticks base = to_ticks(time_point(boost::gregorian::date(2020, 1, 1)));
    for (int i = 0; i < 8; ++i) {
        h = h * 6364136223846793005ull + 1442695040888963407ull;
        const ticks t = base + static_cast<ticks>((h >> 11) % (3653ull * 86'400'000'000ull));
        const ticks d = static_cast<ticks>((h >> 3) % (200ull * 3'600'000'000ull));
        fuzz::require(c.is_open(t) == again.is_open(t), "a round trip changed is_open");
        const ticks open = c.next_open(t);
        if (open != calendar::never) {
            fuzz::require(open >= t && c.is_open(open), "next_open is not an open instant at or after t");
            const ticks later = c.add(t, d); // never: a calendar whose open time runs out
            if (later != calendar::never) {
                fuzz::require(later >= t, "add went back");
                fuzz::require(c.between(t, later) == d, "between(t, add(t, d)) != d");
                fuzz::require(c.between(later, t) == -d, "between is not antisymmetric");
            }
            const ticks close = c.close_of_working_day(t, 0);
            fuzz::require(close != calendar::never && close > t, "a working day's close is not after t");
        }
    }
    return 0;
}
