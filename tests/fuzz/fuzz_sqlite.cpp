// Fuzz target: a store file of any bytes (seeded with real small stores: schema 4 with
// personal data sealed under the key below, schema 3, one of schema 2, one whose journal
// was archived). Opening it, verifying its journal's chain and opening an engine on it —
// without a key ring, and with the ring the sealed seed was written with — may only throw
// careflow::error; a verification that passes has a 64-digit head (or none with no
// entries), one that fails names an entry and why; and verifying twice gives the same answer.
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
    try { // with the key: the sealed rows open (or are typed errors), and the journal reads
        static const auto ring = [] {
            auto r = std::make_shared<key_ring>();
            r->add_hex("fuzz", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
            return r;
        }();
        sqlite_store s(path, {.create = false, .keys = ring});
        (void)s.journal(0, 64);
        engine e;
        fuzz::setup(e);
        e.open(s);
    } catch (const careflow::error&) {
    }
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
    return 0;
}
