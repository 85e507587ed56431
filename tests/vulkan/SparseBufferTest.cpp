// Sparse buffers through the loader, in the spirit of the CTS sparse buffer
// tests: bound in shuffled order to many small allocations or to one large
// one, with the data going through the transfer queue after a semaphore from
// the bind queue; rebinding to other memory (the data follows the memory);
// unbinding (reads do not fault, the rest stays intact); aliasing.
#include <algorithm>
#include <random>

#include "SparseFixture.h"

namespace panvk::test {
namespace {

class SparseBufferTest : public SparseFixture {
protected:
   // Block indices 0..count-1 in an order fixed by the seed.
   static std::vector<uint32_t> shuffled(uint32_t count, uint32_t seed)
   {
      std::vector<uint32_t> order(count);
      for (uint32_t i = 0; i < count; i++)
         order[i] = i;
      std::mt19937 random(seed);
      std::shuffle(order.begin(), order.end(), random);
      return order;
   }

   static VkSparseMemoryBind blockBind(uint32_t block, VkDeviceMemory memory, uint32_t memoryBlock)
   {
      return VkSparseMemoryBind{block * kSparseBlock, kSparseBlock, memory, memoryBlock * kSparseBlock, 0};
   }

   // Binds on the bind queue signalling a binary semaphore, writes `bytes`
   // on the transfer queue after it, reads them back and compares.
   void roundTripAfterBind(VkBuffer buffer, std::vector<VkSparseMemoryBind> binds, uint32_t seed)
   {
      const VkSemaphore bound = createBinarySemaphore();
      SparseBinds info;
      info.buffer = buffer;
      info.bufferBinds = std::move(binds);
      info.signals = {{bound, 0}};
      VK_ASSERT_SUCCESS(bindSparse(bindQueue_, {&info, 1}, VK_NULL_HANDLE));

      VkDeviceSize size = 0;
      for (const VkSparseMemoryBind &b : info.bufferBinds)
         size = std::max(size, b.resourceOffset + b.size);
      const std::vector<uint8_t> bytes = patternBytes(size, seed);
      const SemaphorePoint wait{bound, 0};
      ASSERT_NO_FATAL_FAILURE(writeBuffer(buffer, 0, bytes, {&wait, 1}));
      EXPECT_BYTES_EQ(bytes, readBuffer(buffer, 0, size));
   }
};

TEST_F(SparseBufferTest, RequirementsAreInSparseBlocks)
{
   const VkBuffer buffer = createSparseBuffer(3 * kSparseBlock + 1);
   const VkMemoryRequirements req = requirements(buffer);
   EXPECT_EQ(kSparseBlock, req.alignment);
   EXPECT_EQ(4 * kSparseBlock, req.size);
   EXPECT_NE(0u, req.memoryTypeBits);
}

TEST_F(SparseBufferTest, ShuffledBindsToManySmallAllocationsRoundTrip)
{
   constexpr uint32_t kBlocks = 128;
   const VkBuffer buffer = createSparseBuffer(kBlocks * kSparseBlock);
   const VkMemoryRequirements req = requirements(buffer);
   ASSERT_EQ(kBlocks * kSparseBlock, req.size);
   std::vector<VkSparseMemoryBind> binds;
   for (uint32_t block : shuffled(kBlocks, 1)) {
      const VkDeviceMemory memory = allocateDeviceMemory(kSparseBlock, req.memoryTypeBits);
      ASSERT_NE(VK_NULL_HANDLE, memory);
      binds.push_back(blockBind(block, memory, 0));
   }
   roundTripAfterBind(buffer, std::move(binds), 11);
}

TEST_F(SparseBufferTest, ShuffledBindsToOneLargeAllocationRoundTrip)
{
   constexpr uint32_t kBlocks = 160; // 10 MiB: crosses 2 MiB boundaries
   const VkBuffer buffer = createSparseBuffer(kBlocks * kSparseBlock);
   const VkMemoryRequirements req = requirements(buffer);
   const VkDeviceMemory memory = allocateDeviceMemory(req.size, req.memoryTypeBits);
   ASSERT_NE(VK_NULL_HANDLE, memory);
   std::vector<VkSparseMemoryBind> binds;
   for (uint32_t block : shuffled(kBlocks, 2))
      binds.push_back(blockBind(block, memory, block));
   roundTripAfterBind(buffer, std::move(binds), 12);
}

TEST_F(SparseBufferTest, PermutedBlocksOfOneAllocationRoundTrip)
{
   // Each block at another place of the memory: nothing coalesces.
   constexpr uint32_t kBlocks = 64;
   const VkBuffer buffer = createSparseBuffer(kBlocks * kSparseBlock);
   const VkMemoryRequirements req = requirements(buffer);
   const VkDeviceMemory memory = allocateDeviceMemory(req.size, req.memoryTypeBits);
   const std::vector<uint32_t> where = shuffled(kBlocks, 3);
   std::vector<VkSparseMemoryBind> binds;
   for (uint32_t block : shuffled(kBlocks, 4))
      binds.push_back(blockBind(block, memory, where[block]));
   roundTripAfterBind(buffer, std::move(binds), 13);
}

TEST_F(SparseBufferTest, RebindingMovesTheDataWithTheMemory)
{
   constexpr uint32_t kBlocks = 8;
   constexpr VkDeviceSize kSize = kBlocks * kSparseBlock;
   const VkBuffer buffer = createSparseBuffer(kSize);
   const VkMemoryRequirements req = requirements(buffer);
   const VkDeviceMemory x = allocateDeviceMemory(kSize, req.memoryTypeBits);
   const VkDeviceMemory y = allocateDeviceMemory(kSize, req.memoryTypeBits);
   auto bindAll = [&](VkDeviceMemory memory, bool reversed) {
      std::vector<VkSparseMemoryBind> binds;
      for (uint32_t block = 0; block < kBlocks; block++)
         binds.push_back(blockBind(block, memory, reversed ? kBlocks - 1 - block : block));
      bindBufferAndWait(buffer, binds);
   };
   const std::vector<uint8_t> inX = patternBytes(kSize, 21);
   const std::vector<uint8_t> inY = patternBytes(kSize, 22);

   ASSERT_NO_FATAL_FAILURE(bindAll(x, false));
   ASSERT_NO_FATAL_FAILURE(writeBuffer(buffer, 0, inX));
   ASSERT_NO_FATAL_FAILURE(bindAll(y, false));
   ASSERT_NO_FATAL_FAILURE(writeBuffer(buffer, 0, inY));
   EXPECT_BYTES_EQ(inY, readBuffer(buffer, 0, kSize));

   // Back on x, blocks in reverse: x's bytes, block order reversed.
   ASSERT_NO_FATAL_FAILURE(bindAll(x, true));
   std::vector<uint8_t> reversedX(kSize);
   for (uint32_t block = 0; block < kBlocks; block++)
      std::copy_n(inX.begin() + (kBlocks - 1 - block) * kSparseBlock, kSparseBlock,
                  reversedX.begin() + block * kSparseBlock);
   EXPECT_BYTES_EQ(reversedX, readBuffer(buffer, 0, kSize));

   ASSERT_NO_FATAL_FAILURE(bindAll(y, false));
   EXPECT_BYTES_EQ(inY, readBuffer(buffer, 0, kSize));
}

TEST_F(SparseBufferTest, UnbindingKeepsTheBoundDataAndReadsDoNotFault)
{
   constexpr uint32_t kBlocks = 16;
   constexpr VkDeviceSize kSize = kBlocks * kSparseBlock;
   const VkBuffer buffer = createSparseBuffer(kSize);
   const VkMemoryRequirements req = requirements(buffer);
   const VkDeviceMemory memory = allocateDeviceMemory(kSize, req.memoryTypeBits);
   std::vector<VkSparseMemoryBind> all, odd;
   for (uint32_t block = 0; block < kBlocks; block++) {
      all.push_back(blockBind(block, memory, block));
      if (block % 2)
         odd.push_back(blockBind(block, memory, block));
   }
   const std::vector<uint8_t> first = patternBytes(kSize, 31);
   ASSERT_NO_FATAL_FAILURE(bindBufferAndWait(buffer, all));
   ASSERT_NO_FATAL_FAILURE(writeBuffer(buffer, 0, first));

   std::vector<VkSparseMemoryBind> unbindOdd = odd;
   for (VkSparseMemoryBind &b : unbindOdd) {
      b.memory = VK_NULL_HANDLE;
      b.memoryOffset = 0;
   }
   ASSERT_NO_FATAL_FAILURE(bindBufferAndWait(buffer, unbindOdd));

   // The whole buffer is read: unbound blocks are undefined, bound ones intact.
   const std::vector<uint8_t> read = readBuffer(buffer, 0, kSize);
   ASSERT_EQ(kSize, read.size());
   for (uint32_t block = 0; block < kBlocks; block += 2) {
      const size_t at = block * kSparseBlock;
      EXPECT_BYTES_EQ(std::span(first).subspan(at, kSparseBlock), std::span(read).subspan(at, kSparseBlock))
         << "block " << block;
   }
   // Writes to the unbound blocks do not reach the memory behind them.
   const std::vector<uint8_t> second = patternBytes(kSize, 32);
   ASSERT_NO_FATAL_FAILURE(writeBuffer(buffer, 0, second));
   EXPECT_EQ(VK_SUCCESS, vkDeviceWaitIdle(sparseDevice_)) << "the device is lost";

   ASSERT_NO_FATAL_FAILURE(bindBufferAndWait(buffer, odd));
   std::vector<uint8_t> expected = second;
   for (uint32_t block = 1; block < kBlocks; block += 2)
      std::copy_n(first.begin() + block * kSparseBlock, kSparseBlock, expected.begin() + block * kSparseBlock);
   EXPECT_BYTES_EQ(expected, readBuffer(buffer, 0, kSize));
}

TEST_F(SparseBufferTest, AliasedBuffersSeeEachOthersWrites)
{
   constexpr uint32_t kBlocks = 8;
   constexpr VkDeviceSize kSize = kBlocks * kSparseBlock;
   const VkBuffer a = createSparseBuffer(kSize, VK_BUFFER_CREATE_SPARSE_ALIASED_BIT);
   const VkBuffer b = createSparseBuffer(kSize, VK_BUFFER_CREATE_SPARSE_ALIASED_BIT);
   const VkMemoryRequirements req = requirements(a);
   const VkDeviceMemory memory = allocateDeviceMemory(kSize, req.memoryTypeBits);

   // a: block i on memory block i; b: on memory block kBlocks-1-i. One call,
   // two batches.
   SparseBinds infos[2];
   infos[0].buffer = a;
   infos[1].buffer = b;
   for (uint32_t block = 0; block < kBlocks; block++) {
      infos[0].bufferBinds.push_back(blockBind(block, memory, block));
      infos[1].bufferBinds.push_back(blockBind(block, memory, kBlocks - 1 - block));
   }
   const VkFence fence = createFence();
   VK_ASSERT_SUCCESS(bindSparse(bindQueue_, infos, fence));
   VK_ASSERT_SUCCESS(waitFence(fence));

   const std::vector<uint8_t> throughA = patternBytes(kSize, 41);
   ASSERT_NO_FATAL_FAILURE(writeBuffer(a, 0, throughA));
   std::vector<uint8_t> reversed(kSize);
   for (uint32_t block = 0; block < kBlocks; block++)
      std::copy_n(throughA.begin() + (kBlocks - 1 - block) * kSparseBlock, kSparseBlock,
                  reversed.begin() + block * kSparseBlock);
   EXPECT_BYTES_EQ(reversed, readBuffer(b, 0, kSize));

   // b's first block is a's last one.
   const std::vector<uint8_t> throughB = patternBytes(kSparseBlock, 42);
   ASSERT_NO_FATAL_FAILURE(writeBuffer(b, 0, throughB));
   EXPECT_BYTES_EQ(throughB, readBuffer(a, (kBlocks - 1) * kSparseBlock, kSparseBlock));
   EXPECT_BYTES_EQ(std::span(throughA).first((kBlocks - 1) * kSparseBlock),
                   readBuffer(a, 0, (kBlocks - 1) * kSparseBlock));
}

} // namespace
} // namespace panvk::test
