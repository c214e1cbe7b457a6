# The programs' allocator: tcmalloc (gperftools' minimal build, Debian libgoogle-perftools-dev)
# instead of glibc's malloc. A bank import reads on one thread and writes on another, and the
# writing thread frees every entry the reading thread built: glibc serialises those frees on the
# reading thread's arena lock, tcmalloc's per-thread caches do not. Measured on the 100,000-entry
# import: a fifth faster (docs/benchmarks.md). Sanitizer builds keep glibc's, which
# AddressSanitizer replaces with its own.
add_library(cobrador_allocator INTERFACE)
if(NOT COBRADOR_SANITIZE)
  pkg_check_modules(TCMALLOC_MINIMAL REQUIRED IMPORTED_TARGET libtcmalloc_minimal)
  # Nothing calls tcmalloc by name: the linker must keep it (Debian links --as-needed for
  # some toolchains) so that its malloc is the one the process resolves.
  target_link_options(cobrador_allocator INTERFACE "LINKER:--push-state,--no-as-needed")
  target_link_libraries(cobrador_allocator INTERFACE PkgConfig::TCMALLOC_MINIMAL)
  target_link_options(cobrador_allocator INTERFACE "LINKER:--pop-state")
endif()
