# mnistc_add_model(<target> <model.dsl> [TARGET_ARCH <halide target>])
#
# Part of the installed mnistc CMake package (mnistcConfig.cmake). Compiles
# <model.dsl> at build time with the installed mnistc into
# ${CMAKE_CURRENT_BINARY_DIR}/<target>.so (`mnistc DSL -o <target>.so
# [--target=TARGET_ARCH]`; the default target is the build machine's,
# "host") and defines <target>, a library to link against: the program then
# calls the model's C ABI (mnistc/model.h; mnistc/linked_model.h for
# libmnistrt's ModelLibrary::adopt). A relative DSL path is taken from
# ${CMAKE_CURRENT_SOURCE_DIR}. The file's path is in the target property
# MNISTC_MODEL_FILE.
#
# A model.so has no soname, so the program records it as "<target>.so" and
# finds it through its RUNPATH (CMake sets the build directory for the build
# tree; an installed program needs its own INSTALL_RPATH or LD_LIBRARY_PATH).
function(mnistc_add_model target dsl)
  cmake_parse_arguments(PARSE_ARGV 2 MODEL "" "TARGET_ARCH" "")
  if(MODEL_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mnistc_add_model(${target}): unknown arguments "
                        "'${MODEL_UNPARSED_ARGUMENTS}'; usage: "
                        "mnistc_add_model(<target> <model.dsl> "
                        "[TARGET_ARCH <halide target>])")
  endif()
  if(NOT TARGET mnistc::mnistc)
    message(FATAL_ERROR "mnistc_add_model(${target}): mnistc::mnistc is not "
                        "defined; call find_package(mnistc) first")
  endif()
  get_filename_component(dsl "${dsl}" ABSOLUTE
                         BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${dsl}")
    message(FATAL_ERROR "mnistc_add_model(${target}): ${dsl}: no such model "
                        "file")
  endif()
  set(arch)
  if(MODEL_TARGET_ARCH)
    set(arch "--target=${MODEL_TARGET_ARCH}")
  endif()

  set(so "${CMAKE_CURRENT_BINARY_DIR}/${target}.so")
  add_custom_command(
    OUTPUT "${so}"
    COMMAND mnistc::mnistc "${dsl}" -o "${so}" ${arch}
    DEPENDS "${dsl}" "$<TARGET_FILE:mnistc::mnistc>"
    COMMENT "mnistc ${dsl} -o ${target}.so"
    VERBATIM)
  add_custom_target(${target}-mnistc DEPENDS "${so}")

  # The target to link: an INTERFACE library, so that linking it also
  # orders the build after the mnistc step. `-l:<target>.so` makes the
  # linker record the bare file name.
  add_library(${target} INTERFACE)
  target_link_directories(${target} INTERFACE "${CMAKE_CURRENT_BINARY_DIR}")
  target_link_libraries(${target} INTERFACE "-l:${target}.so")
  set_target_properties(${target} PROPERTIES INTERFACE_LINK_DEPENDS "${so}")
  add_dependencies(${target} ${target}-mnistc)
  set_target_properties(${target} PROPERTIES MNISTC_MODEL_FILE "${so}")
endfunction()
