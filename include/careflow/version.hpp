/// \file careflow/version.hpp
/// The library's version, defined once (CMake reads it from here).
#pragma once

#define CAREFLOW_VERSION_MAJOR 0
#define CAREFLOW_VERSION_MINOR 1
#define CAREFLOW_VERSION_PATCH 0

namespace careflow {
/// The version as "major.minor.patch".
inline constexpr const char* version_string = "0.1.0";
} // namespace careflow
