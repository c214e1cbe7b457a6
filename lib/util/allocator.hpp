// Process-wide allocator settings, called once from each program's main().
#pragma once

namespace cobrador {

// glibc gives the top of the heap back to the kernel as soon as 128 KiB of it is free. The
// walk frees and reallocates blocks of that order in every transaction (SQLite's statement
// and journal buffers), and each round trip costs page faults: measured, it tripled the walk's
// system time. Keeping up to 4 MiB free at the top stops that for a bounded amount of memory.
void tune_allocator();

}  // namespace cobrador
