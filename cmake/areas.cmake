# One static library per area of lib/ (and hooks/), each linked only to the areas it may use
# (docs/architecture.md). cobrador_area() also records the area, its folder and its direct
# dependencies, so that tests/architecture/check_arrows.py can refuse an #include that reaches
# an area the library does not link, and the graph written in docs/architecture.md can be
# checked against the one built here.
#
#   cobrador_area(NAME walk DIR lib/walk AREAS policy store LIBS fmt::fmt [ASIO])
#
# DIR is relative to the source root; its .cpp files (not those of subfolders, which are areas
# of their own) make the library. AREAS are other areas' names; LIBS are outside libraries;
# ASIO picks the precompiled headers with Asio in them; NO_UNITY keeps the area out of unity
# builds (its files share names local to each file).

set_property(GLOBAL PROPERTY COBRADOR_AREAS "")

# Unity builds: each area's files compiled in batches. Names local to a file (an unnamed
# namespace) must then differ within an area; COBRADOR_UNITY=OFF compiles file by file.
option(COBRADOR_UNITY "Compile each area's files in batches (unity build)" ON)
set(COBRADOR_UNITY_BATCH 8 CACHE STRING "Files per unity batch")
if(COBRADOR_UNITY AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC warns when a class has a member of a type local to another file, which it cannot tell
  # apart from a header's class once a .cpp is included into a batch; in a .cpp it is sound.
  add_compile_options(-Wno-subobject-linkage)
endif()

function(cobrador_area)
  cmake_parse_arguments(A "ASIO;NO_UNITY" "NAME;DIR" "AREAS;LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${A_DIR}/*.cpp)
  set(target cobrador_${A_NAME})
  add_library(${target} STATIC ${sources})
  target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR}/lib ${CMAKE_SOURCE_DIR})
  foreach(area IN LISTS A_AREAS)
    target_link_libraries(${target} PUBLIC cobrador_${area})
  endforeach()
  target_link_libraries(${target} PUBLIC ${A_LIBS})
  if(COBRADOR_UNITY AND NOT A_NO_UNITY)
    # Several files compiled as one: the headers they share are read once per batch.
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${COBRADOR_UNITY_BATCH})
  endif()
  if(A_ASIO)
    cobrador_precompile(${target} ASIO)
  else()
    cobrador_precompile(${target})
  endif()
  set_property(GLOBAL APPEND PROPERTY COBRADOR_AREAS ${A_NAME})
  set_property(GLOBAL PROPERTY COBRADOR_AREA_${A_NAME}_DIR ${A_DIR})
  set_property(GLOBAL PROPERTY COBRADOR_AREA_${A_NAME}_AREAS "${A_AREAS}")
endfunction()

# Writes every recorded area as JSON: {"areas": {"walk": {"dir": "lib/walk", "areas": [...]}}}.
function(cobrador_write_areas path)
  get_property(areas GLOBAL PROPERTY COBRADOR_AREAS)
  set(json "{\"areas\": {")
  set(first TRUE)
  foreach(area IN LISTS areas)
    get_property(dir GLOBAL PROPERTY COBRADOR_AREA_${area}_DIR)
    get_property(deps GLOBAL PROPERTY COBRADOR_AREA_${area}_AREAS)
    set(quoted "")
    foreach(dep IN LISTS deps)
      list(APPEND quoted "\"${dep}\"")
    endforeach()
    list(JOIN quoted ", " quoted)
    if(NOT first)
      string(APPEND json ",")
    endif()
    set(first FALSE)
    string(APPEND json "\n  \"${area}\": {\"dir\": \"${dir}\", \"areas\": [${quoted}]}")
  endforeach()
  string(APPEND json "\n}}\n")
  file(WRITE ${path} "${json}")
endfunction()
