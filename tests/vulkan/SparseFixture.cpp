#include "SparseFixture.h"

#include <cstring>

namespace panvk::test {

namespace {

// Transfer writes before -> transfer reads and writes after, and host reads
// once the submission completes.
void
allTransferBarrier(VkCommandBuffer cmd)
{
   VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
   barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_HOST_READ_BIT;
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &barrier, 0, nullptr,
                        0, nullptr);
}

} // namespace

void
SparseFixture::SetUp()
{
   ASSERT_NO_FATAL_FAILURE(VkTestFixture::SetUp());

   vkGetPhysicalDeviceFeatures(physicalDevice_, &features_);
   ASSERT_TRUE(features_.sparseBinding) << "sparseBinding is not offered";
   ASSERT_TRUE(features_.sparseResidencyBuffer) << "sparseResidencyBuffer is not offered";
   ASSERT_TRUE(features_.sparseResidencyAliased) << "sparseResidencyAliased is not offered";

   uint32_t familyCount = 0;
   vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &familyCount, nullptr);
   std::vector<VkQueueFamilyProperties> families(familyCount);
   vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &familyCount, families.data());
   ASSERT_EQ(3u, familyCount);
   ASSERT_TRUE(families[kSparseOnlyFamily].queueFlags & VK_QUEUE_SPARSE_BINDING_BIT);
   ASSERT_TRUE(families[kTransferSparseFamily].queueFlags & VK_QUEUE_SPARSE_BINDING_BIT);

   const float priority = 1.0f;
   VkDeviceQueueCreateInfo queues[3] = {};
   for (uint32_t family = 0; family < 3; family++) {
      queues[family].sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
      queues[family].queueFamilyIndex = family;
      queues[family].queueCount = 1;
      queues[family].pQueuePriorities = &priority;
   }
   VkPhysicalDeviceFeatures enabled{};
   enabled.sparseBinding = VK_TRUE;
   enabled.sparseResidencyBuffer = VK_TRUE;
   enabled.sparseResidencyAliased = VK_TRUE;
   VkPhysicalDeviceTimelineSemaphoreFeatures timeline{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES};
   timeline.timelineSemaphore = VK_TRUE;
   const char *extensions[] = {VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME};
   VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
   info.pNext = &timeline;
   info.queueCreateInfoCount = 3;
   info.pQueueCreateInfos = queues;
   info.enabledExtensionCount = 1;
   info.ppEnabledExtensionNames = extensions;
   info.pEnabledFeatures = &enabled;
   VK_ASSERT_SUCCESS(vkCreateDevice(physicalDevice_, &info, nullptr, &sparseDevice_));
   vkGetDeviceQueue(sparseDevice_, kTransferFamily, 0, &sparseTransferQueue_);
   vkGetDeviceQueue(sparseDevice_, kSparseOnlyFamily, 0, &bindQueue_);
   vkGetDeviceQueue(sparseDevice_, kTransferSparseFamily, 0, &transferBindQueue_);

   VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
   poolInfo.queueFamilyIndex = kTransferFamily;
   VK_ASSERT_SUCCESS(vkCreateCommandPool(sparseDevice_, &poolInfo, nullptr, &transferPool_));

   waitSemaphoresKhr_ =
      reinterpret_cast<PFN_vkWaitSemaphoresKHR>(vkGetDeviceProcAddr(sparseDevice_, "vkWaitSemaphoresKHR"));
   signalSemaphoreKhr_ =
      reinterpret_cast<PFN_vkSignalSemaphoreKHR>(vkGetDeviceProcAddr(sparseDevice_, "vkSignalSemaphoreKHR"));
   counterValueKhr_ = reinterpret_cast<PFN_vkGetSemaphoreCounterValueKHR>(
      vkGetDeviceProcAddr(sparseDevice_, "vkGetSemaphoreCounterValueKHR"));
   ASSERT_NE(nullptr, waitSemaphoresKhr_);
   ASSERT_NE(nullptr, signalSemaphoreKhr_);
   ASSERT_NE(nullptr, counterValueKhr_);
}

void
SparseFixture::TearDown()
{
   if (sparseDevice_ && !sparseHung_) {
      EXPECT_EQ(VK_SUCCESS, vkDeviceWaitIdle(sparseDevice_));
      for (auto it = sparseCleanups_.rbegin(); it != sparseCleanups_.rend(); ++it)
         (*it)();
      sparseCleanups_.clear();
      vkDestroyCommandPool(sparseDevice_, transferPool_, nullptr);
      vkDestroyDevice(sparseDevice_, nullptr);
      sparseDevice_ = VK_NULL_HANDLE;
   } else if (sparseHung_) {
      ADD_FAILURE() << "a sparse-device submission did not complete; its objects were leaked on purpose";
   }
   VkTestFixture::TearDown();
}

VkMemoryRequirements
SparseFixture::requirements(VkBuffer buffer)
{
   VkMemoryRequirements requirements{};
   vkGetBufferMemoryRequirements(sparseDevice_, buffer, &requirements);
   return requirements;
}

VkBuffer
SparseFixture::createSparseBuffer(VkDeviceSize size, VkBufferCreateFlags extraFlags)
{
   const uint32_t families[] = {kTransferFamily, kSparseOnlyFamily, kTransferSparseFamily};
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.flags = VK_BUFFER_CREATE_SPARSE_BINDING_BIT | VK_BUFFER_CREATE_SPARSE_RESIDENCY_BIT | extraFlags;
   info.size = size;
   info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
   info.sharingMode = VK_SHARING_MODE_CONCURRENT;
   info.queueFamilyIndexCount = 3;
   info.pQueueFamilyIndices = families;
   VkBuffer buffer = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkCreateBuffer(sparseDevice_, &info, nullptr, &buffer));
   if (buffer)
      atSparseTearDown([this, buffer] { vkDestroyBuffer(sparseDevice_, buffer, nullptr); });
   return buffer;
}

VkDeviceMemory
SparseFixture::allocateDeviceMemory(VkDeviceSize size, uint32_t typeBits)
{
   const uint32_t type = findMemoryType(typeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
   EXPECT_NE(UINT32_MAX, type) << "no device-local type in bits 0x" << std::hex << typeBits;
   VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   info.allocationSize = size;
   info.memoryTypeIndex = type;
   VkDeviceMemory memory = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkAllocateMemory(sparseDevice_, &info, nullptr, &memory));
   if (memory)
      atSparseTearDown([this, memory] { vkFreeMemory(sparseDevice_, memory, nullptr); });
   return memory;
}

HostBuffer
SparseFixture::createHostBuffer(VkDeviceSize size)
{
   HostBuffer host;
   host.size = size;
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.size = size;
   info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
   EXPECT_EQ(VK_SUCCESS, vkCreateBuffer(sparseDevice_, &info, nullptr, &host.buffer));
   if (!host.buffer)
      return host;
   atSparseTearDown([this, b = host.buffer] { vkDestroyBuffer(sparseDevice_, b, nullptr); });
   VkMemoryRequirements req{};
   vkGetBufferMemoryRequirements(sparseDevice_, host.buffer, &req);
   const uint32_t type = findMemoryType(req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                                               VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
   EXPECT_NE(UINT32_MAX, type);
   VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   alloc.allocationSize = req.size;
   alloc.memoryTypeIndex = type;
   EXPECT_EQ(VK_SUCCESS, vkAllocateMemory(sparseDevice_, &alloc, nullptr, &host.memory));
   if (!host.memory)
      return host;
   atSparseTearDown([this, m = host.memory] { vkFreeMemory(sparseDevice_, m, nullptr); });
   EXPECT_EQ(VK_SUCCESS, vkBindBufferMemory(sparseDevice_, host.buffer, host.memory, 0));
   void *data = nullptr;
   EXPECT_EQ(VK_SUCCESS, vkMapMemory(sparseDevice_, host.memory, 0, VK_WHOLE_SIZE, 0, &data));
   host.mapped = static_cast<uint8_t *>(data);
   return host;
}

VkSemaphore
SparseFixture::createBinarySemaphore()
{
   VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
   VkSemaphore semaphore = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkCreateSemaphore(sparseDevice_, &info, nullptr, &semaphore));
   atSparseTearDown([this, semaphore] { vkDestroySemaphore(sparseDevice_, semaphore, nullptr); });
   return semaphore;
}

VkSemaphore
SparseFixture::createTimeline(uint64_t initial)
{
   VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
   type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
   type.initialValue = initial;
   VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
   info.pNext = &type;
   VkSemaphore semaphore = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkCreateSemaphore(sparseDevice_, &info, nullptr, &semaphore));
   atSparseTearDown([this, semaphore] { vkDestroySemaphore(sparseDevice_, semaphore, nullptr); });
   return semaphore;
}

VkFence
SparseFixture::createFence()
{
   VkFenceCreateInfo info{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
   VkFence fence = VK_NULL_HANDLE;
   EXPECT_EQ(VK_SUCCESS, vkCreateFence(sparseDevice_, &info, nullptr, &fence));
   atSparseTearDown([this, fence] { vkDestroyFence(sparseDevice_, fence, nullptr); });
   return fence;
}

uint64_t
SparseFixture::counter(VkSemaphore timeline)
{
   uint64_t value = ~0ull;
   EXPECT_EQ(VK_SUCCESS, counterValueKhr_(sparseDevice_, timeline, &value));
   return value;
}

VkResult
SparseFixture::hostSignal(VkSemaphore timeline, uint64_t value)
{
   VkSemaphoreSignalInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO};
   info.semaphore = timeline;
   info.value = value;
   return signalSemaphoreKhr_(sparseDevice_, &info);
}

VkResult
SparseFixture::hostWait(VkSemaphore timeline, uint64_t value, uint64_t timeoutNs)
{
   VkSemaphoreWaitInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO};
   info.semaphoreCount = 1;
   info.pSemaphores = &timeline;
   info.pValues = &value;
   return waitSemaphoresKhr_(sparseDevice_, &info, timeoutNs);
}

VkResult
SparseFixture::bindSparse(VkQueue queue, std::span<const SparseBinds> infos, VkFence fence)
{
   // Everything the VkBindSparseInfos point at, kept until the call returns.
   struct Arrays {
      VkSparseBufferMemoryBindInfo buffer{};
      VkSparseImageOpaqueMemoryBindInfo image{};
      std::vector<VkSemaphore> waits, signals;
      std::vector<uint64_t> waitValues, signalValues;
      VkTimelineSemaphoreSubmitInfo timeline{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
   };
   std::vector<Arrays> arrays(infos.size());
   std::vector<VkBindSparseInfo> bindInfos(infos.size(), VkBindSparseInfo{VK_STRUCTURE_TYPE_BIND_SPARSE_INFO});
   for (size_t i = 0; i < infos.size(); i++) {
      const SparseBinds &in = infos[i];
      Arrays &a = arrays[i];
      VkBindSparseInfo &out = bindInfos[i];
      for (const SemaphorePoint &p : in.waits) {
         a.waits.push_back(p.semaphore);
         a.waitValues.push_back(p.value);
      }
      for (const SemaphorePoint &p : in.signals) {
         a.signals.push_back(p.semaphore);
         a.signalValues.push_back(p.value);
      }
      a.timeline.waitSemaphoreValueCount = uint32_t(a.waitValues.size());
      a.timeline.pWaitSemaphoreValues = a.waitValues.data();
      a.timeline.signalSemaphoreValueCount = uint32_t(a.signalValues.size());
      a.timeline.pSignalSemaphoreValues = a.signalValues.data();
      out.pNext = &a.timeline;
      out.waitSemaphoreCount = uint32_t(a.waits.size());
      out.pWaitSemaphores = a.waits.data();
      out.signalSemaphoreCount = uint32_t(a.signals.size());
      out.pSignalSemaphores = a.signals.data();
      if (!in.bufferBinds.empty()) {
         a.buffer.buffer = in.buffer;
         a.buffer.bindCount = uint32_t(in.bufferBinds.size());
         a.buffer.pBinds = in.bufferBinds.data();
         out.bufferBindCount = 1;
         out.pBufferBinds = &a.buffer;
      }
      if (!in.imageOpaqueBinds.empty()) {
         a.image.image = in.image;
         a.image.bindCount = uint32_t(in.imageOpaqueBinds.size());
         a.image.pBinds = in.imageOpaqueBinds.data();
         out.imageOpaqueBindCount = 1;
         out.pImageOpaqueBinds = &a.image;
      }
   }
   return vkQueueBindSparse(queue, uint32_t(bindInfos.size()), bindInfos.data(), fence);
}

void
SparseFixture::bindBufferAndWait(VkBuffer buffer, std::span<const VkSparseMemoryBind> binds)
{
   const VkFence fence = createFence();
   SparseBinds info;
   info.buffer = buffer;
   info.bufferBinds.assign(binds.begin(), binds.end());
   VK_ASSERT_SUCCESS(bindSparse(bindQueue_, {&info, 1}, fence));
   const VkResult waited = waitFence(fence);
   if (waited == VK_TIMEOUT)
      sparseHung_ = true;
   VK_ASSERT_SUCCESS(waited);
}

void
SparseFixture::submitTransfer(const std::function<void(VkCommandBuffer)> &record,
                              std::span<const SemaphorePoint> waits)
{
   VkCommandBuffer cmd = VK_NULL_HANDLE;
   VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
   alloc.commandPool = transferPool_;
   alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
   alloc.commandBufferCount = 1;
   VK_ASSERT_SUCCESS(vkAllocateCommandBuffers(sparseDevice_, &alloc, &cmd));
   atSparseTearDown([this, cmd] { vkFreeCommandBuffers(sparseDevice_, transferPool_, 1, &cmd); });
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
   VK_ASSERT_SUCCESS(vkBeginCommandBuffer(cmd, &begin));
   record(cmd);
   VK_ASSERT_SUCCESS(vkEndCommandBuffer(cmd));

   std::vector<VkSemaphore> semaphores;
   std::vector<uint64_t> values;
   std::vector<VkPipelineStageFlags> stages;
   for (const SemaphorePoint &p : waits) {
      semaphores.push_back(p.semaphore);
      values.push_back(p.value);
      stages.push_back(VK_PIPELINE_STAGE_TRANSFER_BIT);
   }
   VkTimelineSemaphoreSubmitInfo timeline{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
   timeline.waitSemaphoreValueCount = uint32_t(values.size());
   timeline.pWaitSemaphoreValues = values.data();
   VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
   submit.pNext = &timeline;
   submit.waitSemaphoreCount = uint32_t(semaphores.size());
   submit.pWaitSemaphores = semaphores.data();
   submit.pWaitDstStageMask = stages.data();
   submit.commandBufferCount = 1;
   submit.pCommandBuffers = &cmd;
   const VkFence fence = createFence();
   VK_ASSERT_SUCCESS(vkQueueSubmit(sparseTransferQueue_, 1, &submit, fence));
   const VkResult waited = waitFence(fence);
   if (waited == VK_TIMEOUT)
      sparseHung_ = true;
   VK_ASSERT_SUCCESS(waited);
}

void
SparseFixture::writeBuffer(VkBuffer dst, VkDeviceSize offset, std::span<const uint8_t> bytes,
                           std::span<const SemaphorePoint> waits)
{
   const HostBuffer staging = createHostBuffer(bytes.size());
   ASSERT_NE(nullptr, staging.mapped);
   memcpy(staging.mapped, bytes.data(), bytes.size());
   submitTransfer(
      [&](VkCommandBuffer cmd) {
         const VkBufferCopy region{0, offset, bytes.size()};
         vkCmdCopyBuffer(cmd, staging.buffer, dst, 1, &region);
         allTransferBarrier(cmd);
      },
      waits);
}

std::vector<uint8_t>
SparseFixture::readBuffer(VkBuffer src, VkDeviceSize offset, VkDeviceSize size)
{
   const HostBuffer staging = createHostBuffer(size);
   if (!staging.mapped) {
      ADD_FAILURE() << "no staging buffer";
      return {};
   }
   submitTransfer([&](VkCommandBuffer cmd) {
      const VkBufferCopy region{offset, 0, size};
      vkCmdCopyBuffer(cmd, src, staging.buffer, 1, &region);
      allTransferBarrier(cmd);
   });
   return std::vector<uint8_t>(staging.mapped, staging.mapped + size);
}

} // namespace panvk::test
