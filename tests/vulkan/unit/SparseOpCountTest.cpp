// What sparse binding costs the kernel, from the VM's counters (VM_BIND
// ioctls and ops) and the mock GPU's view of the VM: a residency buffer's
// initial sparse map, coalesced binds, later binds winning, and unbinding
// (the dummy behind, no fault, bound data intact, through the GPU's MMU).
//
// Runs at whatever PANTHOR_MOCK_VERSION says; meson runs it at 1.9 (native
// sparse maps) and 1.8 (kmod's emulation, one op per 2 MiB).
#include <algorithm>
#include <random>
#include <vector>

#include "Buffer.h"
#include "DeviceMemory.h"
#include "SparseDirectDevice.h"
#include "drm-uapi/panthor_drm.h"

namespace panvk::test {
namespace {

constexpr uint64_t kBlock = kSparseBlock;
constexpr uint64_t k2MiB = 2ull << 20;

class SparseOpCountTest : public SparseDirectDevice {};

TEST_F(SparseOpCountTest, HundredMegabyteResidencyBufferStartsWithOneOpPerKernelLimit)
{
   constexpr uint64_t kSize = 100'000'000;
   const pan::kmod::BindStats before = stats();
   const VkBuffer buffer = createSparseBuffer(kSize);
   ASSERT_NE(VK_NULL_HANDLE, buffer);
   const pan::kmod::BindStats after = stats();

   const uint64_t va = Buffer::from(buffer)->va();
   const uint64_t size = (kSize + kBlock - 1) / kBlock * kBlock;
   ASSERT_EQ(100'007'936u, size);
   ASSERT_EQ(0u, va % k2MiB) << "a resource of 2 MiB or more gets a 2 MiB aligned VA";
   // 2 MiB aligned: the emulation's ops are the 2 MiB pieces of the range.
   const uint64_t pieces = (size + k2MiB - 1) / k2MiB;
   ASSERT_EQ(48u, pieces);
   EXPECT_EQ(1u, after.ioctls - before.ioctls);
   EXPECT_EQ(nativeSparse() ? 1u : pieces, after.kernelOps - before.kernelOps);

   // Fully mapped: no byte of it faults.
   for (uint64_t offset : {uint64_t(0), k2MiB - 1, k2MiB, size / 2, size - 1})
      EXPECT_NE(0u, physical(va + offset)) << "offset " << offset;
   auto mappings = gpu().vmMappings(vmId());
   ASSERT_TRUE(mappings);
   uint64_t covered = 0, count = 0;
   for (const auto &m : mappings.value()) {
      if (m.va >= va && m.va + m.size <= va + size) {
         covered += m.size;
         count++;
         if (nativeSparse()) {
            EXPECT_TRUE(m.flags & DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE);
         }
      }
   }
   EXPECT_EQ(size, covered);
   EXPECT_EQ(nativeSparse() ? 1u : pieces, count);
}

TEST_F(SparseOpCountTest, ContiguousBindsOfOneAllocationAreOneOpInOneIoctl)
{
   constexpr uint32_t kBinds = 1024;
   const VkBuffer buffer = createSparseBuffer(kBinds * kBlock);
   const VkDeviceMemory memory = allocateMemory(kBinds * kBlock);
   ASSERT_NE(VK_NULL_HANDLE, memory);
   for (bool shuffle : {false, true}) {
      std::vector<VkSparseMemoryBind> binds;
      for (uint32_t i = 0; i < kBinds; i++)
         binds.push_back({i * kBlock, kBlock, memory, i * kBlock, 0});
      if (shuffle)
         std::shuffle(binds.begin(), binds.end(), std::mt19937(7));
      const VkFence fence = createFence();
      const pan::kmod::BindStats before = stats();
      ASSERT_EQ(VK_SUCCESS, bind(buffer, binds, fence));
      ASSERT_EQ(VK_SUCCESS, waitFence(fence));
      const pan::kmod::BindStats after = stats();
      EXPECT_EQ(1u, after.ioctls - before.ioctls) << "shuffled: " << shuffle;
      EXPECT_EQ(1u, after.kernelOps - before.kernelOps) << "shuffled: " << shuffle;
   }
   // The buffer reads the allocation's pages, at the same offsets.
   const uint64_t bufferVa = Buffer::from(buffer)->va();
   const uint64_t memoryVa = DeviceMemory::from(memory)->va();
   for (uint64_t offset : {uint64_t(0), kBlock + 5, 513 * kBlock, kBinds * kBlock - 1}) {
      EXPECT_NE(0u, physical(bufferVa + offset));
      EXPECT_EQ(physical(memoryVa + offset), physical(bufferVa + offset)) << "offset " << offset;
   }
}

TEST_F(SparseOpCountTest, BindsOfSeparateAllocationsAreOneOpEachInOneIoctl)
{
   constexpr uint32_t kBinds = 256;
   const VkBuffer buffer = createSparseBuffer(kBinds * kBlock);
   std::vector<VkSparseMemoryBind> binds;
   for (uint32_t i = 0; i < kBinds; i++) {
      const VkDeviceMemory memory = allocateMemory(kBlock);
      ASSERT_NE(VK_NULL_HANDLE, memory);
      binds.push_back({i * kBlock, kBlock, memory, 0, 0});
   }
   const VkFence fence = createFence();
   const pan::kmod::BindStats before = stats();
   ASSERT_EQ(VK_SUCCESS, bind(buffer, binds, fence));
   ASSERT_EQ(VK_SUCCESS, waitFence(fence));
   const pan::kmod::BindStats after = stats();
   EXPECT_EQ(1u, after.ioctls - before.ioctls);
   EXPECT_EQ(kBinds, after.kernelOps - before.kernelOps);
}

TEST_F(SparseOpCountTest, LaterOverlappingBindWinsWithoutSendingTheEarlierOne)
{
   const VkBuffer buffer = createSparseBuffer(8 * kBlock);
   const VkDeviceMemory a = allocateMemory(8 * kBlock);
   const VkDeviceMemory b = allocateMemory(8 * kBlock);
   // All of a, then blocks 2..3 of b over it: a[0,2) b[2,4) a[4,8) = 3 ops.
   const std::vector<VkSparseMemoryBind> binds = {{0, 8 * kBlock, a, 0, 0}, {2 * kBlock, 2 * kBlock, b, 0, 0}};
   const VkFence fence = createFence();
   const pan::kmod::BindStats before = stats();
   ASSERT_EQ(VK_SUCCESS, bind(buffer, binds, fence));
   ASSERT_EQ(VK_SUCCESS, waitFence(fence));
   const pan::kmod::BindStats after = stats();
   EXPECT_EQ(1u, after.ioctls - before.ioctls);
   EXPECT_EQ(3u, after.kernelOps - before.kernelOps);
   const uint64_t va = Buffer::from(buffer)->va();
   EXPECT_EQ(physical(DeviceMemory::from(a)->va() + kBlock), physical(va + kBlock));
   EXPECT_EQ(physical(DeviceMemory::from(b)->va()), physical(va + 2 * kBlock));
   EXPECT_EQ(physical(DeviceMemory::from(b)->va() + kBlock + 9), physical(va + 3 * kBlock + 9));
   EXPECT_EQ(physical(DeviceMemory::from(a)->va() + 4 * kBlock), physical(va + 4 * kBlock));
}

TEST_F(SparseOpCountTest, UnbindingMapsTheDummyAndKeepsTheBoundData)
{
   constexpr uint32_t kBlocks = 16;
   constexpr uint64_t kSize = kBlocks * kBlock;
   const VkBuffer buffer = createSparseBuffer(kSize);
   const VkDeviceMemory memory = allocateMemory(kSize);
   const uint64_t va = Buffer::from(buffer)->va();
   const uint64_t memoryVa = DeviceMemory::from(memory)->va();
   std::vector<VkSparseMemoryBind> all, odd, unbindOdd;
   for (uint32_t block = 0; block < kBlocks; block++) {
      all.push_back({block * kBlock, kBlock, memory, block * kBlock, 0});
      if (block % 2) {
         odd.push_back(all.back());
         unbindOdd.push_back({block * kBlock, kBlock, VK_NULL_HANDLE, 0, 0});
      }
   }
   std::vector<uint8_t> first(kSize), second(kSize);
   for (uint64_t i = 0; i < kSize; i++) {
      first[i] = uint8_t(i * 7 + 1);
      second[i] = uint8_t(i * 13 + 5);
   }
   const VkFence fences[3] = {createFence(), createFence(), createFence()};
   ASSERT_EQ(VK_SUCCESS, bind(buffer, all, fences[0]));
   ASSERT_EQ(VK_SUCCESS, waitFence(fences[0]));
   auto written = gpu().copyToGpu(vmId(), va, first.data(), kSize);
   ASSERT_TRUE(written && written->ok());

   const pan::kmod::BindStats before = stats();
   ASSERT_EQ(VK_SUCCESS, bind(buffer, unbindOdd, fences[1]));
   ASSERT_EQ(VK_SUCCESS, waitFence(fences[1]));
   const pan::kmod::BindStats after = stats();
   EXPECT_EQ(1u, after.ioctls - before.ioctls);
   EXPECT_EQ(kBlocks / 2, after.kernelOps - before.kernelOps) << "one sparse op per unbound block";

   // The whole buffer reads without a fault; bound blocks are intact.
   for (uint32_t block = 1; block < kBlocks; block += 2) {
      EXPECT_NE(0u, physical(va + block * kBlock)) << "block " << block << " would fault";
      EXPECT_NE(physical(memoryVa + block * kBlock), physical(va + block * kBlock));
   }
   std::vector<uint8_t> read(kSize);
   auto readBack = gpu().copyFromGpu(vmId(), va, read.data(), kSize);
   ASSERT_TRUE(readBack);
   EXPECT_TRUE(readBack->ok()) << "the read faulted";
   for (uint32_t block = 0; block < kBlocks; block += 2) {
      EXPECT_TRUE(std::equal(first.begin() + block * kBlock, first.begin() + (block + 1) * kBlock,
                             read.begin() + block * kBlock))
         << "block " << block;
   }
   // Writes to unbound blocks do not reach the memory behind them.
   written = gpu().copyToGpu(vmId(), va, second.data(), kSize);
   ASSERT_TRUE(written && written->ok());
   EXPECT_FALSE(device().lost());

   ASSERT_EQ(VK_SUCCESS, bind(buffer, odd, fences[2]));
   ASSERT_EQ(VK_SUCCESS, waitFence(fences[2]));
   readBack = gpu().copyFromGpu(vmId(), va, read.data(), kSize);
   ASSERT_TRUE(readBack && readBack->ok());
   for (uint32_t block = 0; block < kBlocks; block++) {
      const std::vector<uint8_t> &expected = block % 2 ? first : second;
      EXPECT_TRUE(std::equal(expected.begin() + block * kBlock, expected.begin() + (block + 1) * kBlock,
                             read.begin() + block * kBlock))
         << "block " << block;
   }
}

} // namespace
} // namespace panvk::test
