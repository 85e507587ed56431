// Host mappings and the device agree: bytes written through a mapping are
// what the device copies, bytes the device writes are what a mapping reads,
// for every host-visible memory type, through partial mappings at offsets
// and buffers bound at offsets. Allocation failure is an error, not a crash.
#include <cstring>

#include "VkTestFixture.h"

namespace panvk::test {
namespace {

using MemoryMappingTest = VkTestFixture;

constexpr VkBufferUsageFlags kTransferUsage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;

TEST_F(MemoryMappingTest, EveryHostVisibleTypeRoundTripsThroughTheDevice)
{
   const VkDeviceSize size = 3 * 65536 + 123;
   uint32_t tested = 0;
   for (uint32_t type = 0; type < memoryProperties_.memoryTypeCount; type++) {
      const VkMemoryPropertyFlags flags = memoryProperties_.memoryTypes[type].propertyFlags;
      if (!(flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT))
         continue;
      SCOPED_TRACE("memory type " + std::to_string(type));
      tested++;
      TestBuffer source, middle, target;
      ASSERT_NO_FATAL_FAILURE(createBuffer(size, kTransferUsage, type, &source));
      ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(size, &middle));
      ASSERT_NO_FATAL_FAILURE(createBuffer(size, kTransferUsage, type, &target));
      const std::vector<uint8_t> bytes = patternBytes(size, type);
      memcpy(source.mapped, bytes.data(), size);
      memset(target.mapped, 0xee, size);
      const VkMappedMemoryRange whole{VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE, nullptr, source.memory, 0,
                                      VK_WHOLE_SIZE};
      if (!(flags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)) {
         VK_ASSERT_SUCCESS(vkFlushMappedMemoryRanges(device_, 1, &whole));
      }
      ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
         const VkBufferCopy region{0, 0, size};
         vkCmdCopyBuffer(cmd, source.buffer, middle.buffer, 1, &region);
         transferBarrier(cmd);
         vkCmdCopyBuffer(cmd, middle.buffer, target.buffer, 1, &region);
         hostReadBarrier(cmd);
      }));
      if (!(flags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)) {
         const VkMappedMemoryRange range{VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE, nullptr, target.memory, 0,
                                         VK_WHOLE_SIZE};
         VK_ASSERT_SUCCESS(vkInvalidateMappedMemoryRanges(device_, 1, &range));
      }
      EXPECT_BYTES_EQ(bytes, std::span<const uint8_t>(target.mapped, size));
   }
   EXPECT_GE(tested, mockMinorVersion() >= 7 ? 2u : 1u) << "expected coherent and cached host-visible types";
}

TEST_F(MemoryMappingTest, FlushAndInvalidateOnCachedMemory)
{
   if (mockMinorVersion() < 7)
      GTEST_SKIP() << "panthor 1." << mockMinorVersion() << " has no WB_MMAP, so no cached memory type";
   const uint32_t cached = findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
   ASSERT_NE(UINT32_MAX, cached);
   const VkDeviceSize size = 65536;
   TestBuffer buffer, scratch;
   ASSERT_NO_FATAL_FAILURE(createBuffer(size, kTransferUsage, cached, &buffer));
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(size, &scratch));
   const std::vector<uint8_t> bytes = patternBytes(size, 5);
   memcpy(buffer.mapped, bytes.data(), size);
   const VkMappedMemoryRange range{VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE, nullptr, buffer.memory, 0, VK_WHOLE_SIZE};
   VK_ASSERT_SUCCESS(vkFlushMappedMemoryRanges(device_, 1, &range));
   // The device moves the bytes by half the buffer and back into it.
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      const VkBufferCopy out[2] = {{0, size / 2, size / 2}, {size / 2, 0, size / 2}};
      vkCmdCopyBuffer(cmd, buffer.buffer, scratch.buffer, 2, out);
      transferBarrier(cmd);
      const VkBufferCopy back{0, 0, size};
      vkCmdCopyBuffer(cmd, scratch.buffer, buffer.buffer, 1, &back);
      hostReadBarrier(cmd);
   }));
   VK_ASSERT_SUCCESS(vkInvalidateMappedMemoryRanges(device_, 1, &range));
   std::vector<uint8_t> expected(bytes.begin() + size / 2, bytes.end());
   expected.insert(expected.end(), bytes.begin(), bytes.begin() + size / 2);
   EXPECT_BYTES_EQ(expected, std::span<const uint8_t>(buffer.mapped, size));
}

TEST_F(MemoryMappingTest, PartialMapsAtOffsets)
{
   const uint32_t type =
      findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
   const VkDeviceSize size = 256 * 1024;
   VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   alloc.allocationSize = size;
   alloc.memoryTypeIndex = type;
   VkDeviceMemory memory;
   VK_ASSERT_SUCCESS(vkAllocateMemory(device_, &alloc, nullptr, &memory));
   atTearDown([this, memory] { vkFreeMemory(device_, memory, nullptr); });

   // New memory may hold anything: give it known bytes first.
   std::vector<uint8_t> expected = patternBytes(size, 1);
   void *data;
   VK_ASSERT_SUCCESS(vkMapMemory(device_, memory, 0, VK_WHOLE_SIZE, 0, &data));
   memcpy(data, expected.data(), size);
   vkUnmapMemory(device_, memory);

   struct Window {
      VkDeviceSize offset, size, written;
   };
   const Window windows[] = {
      {12345, 1000, 1000},
      {65536 + 7, VK_WHOLE_SIZE, 4096},
      {size - 33, 33, 33},
      {4096, 4096, 4096},
   };
   uint32_t seed = 10;
   for (const Window &w : windows) {
      VK_ASSERT_SUCCESS(vkMapMemory(device_, memory, w.offset, w.size, 0, &data));
      // The spec: the pointer minus the offset is minMemoryMapAlignment aligned.
      EXPECT_EQ(0u, (reinterpret_cast<uintptr_t>(data) - w.offset) % properties_.limits.minMemoryMapAlignment)
         << "offset " << w.offset;
      // What the window sees is what the whole mapping wrote.
      EXPECT_BYTES_EQ(std::span<const uint8_t>(expected.data() + w.offset, w.written),
                      std::span<const uint8_t>(static_cast<uint8_t *>(data), w.written))
         << "window at " << w.offset;
      const std::vector<uint8_t> bytes = patternBytes(w.written, seed++);
      memcpy(data, bytes.data(), w.written);
      memcpy(expected.data() + w.offset, bytes.data(), w.written);
      vkUnmapMemory(device_, memory);
   }

   // The device sees every window's writes in place: two buffers on the
   // memory, the second at an offset, copied out.
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.size = size / 2;
   info.usage = kTransferUsage;
   VkBuffer halves[2];
   for (VkBuffer &half : halves) {
      VK_ASSERT_SUCCESS(vkCreateBuffer(device_, &info, nullptr, &half));
      atTearDown([this, half] { vkDestroyBuffer(device_, half, nullptr); });
   }
   VkMemoryRequirements requirements;
   vkGetBufferMemoryRequirements(device_, halves[1], &requirements);
   ASSERT_EQ(0u, (size / 2) % requirements.alignment);
   VK_ASSERT_SUCCESS(vkBindBufferMemory(device_, halves[0], memory, 0));
   VK_ASSERT_SUCCESS(vkBindBufferMemory(device_, halves[1], memory, size / 2));
   TestBuffer copy;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(size, &copy));
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      const VkBufferCopy first{0, 0, size / 2}, second{0, size / 2, size / 2};
      vkCmdCopyBuffer(cmd, halves[0], copy.buffer, 1, &first);
      vkCmdCopyBuffer(cmd, halves[1], copy.buffer, 1, &second);
      hostReadBarrier(cmd);
   }));
   EXPECT_BYTES_EQ(expected, std::span<const uint8_t>(copy.mapped, size));
}

TEST_F(MemoryMappingTest, PersistentMappingSeesEveryDeviceWrite)
{
   TestBuffer buffer;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(8192, &buffer));
   memset(buffer.mapped, 0, 8192);
   for (uint32_t round = 0; round < 5; round++) {
      const uint32_t value = 0x01020304u * (round + 1);
      ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
         vkCmdFillBuffer(cmd, buffer.buffer, 4096 * (round % 2), 4096, value);
         hostReadBarrier(cmd);
      }));
      uint32_t words[1024];
      memcpy(words, buffer.mapped + 4096 * (round % 2), sizeof(words));
      for (uint32_t w : words)
         ASSERT_EQ(value, w) << "round " << round;
   }
}

TEST_F(MemoryMappingTest, AllocationBeyondTheHeapFailsCleanly)
{
   // Two allocations of 60% of the heap cannot both fit in the mock's memory.
   const VkDeviceSize heap = memoryProperties_.memoryHeaps[0].size;
   VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   alloc.allocationSize = heap / 10 * 6;
   alloc.memoryTypeIndex = findMemoryType(~0u, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
   VkDeviceMemory first, second = VK_NULL_HANDLE;
   VK_ASSERT_SUCCESS(vkAllocateMemory(device_, &alloc, nullptr, &first));
   EXPECT_EQ(VK_ERROR_OUT_OF_DEVICE_MEMORY, vkAllocateMemory(device_, &alloc, nullptr, &second));
   if (second)
      vkFreeMemory(device_, second, nullptr);
   vkFreeMemory(device_, first, nullptr);
   // Nothing was left behind: the same allocation fits again, and work goes on.
   VK_ASSERT_SUCCESS(vkAllocateMemory(device_, &alloc, nullptr, &first));
   vkFreeMemory(device_, first, nullptr);
   TestBuffer buffer;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(4096, &buffer));
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdFillBuffer(cmd, buffer.buffer, 0, VK_WHOLE_SIZE, 0xabcdef01u);
      hostReadBarrier(cmd);
   }));
   uint32_t word;
   memcpy(&word, buffer.mapped + 4092, 4);
   EXPECT_EQ(0xabcdef01u, word);
}

} // namespace
} // namespace panvk::test
