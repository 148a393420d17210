# openclaw_add_plugin(<id> SOURCES <files...> MANIFEST <openclaw.plugin.json> [OUTPUT_DIR <dir>]
#                     [TARGET_VAR <variable>])
# Builds a plugin MODULE against the SDK only, with hidden visibility, and copies its manifest next to it.
# The target is openclaw_plugin_<id> with '-' turned into '_'; its name is also put in <variable> (TARGET_VAR)
# and in OPENCLAW_LAST_PLUGIN_TARGET, for target_link_libraries(<target> PRIVATE <your dependencies>).
# It links with -Wl,--no-undefined (a missing symbol fails the build, not the gateway's load; not under a
# sanitizer, whose runtime the gateway brings), and its RPATH is $ORIGIN: a shared library you ship in the
# plugin's folder next to <id>.so is found there.
function(openclaw_add_plugin id)
  cmake_parse_arguments(P "" "MANIFEST;OUTPUT_DIR;TARGET_VAR" "SOURCES" ${ARGN})
  if(NOT P_OUTPUT_DIR)
    if(DEFINED OPENCLAW_PLUGIN_OUTPUT_DIR)
      set(P_OUTPUT_DIR ${OPENCLAW_PLUGIN_OUTPUT_DIR}/${id})
    else()
      set(P_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/${id})
    endif()
  endif()
  set(target openclaw_plugin_${id})
  string(REPLACE "-" "_" target ${target})
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE openclaw::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME ${id}
    LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    BUILD_RPATH "$ORIGIN" INSTALL_RPATH "$ORIGIN")
  get_property(dir_options DIRECTORY PROPERTY COMPILE_OPTIONS)
  if(NOT "${CMAKE_CXX_FLAGS} ${CMAKE_C_FLAGS} ${dir_options}" MATCHES "-fsanitize")
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
  if(P_MANIFEST)
    configure_file(${P_MANIFEST} ${P_OUTPUT_DIR}/openclaw.plugin.json COPYONLY)
  endif()
  set(OPENCLAW_LAST_PLUGIN_TARGET ${target} PARENT_SCOPE)
  if(P_TARGET_VAR)
    set(${P_TARGET_VAR} ${target} PARENT_SCOPE)
  endif()
endfunction()
