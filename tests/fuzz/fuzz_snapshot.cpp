// Fuzz target: engine::restore on any bytes (text snapshots, and binary ones from the
// seeds that open with the binary magic). It may only throw careflow::error, and a refused
// snapshot leaves the engine as it was; a snapshot it accepts must write back, in either
// encoding, to a snapshot that restores to itself.
#include "fuzz_setup.hpp"

#include <string_view>

using namespace careflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    engine e;
    fuzz::setup(e);
    const std::string before = e.snapshot();
    try {
        e.restore(text);
    } catch (const careflow::error&) {
        fuzz::require(e.snapshot() == before, "a refused snapshot changed the engine");
        return 0;
    }
    const std::string once = e.snapshot();
    engine again;
    fuzz::setup(again);
    try {
        again.restore(once);
    } catch (const careflow::error&) {
        fuzz::broken("the engine's own snapshot is refused");
    }
    fuzz::require(again.snapshot() == once, "snapshot -> restore -> snapshot differs");
    const std::string bytes = e.snapshot(snapshot_format::binary);
    engine binary;
    fuzz::setup(binary);
    try {
        binary.restore(bytes);
    } catch (const careflow::error&) {
        fuzz::broken("the engine's own binary snapshot is refused");
    }
    fuzz::require(binary.snapshot() == once, "binary snapshot -> restore differs");
    fuzz::require(binary.snapshot(snapshot_format::binary) == bytes, "binary snapshot -> restore -> binary differs");
    return 0;
}
