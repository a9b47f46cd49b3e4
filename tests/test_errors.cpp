// The error-id registry: every id the code uses is listed in docs/errors.md, and the
// run stage's public constants are the ids the engine returns.
#include "fixtures.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace careflow;

namespace {
std::string read(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::set<std::string> ids_in(const std::string& text) {
    static const std::regex id(R"(careflow\.[a-z]+\.[a-z_]+)");
    std::set<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), id); it != std::sregex_iterator(); ++it)
        out.insert(it->str());
    return out;
}
} // namespace

TEST_CASE("every error id in the code is listed in docs/errors.md") {
    const std::filesystem::path root = CAREFLOW_SOURCE_DIR;
    const auto documented = ids_in(read(root / "docs" / "errors.md"));
    std::set<std::string> used;
    for (const char* dir : {"src", "include"})
        for (const auto& f : std::filesystem::recursive_directory_iterator(root / dir))
            if (f.is_regular_file())
                for (const auto& id : ids_in(read(f.path()))) used.insert(id);
    REQUIRE(used.size() > 60);
    for (const auto& id : used) CHECK_MESSAGE(documented.count(id) == 1, id << " is used but not in docs/errors.md");
    for (const auto& id : documented) CHECK_MESSAGE(used.count(id) == 1, id << " is documented but never used");
}

TEST_CASE("the public code constants are what the engine returns") {
    engine e;
    const auto r = e.dispatch(1, "go", test::at(2026, 1, 1, 0, 0), actor{"a", {}});
    CHECK(r.code == codes::unknown_case);
    CHECK(r.code == "careflow.runtime.unknown_case");
}
