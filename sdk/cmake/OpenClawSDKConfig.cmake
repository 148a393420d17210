# find_package(OpenClawSDK 1.1 REQUIRED) for plugins built outside the gateway's tree, against an installed SDK
# (<prefix>/lib/cmake/OpenClawSDK/) or, for development, a source checkout (sdk/cmake/). Gives:
#   openclaw::sdk      the headers (openclaw/plugin.h for C, openclaw/plugin.hpp for C++)
#   openclaw::testing  the fake host for unit tests (openclaw/testing/FakeHost.hpp; links libdl); its create()
#                      has the installed gateway (<prefix>/bin/openclaw) check the plugin's folder
#   openclaw::json     a JSON reader for your config section and params: nlohmann-json (Debian nlohmann-json3-dev),
#                      when it is installed
#   openclaw_add_plugin(<id> SOURCES … MANIFEST …)  a MODULE with hidden symbols and its manifest beside it
# The package version is the plugin ABI's (OpenClawSDKConfigVersion.cmake: same major, at least the minor asked).
get_filename_component(_oc_sdk_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(EXISTS "${_oc_sdk_prefix}/include/openclaw/plugin.h")
  set(_oc_sdk_include "${_oc_sdk_prefix}/include")
else()
  get_filename_component(_oc_sdk_include "${CMAKE_CURRENT_LIST_DIR}/../include" ABSOLUTE)
endif()
if(NOT TARGET openclaw::sdk)
  add_library(openclaw::sdk INTERFACE IMPORTED)
  set_target_properties(openclaw::sdk PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_oc_sdk_include}")
endif()
if(NOT TARGET openclaw::testing)
  add_library(openclaw::testing INTERFACE IMPORTED)
  set_target_properties(openclaw::testing PROPERTIES INTERFACE_LINK_LIBRARIES "openclaw::sdk;${CMAKE_DL_LIBS}")
  if(EXISTS "${_oc_sdk_prefix}/bin/openclaw")
    set_target_properties(openclaw::testing PROPERTIES
                          INTERFACE_COMPILE_DEFINITIONS "OPENCLAW_FAKE_HOST_GATEWAY=\"${_oc_sdk_prefix}/bin/openclaw\"")
  endif()
endif()
if(NOT TARGET openclaw::json)
  find_package(nlohmann_json 3 QUIET)
  if(TARGET nlohmann_json::nlohmann_json)
    add_library(openclaw::json INTERFACE IMPORTED)
    set_target_properties(openclaw::json PROPERTIES INTERFACE_LINK_LIBRARIES nlohmann_json::nlohmann_json)
  else()
    message(STATUS "OpenClawSDK: openclaw::json is unavailable: install nlohmann-json3-dev (apt) for it")
  endif()
endif()
set(OpenClawSDK_INCLUDE_DIR "${_oc_sdk_include}")
include("${CMAKE_CURRENT_LIST_DIR}/OpenClawPlugin.cmake")
