// Fuzz target: a store file of any bytes (seeded with real small stores: schema 3, one of
// schema 2, one whose journal was archived). Opening it, verifying its journal's chain
// and opening an engine on it may only throw careflow::error; a verification that passes
// has a 64-digit head (or none with no entries), one that fails names an entry and why;
// and verifying twice gives the same answer.
#include "fuzz_setup.hpp"

#include <careflow/store/sqlite.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace careflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fs = std::filesystem;
    static const std::string path =
        (fs::temp_directory_path() / ("careflow-fuzz-sqlite-" + std::to_string(::getpid()) + ".db")).string();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    try {
        sqlite_store s(path, {.create = false});
        journal_verification v;
        try {
            v = s.verify();
        } catch (const careflow::error&) {
            v.why = "unreadable";
        }
        if (v.ok) {
            fuzz::require(v.head.size() == 64 || (v.head.empty() && v.entries == 0), "a verified chain without a head");
        } else {
            fuzz::require(!v.why.empty(), "a failed verification that does not say why");
        }
        try {
            const journal_verification again = s.verify();
            fuzz::require(again.ok == v.ok && again.first_bad == v.first_bad && again.head == v.head,
                          "verifying twice gave two answers");
        } catch (const careflow::error&) {
            fuzz::require(v.why == "unreadable", "verify threw only the second time");
        }
        engine e;
        fuzz::setup(e);
        e.open(s);
    } catch (const careflow::error&) {
    }
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
    return 0;
}
