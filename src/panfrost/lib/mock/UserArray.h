// Reading a drm_panthor_obj_array the way the kernel does: elements `stride`
// bytes apart; a stride below the struct we know is EINVAL, a larger one is
// accepted only if the bytes past our struct are zero (else E2BIG).
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include "drm-uapi/panthor_drm.h"

namespace pan::mock {

template <typename T>
int
readUserArray(const drm_panthor_obj_array &array, std::vector<T> *out)
{
   out->clear();
   if (!array.count)
      return 0;
   if (array.stride < sizeof(T))
      return -EINVAL;
   if (!array.array)
      return -EFAULT;
   out->resize(array.count);
   const auto *base = reinterpret_cast<const uint8_t *>(array.array);
   for (uint32_t i = 0; i < array.count; i++) {
      const uint8_t *element = base + size_t(i) * array.stride;
      for (size_t extra = sizeof(T); extra < array.stride; extra++) {
         if (element[extra])
            return -E2BIG;
      }
      memcpy(&(*out)[i], element, sizeof(T));
   }
   return 0;
}

} // namespace pan::mock
