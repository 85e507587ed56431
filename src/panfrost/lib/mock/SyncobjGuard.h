// Keeps C++ exceptions inside the syncobj ioctls: running out of memory in a
// container is the kernel's -ENOMEM; anything else unexpected is -EIO.
#pragma once

#include <cerrno>
#include <new>

namespace pan::mock {

template <typename Body>
int
guardAllocation(Body &&body) noexcept
{
   try {
      return body();
   } catch (const std::bad_alloc &) {
      return -ENOMEM;
   } catch (...) {
      return -EIO;
   }
}

} // namespace pan::mock
