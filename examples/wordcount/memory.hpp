// Keeping freed memory in the process for reuse.
//
// read_text makes a std::string per line (about 80 bytes each in a novel), and the task that counts
// a block frees that block's lines when it is done with them: several MiB at once. By default glibc's
// malloc hands such a stretch back to the operating system as soon as it is free (it "trims" the heap
// above 128 KiB or so of free space), and the next block's lines then fault the same pages in again,
// each zeroed by the kernel. On 102 MB of text that churn cost about 10% of the run. Raising the trim
// threshold keeps the freed memory for the next block instead. It is a setting of the whole process,
// so the program makes it, not the library (see docs/bag.md, "Performance").
#pragma once

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace wordcount {

/// Asks malloc to keep up to 1 GiB of freed memory for reuse rather than returning it to the
/// operating system, and to serve blocks of up to 32 MiB (its maximum) from that memory rather than
/// mapping fresh pages for each. Does nothing where the C library is not glibc.
inline void keep_freed_memory() noexcept {
#if defined(__GLIBC__)
  // Setting either turns off glibc's own adjustment of both, so both are set.
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

}  // namespace wordcount
