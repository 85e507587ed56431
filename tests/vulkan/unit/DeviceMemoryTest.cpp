// VkDeviceMemory on the mock: one BO per allocation, mapped whole into the
// device's VM at an aligned VA, CPU-mapped for host-visible types, and
// nothing left behind on failure or free.
#include <cstring>
#include <vector>

#include "DeviceMemory.h"
#include "DirectDevice.h"
#include "drm-uapi/panthor_drm.h"

namespace panvk::test {
namespace {

constexpr uint64_t kMiB = 1024 * 1024;

std::vector<uint8_t>
pattern(size_t size, uint8_t seed)
{
   std::vector<uint8_t> bytes(size);
   for (size_t i = 0; i < size; i++)
      bytes[i] = uint8_t(i * 131 + (i >> 12) + seed);
   return bytes;
}

class DeviceMemoryTest : public DirectDevice {};

TEST_F(DeviceMemoryTest, HostWritesAreWhatTheGpuReadsAndBack)
{
   for (uint32_t type = 0; type < memoryProperties_.memoryTypeCount; type++) {
      if (!(memoryProperties_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT))
         continue;
      SCOPED_TRACE("memory type " + std::to_string(type));
      const uint64_t size = 3 * kMiB + 4096;
      VkDeviceMemory memory;
      ASSERT_EQ(VK_SUCCESS, allocate(size, type, &memory));
      void *mapped = nullptr;
      ASSERT_EQ(VK_SUCCESS, panvk_MapMemory(device_, memory, 0, VK_WHOLE_SIZE, 0, &mapped));
      const std::vector<uint8_t> written = pattern(size, uint8_t(type));
      memcpy(mapped, written.data(), size);

      std::vector<uint8_t> seen(size);
      const uint64_t va = DeviceMemory::from(memory)->va();
      auto read = gpu().copyFromGpu(vmId(), va, seen.data(), size);
      ASSERT_TRUE(read.ok());
      ASSERT_TRUE(read->ok());
      EXPECT_EQ(written, seen);

      const std::vector<uint8_t> gpuWritten = pattern(8192, uint8_t(type + 100));
      auto write = gpu().copyToGpu(vmId(), va + 4096, gpuWritten.data(), gpuWritten.size());
      ASSERT_TRUE(write.ok());
      ASSERT_TRUE(write->ok());
      EXPECT_EQ(0, memcmp(static_cast<uint8_t *>(mapped) + 4096, gpuWritten.data(), gpuWritten.size()));

      panvk_UnmapMemory(device_, memory);
      panvk_FreeMemory(device_, memory, nullptr);
   }
}

TEST_F(DeviceMemoryTest, MapAtAnOffsetPointsAtThatByte)
{
   VkDeviceMemory memory;
   ASSERT_EQ(VK_SUCCESS, allocate(64 * 1024, memoryType(VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT), &memory));
   void *mapped = nullptr;
   ASSERT_EQ(VK_SUCCESS, panvk_MapMemory(device_, memory, 5000, 100, 0, &mapped));
   memset(mapped, 0xab, 100);
   uint8_t seen[102] = {};
   auto read = gpu().copyFromGpu(vmId(), DeviceMemory::from(memory)->va() + 4999, seen, sizeof(seen));
   ASSERT_TRUE(read.ok() && read->ok());
   EXPECT_EQ(0, seen[0]);
   EXPECT_EQ(0xab, seen[1]);
   EXPECT_EQ(0xab, seen[100]);
   EXPECT_EQ(0, seen[101]);
   panvk_UnmapMemory(device_, memory);
   panvk_FreeMemory(device_, memory, nullptr);
}

TEST_F(DeviceMemoryTest, MapRefusesWhatTheSpecForbids)
{
   VkDeviceMemory deviceOnly, visible;
   ASSERT_EQ(VK_SUCCESS, allocate(8192, 0, &deviceOnly));
   ASSERT_EQ(VK_SUCCESS, allocate(8192, memoryType(VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT), &visible));
   void *mapped = nullptr;
   EXPECT_EQ(VK_ERROR_MEMORY_MAP_FAILED, panvk_MapMemory(device_, deviceOnly, 0, VK_WHOLE_SIZE, 0, &mapped));
   EXPECT_EQ(VK_ERROR_MEMORY_MAP_FAILED, panvk_MapMemory(device_, visible, 8192, VK_WHOLE_SIZE, 0, &mapped));
   EXPECT_EQ(VK_ERROR_MEMORY_MAP_FAILED, panvk_MapMemory(device_, visible, 4096, 4097, 0, &mapped));
   EXPECT_EQ(VK_ERROR_MEMORY_MAP_FAILED, panvk_MapMemory(device_, VK_NULL_HANDLE, 0, 16, 0, &mapped));

   ASSERT_EQ(VK_SUCCESS, panvk_MapMemory(device_, visible, 0, 8192, 0, &mapped));
   void *again = nullptr;
   EXPECT_EQ(VK_ERROR_MEMORY_MAP_FAILED, panvk_MapMemory(device_, visible, 0, 16, 0, &again));
   panvk_UnmapMemory(device_, visible);
   EXPECT_EQ(VK_SUCCESS, panvk_MapMemory(device_, visible, 4096, VK_WHOLE_SIZE, 0, &again));
   panvk_UnmapMemory(device_, visible);
   panvk_UnmapMemory(device_, visible); // unmapping twice is harmless

   panvk_FreeMemory(device_, deviceOnly, nullptr);
   panvk_FreeMemory(device_, visible, nullptr);
}

TEST_F(DeviceMemoryTest, MappedRangesAreTracked)
{
   VkDeviceMemory memory;
   ASSERT_EQ(VK_SUCCESS, allocate(16384, memoryType(VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT), &memory));
   DeviceMemory *object = DeviceMemory::from(memory);
   EXPECT_FALSE(object->rangeIsMapped(0, 64));
   void *mapped;
   ASSERT_EQ(VK_SUCCESS, panvk_MapMemory(device_, memory, 4096, 8192, 0, &mapped));
   EXPECT_TRUE(object->rangeIsMapped(4096, 8192));
   EXPECT_TRUE(object->rangeIsMapped(8192, VK_WHOLE_SIZE));
   EXPECT_FALSE(object->rangeIsMapped(0, 64));
   EXPECT_FALSE(object->rangeIsMapped(8192, 8193));
   VkMappedMemoryRange range{VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE};
   range.memory = memory;
   range.offset = 4096;
   range.size = VK_WHOLE_SIZE;
   EXPECT_EQ(VK_SUCCESS, panvk_FlushMappedMemoryRanges(device_, 1, &range));
   EXPECT_EQ(VK_SUCCESS, panvk_InvalidateMappedMemoryRanges(device_, 1, &range));
   panvk_UnmapMemory(device_, memory);
   EXPECT_FALSE(object->rangeIsMapped(4096, 64));
   panvk_FreeMemory(device_, memory, nullptr);
}

TEST_F(DeviceMemoryTest, BoFlagsFollowTheMemoryType)
{
   for (uint32_t type = 0; type < memoryProperties_.memoryTypeCount; type++) {
      SCOPED_TRACE("memory type " + std::to_string(type));
      const VkMemoryPropertyFlags flags = memoryProperties_.memoryTypes[type].propertyFlags;
      VkDeviceMemory memory;
      ASSERT_EQ(VK_SUCCESS, allocate(4096, type, &memory));
      auto info = DeviceMemory::from(memory)->bo().queryInfo();
      ASSERT_TRUE(info.ok());
      uint32_t expected = 0;
      if (!(flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT))
         expected = DRM_PANTHOR_BO_NO_MMAP;
      else if (flags & VK_MEMORY_PROPERTY_HOST_CACHED_BIT)
         expected = DRM_PANTHOR_BO_WB_MMAP;
      EXPECT_EQ(expected, info->createFlags);
      panvk_FreeMemory(device_, memory, nullptr);
   }
}

TEST_F(DeviceMemoryTest, WholeBoIsMappedOnceAtAnAlignedVa)
{
   VkDeviceMemory small, large;
   ASSERT_EQ(VK_SUCCESS, allocate(5000, 0, &small));
   ASSERT_EQ(VK_SUCCESS, allocate(2 * kMiB, 0, &large));
   DeviceMemory *smallObject = DeviceMemory::from(small);
   DeviceMemory *largeObject = DeviceMemory::from(large);
   EXPECT_EQ(8192u, smallObject->bo().size());
   EXPECT_EQ(0u, smallObject->va() % (64 * 1024));
   EXPECT_EQ(0u, largeObject->va() % (2 * kMiB));

   auto mappings = gpu().vmMappings(vmId());
   ASSERT_TRUE(mappings.ok());
   ASSERT_EQ(2u, mappings->size());
   for (const auto &mapping : mappings.value()) {
      DeviceMemory *owner = mapping.va == smallObject->va() ? smallObject : largeObject;
      EXPECT_EQ(owner->va(), mapping.va);
      EXPECT_EQ(owner->bo().size(), mapping.size);
      EXPECT_EQ(owner->bo().handle(), mapping.boHandle);
      EXPECT_EQ(0u, mapping.boOffset);
      EXPECT_EQ(uint32_t(DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC), mapping.flags);
      if (device().kmod().features().boLabels) {
         EXPECT_EQ("vk memory " + std::to_string(owner->size()), mapping.boLabel);
      }
   }
   // A 2 MiB-aligned allocation of 2 MiB is one page-table block.
   auto translation = gpu().translate(vmId(), largeObject->va());
   ASSERT_TRUE(translation.ok() && translation->has_value());
   EXPECT_EQ(2u, translation->value().level);

   panvk_FreeMemory(device_, small, nullptr);
   panvk_FreeMemory(device_, large, nullptr);
}

TEST_F(DeviceMemoryTest, FreeUnmapsAndGivesTheVaBack)
{
   const uint64_t freeBefore = device().va().freeBytes();
   VkDeviceMemory memory;
   ASSERT_EQ(VK_SUCCESS, allocate(100 * 1024, 1, &memory));
   const uint64_t va = DeviceMemory::from(memory)->va();
   void *mapped;
   ASSERT_EQ(VK_SUCCESS, panvk_MapMemory(device_, memory, 0, VK_WHOLE_SIZE, 0, &mapped));
   EXPECT_LT(device().va().freeBytes(), freeBefore);
   panvk_FreeMemory(device_, memory, nullptr); // still mapped: freeing unmaps

   EXPECT_EQ(freeBefore, device().va().freeBytes());
   auto mappings = gpu().vmMappings(vmId());
   ASSERT_TRUE(mappings.ok());
   EXPECT_TRUE(mappings->empty());
   auto translation = gpu().translate(vmId(), va);
   ASSERT_TRUE(translation.ok());
   EXPECT_FALSE(translation->has_value());
   panvk_FreeMemory(device_, VK_NULL_HANDLE, nullptr);
}

TEST_F(DeviceMemoryTest, InvalidRequestsFailWithoutCrashing)
{
   VkDeviceMemory memory = VK_NULL_HANDLE;
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, allocate(4096, memoryProperties_.memoryTypeCount, &memory));
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, allocate(4096, UINT32_MAX, &memory));
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, allocate(0, 0, &memory));
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, allocate(UINT64_MAX, 0, &memory));
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, allocate(memoryProperties_.memoryHeaps[0].size + 4096, 0, &memory));
   EXPECT_EQ(VK_NULL_HANDLE, memory);
}

TEST_F(DeviceMemoryTest, CommitmentIsTheWholeBo)
{
   VkDeviceMemory memory;
   ASSERT_EQ(VK_SUCCESS, allocate(5000, 0, &memory));
   VkDeviceSize committed = 0;
   panvk_GetDeviceMemoryCommitment(device_, memory, &committed);
   EXPECT_EQ(8192u, committed);
   panvk_FreeMemory(device_, memory, nullptr);
}

// A GPU with 64 MiB: the kernel runs out, and the driver must undo its work.
class SmallGpuMemoryTest : public DirectDevice {
protected:
   SmallGpuMemoryTest() : DirectDevice(64) {}
};

TEST_F(SmallGpuMemoryTest, KernelOutOfMemoryLeavesNothingBehind)
{
   ASSERT_EQ(64 * kMiB, memoryProperties_.memoryHeaps[0].size);
   VkDeviceMemory first, second = VK_NULL_HANDLE;
   ASSERT_EQ(VK_SUCCESS, allocate(40 * kMiB, 0, &first));
   const uint64_t freeVa = device().va().freeBytes();
   const uint64_t inUse = gpu().memoryInUse();
   auto mappingsBefore = gpu().vmMappings(vmId());
   ASSERT_TRUE(mappingsBefore.ok());

   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, allocate(40 * kMiB, 0, &second));
   EXPECT_EQ(VK_NULL_HANDLE, second);
   EXPECT_EQ(freeVa, device().va().freeBytes());
   EXPECT_EQ(inUse, gpu().memoryInUse());
   auto mappingsAfter = gpu().vmMappings(vmId());
   ASSERT_TRUE(mappingsAfter.ok());
   EXPECT_EQ(mappingsBefore->size(), mappingsAfter->size());

   panvk_FreeMemory(device_, first, nullptr);
   EXPECT_EQ(VK_SUCCESS, allocate(40 * kMiB, 0, &second));
   panvk_FreeMemory(device_, second, nullptr);
}

TEST_F(SmallGpuMemoryTest, NoMemoryForPageTablesUndoesTheBo)
{
   // The BO takes every page but one, so the VM bind cannot allocate the
   // page tables it needs.
   const uint64_t freeVa = device().va().freeBytes();
   const uint64_t inUse = gpu().memoryInUse();
   const uint64_t binds = device().kmod().ioctlCount(DRM_IOCTL_PANTHOR_VM_BIND);
   VkDeviceMemory memory = VK_NULL_HANDLE;
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, allocate(64 * kMiB - inUse - 4096, 0, &memory));
   EXPECT_EQ(binds + 1, device().kmod().ioctlCount(DRM_IOCTL_PANTHOR_VM_BIND)); // the bind failed
   EXPECT_EQ(freeVa, device().va().freeBytes());
   EXPECT_EQ(inUse, gpu().memoryInUse());
}

} // namespace
} // namespace panvk::test
