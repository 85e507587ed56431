// Shared by the files that define the intercepted C library functions.
//
// Each such file starts with `#undef _FILE_OFFSET_BITS` before any include:
// with it, glibc's headers rename open, stat, mmap... to their *64 variants,
// and the shim defines both names itself. The shim supports 64-bit Linux only,
// where the plain and *64 variants take the same structs.
//
// They are compiled with -fno-delete-null-pointer-checks: glibc declares most
// path arguments nonnull, which would let the compiler drop the shim's checks
// for a null path (a bad input must fail with EFAULT/ENOENT, not crash here).
#pragma once

#include <cerrno>

static_assert(sizeof(void *) == 8, "the panthor drm-shim supports 64-bit targets only");

// The library is built with hidden visibility: only the intercepts are exported.
#define SHIM_EXPORT extern "C" __attribute__((visibility("default")))

namespace pan::drmshim {

// The C library's error convention from a -errno result.
inline int
failWith(int negativeErrno)
{
   errno = -negativeErrno;
   return -1;
}

} // namespace pan::drmshim
