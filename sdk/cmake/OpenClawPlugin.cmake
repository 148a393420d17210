# openclaw_add_plugin(<id> SOURCES <files...> MANIFEST <openclaw.plugin.json> [OUTPUT_DIR <dir>])
# Builds a plugin MODULE against the SDK only, with hidden visibility, and copies its manifest next to it.
function(openclaw_add_plugin id)
  cmake_parse_arguments(P "" "MANIFEST;OUTPUT_DIR" "SOURCES" ${ARGN})
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
    CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(P_MANIFEST)
    configure_file(${P_MANIFEST} ${P_OUTPUT_DIR}/openclaw.plugin.json COPYONLY)
  endif()
  set(OPENCLAW_LAST_PLUGIN_TARGET ${target} PARENT_SCOPE)
endfunction()
