// vkCmdCopyBuffer: several regions at unaligned offsets and sizes, copies
// spanning 2 MiB blocks, regions within one buffer, long chains of copies in
// one command buffer, secondary command buffers and the transfer+sparse
// queue. The destination is compared whole, so bytes outside the regions
// must keep their earlier values.
#include <cstring>

#include "VkTestFixture.h"

namespace panvk::test {
namespace {

using CopyBufferTest = VkTestFixture;

void
applyCopies(std::span<const uint8_t> src, std::vector<uint8_t> *dst, std::span<const VkBufferCopy> regions)
{
   for (const VkBufferCopy &r : regions)
      memcpy(dst->data() + r.dstOffset, src.data() + r.srcOffset, r.size);
}

TEST_F(CopyBufferTest, RegionsAtUnalignedOffsets)
{
   const VkDeviceSize size = 1 << 20;
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(size, &src));
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(size, &dst));
   const std::vector<uint8_t> srcBytes = patternBytes(size, 1);
   std::vector<uint8_t> expected = patternBytes(size, 2);
   ASSERT_NO_FATAL_FAILURE(uploadToBuffer(src, 0, srcBytes));
   ASSERT_NO_FATAL_FAILURE(uploadToBuffer(dst, 0, expected));
   const VkBufferCopy regions[] = {
      {0, 7, 1000},
      {4097, 65536 + 3, 5000},
      {200003, 300001, 1},
      {size - 4099, 0, 3},
      {65535, size - 70001, 70001},
      {123456, 777777, 4096 * 3},
   };
   applyCopies(srcBytes, &expected, regions);
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdCopyBuffer(cmd, src.buffer, dst.buffer, uint32_t(std::size(regions)), regions);
      transferBarrier(cmd);
   }));
   std::vector<uint8_t> actual;
   ASSERT_NO_FATAL_FAILURE(downloadFromBuffer(dst, 0, size, &actual));
   EXPECT_BYTES_EQ(expected, actual);
}

TEST_F(CopyBufferTest, LargeCopyAcrossTwoMegabyteBlocks)
{
   const VkDeviceSize size = 9 << 20;
   const VkDeviceSize length = (5 << 20) + 3;
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(size, &src));
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(size, &dst));
   const std::vector<uint8_t> srcBytes = patternBytes(size, 3);
   std::vector<uint8_t> expected = patternBytes(size, 4);
   ASSERT_NO_FATAL_FAILURE(uploadToBuffer(src, 0, srcBytes));
   ASSERT_NO_FATAL_FAILURE(uploadToBuffer(dst, 0, expected));
   const VkBufferCopy region{(2 << 20) - 5, 1, length};
   applyCopies(srcBytes, &expected, {&region, 1});
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdCopyBuffer(cmd, src.buffer, dst.buffer, 1, &region);
      transferBarrier(cmd);
   }));
   std::vector<uint8_t> actual;
   ASSERT_NO_FATAL_FAILURE(downloadFromBuffer(dst, 0, size, &actual));
   EXPECT_BYTES_EQ(expected, actual);
}

TEST_F(CopyBufferTest, RegionsWithinOneBuffer)
{
   const VkDeviceSize size = 256 * 1024;
   TestBuffer buffer;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(size, &buffer));
   std::vector<uint8_t> expected = patternBytes(size, 5);
   memcpy(buffer.mapped, expected.data(), size);
   // Sources and destinations do not overlap (the spec requires it).
   const VkBufferCopy regions[] = {{0, 131072 + 1, 40000}, {50001, 200000, 30000}, {90000, 45000, 333}};
   const std::vector<uint8_t> before = expected;
   applyCopies(before, &expected, regions);
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdCopyBuffer(cmd, buffer.buffer, buffer.buffer, uint32_t(std::size(regions)), regions);
      hostReadBarrier(cmd);
   }));
   EXPECT_BYTES_EQ(expected, std::span<const uint8_t>(buffer.mapped, size));
}

TEST_F(CopyBufferTest, ChainOfCopiesInOneCommandBuffer)
{
   // Each copy reads what the previous one wrote: order and barriers hold.
   const VkDeviceSize size = 4096;
   TestBuffer a, b;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(size * 2, &a));
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(size * 2, &b));
   const std::vector<uint8_t> bytes = patternBytes(size, 6);
   memset(a.mapped, 0, size * 2);
   memcpy(a.mapped, bytes.data(), size);
   constexpr uint32_t kRounds = 100;
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      for (uint32_t i = 0; i < kRounds; i++) {
         // a[0..size) -> b[shift..) -> a[0..size), the bytes rotate by one each round.
         const VkBufferCopy out{0, 1, size}, back{size, 0, 1}, rest{1, 1, size - 1};
         vkCmdCopyBuffer(cmd, a.buffer, b.buffer, 1, &out);
         transferBarrier(cmd);
         vkCmdCopyBuffer(cmd, b.buffer, a.buffer, 1, &back);
         vkCmdCopyBuffer(cmd, b.buffer, a.buffer, 1, &rest);
         transferBarrier(cmd);
      }
      hostReadBarrier(cmd);
   }));
   std::vector<uint8_t> expected(size);
   for (VkDeviceSize i = 0; i < size; i++)
      expected[(i + kRounds) % size] = bytes[i];
   EXPECT_BYTES_EQ(expected, std::span<const uint8_t>(a.mapped, size));
}

TEST_F(CopyBufferTest, SecondaryCommandBuffer)
{
   const VkDeviceSize size = 65536;
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(size, &src));
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(size, &dst));
   const std::vector<uint8_t> bytes = patternBytes(size, 7);
   memcpy(src.mapped, bytes.data(), size);
   memset(dst.mapped, 0, size);

   VkCommandPool pool;
   VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
   poolInfo.queueFamilyIndex = kTransferFamily;
   VK_ASSERT_SUCCESS(vkCreateCommandPool(device_, &poolInfo, nullptr, &pool));
   atTearDown([this, pool] { vkDestroyCommandPool(device_, pool, nullptr); });
   VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
   alloc.commandPool = pool;
   alloc.level = VK_COMMAND_BUFFER_LEVEL_SECONDARY;
   alloc.commandBufferCount = 1;
   VkCommandBuffer secondary;
   VK_ASSERT_SUCCESS(vkAllocateCommandBuffers(device_, &alloc, &secondary));
   VkCommandBufferInheritanceInfo inheritance{VK_STRUCTURE_TYPE_COMMAND_BUFFER_INHERITANCE_INFO};
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   begin.pInheritanceInfo = &inheritance;
   // Recorded twice into one primary, which needs simultaneous use.
   begin.flags = VK_COMMAND_BUFFER_USAGE_SIMULTANEOUS_USE_BIT;
   VK_ASSERT_SUCCESS(vkBeginCommandBuffer(secondary, &begin));
   const VkBufferCopy regions[] = {{0, size / 2, size / 2}, {size / 2, 0, size / 2}};
   vkCmdCopyBuffer(secondary, src.buffer, dst.buffer, 2, regions);
   VK_ASSERT_SUCCESS(vkEndCommandBuffer(secondary));

   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdExecuteCommands(cmd, 1, &secondary);
      transferBarrier(cmd);
      vkCmdFillBuffer(cmd, dst.buffer, 0, size, 0);
      transferBarrier(cmd);
      vkCmdExecuteCommands(cmd, 1, &secondary);
      hostReadBarrier(cmd);
   }));
   std::vector<uint8_t> expected(bytes.begin() + size / 2, bytes.end());
   expected.insert(expected.end(), bytes.begin(), bytes.begin() + size / 2);
   EXPECT_BYTES_EQ(expected, std::span<const uint8_t>(dst.mapped, size));
}

TEST_F(CopyBufferTest, OnTheTransferSparseQueue)
{
   const VkDeviceSize size = 3 * 65536 + 17;
   const uint32_t families[] = {kTransferFamily, kTransferSparseFamily};
   const uint32_t hostType =
      findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
   const VkBufferUsageFlags usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
   TestBuffer src, dst;
   ASSERT_NO_FATAL_FAILURE(createBuffer(size, usage, hostType, &src, families));
   ASSERT_NO_FATAL_FAILURE(createBuffer(size, usage, hostType, &dst, families));
   const std::vector<uint8_t> bytes = patternBytes(size, 8);
   memcpy(src.mapped, bytes.data(), size);
   memset(dst.mapped, 0, size);
   ASSERT_NO_FATAL_FAILURE(submitAndWait(
      [&](VkCommandBuffer cmd) {
         const VkBufferCopy region{0, 0, size};
         vkCmdCopyBuffer(cmd, src.buffer, dst.buffer, 1, &region);
         hostReadBarrier(cmd);
      },
      kTransferSparseFamily));
   EXPECT_BYTES_EQ(bytes, std::span<const uint8_t>(dst.mapped, size));
}

} // namespace
} // namespace panvk::test
