// An unhandled GPU fault makes the device lost: every later call that can
// report it says VK_ERROR_DEVICE_LOST, nothing hangs, everything can still be
// destroyed. The fault is the mock's injected hardware fault
// (PANTHOR_MOCK_INJECT_GPU_FAULT=1 in this test's environment: the first GPU
// access faults), since no valid use of the API can make the GPU fault.
#include <gtest/gtest.h>

#include "VkTestFixture.h"

namespace panvk::test {
namespace {

class DeviceLostTest : public VkTestFixture {};

TEST_F(DeviceLostTest, AnUnhandledFaultLosesTheDeviceForGood)
{
   expectDeviceLost_ = true;
   // The layer cannot know that a lost device's queued work is over, so it
   // still sees the fence and command buffer in use when they are destroyed.
   expectedVuids_ = {"VUID-vkDestroyFence-fence-01120", "VUID-vkFreeCommandBuffers-pCommandBuffers-00047"};
   TestBuffer src, dst;
   createHostBuffer(64 * 1024, &src);
   createHostBuffer(64 * 1024, &dst);

   VkCommandBuffer cmd;
   allocateCommandBuffer(kTransferFamily, &cmd);
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   ASSERT_EQ(VK_SUCCESS, vkBeginCommandBuffer(cmd, &begin));
   const VkBufferCopy region{0, 0, 64 * 1024};
   vkCmdCopyBuffer(cmd, src.buffer, dst.buffer, 1, &region);
   ASSERT_EQ(VK_SUCCESS, vkEndCommandBuffer(cmd));

   VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
   VkFence fence;
   ASSERT_EQ(VK_SUCCESS, vkCreateFence(device_, &fenceInfo, nullptr, &fence));
   atTearDown([this, fence] { vkDestroyFence(device_, fence, nullptr); });
   VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
   submit.commandBufferCount = 1;
   submit.pCommandBuffers = &cmd;
   // The worker may lose the device before the submit returns: both answers are the spec's.
   const VkResult submitted = vkQueueSubmit(queue(kTransferFamily), 1, &submit, fence);
   ASSERT_TRUE(submitted == VK_SUCCESS || submitted == VK_ERROR_DEVICE_LOST) << submitted;

   // The copy faults: the wait ends (never a timeout) with the device lost.
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, vkWaitForFences(device_, 1, &fence, VK_TRUE, 10'000'000'000ull));
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, vkGetFenceStatus(device_, fence));

   // From then on, for good.
   VkSubmitInfo empty{VK_STRUCTURE_TYPE_SUBMIT_INFO};
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, vkQueueSubmit(queue(kTransferFamily), 1, &empty, VK_NULL_HANDLE));
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, vkQueueWaitIdle(queue(kTransferFamily)));
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, vkQueueWaitIdle(queue(kTransferSparseFamily)));

   VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
   type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
   VkSemaphoreCreateInfo semaphoreInfo{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
   semaphoreInfo.pNext = &type;
   VkSemaphore timeline;
   ASSERT_EQ(VK_SUCCESS, vkCreateSemaphore(device_, &semaphoreInfo, nullptr, &timeline));
   atTearDown([this, timeline] { vkDestroySemaphore(device_, timeline, nullptr); });
   const uint64_t value = 1;
   VkSemaphoreWaitInfo wait{VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO};
   wait.semaphoreCount = 1;
   wait.pSemaphores = &timeline;
   wait.pValues = &value;
   EXPECT_EQ(VK_ERROR_DEVICE_LOST, waitSemaphores_(device_, &wait, 10'000'000'000ull))
      << "a wait on a point nobody will signal must not hang a lost device";
}

} // namespace
} // namespace panvk::test
