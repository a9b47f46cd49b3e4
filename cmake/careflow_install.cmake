# install() + an exported package: find_package(careflow) gives careflow::careflow.
include(CMakePackageConfigHelpers)

install(TARGETS careflow EXPORT careflowTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/careflow DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(TARGET careflow_cli)
  install(TARGETS careflow_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(EXPORT careflowTargets NAMESPACE careflow:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/careflow)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/careflowConfig.cmake.in
  ${PROJECT_BINARY_DIR}/careflowConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/careflow)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/careflowConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/careflowConfig.cmake ${PROJECT_BINARY_DIR}/careflowConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/careflow)
