// What sparse binding costs the kernel, from the VM's counters (VM_BIND
// ioctls and ops) and the mock GPU's view of the VM: a residency buffer's
// initial sparse map, coalesced binds, unbinding (the dummy behind, no fault,
// bound data intact, through the GPU's MMU), empty batches, and a bind that
// waits for a timeline point signalled later (no ioctl before the signal).
//
// Runs at whatever PANTHOR_MOCK_VERSION says; meson runs it at 1.9 (native
// sparse maps) and 1.8 (kmod's emulation, one op per 2 MiB).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

#include "Buffer.h"
#include "DeviceMemory.h"
#include "DirectDevice.h"
#include "Semaphore.h"
#include "SparseRange.h"
#include "drm-uapi/panthor_drm.h"

namespace panvk::test {
namespace {

constexpr uint64_t kBlock = 64 * 1024;
constexpr uint64_t k2MiB = 2ull << 20;
constexpr uint64_t kTimeoutNs = 20'000'000'000ull;

class SparseOpCountTest : public DirectDevice {
protected:
   // DirectDevice's setup, with a queue of the sparse-binding family (1) and
   // the sparse features enabled.
   void SetUp() override
   {
      setenv("PAN_KMOD", "mock", 1);
      unsetenv("PANTHOR_MOCK_MEMORY_MB");
      VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
      app.apiVersion = VK_API_VERSION_1_1;
      VkInstanceCreateInfo instanceInfo{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
      instanceInfo.pApplicationInfo = &app;
      ASSERT_EQ(VK_SUCCESS, panvk_CreateInstance(&instanceInfo, nullptr, &instance_));
      uint32_t count = 1;
      ASSERT_EQ(VK_SUCCESS, panvk_EnumeratePhysicalDevices(instance_, &count, &physical_));
      panvk_GetPhysicalDeviceMemoryProperties(physical_, &memoryProperties_);

      const float priority = 1.0f;
      VkDeviceQueueCreateInfo queues[2] = {{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO},
                                           {VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO}};
      for (uint32_t family = 0; family < 2; family++) {
         queues[family].queueFamilyIndex = family;
         queues[family].queueCount = 1;
         queues[family].pQueuePriorities = &priority;
      }
      VkPhysicalDeviceFeatures features{};
      features.sparseBinding = VK_TRUE;
      features.sparseResidencyBuffer = VK_TRUE;
      VkPhysicalDeviceTimelineSemaphoreFeatures timeline{
         VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES};
      timeline.timelineSemaphore = VK_TRUE;
      const char *extensions[] = {VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME};
      VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
      deviceInfo.pNext = &timeline;
      deviceInfo.queueCreateInfoCount = 2;
      deviceInfo.pQueueCreateInfos = queues;
      deviceInfo.enabledExtensionCount = 1;
      deviceInfo.ppEnabledExtensionNames = extensions;
      deviceInfo.pEnabledFeatures = &features;
      ASSERT_EQ(VK_SUCCESS, panvk_CreateDevice(physical_, &deviceInfo, nullptr, &device_));
      panvk_GetDeviceQueue(device_, 1, 0, &bindQueue_);
      ASSERT_NE(VK_NULL_HANDLE, bindQueue_);
      mock_ = device().kmod().mockGpu();
      ASSERT_NE(nullptr, mock_);

      // The run must be at the version meson asked for, not the default.
      if (const char *version = getenv("PANTHOR_MOCK_VERSION")) {
         std::string v = version;
         if (v.rfind("1.", 0) == 0)
            v = v.substr(2);
         ASSERT_EQ(std::stoi(v), device().kmod().driverVersion().minor);
      }
   }

   void TearDown() override
   {
      if (device_) {
         panvk_DeviceWaitIdle(device_);
         for (VkFence fence : fences_)
            panvk_DestroyFence(device_, fence, nullptr);
         for (VkSemaphore semaphore : semaphores_)
            panvk_DestroySemaphore(device_, semaphore, nullptr);
         for (VkBuffer buffer : buffers_)
            panvk_DestroyBuffer(device_, buffer, nullptr);
         for (VkDeviceMemory memory : memories_)
            panvk_FreeMemory(device_, memory, nullptr);
      }
      DirectDevice::TearDown();
   }

   bool nativeSparse() { return device().kmod().features().nativeSparseMap; }
   pan::kmod::BindStats stats() { return device().vm().stats(); }

   VkBuffer createSparseBuffer(VkDeviceSize size)
   {
      VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
      info.flags = VK_BUFFER_CREATE_SPARSE_BINDING_BIT | VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT;
      info.size = size;
      info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
      VkBuffer buffer = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateBuffer(device_, &info, nullptr, &buffer));
      if (buffer)
         buffers_.push_back(buffer);
      return buffer;
   }
   VkDeviceMemory allocateMemory(VkDeviceSize size)
   {
      VkDeviceMemory memory = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, allocate(size, memoryType(VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT), &memory));
      if (memory)
         memories_.push_back(memory);
      return memory;
   }
   VkFence createFence()
   {
      VkFenceCreateInfo info{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
      VkFence fence = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateFence(device_, &info, nullptr, &fence));
      fences_.push_back(fence);
      return fence;
   }
   VkSemaphore createSemaphore(bool timeline)
   {
      VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
      type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
      VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
      info.pNext = timeline ? &type : nullptr;
      VkSemaphore semaphore = VK_NULL_HANDLE;
      EXPECT_EQ(VK_SUCCESS, panvk_CreateSemaphore(device_, &info, nullptr, &semaphore));
      semaphores_.push_back(semaphore);
      return semaphore;
   }
   VkResult waitFence(VkFence fence) { return panvk_WaitForFences(device_, 1, &fence, VK_TRUE, kTimeoutNs); }

   // One call, one batch of binds of `buffer`, the fence signalled.
   VkResult bind(VkBuffer buffer, const std::vector<VkSparseMemoryBind> &binds, VkFence fence)
   {
      VkSparseBufferMemoryBindInfo bufferBinds{buffer, uint32_t(binds.size()), binds.data()};
      VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
      info.bufferBindCount = 1;
      info.pBufferBinds = &bufferBinds;
      return panvk_QueueBindSparse(bindQueue_, 1, &info, fence);
   }

   // Where the GPU ends up reading va; 0 if it would fault.
   uint64_t physical(uint64_t va)
   {
      auto translation = mock_->translate(vmId(), va);
      if (!translation || !translation.value())
         return 0;
      return translation.value()->physical;
   }

   VkQueue bindQueue_ = VK_NULL_HANDLE;
   pan::kmod::MockGpu *mock_ = nullptr;
   std::vector<VkFence> fences_;
   std::vector<VkSemaphore> semaphores_;
   std::vector<VkBuffer> buffers_;
   std::vector<VkDeviceMemory> memories_;
};

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
   auto mappings = mock_->vmMappings(vmId());
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
   auto written = mock_->copyToGpu(vmId(), va, first.data(), kSize);
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
   auto readBack = mock_->copyFromGpu(vmId(), va, read.data(), kSize);
   ASSERT_TRUE(readBack);
   EXPECT_TRUE(readBack->ok()) << "the read faulted";
   for (uint32_t block = 0; block < kBlocks; block += 2) {
      EXPECT_TRUE(std::equal(first.begin() + block * kBlock, first.begin() + (block + 1) * kBlock,
                             read.begin() + block * kBlock))
         << "block " << block;
   }
   // Writes to unbound blocks do not reach the memory behind them.
   written = mock_->copyToGpu(vmId(), va, second.data(), kSize);
   ASSERT_TRUE(written && written->ok());
   EXPECT_FALSE(device().lost());

   ASSERT_EQ(VK_SUCCESS, bind(buffer, odd, fences[2]));
   ASSERT_EQ(VK_SUCCESS, waitFence(fences[2]));
   readBack = mock_->copyFromGpu(vmId(), va, read.data(), kSize);
   ASSERT_TRUE(readBack && readBack->ok());
   for (uint32_t block = 0; block < kBlocks; block++) {
      const std::vector<uint8_t> &expected = block % 2 ? first : second;
      EXPECT_TRUE(std::equal(expected.begin() + block * kBlock, expected.begin() + (block + 1) * kBlock,
                             read.begin() + block * kBlock))
         << "block " << block;
   }
}

TEST_F(SparseOpCountTest, EmptyBatchStillSignalsItsSemaphoreAndFence)
{
   const VkSemaphore binary = createSemaphore(false);
   const VkSemaphore timeline = createSemaphore(true);
   const uint64_t values[] = {0, 9};
   const VkSemaphore signals[] = {binary, timeline};
   VkTimelineSemaphoreSubmitInfo timelineInfo{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
   timelineInfo.signalSemaphoreValueCount = 2;
   timelineInfo.pSignalSemaphoreValues = values;
   VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
   info.pNext = &timelineInfo;
   info.signalSemaphoreCount = 2;
   info.pSignalSemaphores = signals;
   const VkFence fence = createFence();
   const pan::kmod::BindStats before = stats();
   ASSERT_EQ(VK_SUCCESS, panvk_QueueBindSparse(bindQueue_, 1, &info, fence));
   ASSERT_EQ(VK_SUCCESS, waitFence(fence));
   const pan::kmod::BindStats after = stats();
   EXPECT_EQ(1u, after.ioctls - before.ioctls);
   // SYNC_ONLY ops only: one for the batch's signals, and SparseBinder gives
   // the fence, which comes after a batch that signalled, one of its own.
   EXPECT_GE(after.kernelOps - before.kernelOps, 1u);
   EXPECT_LE(after.kernelOps - before.kernelOps, 2u);

   uint64_t value = 0;
   ASSERT_EQ(VK_SUCCESS, panvk_GetSemaphoreCounterValue(device_, timeline, &value));
   EXPECT_EQ(9u, value);
   EXPECT_TRUE(Semaphore::from(binary)->syncobj()->wait(0, 0)) << "the binary semaphore is not signalled";

   // No batch at all: the fence alone.
   const VkFence alone = createFence();
   ASSERT_EQ(VK_SUCCESS, panvk_QueueBindSparse(bindQueue_, 0, nullptr, alone));
   ASSERT_EQ(VK_SUCCESS, waitFence(alone));
}

TEST_F(SparseOpCountTest, BindWaitingOnAnUnsubmittedPointIsSentAfterTheHostSignal)
{
   const VkBuffer buffer = createSparseBuffer(kBlock);
   const VkDeviceMemory memory = allocateMemory(kBlock);
   const uint64_t bufferVa = Buffer::from(buffer)->va();
   const uint64_t memoryPage = physical(DeviceMemory::from(memory)->va());
   ASSERT_NE(0u, memoryPage);
   ASSERT_NE(memoryPage, physical(bufferVa));

   const VkSemaphore gate = createSemaphore(true);
   const uint64_t waitValue = 3;
   VkTimelineSemaphoreSubmitInfo timelineInfo{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
   timelineInfo.waitSemaphoreValueCount = 1;
   timelineInfo.pWaitSemaphoreValues = &waitValue;
   const VkSparseMemoryBind memoryBind{0, kBlock, memory, 0, 0};
   VkSparseBufferMemoryBindInfo bufferBinds{buffer, 1, &memoryBind};
   VkBindSparseInfo info{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO};
   info.pNext = &timelineInfo;
   info.waitSemaphoreCount = 1;
   info.pWaitSemaphores = &gate;
   info.bufferBindCount = 1;
   info.pBufferBinds = &bufferBinds;
   const VkFence fence = createFence();

   const pan::kmod::BindStats before = stats();
   const auto start = std::chrono::steady_clock::now();
   // If the call blocked, nothing would ever signal: signal from a thread
   // after a long while so the test fails instead of hanging.
   std::atomic<bool> returned{false};
   std::thread rescue([&] {
      for (int i = 0; i < 1000 && !returned.load(); i++)
         std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (!returned.load()) {
         VkSemaphoreSignalInfo signal{VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO};
         signal.semaphore = gate;
         signal.value = waitValue;
         panvk_SignalSemaphore(device_, &signal);
      }
   });
   const VkResult result = panvk_QueueBindSparse(bindQueue_, 1, &info, fence);
   returned = true;
   const auto took = std::chrono::steady_clock::now() - start;
   rescue.join();
   ASSERT_EQ(VK_SUCCESS, result);
   EXPECT_LT(took, std::chrono::seconds(2)) << "vkQueueBindSparse blocked on the wait";

   std::this_thread::sleep_for(std::chrono::milliseconds(100));
   EXPECT_EQ(0u, stats().ioctls - before.ioctls) << "a VM_BIND was sent before its wait point was submitted";
   EXPECT_EQ(VK_NOT_READY, panvk_GetFenceStatus(device_, fence));
   EXPECT_NE(memoryPage, physical(bufferVa));

   VkSemaphoreSignalInfo signal{VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO};
   signal.semaphore = gate;
   signal.value = waitValue;
   ASSERT_EQ(VK_SUCCESS, panvk_SignalSemaphore(device_, &signal));
   ASSERT_EQ(VK_SUCCESS, waitFence(fence));
   EXPECT_EQ(1u, stats().ioctls - before.ioctls);
   EXPECT_EQ(memoryPage, physical(bufferVa));
}

} // namespace
} // namespace panvk::test
