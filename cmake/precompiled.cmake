# Precompiled headers, shared: each set is compiled once, by a target of its own, and every
# library, program and test that uses it reuses that file (REUSE_FROM) instead of parsing the
# standard library, fmt, nlohmann/json, date and Asio again in each translation unit. Measured
# cold and warm in docs/benchmarks.md. COBRADOR_PCH=OFF builds without them (clang-tidy, and
# to check that every file includes what it uses).
option(COBRADOR_PCH "Build with precompiled headers" ON)

# GCC takes a precompiled header only where every macro it was built with is defined the same
# way, so the definitions that the imported targets (Boost, fmt, date) add to some targets are
# given to all of them.
add_compile_definitions(BOOST_ALL_NO_LIB BOOST_SYSTEM_DYN_LINK FMT_SHARED HAS_STRING_VIEW=1 ONLY_C_LOCALE=1
                        USE_OS_TZDB=1)

# Clang writes the headers' time stamps into a .pch, so a fresh clone's .pch differs from the
# one ccache saw and nothing that uses it is a cache hit; ccache's manual asks for this switch.
if(COBRADOR_PCH AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  add_compile_options("SHELL:-Xclang -fno-pch-timestamp")
endif()

set(COBRADOR_PCH_COMMON
  <utility> <algorithm> <array> <chrono> <cstdint> <functional> <map> <memory> <optional>
  <set> <sstream> <stdexcept> <string> <string_view> <unordered_map> <variant> <vector>
  <fmt/format.h> <nlohmann/json.hpp> <date/date.h>)
set(COBRADOR_PCH_ASIO ${COBRADOR_PCH_COMMON}
  <boost/asio/io_context.hpp> <boost/asio/post.hpp> <boost/asio/steady_timer.hpp>)

function(cobrador_pch_target name)
  add_library(${name} STATIC ${CMAKE_SOURCE_DIR}/cmake/pch/anchor.cpp)
  target_link_libraries(${name} PRIVATE fmt::fmt nlohmann_json::nlohmann_json date::date Boost::system)
  if(COBRADOR_PCH)
    target_precompile_headers(${name} PRIVATE ${ARGN})
  endif()
endfunction()

cobrador_pch_target(cobrador_pch_common ${COBRADOR_PCH_COMMON})
cobrador_pch_target(cobrador_pch_asio ${COBRADOR_PCH_ASIO})

# cobrador_precompile(TARGET [ASIO]): TARGET's translation units start from a shared set.
function(cobrador_precompile target)
  if(NOT COBRADOR_PCH)
    return()
  endif()
  if("ASIO" IN_LIST ARGN)
    set(from cobrador_pch_asio)
  else()
    set(from cobrador_pch_common)
  endif()
  cobrador_reuse_pch(${target} ${from})
endfunction()

# The Makefile generator does not wait for the reused .gch before compiling the target's files
# (they failed reading a half-written one), so the order is said explicitly.
function(cobrador_reuse_pch target from)
  target_precompile_headers(${target} REUSE_FROM ${from})
  add_dependencies(${target} ${from})
endfunction()
