#include "Buffer.h"

#include <new>

#include "Device.h"
#include "DeviceMemory.h"
#include "PhysicalDevice.h"
#include "SparseRange.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

constexpr VkBufferCreateFlags kSparseFlags = VK_BUFFER_CREATE_SPARSE_BINDING_BIT |
                                             VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT |
                                             VK_BUFFER_CREATE_SPARSE_ALIASED_BIT;

} // namespace

VkResult
Buffer::create(Device &device, const VkBufferCreateInfo &info, VkBuffer *out)
{
   if (info.size == 0)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;
   const bool sparse = info.flags & kSparseFlags;
   // A plain buffer must fit in one allocation; a sparse one in the VA space
   // (its memory comes from many allocations).
   const uint64_t limit = sparse ? device.va().totalSize() : device.physical().memoryProperties().memoryHeaps[0].size;
   if (info.size > limit)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;
   std::unique_ptr<Buffer> buffer(new (std::nothrow) Buffer(device, info));
   if (!buffer)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   if (sparse) {
      const bool residency = info.flags & VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT;
      if (VkResult result = SparseRange::create(device, info.size, residency, &buffer->sparseRange_);
          result != VK_SUCCESS)
         return result;
      buffer->va_ = buffer->sparseRange_->va();
   }
   *out = buffer.release()->handle();
   return VK_SUCCESS;
}

Buffer::Buffer(Device &device, const VkBufferCreateInfo &info)
   : device_(device), size_(info.size), usage_(info.usage), flags_(info.flags)
{
}

Buffer::~Buffer() = default;

VkMemoryRequirements
Buffer::memoryRequirementsOf(Device &device, const VkBufferCreateInfo &info)
{
   VkMemoryRequirements requirements{};
   // Sparse buffers are bound in blocks of the bind granularity. The size is
   // the create size aligned up, never more (maintenance4's promise).
   const VkDeviceSize alignment = (info.flags & kSparseFlags) ? SparseRange::kBindGranularity : kAlignment;
   requirements.alignment = alignment;
   requirements.size = (info.size + alignment - 1) & ~(alignment - 1);
   requirements.memoryTypeBits = DeviceMemory::allTypeBits(device);
   return requirements;
}

VkMemoryRequirements
Buffer::memoryRequirements() const
{
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.size = size_;
   info.flags = flags_;
   info.usage = usage_;
   return memoryRequirementsOf(device_, info);
}

VkResult
Buffer::bind(DeviceMemory &memory, VkDeviceSize offset)
{
   if (sparse())
      return VK_ERROR_OUT_OF_DEVICE_MEMORY; // invalid usage: sparse buffers bind through the queue
   memory_ = &memory;
   memoryOffset_ = offset;
   va_ = memory.va() + offset;
   return VK_SUCCESS;
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateBuffer(VkDevice device, const VkBufferCreateInfo *pCreateInfo, const VkAllocationCallbacks *,
                   VkBuffer *pBuffer)
{
   return Buffer::create(*Device::from(device), *pCreateInfo, pBuffer);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyBuffer(VkDevice, VkBuffer buffer, const VkAllocationCallbacks *)
{
   delete Buffer::from(buffer);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetBufferMemoryRequirements(VkDevice, VkBuffer buffer, VkMemoryRequirements *pMemoryRequirements)
{
   *pMemoryRequirements = Buffer::from(buffer)->memoryRequirements();
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetBufferMemoryRequirements2(VkDevice, const VkBufferMemoryRequirementsInfo2 *pInfo,
                                   VkMemoryRequirements2 *pMemoryRequirements)
{
   pMemoryRequirements->memoryRequirements = Buffer::from(pInfo->buffer)->memoryRequirements();
   DeviceMemory::fillDedicatedRequirements(pMemoryRequirements->pNext);
}

// VK_KHR_maintenance4: a buffer's requirements without the buffer.
VKAPI_ATTR void VKAPI_CALL
panvk_GetDeviceBufferMemoryRequirements(VkDevice device, const VkDeviceBufferMemoryRequirements *pInfo,
                                        VkMemoryRequirements2 *pMemoryRequirements)
{
   VkMemoryRequirements &requirements = pMemoryRequirements->memoryRequirements;
   requirements = VkMemoryRequirements{};
   if (pInfo && pInfo->pCreateInfo)
      requirements = Buffer::memoryRequirementsOf(*Device::from(device), *pInfo->pCreateInfo);
   DeviceMemory::fillDedicatedRequirements(pMemoryRequirements->pNext);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_BindBufferMemory(VkDevice, VkBuffer buffer, VkDeviceMemory memory, VkDeviceSize memoryOffset)
{
   if (!buffer || !memory)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY; // invalid usage
   return Buffer::from(buffer)->bind(*DeviceMemory::from(memory), memoryOffset);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_BindBufferMemory2(VkDevice device, uint32_t bindInfoCount, const VkBindBufferMemoryInfo *pBindInfos)
{
   for (uint32_t i = 0; i < bindInfoCount; i++) {
      const VkBindBufferMemoryInfo &bind = pBindInfos[i];
      if (VkResult result = panvk_BindBufferMemory(device, bind.buffer, bind.memory, bind.memoryOffset);
          result != VK_SUCCESS)
         return result;
   }
   return VK_SUCCESS;
}

} // extern "C"
