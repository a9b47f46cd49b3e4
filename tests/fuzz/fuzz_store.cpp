// Fuzz target: engine::open on a store holding any rows (header, dictionary entries, case
// records). It may only throw careflow::error, and an engine that refuses a store is left
// as it was; an engine it opens writes a snapshot that restores to itself, and goes on
// taking inputs into its store.
#include "fuzz_setup.hpp"
#include "memory_store.hpp"

#include <string_view>

using namespace careflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::memory_store s;
    s.held = fuzz::from_bytes(std::string_view(reinterpret_cast<const char*>(data), size));
    engine e;
    fuzz::setup(e);
    const std::string before = e.snapshot();
    try {
        e.open(s);
    } catch (const careflow::error&) {
        fuzz::require(e.snapshot() == before, "a refused store changed the engine");
        fuzz::require(!e.durable(), "a refused store left the engine open on it");
        return 0;
    }
    const std::string text = e.snapshot();
    engine again;
    fuzz::setup(again);
    try {
        again.restore(text);
    } catch (const careflow::error&) {
        fuzz::broken("an engine opened on a store writes a snapshot it refuses");
    }
    fuzz::require(again.snapshot() == text, "store -> snapshot -> restore differs");
    // It goes on: an advance a day on, then the store reopened gives the same engine.
    const time_point later =
        e.now().is_special() ? time_point(boost::gregorian::date(2026, 1, 1)) : e.now() + boost::posix_time::hours(24);
    e.advance(later);
    engine reopened;
    fuzz::setup(reopened);
    try {
        reopened.open(s);
    } catch (const careflow::error&) {
        fuzz::broken("a store the engine wrote is refused");
    }
    fuzz::require(reopened.snapshot() == e.snapshot(), "reopening the store gives another engine");
    return 0;
}
