# Installing mnistc as a package: `cmake --install build --prefix P` puts the
# tools in P/bin, libmnistrt.a and libmnistc_model_support.a in P/lib (where
# the installed mnistc looks for the support library: bin/../lib), the
# public runtime headers in P/include/mnistc, and here the CMake package
# (P/lib/cmake/mnistc: imported targets mnistc::runtime, mnistc::mnistc,
# mnistc::mnistrt and the function mnistc_add_model) and the pkg-config file
# P/lib/pkgconfig/mnistc.pc. The targets' own install rules are beside them
# (runtime/, compiler/tools/, compiler/ModelSupport/); docs/embedding.md shows
# a program built against the result. Included from the top-level
# CMakeLists.txt after the targets exist.
include(CMakePackageConfigHelpers)

# One version for the package: the one `mnistc --version` prints.
file(STRINGS ${PROJECT_SOURCE_DIR}/compiler/tools/mnistc.cpp MNISTC_VERSION_LINE
     REGEX "kVersion = \"[0-9.]+\"")
if(NOT MNISTC_VERSION_LINE MATCHES "\"([0-9.]+)\"")
  message(FATAL_ERROR "compiler/tools/mnistc.cpp: no `kVersion = \"X.Y.Z\"` "
                      "line to take the package version from")
endif()
set(MNISTC_VERSION ${CMAKE_MATCH_1})

# libmnistrt's optional link dependency, as the config and the .pc need it
# (runtime/'s find_package result is not visible here; the cache answers the
# same).
find_package(ZLIB QUIET)
if(ZLIB_FOUND)
  set(MNISTC_HAVE_ZLIB 1)
  set(MNISTC_PC_REQUIRES "libpng libjpeg protobuf zlib")
else()
  set(MNISTC_HAVE_ZLIB 0)
  set(MNISTC_PC_REQUIRES "libpng libjpeg protobuf")
endif()

set(MNISTC_CMAKE_DIR lib/cmake/mnistc)
install(EXPORT mnistcTargets NAMESPACE mnistc::
        DESTINATION ${MNISTC_CMAKE_DIR})
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/mnistcConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cmake/mnistcConfig.cmake
  INSTALL_DESTINATION ${MNISTC_CMAKE_DIR})
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/cmake/mnistcConfigVersion.cmake
  VERSION ${MNISTC_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/mnistcConfig.cmake
              ${PROJECT_BINARY_DIR}/cmake/mnistcConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/mnistcAddModel.cmake
        DESTINATION ${MNISTC_CMAKE_DIR})

configure_file(${CMAKE_CURRENT_LIST_DIR}/mnistc.pc.in
               ${PROJECT_BINARY_DIR}/cmake/mnistc.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cmake/mnistc.pc
        DESTINATION lib/pkgconfig)
