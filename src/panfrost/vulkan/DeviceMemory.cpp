#include "DeviceMemory.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <new>

#include "Debug.h"
#include "Device.h"
#include "PhysicalDevice.h"
#include "Util.h"
#include "kmod/Device.h"
#include "kmod/MockGpu.h"
#include "kmod/Vm.h"
#include "kmod/VmOp.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

// How the BO of a memory type is created: no CPU mapping for device-only
// memory, write-back mappings for the cached type, write-combined otherwise.
pan::kmod::BoFlags
boFlagsFor(const PhysicalDevice &physical, uint32_t memoryType)
{
   if (!physical.memoryTypeIsHostVisible(memoryType))
      return pan::kmod::BoFlags::NoMmap;
   if (physical.memoryTypeIsCached(memoryType))
      return pan::kmod::BoFlags::WbMmap;
   return pan::kmod::BoFlags::None;
}

} // namespace

uint32_t
DeviceMemory::allTypeBits(Device &device)
{
   return (1u << device.physical().memoryProperties().memoryTypeCount) - 1;
}

void
DeviceMemory::fillDedicatedRequirements(void *chain)
{
   // One BO per allocation, whatever its size: no resource gains from an
   // allocation of its own.
   if (auto *dedicated = findInChain<VkMemoryDedicatedRequirements>(
          chain, VK_STRUCTURE_TYPE_MEMORY_DEDICATED_REQUIREMENTS)) {
      dedicated->prefersDedicatedAllocation = VK_FALSE;
      dedicated->requiresDedicatedAllocation = VK_FALSE;
   }
}

uint64_t
DeviceMemory::vaAlignment(uint64_t size)
{
   // Large allocations start on a 2 MiB boundary so the kernel can map them
   // with 2 MiB page-table blocks.
   return size >= kLargeVaAlignment ? kLargeVaAlignment : kVaAlignment;
}

VkResult
DeviceMemory::allocate(Device &device, const VkMemoryAllocateInfo &info, VkDeviceMemory *out)
{
   const PhysicalDevice &physical = device.physical();
   const VkPhysicalDeviceMemoryProperties &props = physical.memoryProperties();
   // An unknown type or a zero size is invalid usage; fail rather than crash.
   if (info.memoryTypeIndex >= props.memoryTypeCount || info.allocationSize == 0)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;
   const uint32_t heap = props.memoryTypes[info.memoryTypeIndex].heapIndex;
   if (info.allocationSize > props.memoryHeaps[heap].size)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;

   pan::kmod::BoCreateInfo boInfo;
   boInfo.size = info.allocationSize;
   boInfo.flags = boFlagsFor(physical, info.memoryTypeIndex);
   return create(device, info.memoryTypeIndex, boInfo, out);
}

VkResult
DeviceMemory::allocateGrowable(Device &device, uint64_t size, uint32_t granularity, VkDeviceMemory *out)
{
   const PhysicalDevice &physical = device.physical();
   uint32_t type = UINT32_MAX;
   for (uint32_t i = 0; i < physical.memoryProperties().memoryTypeCount && type == UINT32_MAX; i++) {
      if (!physical.memoryTypeIsHostVisible(i))
         type = i;
   }
   if (size == 0 || type == UINT32_MAX || granularity < 4096 || (granularity & (granularity - 1)))
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;
   pan::kmod::BoCreateInfo boInfo;
   boInfo.size = size;
   boInfo.flags = pan::kmod::BoFlags::NoMmap;
   if (device.kmod().features().allocOnFault) {
      boInfo.flags |= pan::kmod::BoFlags::AllocOnFault;
      boInfo.allocOnFaultGranularity = uint32_t(std::min<uint64_t>(granularity, std::bit_ceil(size)));
   }
   const VkResult result = create(device, type, boInfo, out);
   if (result == VK_SUCCESS)
      DeviceMemory::from(*out)->allocOnFault_ = hasFlag(boInfo.flags, pan::kmod::BoFlags::AllocOnFault);
   return result;
}

uint64_t
DeviceMemory::committedBytes() const
{
   if (!allocOnFault_)
      return bo_->size();
   // Only the kernel knows which chunks faults have populated; without a way
   // to ask it (real hardware has none), the whole size is the honest bound.
   if (pan::kmod::MockGpu *mock = device_.kmod().mockGpu()) {
      if (auto resident = mock->residentBytes(bo_->handle()))
         return resident.value();
   }
   return bo_->size();
}

VkResult
DeviceMemory::create(Device &device, uint32_t memoryType, const pan::kmod::BoCreateInfo &boInfo,
                     VkDeviceMemory *out)
{
   std::unique_ptr<DeviceMemory> memory(new (std::nothrow) DeviceMemory(device, boInfo.size, memoryType));
   if (!memory)
      return VK_ERROR_OUT_OF_HOST_MEMORY;

   auto bo = pan::kmod::Bo::create(device.kmod(), boInfo);
   if (!bo)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;
   memory->bo_ = std::move(bo.value());
   const uint64_t boSize = memory->bo_->size();

   if (device.kmod().features().boLabels) {
      char label[48];
      snprintf(label, sizeof(label), "vk memory %llu", static_cast<unsigned long long>(boInfo.size));
      (void)memory->bo_->setLabel(label); // a label is a debugging aid: failure is harmless
   }

   const uint64_t va = device.va().allocate(boSize, vaAlignment(boSize));
   if (!va)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;
   const pan::kmod::VmOp map =
      pan::kmod::VmOp::map(*memory->bo_, 0, va, boSize, pan::kmod::MapFlags::NoExec);
   if (auto bound = device.vm().bind({&map, 1}, pan::kmod::Vm::BindMode::Immediate); !bound) {
      device.va().free(va, boSize);
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;
   }
   memory->va_ = va;
   memory->vaSize_ = boSize;
   *out = memory.release()->handle();
   return VK_SUCCESS;
}

DeviceMemory::DeviceMemory(Device &device, uint64_t size, uint32_t memoryType)
   : device_(device), size_(size), memoryType_(memoryType)
{
}

DeviceMemory::~DeviceMemory()
{
   if (vaSize_) {
      const pan::kmod::VmOp unmap = pan::kmod::VmOp::unmap(va_, vaSize_);
      if (auto done = device_.vm().bind({&unmap, 1}, pan::kmod::Vm::BindMode::Immediate); done)
         device_.va().free(va_, vaSize_);
      else // the range may still be mapped: never hand it out again
         errorLog("unmapping device memory failed: %s", done.error().message.c_str());
   }
   // bo_ goes last: its CPU mapping and handle close with it.
}

bool
DeviceMemory::hostVisible() const
{
   return device_.physical().memoryTypeIsHostVisible(memoryType_);
}

VkResult
DeviceMemory::map(VkDeviceSize offset, VkDeviceSize size, void **out)
{
   std::lock_guard lock(mapMutex_);
   // Non-host-visible memory, a second map, or a range outside the allocation
   // are invalid usage; the error is the one the spec has for failed maps.
   if (!hostVisible() || mapped_ || offset >= size_)
      return VK_ERROR_MEMORY_MAP_FAILED;
   if (size == VK_WHOLE_SIZE)
      size = size_ - offset;
   if (size == 0 || size > size_ - offset)
      return VK_ERROR_MEMORY_MAP_FAILED;
   auto base = bo_->map();
   if (!base)
      return VK_ERROR_MEMORY_MAP_FAILED;
   mapped_ = true;
   mapOffset_ = offset;
   mapSize_ = size;
   *out = static_cast<uint8_t *>(base.value()) + offset;
   return VK_SUCCESS;
}

void
DeviceMemory::unmap()
{
   std::lock_guard lock(mapMutex_);
   if (!mapped_)
      return;
   (void)bo_->unmap(); // the pages stay in the BO; only the CPU view goes
   mapped_ = false;
   mapOffset_ = mapSize_ = 0;
}

bool
DeviceMemory::rangeIsMapped(VkDeviceSize offset, VkDeviceSize size)
{
   std::lock_guard lock(mapMutex_);
   if (!mapped_ || offset < mapOffset_ || offset > mapOffset_ + mapSize_)
      return false;
   return size == VK_WHOLE_SIZE || size <= mapOffset_ + mapSize_ - offset;
}

} // namespace panvk

using namespace panvk;

namespace {

// All memory types are host coherent, so flushes and invalidations have no
// work to do; a range that is not mapped is the app's bug and reported as such
// under PANVK_DEBUG=bind (the only check the spec lets us make here).
VkResult
checkMappedRanges(uint32_t count, const VkMappedMemoryRange *ranges, const char *what)
{
   for (uint32_t i = 0; ranges && i < count; i++) {
      DeviceMemory *memory = DeviceMemory::from(ranges[i].memory);
      if ((!memory || !memory->rangeIsMapped(ranges[i].offset, ranges[i].size)) &&
          debugEnabled(kDebugBind))
         debugLog("%s: range %u is not inside a mapping", what, i);
   }
   return VK_SUCCESS;
}

} // namespace

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_AllocateMemory(VkDevice device, const VkMemoryAllocateInfo *pAllocateInfo, const VkAllocationCallbacks *,
                     VkDeviceMemory *pMemory)
{
   return DeviceMemory::allocate(*Device::from(device), *pAllocateInfo, pMemory);
}

VKAPI_ATTR void VKAPI_CALL
panvk_FreeMemory(VkDevice, VkDeviceMemory memory, const VkAllocationCallbacks *)
{
   delete DeviceMemory::from(memory);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_MapMemory(VkDevice, VkDeviceMemory memory, VkDeviceSize offset, VkDeviceSize size, VkMemoryMapFlags,
                void **ppData)
{
   if (!memory)
      return VK_ERROR_MEMORY_MAP_FAILED;
   return DeviceMemory::from(memory)->map(offset, size, ppData);
}

VKAPI_ATTR void VKAPI_CALL
panvk_UnmapMemory(VkDevice, VkDeviceMemory memory)
{
   if (memory)
      DeviceMemory::from(memory)->unmap();
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_FlushMappedMemoryRanges(VkDevice, uint32_t memoryRangeCount, const VkMappedMemoryRange *pMemoryRanges)
{
   return checkMappedRanges(memoryRangeCount, pMemoryRanges, "vkFlushMappedMemoryRanges");
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_InvalidateMappedMemoryRanges(VkDevice, uint32_t memoryRangeCount,
                                   const VkMappedMemoryRange *pMemoryRanges)
{
   return checkMappedRanges(memoryRangeCount, pMemoryRanges, "vkInvalidateMappedMemoryRanges");
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetDeviceMemoryCommitment(VkDevice, VkDeviceMemory memory, VkDeviceSize *pCommittedMemoryInBytes)
{
   *pCommittedMemoryInBytes = memory ? DeviceMemory::from(memory)->committedBytes() : 0;
}

} // extern "C"
