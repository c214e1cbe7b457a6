// Process-wide allocator settings, called once from each program's main().
#pragma once

namespace cobrador {

// The programs run on tcmalloc (cmake/allocator.cmake), which ignores this; it matters where
// glibc's malloc is the allocator (the sanitizer builds, or a build without tcmalloc).
// glibc gives the top of the heap back to the kernel as soon as 128 KiB of it is free. The
// walk frees and reallocates blocks of that order in every transaction (SQLite's statement
// and journal buffers), and each round trip costs page faults: measured, it tripled the walk's
// system time. Keeping up to 4 MiB free at the top stops that for a bounded amount of memory.
void tune_allocator();

}  // namespace cobrador
