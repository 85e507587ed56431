#include "DescriptorPool.h"

#include <new>

#include "DescriptorSetLayout.h"
#include "Device.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
DescriptorPool::create(Device &, const VkDescriptorPoolCreateInfo &info, VkDescriptorPool *out)
{
   try {
      DescriptorPool *pool = new DescriptorPool(info);
      *out = pool->handle();
      return VK_SUCCESS;
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
}

DescriptorPool::DescriptorPool(const VkDescriptorPoolCreateInfo &info)
   : flags_(info.flags), maxSets_(info.maxSets)
{
   for (uint32_t i = 0; i < info.poolSizeCount; ++i)
      addRoom(capacity_, info.pPoolSizes[i].type, info.pPoolSizes[i].descriptorCount);
}

void
DescriptorPool::addRoom(std::array<uint64_t, RoomKinds> &room, VkDescriptorType type, uint64_t count)
{
   switch (type) {
   case VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER_DYNAMIC:
   case VK_DESCRIPTOR_TYPE_STORAGE_BUFFER_DYNAMIC:
      room[DynamicBuffers] += count;
      break;
   case VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER:
      room[Descriptors] += 2 * count;
      break;
   default:
      room[Descriptors] += count;
      break;
   }
}

VkResult
DescriptorPool::allocate(const std::shared_ptr<const SetLayoutInfo> &layout, VkDescriptorSet *out)
{
   if (sets_.size() >= maxSets_)
      return VK_ERROR_OUT_OF_POOL_MEMORY;
   std::array<uint64_t, RoomKinds> need{};
   for (const SetBinding &b : layout->bindings)
      addRoom(need, b.type, b.count);
   for (size_t kind = 0; kind < RoomKinds; ++kind) {
      if (used_[kind] + need[kind] > capacity_[kind])
         return VK_ERROR_OUT_OF_POOL_MEMORY;
   }
   try {
      auto set = std::make_unique<DescriptorSet>(*this, layout);
      DescriptorSet *raw = set.get();
      sets_.emplace(raw, std::move(set));
      for (size_t kind = 0; kind < RoomKinds; ++kind)
         used_[kind] += need[kind];
      *out = raw->handle();
      return VK_SUCCESS;
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
}

void
DescriptorPool::free(DescriptorSet *set)
{
   auto it = sets_.find(set);
   if (it == sets_.end())
      return;
   std::array<uint64_t, RoomKinds> room{};
   for (const SetBinding &b : set->layout().bindings)
      addRoom(room, b.type, b.count);
   for (size_t kind = 0; kind < RoomKinds; ++kind)
      used_[kind] -= room[kind];
   sets_.erase(it);
}

void
DescriptorPool::reset()
{
   sets_.clear();
   used_ = {};
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateDescriptorPool(VkDevice device, const VkDescriptorPoolCreateInfo *pCreateInfo,
                           const VkAllocationCallbacks *, VkDescriptorPool *pDescriptorPool)
{
   return DescriptorPool::create(*Device::from(device), *pCreateInfo, pDescriptorPool);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyDescriptorPool(VkDevice, VkDescriptorPool descriptorPool, const VkAllocationCallbacks *)
{
   delete DescriptorPool::from(descriptorPool);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_ResetDescriptorPool(VkDevice, VkDescriptorPool descriptorPool, VkDescriptorPoolResetFlags)
{
   DescriptorPool::from(descriptorPool)->reset();
   return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_AllocateDescriptorSets(VkDevice, const VkDescriptorSetAllocateInfo *pAllocateInfo,
                             VkDescriptorSet *pDescriptorSets)
{
   DescriptorPool *pool = DescriptorPool::from(pAllocateInfo->descriptorPool);
   for (uint32_t i = 0; i < pAllocateInfo->descriptorSetCount; ++i) {
      const DescriptorSetLayout *layout = DescriptorSetLayout::from(pAllocateInfo->pSetLayouts[i]);
      const VkResult result = pool->allocate(layout->info(), &pDescriptorSets[i]);
      if (result != VK_SUCCESS) {
         // All or nothing: the sets made so far go back.
         for (uint32_t k = 0; k < i; ++k) {
            pool->free(DescriptorSet::from(pDescriptorSets[k]));
         }
         for (uint32_t k = 0; k < pAllocateInfo->descriptorSetCount; ++k)
            pDescriptorSets[k] = VK_NULL_HANDLE;
         return result;
      }
   }
   return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_FreeDescriptorSets(VkDevice, VkDescriptorPool descriptorPool, uint32_t descriptorSetCount,
                         const VkDescriptorSet *pDescriptorSets)
{
   DescriptorPool *pool = DescriptorPool::from(descriptorPool);
   for (uint32_t i = 0; i < descriptorSetCount; ++i) {
      if (pDescriptorSets[i])
         pool->free(DescriptorSet::from(pDescriptorSets[i]));
   }
   return VK_SUCCESS;
}

} // extern "C"
