// Shared by the fuzz targets: the shipped procedures compiled once, an engine with them
// installed, and the one way a target reports a broken guarantee (abort, which both
// libFuzzer and the CTest replay driver report with the input that did it).
#pragma once

#include <careflow/careflow.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace careflow::fuzz {

inline const std::vector<std::shared_ptr<const program>>& shipped() {
    static const std::vector<std::shared_ptr<const program>> all{
        procedures::hotline_call_program(), procedures::phone_callback_program(),    procedures::first_visit_program(),
        procedures::appointment_program(),  procedures::counseling_course_program(), procedures::complaint_program()};
    return all;
}

inline void setup(engine& e) {
    e.set_calendar(procedures::center_calendar_name, center_calendar());
    for (const auto& p : shipped()) e.install(p);
}

[[noreturn]] inline void broken(const char* what) {
    std::fprintf(stderr, "careflow fuzz: broken guarantee: %s\n", what);
    std::abort();
}

inline void require(bool ok, const char* what) {
    if (!ok) broken(what);
}

} // namespace careflow::fuzz
