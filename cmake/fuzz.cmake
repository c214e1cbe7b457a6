# libFuzzer targets (tests/fuzz/, docs/reliability.md) for long runs (`make fuzz`; CI runs the
# same targets from the clang sanitizer tree, CMakeLists.txt): with COBRADOR_FUZZ=ON and clang, every
# library is instrumented for coverage and checked by AddressSanitizer and UBSan, and only the
# libraries and the fuzz targets are built: no daemon programs, tests or benchmarks, so that a
# fuzzing session spends its minutes fuzzing rather than compiling.
#
#   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCOBRADOR_FUZZ=ON
#
# Included before cmake/precompiled.cmake: it turns the precompiled headers off, and the top
# level then forces <utility> in first instead (ARCHITECTURE.md's note on Asio).
option(COBRADOR_FUZZ "Build the libFuzzer targets (clang) and only what they link" OFF)
if(NOT COBRADOR_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "COBRADOR_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
endif()
if(COBRADOR_SANITIZE)
  message(FATAL_ERROR "COBRADOR_FUZZ brings its own sanitizers: leave COBRADOR_SANITIZE off")
endif()

# The top level stops after tests/fuzz: no daemon/, tests/ or bench/ in this build. The shared
# precompiled headers stay off here, as they were when this build was measured (the sanitizer
# tree, which CI builds and which holds the same fuzz targets, uses them under clang: the
# targets compile with the libraries' options and add -fsanitize=fuzzer only when linking).
# Unity batches stay: clang compiles them.
# (A normal variable shadows the option of the same name: CMP0077.)
set(COBRADOR_PCH OFF)

# Coverage for libFuzzer without its main(); the targets link it with -fsanitize=fuzzer. A
# finding must stop the run, so UBSan does not recover. -O1 keeps the stack traces honest
# and the asserts stay (no NDEBUG).
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -O1 -g1)
add_link_options(-fsanitize=address,undefined)
