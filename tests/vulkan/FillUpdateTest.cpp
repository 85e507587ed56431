// vkCmdFillBuffer and vkCmdUpdateBuffer: the 32-bit pattern repeated in
// little-endian order, VK_WHOLE_SIZE rounding down to whole words, large
// fills across 2 MiB blocks, updates of up to 65536 bytes, and the order of
// commands within one command buffer. Bytes outside the ranges keep their
// values.
#include <cstring>

#include "VkTestFixture.h"

namespace panvk::test {
namespace {

using FillUpdateTest = VkTestFixture;

void
fillModel(std::vector<uint8_t> *bytes, VkDeviceSize offset, VkDeviceSize size, uint32_t value)
{
   for (VkDeviceSize i = 0; i < size; i++)
      (*bytes)[offset + i] = uint8_t(value >> (8 * (i % 4)));
}

TEST_F(FillUpdateTest, FillRepeatsTheWordLittleEndian)
{
   const VkDeviceSize size = 65536;
   TestBuffer buffer;
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(size, &buffer));
   std::vector<uint8_t> expected = patternBytes(size, 1);
   ASSERT_NO_FATAL_FAILURE(uploadToBuffer(buffer, 0, expected));
   fillModel(&expected, 20, 4000, 0xdeadbeef);
   fillModel(&expected, 8192, 4, 0x01020304);
   fillModel(&expected, 12000, 40000, 0);
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdFillBuffer(cmd, buffer.buffer, 20, 4000, 0xdeadbeef);
      vkCmdFillBuffer(cmd, buffer.buffer, 8192, 4, 0x01020304);
      vkCmdFillBuffer(cmd, buffer.buffer, 12000, 40000, 0);
      transferBarrier(cmd);
   }));
   std::vector<uint8_t> actual;
   ASSERT_NO_FATAL_FAILURE(downloadFromBuffer(buffer, 0, size, &actual));
   EXPECT_BYTES_EQ(expected, actual);
}

TEST_F(FillUpdateTest, FillWholeSizeStopsAtTheLastWholeWord)
{
   const VkDeviceSize size = 4099;
   TestBuffer buffer;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(size, &buffer));
   std::vector<uint8_t> expected = patternBytes(size, 2);
   memcpy(buffer.mapped, expected.data(), size);
   // From byte 8: 4091 bytes remain, rounded down to 4088.
   fillModel(&expected, 8, 4088, 0x11223344);
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdFillBuffer(cmd, buffer.buffer, 8, VK_WHOLE_SIZE, 0x11223344);
      hostReadBarrier(cmd);
   }));
   EXPECT_BYTES_EQ(expected, std::span<const uint8_t>(buffer.mapped, size));
}

TEST_F(FillUpdateTest, LargeFillAcrossTwoMegabyteBlocks)
{
   const VkDeviceSize size = 8 << 20;
   TestBuffer buffer;
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(size, &buffer));
   std::vector<uint8_t> expected = patternBytes(size, 3);
   ASSERT_NO_FATAL_FAILURE(uploadToBuffer(buffer, 0, expected));
   const VkDeviceSize offset = (2 << 20) - 4, length = (3 << 20) + 8;
   fillModel(&expected, offset, length, 0xa5a55a5a);
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdFillBuffer(cmd, buffer.buffer, offset, length, 0xa5a55a5a);
      transferBarrier(cmd);
   }));
   std::vector<uint8_t> actual;
   ASSERT_NO_FATAL_FAILURE(downloadFromBuffer(buffer, 0, size, &actual));
   EXPECT_BYTES_EQ(expected, actual);
}

TEST_F(FillUpdateTest, UpdateWritesTheGivenBytes)
{
   const VkDeviceSize size = 128 * 1024;
   TestBuffer buffer;
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(size, &buffer));
   std::vector<uint8_t> expected = patternBytes(size, 4);
   ASSERT_NO_FATAL_FAILURE(uploadToBuffer(buffer, 0, expected));
   const std::vector<uint8_t> small = patternBytes(1000, 5), largest = patternBytes(65536, 6);
   memcpy(expected.data() + 12, small.data(), small.size());
   memcpy(expected.data() + 4096 + 4, largest.data(), largest.size());
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdUpdateBuffer(cmd, buffer.buffer, 12, small.size(), small.data());
      vkCmdUpdateBuffer(cmd, buffer.buffer, 4096 + 4, largest.size(), largest.data());
      transferBarrier(cmd);
   }));
   std::vector<uint8_t> actual;
   ASSERT_NO_FATAL_FAILURE(downloadFromBuffer(buffer, 0, size, &actual));
   EXPECT_BYTES_EQ(expected, actual);
}

TEST_F(FillUpdateTest, UpdateDataIsCapturedAtRecordTime)
{
   TestBuffer buffer;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(256, &buffer));
   memset(buffer.mapped, 0, 256);
   std::vector<uint8_t> data = patternBytes(256, 7);
   const std::vector<uint8_t> recorded = data;
   VkCommandBuffer cmd;
   ASSERT_NO_FATAL_FAILURE(allocateCommandBuffer(kTransferFamily, &cmd));
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   VK_ASSERT_SUCCESS(vkBeginCommandBuffer(cmd, &begin));
   vkCmdUpdateBuffer(cmd, buffer.buffer, 0, data.size(), data.data());
   hostReadBarrier(cmd);
   VK_ASSERT_SUCCESS(vkEndCommandBuffer(cmd));
   // The application may reuse its memory once the command is recorded.
   std::fill(data.begin(), data.end(), uint8_t(0xcc));
   VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
   submit.commandBufferCount = 1;
   submit.pCommandBuffers = &cmd;
   VK_ASSERT_SUCCESS(vkQueueSubmit(transferQueue_, 1, &submit, VK_NULL_HANDLE));
   VK_ASSERT_SUCCESS(vkQueueWaitIdle(transferQueue_));
   EXPECT_BYTES_EQ(recorded, std::span<const uint8_t>(buffer.mapped, 256));

   // The same command buffer submitted again writes the same bytes.
   memset(buffer.mapped, 0, 256);
   VK_ASSERT_SUCCESS(vkQueueSubmit(transferQueue_, 1, &submit, VK_NULL_HANDLE));
   VK_ASSERT_SUCCESS(vkQueueWaitIdle(transferQueue_));
   EXPECT_BYTES_EQ(recorded, std::span<const uint8_t>(buffer.mapped, 256));
}

TEST_F(FillUpdateTest, CommandsRunInRecordingOrder)
{
   // Overlapping fill, update and copy: each sees the one before it.
   TestBuffer buffer, other;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(4096, &buffer));
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(4096, &other));
   memset(buffer.mapped, 0, 4096);
   const std::vector<uint8_t> update = patternBytes(512, 8);
   std::vector<uint8_t> expected(4096, 0);
   fillModel(&expected, 0, 4096, 0x77777777);
   memcpy(expected.data() + 1024, update.data(), update.size());
   fillModel(&expected, 1024 + 256, 128, 0x12345678);
   // other <- buffer, then buffer[2048..) <- other[1024..)
   std::vector<uint8_t> snapshot = expected;
   memcpy(expected.data() + 2048, snapshot.data() + 1024, 2048);
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdFillBuffer(cmd, buffer.buffer, 0, VK_WHOLE_SIZE, 0x77777777);
      transferBarrier(cmd);
      vkCmdUpdateBuffer(cmd, buffer.buffer, 1024, update.size(), update.data());
      transferBarrier(cmd);
      vkCmdFillBuffer(cmd, buffer.buffer, 1024 + 256, 128, 0x12345678);
      transferBarrier(cmd);
      const VkBufferCopy all{0, 0, 4096};
      vkCmdCopyBuffer(cmd, buffer.buffer, other.buffer, 1, &all);
      transferBarrier(cmd);
      const VkBufferCopy back{1024, 2048, 2048};
      vkCmdCopyBuffer(cmd, other.buffer, buffer.buffer, 1, &back);
      hostReadBarrier(cmd);
   }));
   EXPECT_BYTES_EQ(expected, std::span<const uint8_t>(buffer.mapped, 4096));
}

} // namespace
} // namespace panvk::test
