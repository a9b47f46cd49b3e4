// Fuzz target: read_journal on any text. It may only throw careflow::error; a journal it
// reads writes back to text that reads back to the same text.
#include "fuzz_setup.hpp"

#include <sstream>

using namespace careflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    std::vector<journal_entry> entries;
    try {
        entries = read_journal(in);
    } catch (const careflow::error&) {
        return 0;
    }
    std::ostringstream once;
    write_journal(once, entries);
    std::istringstream back(once.str());
    std::vector<journal_entry> again;
    try {
        again = read_journal(back);
    } catch (const careflow::error&) {
        fuzz::broken("a journal written by write_journal is refused");
    }
    std::ostringstream twice;
    write_journal(twice, again);
    fuzz::require(once.str() == twice.str(), "write -> read -> write differs");
    // KPIs read any well-formed journal without anything but careflow::error.
    try {
        (void)compute_kpis(entries);
    } catch (const careflow::error&) {
    }
    return 0;
}
