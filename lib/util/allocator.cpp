#include "util/allocator.hpp"

#include <malloc.h>

namespace cobrador {

void tune_allocator() { mallopt(M_TRIM_THRESHOLD, 4 * 1024 * 1024); }

}  // namespace cobrador
