// Small helpers shared by the entry points.
#pragma once

#include <vulkan/vulkan_core.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace panvk {

// The two-call idiom: count query, then fill with VK_INCOMPLETE when short.
template <typename T>
VkResult
fillArray(const std::vector<T> &items, uint32_t *count, T *out)
{
   if (!out) {
      *count = uint32_t(items.size());
      return VK_SUCCESS;
   }
   const uint32_t n = std::min<uint32_t>(*count, uint32_t(items.size()));
   std::copy(items.begin(), items.begin() + n, out);
   *count = n;
   return n < items.size() ? VK_INCOMPLETE : VK_SUCCESS;
}

// Finds a structure of type `sType` in a pNext chain.
template <typename T>
T *
findInChain(const void *chain, VkStructureType sType)
{
   for (auto *s = static_cast<const VkBaseInStructure *>(chain); s; s = s->pNext) {
      if (s->sType == sType)
         return const_cast<T *>(reinterpret_cast<const T *>(s));
   }
   return nullptr;
}

} // namespace panvk
