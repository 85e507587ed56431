// Copies between the syncobj ioctls and user memory. User pointers are
// pointers of this process passed as u64 (the mock runs in the caller's
// address space); like copy_from_user() / copy_to_user(), a pointer that is
// null or not mapped gives -EFAULT instead of a crash.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pan::mock {

int copyFromUser(void *destination, uint64_t userPointer, size_t size);
int copyToUser(uint64_t userPointer, const void *source, size_t size);

} // namespace pan::mock
