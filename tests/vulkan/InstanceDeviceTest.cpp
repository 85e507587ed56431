// Instance and device creation through the loader, and what the physical
// device reports: identity, API version, queue families (issue 5: family 0
// transfer, family 1 sparse binding only, family 2 transfer + sparse binding)
// and memory heaps and types.
#include <cstdlib>
#include <cstring>
#include <string>

#include "VkTestFixture.h"

namespace panvk::test {
namespace {

using InstanceDeviceTest = VkTestFixture;

TEST_F(InstanceDeviceTest, ValidationMessagesReachTheFixture)
{
   // Proves the messenger is live: a buffer of size 0 is invalid usage.
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.size = 0;
   info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
   VkBuffer buffer = VK_NULL_HANDLE;
   if (vkCreateBuffer(device_, &info, nullptr, &buffer) == VK_SUCCESS)
      vkDestroyBuffer(device_, buffer, nullptr);
   const std::vector<std::string> messages = takeValidationMessages();
   ASSERT_FALSE(messages.empty()) << "the validation layer did not report a size-0 buffer";
   EXPECT_NE(std::string::npos, messages[0].find("VUID-VkBufferCreateInfo-size-00912")) << messages[0];
}

TEST_F(InstanceDeviceTest, PhysicalDeviceIsTheMockMaliG610)
{
   EXPECT_EQ(0x13b5u, properties_.vendorID);
   EXPECT_STREQ("Mali-G610 (mock)", properties_.deviceName);
   EXPECT_EQ(VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU, properties_.deviceType);
   EXPECT_EQ(1u, VK_API_VERSION_MAJOR(properties_.apiVersion));
   EXPECT_EQ(1u, VK_API_VERSION_MINOR(properties_.apiVersion));

   VkPhysicalDeviceProperties2 properties2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
   vkGetPhysicalDeviceProperties2(physicalDevice_, &properties2);
   EXPECT_EQ(0, memcmp(&properties_, &properties2.properties, sizeof(properties_)));
}

TEST_F(InstanceDeviceTest, QueueFamiliesAreComputeTransferSparseOnlyAndTransferSparse)
{
   uint32_t count = 0;
   vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &count, nullptr);
   ASSERT_EQ(3u, count);
   std::vector<VkQueueFamilyProperties> families(count);
   vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &count, families.data());
   EXPECT_EQ(VkQueueFlags(VK_QUEUE_COMPUTE_BIT | VK_QUEUE_TRANSFER_BIT), families[kTransferFamily].queueFlags);
   EXPECT_EQ(VkQueueFlags(VK_QUEUE_SPARSE_BINDING_BIT), families[kSparseOnlyFamily].queueFlags);
   EXPECT_EQ(VkQueueFlags(VK_QUEUE_TRANSFER_BIT | VK_QUEUE_SPARSE_BINDING_BIT),
             families[kTransferSparseFamily].queueFlags);
   for (const VkQueueFamilyProperties &family : families) {
      EXPECT_GE(family.queueCount, 1u);
      // Sub-region copies (the copy tests' offsets) need a granularity of one texel.
      if (family.queueFlags & VK_QUEUE_TRANSFER_BIT) {
         EXPECT_EQ(1u, family.minImageTransferGranularity.width);
         EXPECT_EQ(1u, family.minImageTransferGranularity.height);
         EXPECT_EQ(1u, family.minImageTransferGranularity.depth);
      }
   }

   std::vector<VkQueueFamilyProperties2> families2(count, {VK_STRUCTURE_TYPE_QUEUE_FAMILY_PROPERTIES_2});
   vkGetPhysicalDeviceQueueFamilyProperties2(physicalDevice_, &count, families2.data());
   ASSERT_EQ(3u, count);
   for (uint32_t i = 0; i < count; i++)
      EXPECT_EQ(families[i].queueFlags, families2[i].queueFamilyProperties.queueFlags) << "family " << i;
}

TEST_F(InstanceDeviceTest, MemoryTypesAreDeviceLocalHostCoherentAndHostCached)
{
   ASSERT_GE(memoryProperties_.memoryHeapCount, 1u);
   for (uint32_t i = 0; i < memoryProperties_.memoryTypeCount; i++)
      EXPECT_LT(memoryProperties_.memoryTypes[i].heapIndex, memoryProperties_.memoryHeapCount);
   // An integrated GPU: every heap is the system memory the GPU may use.
   EXPECT_TRUE(memoryProperties_.memoryHeaps[0].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT);
   if (const char *mb = getenv("PANTHOR_MOCK_MEMORY_MB")) {
      EXPECT_EQ(strtoull(mb, nullptr, 10) << 20, memoryProperties_.memoryHeaps[0].size)
         << "the heap is not the mock GPU's memory";
   }

   EXPECT_NE(UINT32_MAX, findMemoryType(~0u, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT));
   EXPECT_NE(UINT32_MAX,
             findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT));
   // Cached CPU mappings need the kernel's WB_MMAP (panthor 1.7).
   const uint32_t cached = findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
   if (mockMinorVersion() >= 7) {
      EXPECT_NE(UINT32_MAX, cached) << "no host-cached type although the kernel has WB_MMAP";
   } else {
      EXPECT_EQ(UINT32_MAX, cached) << "a host-cached type without WB_MMAP";
   }

   // Buffers may live in every kind of memory the device offers.
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.size = 4096;
   info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT;
   VkBuffer buffer;
   VK_ASSERT_SUCCESS(vkCreateBuffer(device_, &info, nullptr, &buffer));
   VkMemoryRequirements requirements;
   vkGetBufferMemoryRequirements(device_, buffer, &requirements);
   vkDestroyBuffer(device_, buffer, nullptr);
   EXPECT_NE(UINT32_MAX, findMemoryType(requirements.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT));
   EXPECT_NE(UINT32_MAX, findMemoryType(requirements.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT));
}

TEST_F(InstanceDeviceTest, TimelineSemaphoresAreOffered)
{
   VkPhysicalDeviceTimelineSemaphoreFeatures timeline{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES};
   VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
   features.pNext = &timeline;
   vkGetPhysicalDeviceFeatures2(physicalDevice_, &features);
   EXPECT_EQ(VK_TRUE, timeline.timelineSemaphore);

   VkPhysicalDeviceTimelineSemaphoreProperties limits{
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_PROPERTIES};
   VkPhysicalDeviceProperties2 properties{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
   properties.pNext = &limits;
   vkGetPhysicalDeviceProperties2(physicalDevice_, &properties);
   EXPECT_GE(limits.maxTimelineSemaphoreValueDifference, uint64_t(INT32_MAX));
}

TEST_F(InstanceDeviceTest, DeviceQueuesAreDistinct)
{
   EXPECT_NE(transferQueue_, transferSparseQueue_);
   VkDeviceQueueInfo2 info{VK_STRUCTURE_TYPE_DEVICE_QUEUE_INFO_2};
   info.queueFamilyIndex = kTransferSparseFamily;
   VkQueue queue2 = VK_NULL_HANDLE;
   vkGetDeviceQueue2(device_, &info, &queue2);
   EXPECT_EQ(transferSparseQueue_, queue2);
   VK_EXPECT_SUCCESS(vkQueueWaitIdle(transferQueue_));
   VK_EXPECT_SUCCESS(vkQueueWaitIdle(transferSparseQueue_));
}

TEST_F(InstanceDeviceTest, SecondDeviceWorksBesideTheFirst)
{
   // Each device has a VM of its own; both copy at the same time.
   const float priority = 1.0f;
   VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
   queueInfo.queueFamilyIndex = kTransferFamily;
   queueInfo.queueCount = 1;
   queueInfo.pQueuePriorities = &priority;
   VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
   info.queueCreateInfoCount = 1;
   info.pQueueCreateInfos = &queueInfo;
   VkDevice second;
   VK_ASSERT_SUCCESS(vkCreateDevice(physicalDevice_, &info, nullptr, &second));
   atTearDown([second] { vkDestroyDevice(second, nullptr); });

   const uint32_t hostType =
      findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
   VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   alloc.allocationSize = 65536;
   alloc.memoryTypeIndex = hostType;
   VkDeviceMemory memory;
   VK_ASSERT_SUCCESS(vkAllocateMemory(second, &alloc, nullptr, &memory));
   atTearDown([second, memory] { vkFreeMemory(second, memory, nullptr); });
   void *mapped;
   VK_ASSERT_SUCCESS(vkMapMemory(second, memory, 0, VK_WHOLE_SIZE, 0, &mapped));
   memset(mapped, 0x5a, 65536);
   vkUnmapMemory(second, memory);

   // The first device is untouched by the second's allocation.
   const std::vector<uint8_t> bytes = patternBytes(65536, 7);
   TestBuffer a;
   ASSERT_NO_FATAL_FAILURE(createDeviceBuffer(bytes.size(), &a));
   ASSERT_NO_FATAL_FAILURE(uploadToBuffer(a, 0, bytes));
   std::vector<uint8_t> back;
   ASSERT_NO_FATAL_FAILURE(downloadFromBuffer(a, 0, bytes.size(), &back));
   EXPECT_BYTES_EQ(bytes, back);
}

} // namespace
} // namespace panvk::test
