// The fixture of the sparse tests: VkTestFixture's instance, validation layer
// and message checks, plus a second device made for sparse work, since the
// base device enables no features and has no queue of the sparse-binding-only
// family. This device enables sparseBinding, sparseResidencyBuffer,
// sparseResidencyAliased and timeline semaphores, with one queue of each
// family: 0 (transfer), 1 (sparse binding only, the bind queue) and
// 2 (transfer + sparse binding).
//
// Its messages reach the base fixture's messenger (it is the instance's), so
// every validation warning or error still fails the test.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "VkTestFixture.h"

namespace panvk::test {

// The sparse block size the driver reports (the alignment of sparse
// resources' memory requirements).
constexpr VkDeviceSize kSparseBlock = 64 * 1024;

struct SemaphorePoint {
   VkSemaphore semaphore = VK_NULL_HANDLE;
   uint64_t value = 0; // timeline semaphores only
};

struct HostBuffer {
   VkBuffer buffer = VK_NULL_HANDLE;
   VkDeviceMemory memory = VK_NULL_HANDLE;
   uint8_t *mapped = nullptr;
   VkDeviceSize size = 0;
};

// The binds of one VkBindSparseInfo.
struct SparseBinds {
   VkBuffer buffer = VK_NULL_HANDLE;
   std::vector<VkSparseMemoryBind> bufferBinds;
   VkImage image = VK_NULL_HANDLE;
   std::vector<VkSparseMemoryBind> imageOpaqueBinds;
   std::vector<SemaphorePoint> waits;
   std::vector<SemaphorePoint> signals;
};

class SparseFixture : public VkTestFixture {
protected:
   void SetUp() override;
   void TearDown() override;

   // Runs `destroy` at TearDown, before the sparse device goes (last added, first run).
   void atSparseTearDown(std::function<void()> destroy) { sparseCleanups_.push_back(std::move(destroy)); }

   // SPARSE_BINDING | SPARSE_RESIDENCY | `extraFlags`, transfer source and
   // destination, shared by families 0, 1 and 2.
   VkBuffer createSparseBuffer(VkDeviceSize size, VkBufferCreateFlags extraFlags = 0);
   // A device-local type of `typeBits` (of the buffer's or image's requirements).
   VkDeviceMemory allocateDeviceMemory(VkDeviceSize size, uint32_t typeBits);
   // Host-visible coherent, transfer source and destination, on family 0.
   HostBuffer createHostBuffer(VkDeviceSize size);
   VkSemaphore createBinarySemaphore();
   VkSemaphore createTimeline(uint64_t initial);
   VkFence createFence();

   uint64_t counter(VkSemaphore timeline);
   VkResult hostSignal(VkSemaphore timeline, uint64_t value);
   VkResult hostWait(VkSemaphore timeline, uint64_t value, uint64_t timeoutNs);
   VkResult fenceStatus(VkFence fence) { return vkGetFenceStatus(sparseDevice_, fence); }
   VkResult waitFence(VkFence fence) { return vkWaitForFences(sparseDevice_, 1, &fence, VK_TRUE, kGpuTimeoutNs); }

   // One vkQueueBindSparse call on `queue` with one VkBindSparseInfo per element.
   VkResult bindSparse(VkQueue queue, std::span<const SparseBinds> infos, VkFence fence);
   // Binds on the bind queue (family 1) and waits for the bind to complete.
   void bindBufferAndWait(VkBuffer buffer, std::span<const VkSparseMemoryBind> binds);

   // Records `record` into a command buffer of family 0, submits it to the
   // transfer queue, waiting for `waits` at the transfer stage, and waits for it.
   void submitTransfer(const std::function<void(VkCommandBuffer)> &record,
                       std::span<const SemaphorePoint> waits = {});
   // Staging copies on the transfer queue (the first waits for `waits`).
   void writeBuffer(VkBuffer dst, VkDeviceSize offset, std::span<const uint8_t> bytes,
                    std::span<const SemaphorePoint> waits = {});
   std::vector<uint8_t> readBuffer(VkBuffer src, VkDeviceSize offset, VkDeviceSize size);

   // vkGetBufferMemoryRequirements on the sparse device.
   VkMemoryRequirements requirements(VkBuffer buffer);

   VkDevice sparseDevice_ = VK_NULL_HANDLE;
   VkQueue sparseTransferQueue_ = VK_NULL_HANDLE; // family 0
   VkQueue bindQueue_ = VK_NULL_HANDLE;           // family 1
   VkQueue transferBindQueue_ = VK_NULL_HANDLE;   // family 2
   VkPhysicalDeviceFeatures features_{};

private:
   VkCommandPool transferPool_ = VK_NULL_HANDLE;
   std::vector<std::function<void()>> sparseCleanups_;
   PFN_vkWaitSemaphoresKHR waitSemaphoresKhr_ = nullptr;
   PFN_vkSignalSemaphoreKHR signalSemaphoreKhr_ = nullptr;
   PFN_vkGetSemaphoreCounterValueKHR counterValueKhr_ = nullptr;
   bool sparseHung_ = false;
};

} // namespace panvk::test
