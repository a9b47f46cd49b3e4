// Shared test helpers.
#pragma once

#include <careflow/careflow.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace careflow::test {

inline duration hours(long h) { return boost::posix_time::hours(h); }
inline duration minutes(long m) { return boost::posix_time::minutes(m); }
inline duration seconds(long s) { return boost::posix_time::seconds(s); }
inline time_point at(int y, int mo, int d, int h, int mi) {
    return time_point(boost::gregorian::date(static_cast<unsigned short>(y), static_cast<unsigned short>(mo),
                                             static_cast<unsigned short>(d)),
                      hours(h) + minutes(mi));
}

/// Is there a diagnostic with this id?
inline bool has_id(const std::vector<diagnostic>& ds, const std::string& id) {
    return std::any_of(ds.begin(), ds.end(), [&](const diagnostic& d) { return d.id == id; });
}

/// The diagnostic with this id (fails the test when there is none).
inline diagnostic find_id(const std::vector<diagnostic>& ds, const std::string& id) {
    for (const auto& d : ds)
        if (d.id == id) return d;
    std::string all;
    for (const auto& d : ds) all += d.to_string() + "\n";
    FAIL("no diagnostic " << id << " among:\n" << all);
    return {};
}

} // namespace careflow::test
