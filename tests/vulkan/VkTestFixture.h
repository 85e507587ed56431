// The fixture every Vulkan test uses: an instance through the real loader with
// the Khronos validation layer, our physical device (the mock), a device with
// queue families 0 (transfer) and 2 (transfer + sparse binding), and helpers
// for buffers, images, one-shot submissions and staging copies.
//
// Every validation message of severity warning or error fails the test: they
// are collected by a debug-utils messenger and reported in TearDown, once all
// objects are destroyed (so leaks reported at vkDestroyDevice count too).
#pragma once

#include <gtest/gtest.h>
#include <vulkan/vulkan.h>

#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#define VK_ASSERT_SUCCESS(expr) ASSERT_EQ(VK_SUCCESS, (expr)) << #expr
#define VK_EXPECT_SUCCESS(expr) EXPECT_EQ(VK_SUCCESS, (expr)) << #expr

namespace panvk::test {

constexpr uint32_t kTransferFamily = 0;
constexpr uint32_t kSparseOnlyFamily = 1;
constexpr uint32_t kTransferSparseFamily = 2;
// How long a submission may take before the test calls it a hang.
constexpr uint64_t kGpuTimeoutNs = 20'000'000'000ull;

struct TestBuffer {
   VkBuffer buffer = VK_NULL_HANDLE;
   VkDeviceMemory memory = VK_NULL_HANDLE;
   VkDeviceSize size = 0;
   uint32_t memoryType = 0;
   uint8_t *mapped = nullptr; // whole allocation, for host-visible memory
};

struct TestImage {
   VkImage image = VK_NULL_HANDLE;
   VkDeviceMemory memory = VK_NULL_HANDLE;
   VkImageCreateInfo info{};
   VkDeviceSize memorySize = 0;
   uint8_t *mapped = nullptr; // whole allocation, for host-visible memory
};

// Bytes that depend on their index and the seed, so a misplaced byte shows.
std::vector<uint8_t> patternBytes(size_t count, uint32_t seed);
// Success when equal; else says where the first difference is and how
// many bytes differ.
::testing::AssertionResult bytesEqual(std::span<const uint8_t> expected, std::span<const uint8_t> actual);

#define EXPECT_BYTES_EQ(expected, actual) EXPECT_TRUE(::panvk::test::bytesEqual((expected), (actual)))

// The panthor minor version the mock plays (PANTHOR_MOCK_VERSION, else 10):
// what the device may offer depends on it, e.g. cached memory needs 1.7.
unsigned mockMinorVersion();

// Records `record` into a new one-time command buffer from `pool`, submits it
// to `queue` and waits for it (kGpuTimeoutNs), then frees what it made. The
// first failing call's result, else VK_SUCCESS. For devices other than the
// fixture's own (VkTestFixture::submitAndWait).
VkResult recordSubmitAndWait(VkDevice device, VkCommandPool pool, VkQueue queue,
                             const std::function<void(VkCommandBuffer)> &record);

class VkTestFixture : public ::testing::Test {
protected:
   void SetUp() override;
   void TearDown() override;

   // The validation messages gathered so far; clears the list. For tests
   // that provoke a message on purpose.
   std::vector<std::string> takeValidationMessages();

   // First memory type in `typeBits` having all of `required`, or UINT32_MAX.
   uint32_t findMemoryType(uint32_t typeBits, VkMemoryPropertyFlags required) const;

   // Buffer + its own memory of type `memoryType`, mapped when host-visible.
   // Exclusive to the transfer family unless `concurrentFamilies` is given.
   void createBuffer(VkDeviceSize size, VkBufferUsageFlags usage, uint32_t memoryType, TestBuffer *out,
                     std::span<const uint32_t> concurrentFamilies = {});
   // Host-visible coherent buffer usable as copy source and destination.
   void createHostBuffer(VkDeviceSize size, TestBuffer *out);
   // Device-local buffer that the host cannot map.
   void createDeviceBuffer(VkDeviceSize size, TestBuffer *out);
   // Image + its own memory of the first type with `memoryFlags`.
   void createImage(const VkImageCreateInfo &info, VkMemoryPropertyFlags memoryFlags, TestImage *out);

   // Records with `record` into a one-time command buffer of `family`,
   // submits it to that family's queue and waits for it.
   void submitAndWait(const std::function<void(VkCommandBuffer)> &record,
                      uint32_t family = kTransferFamily);
   // Allocates a primary command buffer of `family` (freed at TearDown).
   void allocateCommandBuffer(uint32_t family, VkCommandBuffer *out);
   VkQueue queue(uint32_t family) const
   {
      return family == kTransferSparseFamily ? transferSparseQueue_ : transferQueue_;
   }

   // Staging copies through a host-visible buffer.
   void uploadToBuffer(const TestBuffer &dst, VkDeviceSize offset, std::span<const uint8_t> bytes);
   void downloadFromBuffer(const TestBuffer &src, VkDeviceSize offset, VkDeviceSize size,
                           std::vector<uint8_t> *out);
   // The staging buffer starts as `bufferBytes`; the image must be in
   // `layout` (TRANSFER_DST_OPTIMAL or GENERAL).
   void uploadToImage(const TestImage &dst, std::span<const uint8_t> bufferBytes,
                      std::span<const VkBufferImageCopy> regions, VkImageLayout layout);
   // *bytes is the staging buffer's contents before the copy (its size is
   // the staging size) and after it.
   void downloadFromImage(const TestImage &src, std::span<const VkBufferImageCopy> regions,
                          VkImageLayout layout, std::vector<uint8_t> *bytes);

   // Barriers. Layout changes cover every subresource of the image.
   static void transition(VkCommandBuffer cmd, const TestImage &image, VkImageLayout from,
                          VkImageLayout to);
   // Transfer writes before -> transfer reads and writes after.
   static void transferBarrier(VkCommandBuffer cmd);
   // Transfer writes before -> host reads after the submission completes.
   static void hostReadBarrier(VkCommandBuffer cmd);

   // A device of a fixture's own, for features the shared device does not
   // enable: `enabled` on, one queue of kTransferFamily and one of
   // kSparseOnlyFamily, and a command pool of kTransferFamily. Each handle is
   // stored as soon as it exists, so the fixture's TearDown destroys what was
   // made even when a later step fails.
   void createTransferAndBindDevice(const VkPhysicalDeviceFeatures &enabled, VkDevice *device,
                                    VkQueue *transferQueue, VkQueue *bindQueue, VkCommandPool *transferPool);

   // Runs `destroy` at TearDown, before the device goes (last added, first run).
   void atTearDown(std::function<void()> destroy) { cleanups_.push_back(std::move(destroy)); }

   // A test that loses the device on purpose: TearDown then expects
   // vkDeviceWaitIdle to say VK_ERROR_DEVICE_LOST, and still destroys everything.
   bool expectDeviceLost_ = false;
   // Validation messages a test expects, by VUID: they do not fail it.
   std::vector<std::string> expectedVuids_;

   VkInstance instance_ = VK_NULL_HANDLE;
   VkPhysicalDevice physicalDevice_ = VK_NULL_HANDLE;
   VkPhysicalDeviceProperties properties_{};
   VkPhysicalDeviceMemoryProperties memoryProperties_{};
   VkDevice device_ = VK_NULL_HANDLE;
   VkQueue transferQueue_ = VK_NULL_HANDLE;
   VkQueue transferSparseQueue_ = VK_NULL_HANDLE;

   // VK_KHR_timeline_semaphore's commands (not exported by the loader in 1.1).
   PFN_vkWaitSemaphoresKHR waitSemaphores_ = nullptr;
   PFN_vkSignalSemaphoreKHR signalSemaphore_ = nullptr;
   PFN_vkGetSemaphoreCounterValueKHR getSemaphoreCounterValue_ = nullptr;

private:
   struct MessageLog {
      std::mutex mutex;
      std::vector<std::string> messages;
   };
   static VKAPI_ATTR VkBool32 VKAPI_CALL onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                   VkDebugUtilsMessageTypeFlagsEXT types,
                                                   const VkDebugUtilsMessengerCallbackDataEXT *data,
                                                   void *log);
   static VkDebugUtilsMessengerCreateInfoEXT messengerInfo(MessageLog *log);
   void createInstance();
   void pickPhysicalDevice();
   void createDevice();
   VkCommandPool pool(uint32_t family) const
   {
      return family == kTransferSparseFamily ? transferSparsePool_ : transferPool_;
   }

   MessageLog log_;
   VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
   VkCommandPool transferPool_ = VK_NULL_HANDLE;
   VkCommandPool transferSparsePool_ = VK_NULL_HANDLE;
   std::vector<std::function<void()>> cleanups_;
   // Set when a submission did not finish in time: nothing is destroyed
   // then, since the driver may still be using it.
   bool hung_ = false;
};

} // namespace panvk::test
