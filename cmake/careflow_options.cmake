# Warnings and sanitizers for careflow's own targets only (never forced on a host).
include(GNUInstallDirs)

function(careflow_target_defaults target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    # GCC 12/13 report -Wrestrict on std::string concatenation at -O2 (GCC bug 105651),
    # a false positive inside libstdc++; it would make every Release -Werror build fail.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
       AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 14)
      target_compile_options(${target} PRIVATE -Wno-restrict)
    endif()
    if(CAREFLOW_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
  if(CAREFLOW_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${CAREFLOW_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${CAREFLOW_SANITIZE})
  endif()
  if(CAREFLOW_FUZZ)
    # Coverage for libFuzzer in everything of ours; the fuzz targets add its main.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()
