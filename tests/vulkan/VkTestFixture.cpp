#include "VkTestFixture.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <utility>

namespace panvk::test {

namespace {

constexpr const char *kValidationLayer = "VK_LAYER_KHRONOS_validation";

VkImageAspectFlags
aspectsOf(VkFormat format)
{
   switch (format) {
   case VK_FORMAT_D16_UNORM:
   case VK_FORMAT_X8_D24_UNORM_PACK32:
   case VK_FORMAT_D32_SFLOAT:
      return VK_IMAGE_ASPECT_DEPTH_BIT;
   case VK_FORMAT_S8_UINT:
      return VK_IMAGE_ASPECT_STENCIL_BIT;
   case VK_FORMAT_D16_UNORM_S8_UINT:
   case VK_FORMAT_D24_UNORM_S8_UINT:
   case VK_FORMAT_D32_SFLOAT_S8_UINT:
      return VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT;
   default:
      return VK_IMAGE_ASPECT_COLOR_BIT;
   }
}

} // namespace

std::vector<uint8_t>
patternBytes(size_t count, uint32_t seed)
{
   std::vector<uint8_t> bytes(count);
   for (size_t i = 0; i < count; i++) {
      uint32_t h = uint32_t(i) * 0x9e3779b1u ^ (seed + 1) * 0x85ebca6bu;
      h ^= h >> 15;
      h *= 0x2c1b3c6du;
      h ^= h >> 12;
      bytes[i] = uint8_t(h >> 24);
   }
   return bytes;
}

unsigned
mockMinorVersion()
{
   const char *version = getenv("PANTHOR_MOCK_VERSION");
   if (!version)
      return 10;
   std::string v = version;
   if (v.rfind("1.", 0) == 0)
      v = v.substr(2);
   return unsigned(strtoul(v.c_str(), nullptr, 10));
}

::testing::AssertionResult
bytesEqual(std::span<const uint8_t> expected, std::span<const uint8_t> actual)
{
   if (expected.size() != actual.size())
      return ::testing::AssertionFailure() << "sizes differ: expected " << expected.size() << " bytes, got "
                                           << actual.size();
   size_t first = expected.size(), count = 0;
   for (size_t i = 0; i < expected.size(); i++) {
      if (expected[i] != actual[i]) {
         first = std::min(first, i);
         count++;
      }
   }
   if (!count)
      return ::testing::AssertionSuccess();
   return ::testing::AssertionFailure() << count << " of " << expected.size()
                                        << " bytes differ; the first at byte " << first << ": expected "
                                        << int(expected[first]) << ", got " << int(actual[first]);
}

VKAPI_ATTR VkBool32 VKAPI_CALL
VkTestFixture::onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT types,
                         const VkDebugUtilsMessengerCallbackDataEXT *data, void *log)
{
   std::ostringstream text;
   text << (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT ? "error" : "warning");
   text << " (type 0x" << std::hex << types << std::dec << ")";
   if (data->pMessageIdName)
      text << " [" << data->pMessageIdName << "]";
   text << ": " << (data->pMessage ? data->pMessage : "");
   auto *messages = static_cast<MessageLog *>(log);
   std::lock_guard lock(messages->mutex);
   messages->messages.push_back(text.str());
   return VK_FALSE;
}

VkDebugUtilsMessengerCreateInfoEXT
VkTestFixture::messengerInfo(MessageLog *log)
{
   VkDebugUtilsMessengerCreateInfoEXT info{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
   info.messageSeverity =
      VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
   info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                      VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                      VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
   info.pfnUserCallback = onMessage;
   info.pUserData = log;
   return info;
}

std::vector<std::string>
VkTestFixture::takeValidationMessages()
{
   std::lock_guard lock(log_.mutex);
   return std::exchange(log_.messages, {});
}

void
VkTestFixture::SetUp()
{
   ASSERT_NO_FATAL_FAILURE(createInstance());
   ASSERT_NO_FATAL_FAILURE(pickPhysicalDevice());
   ASSERT_NO_FATAL_FAILURE(createDevice());
}

void
VkTestFixture::createInstance()
{
   // Without the layer nothing would be validated: that must not pass quietly.
   uint32_t count = 0;
   VK_ASSERT_SUCCESS(vkEnumerateInstanceLayerProperties(&count, nullptr));
   std::vector<VkLayerProperties> layers(count);
   VK_ASSERT_SUCCESS(vkEnumerateInstanceLayerProperties(&count, layers.data()));
   const bool haveLayer = std::any_of(layers.begin(), layers.end(), [](const VkLayerProperties &l) {
      return strcmp(l.layerName, kValidationLayer) == 0;
   });
   ASSERT_TRUE(haveLayer) << kValidationLayer
                          << " is not installed: these tests need it (Debian package "
                             "vulkan-validationlayers, installed by scripts/install-deps.sh)";

   VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
   app.pApplicationName = "panvk-vulkan-tests";
   app.apiVersion = VK_API_VERSION_1_1;
   // Also catches what vkCreateInstance and vkDestroyInstance report.
   const VkDebugUtilsMessengerCreateInfoEXT messenger = messengerInfo(&log_);
   // Synchronization validation too: the tests' own barriers are checked.
   const VkValidationFeatureEnableEXT enables[] = {VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
   VkValidationFeaturesEXT features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
   features.pNext = &messenger;
   features.enabledValidationFeatureCount = uint32_t(std::size(enables));
   features.pEnabledValidationFeatures = enables;
   const char *extensions[] = {VK_EXT_DEBUG_UTILS_EXTENSION_NAME, VK_EXT_VALIDATION_FEATURES_EXTENSION_NAME};
   VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
   info.pNext = &features;
   info.pApplicationInfo = &app;
   info.enabledLayerCount = 1;
   info.ppEnabledLayerNames = &kValidationLayer;
   info.enabledExtensionCount = uint32_t(std::size(extensions));
   info.ppEnabledExtensionNames = extensions;
   VK_ASSERT_SUCCESS(vkCreateInstance(&info, nullptr, &instance_));

   auto createMessenger = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
      vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
   ASSERT_NE(nullptr, createMessenger);
   VK_ASSERT_SUCCESS(createMessenger(instance_, &messenger, nullptr, &messenger_));
}

void
VkTestFixture::pickPhysicalDevice()
{
   uint32_t count = 0;
   VK_ASSERT_SUCCESS(vkEnumeratePhysicalDevices(instance_, &count, nullptr));
   ASSERT_GE(count, 1u) << "no physical device: is VK_ICD_FILENAMES the build's panvk_devenv_icd.json "
                           "and PAN_KMOD=mock set?";
   std::vector<VkPhysicalDevice> devices(count);
   VK_ASSERT_SUCCESS(vkEnumeratePhysicalDevices(instance_, &count, devices.data()));
   physicalDevice_ = devices[0];
   vkGetPhysicalDeviceProperties(physicalDevice_, &properties_);
   vkGetPhysicalDeviceMemoryProperties(physicalDevice_, &memoryProperties_);
   // The validation layer checks queue family indices against what the
   // application has queried.
   uint32_t familyCount = 0;
   vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &familyCount, nullptr);
   std::vector<VkQueueFamilyProperties> families(familyCount);
   vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice_, &familyCount, families.data());
   ASSERT_GT(familyCount, kTransferSparseFamily) << "too few queue families";
   const std::string name = properties_.deviceName;
   const std::string suffix = "(mock)";
   ASSERT_TRUE(name.size() >= suffix.size() && name.ends_with(suffix))
      << "device \"" << name << "\" is not the mock";
}

void
VkTestFixture::createDevice()
{
   uint32_t count = 0;
   VK_ASSERT_SUCCESS(vkEnumerateDeviceExtensionProperties(physicalDevice_, nullptr, &count, nullptr));
   std::vector<VkExtensionProperties> extensions(count);
   VK_ASSERT_SUCCESS(vkEnumerateDeviceExtensionProperties(physicalDevice_, nullptr, &count, extensions.data()));
   const bool haveTimeline = std::any_of(extensions.begin(), extensions.end(), [](const VkExtensionProperties &e) {
      return strcmp(e.extensionName, VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME) == 0;
   });
   ASSERT_TRUE(haveTimeline) << "the device does not offer " VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME;

   const float priority = 1.0f;
   VkDeviceQueueCreateInfo queues[2] = {{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO},
                                        {VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO}};
   queues[0].queueFamilyIndex = kTransferFamily;
   queues[1].queueFamilyIndex = kTransferSparseFamily;
   for (VkDeviceQueueCreateInfo &q : queues) {
      q.queueCount = 1;
      q.pQueuePriorities = &priority;
   }
   VkPhysicalDeviceTimelineSemaphoreFeatures timeline{
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES};
   timeline.timelineSemaphore = VK_TRUE;
   const char *deviceExtensions[] = {VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME};
   VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
   info.pNext = &timeline;
   info.queueCreateInfoCount = 2;
   info.pQueueCreateInfos = queues;
   info.enabledExtensionCount = 1;
   info.ppEnabledExtensionNames = deviceExtensions;
   VK_ASSERT_SUCCESS(vkCreateDevice(physicalDevice_, &info, nullptr, &device_));

   vkGetDeviceQueue(device_, kTransferFamily, 0, &transferQueue_);
   vkGetDeviceQueue(device_, kTransferSparseFamily, 0, &transferSparseQueue_);
   ASSERT_NE(VK_NULL_HANDLE, transferQueue_);
   ASSERT_NE(VK_NULL_HANDLE, transferSparseQueue_);

   VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
   poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
   poolInfo.queueFamilyIndex = kTransferFamily;
   VK_ASSERT_SUCCESS(vkCreateCommandPool(device_, &poolInfo, nullptr, &transferPool_));
   poolInfo.queueFamilyIndex = kTransferSparseFamily;
   VK_ASSERT_SUCCESS(vkCreateCommandPool(device_, &poolInfo, nullptr, &transferSparsePool_));

   waitSemaphores_ =
      reinterpret_cast<PFN_vkWaitSemaphoresKHR>(vkGetDeviceProcAddr(device_, "vkWaitSemaphoresKHR"));
   signalSemaphore_ =
      reinterpret_cast<PFN_vkSignalSemaphoreKHR>(vkGetDeviceProcAddr(device_, "vkSignalSemaphoreKHR"));
   getSemaphoreCounterValue_ = reinterpret_cast<PFN_vkGetSemaphoreCounterValueKHR>(
      vkGetDeviceProcAddr(device_, "vkGetSemaphoreCounterValueKHR"));
   ASSERT_NE(nullptr, waitSemaphores_);
   ASSERT_NE(nullptr, signalSemaphore_);
   ASSERT_NE(nullptr, getSemaphoreCounterValue_);
}

void
VkTestFixture::TearDown()
{
   if (hung_) {
      // The driver may still run the work: leave every object alive.
      ADD_FAILURE() << "a submission did not complete; objects were leaked on purpose";
      return;
   }
   if (device_) {
      EXPECT_EQ(VK_SUCCESS, vkDeviceWaitIdle(device_));
      for (auto it = cleanups_.rbegin(); it != cleanups_.rend(); ++it)
         (*it)();
      cleanups_.clear();
      vkDestroyCommandPool(device_, transferSparsePool_, nullptr);
      vkDestroyCommandPool(device_, transferPool_, nullptr);
      vkDestroyDevice(device_, nullptr);
      device_ = VK_NULL_HANDLE;
   }
   if (messenger_) {
      auto destroyMessenger = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
         vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
      destroyMessenger(instance_, messenger_, nullptr);
   }
   if (instance_)
      vkDestroyInstance(instance_, nullptr);
   for (const std::string &message : takeValidationMessages())
      ADD_FAILURE() << "validation " << message;
}

uint32_t
VkTestFixture::findMemoryType(uint32_t typeBits, VkMemoryPropertyFlags required) const
{
   for (uint32_t i = 0; i < memoryProperties_.memoryTypeCount; i++) {
      if ((typeBits & (1u << i)) && (memoryProperties_.memoryTypes[i].propertyFlags & required) == required)
         return i;
   }
   return UINT32_MAX;
}

void
VkTestFixture::createBuffer(VkDeviceSize size, VkBufferUsageFlags usage, uint32_t memoryType, TestBuffer *out,
                            std::span<const uint32_t> concurrentFamilies)
{
   VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
   info.size = size;
   info.usage = usage;
   info.sharingMode = concurrentFamilies.empty() ? VK_SHARING_MODE_EXCLUSIVE : VK_SHARING_MODE_CONCURRENT;
   info.queueFamilyIndexCount = uint32_t(concurrentFamilies.size());
   info.pQueueFamilyIndices = concurrentFamilies.data();
   TestBuffer buffer;
   VK_ASSERT_SUCCESS(vkCreateBuffer(device_, &info, nullptr, &buffer.buffer));
   atTearDown([this, b = buffer.buffer] { vkDestroyBuffer(device_, b, nullptr); });

   VkMemoryRequirements requirements;
   vkGetBufferMemoryRequirements(device_, buffer.buffer, &requirements);
   ASSERT_GE(requirements.size, size);
   ASSERT_TRUE(requirements.memoryTypeBits & (1u << memoryType))
      << "memory type " << memoryType << " not allowed for buffers (bits 0x" << std::hex
      << requirements.memoryTypeBits << ")";
   VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   alloc.allocationSize = requirements.size;
   alloc.memoryTypeIndex = memoryType;
   VK_ASSERT_SUCCESS(vkAllocateMemory(device_, &alloc, nullptr, &buffer.memory));
   atTearDown([this, m = buffer.memory] { vkFreeMemory(device_, m, nullptr); });
   VK_ASSERT_SUCCESS(vkBindBufferMemory(device_, buffer.buffer, buffer.memory, 0));
   buffer.size = size;
   buffer.memoryType = memoryType;
   if (memoryProperties_.memoryTypes[memoryType].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
      void *data = nullptr;
      VK_ASSERT_SUCCESS(vkMapMemory(device_, buffer.memory, 0, VK_WHOLE_SIZE, 0, &data));
      buffer.mapped = static_cast<uint8_t *>(data);
   }
   *out = buffer;
}

void
VkTestFixture::createHostBuffer(VkDeviceSize size, TestBuffer *out)
{
   const uint32_t type = findMemoryType(~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT);
   ASSERT_NE(UINT32_MAX, type) << "no host-visible coherent memory type";
   createBuffer(size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, type, out);
}

void
VkTestFixture::createDeviceBuffer(VkDeviceSize size, TestBuffer *out)
{
   uint32_t type = UINT32_MAX;
   for (uint32_t i = 0; i < memoryProperties_.memoryTypeCount && type == UINT32_MAX; i++) {
      const VkMemoryPropertyFlags flags = memoryProperties_.memoryTypes[i].propertyFlags;
      if ((flags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) && !(flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT))
         type = i;
   }
   ASSERT_NE(UINT32_MAX, type) << "no device-only memory type";
   createBuffer(size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT, type, out);
}

void
VkTestFixture::createImage(const VkImageCreateInfo &info, VkMemoryPropertyFlags memoryFlags, TestImage *out)
{
   TestImage image;
   image.info = info;
   VK_ASSERT_SUCCESS(vkCreateImage(device_, &info, nullptr, &image.image));
   atTearDown([this, i = image.image] { vkDestroyImage(device_, i, nullptr); });
   VkMemoryRequirements requirements;
   vkGetImageMemoryRequirements(device_, image.image, &requirements);
   const uint32_t type = findMemoryType(requirements.memoryTypeBits, memoryFlags);
   ASSERT_NE(UINT32_MAX, type) << "no memory type with flags 0x" << std::hex << memoryFlags
                               << " for the image (bits 0x" << requirements.memoryTypeBits << ")";
   VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
   alloc.allocationSize = requirements.size;
   alloc.memoryTypeIndex = type;
   VK_ASSERT_SUCCESS(vkAllocateMemory(device_, &alloc, nullptr, &image.memory));
   atTearDown([this, m = image.memory] { vkFreeMemory(device_, m, nullptr); });
   VK_ASSERT_SUCCESS(vkBindImageMemory(device_, image.image, image.memory, 0));
   image.memorySize = requirements.size;
   if (memoryProperties_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
      void *data = nullptr;
      VK_ASSERT_SUCCESS(vkMapMemory(device_, image.memory, 0, VK_WHOLE_SIZE, 0, &data));
      image.mapped = static_cast<uint8_t *>(data);
   }
   *out = image;
}

void
VkTestFixture::allocateCommandBuffer(uint32_t family, VkCommandBuffer *out)
{
   VkCommandBufferAllocateInfo info{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
   info.commandPool = pool(family);
   info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
   info.commandBufferCount = 1;
   VK_ASSERT_SUCCESS(vkAllocateCommandBuffers(device_, &info, out));
   atTearDown([this, p = pool(family), c = *out] { vkFreeCommandBuffers(device_, p, 1, &c); });
}

void
VkTestFixture::submitAndWait(const std::function<void(VkCommandBuffer)> &record, uint32_t family)
{
   VkCommandBuffer cmd;
   ASSERT_NO_FATAL_FAILURE(allocateCommandBuffer(family, &cmd));
   VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
   begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
   VK_ASSERT_SUCCESS(vkBeginCommandBuffer(cmd, &begin));
   record(cmd);
   VK_ASSERT_SUCCESS(vkEndCommandBuffer(cmd));
   ASSERT_FALSE(HasFatalFailure()) << "recording failed";

   VkFence fence;
   VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
   VK_ASSERT_SUCCESS(vkCreateFence(device_, &fenceInfo, nullptr, &fence));
   atTearDown([this, fence] { vkDestroyFence(device_, fence, nullptr); });
   VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
   submit.commandBufferCount = 1;
   submit.pCommandBuffers = &cmd;
   VK_ASSERT_SUCCESS(vkQueueSubmit(queue(family), 1, &submit, fence));
   const VkResult waited = vkWaitForFences(device_, 1, &fence, VK_TRUE, kGpuTimeoutNs);
   if (waited == VK_TIMEOUT)
      hung_ = true;
   VK_ASSERT_SUCCESS(waited);
}

void
VkTestFixture::uploadToBuffer(const TestBuffer &dst, VkDeviceSize offset, std::span<const uint8_t> bytes)
{
   TestBuffer staging;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(bytes.size(), &staging));
   memcpy(staging.mapped, bytes.data(), bytes.size());
   submitAndWait([&](VkCommandBuffer cmd) {
      const VkBufferCopy region{0, offset, bytes.size()};
      vkCmdCopyBuffer(cmd, staging.buffer, dst.buffer, 1, &region);
      transferBarrier(cmd);
   });
}

void
VkTestFixture::downloadFromBuffer(const TestBuffer &src, VkDeviceSize offset, VkDeviceSize size,
                                  std::vector<uint8_t> *out)
{
   TestBuffer staging;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(size, &staging));
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      const VkBufferCopy region{offset, 0, size};
      vkCmdCopyBuffer(cmd, src.buffer, staging.buffer, 1, &region);
      hostReadBarrier(cmd);
   }));
   out->assign(staging.mapped, staging.mapped + size);
}

void
VkTestFixture::uploadToImage(const TestImage &dst, std::span<const uint8_t> bufferBytes,
                             std::span<const VkBufferImageCopy> regions, VkImageLayout layout)
{
   TestBuffer staging;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(bufferBytes.size(), &staging));
   memcpy(staging.mapped, bufferBytes.data(), bufferBytes.size());
   submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdCopyBufferToImage(cmd, staging.buffer, dst.image, layout, uint32_t(regions.size()), regions.data());
      transferBarrier(cmd);
   });
}

void
VkTestFixture::downloadFromImage(const TestImage &src, std::span<const VkBufferImageCopy> regions,
                                 VkImageLayout layout, std::vector<uint8_t> *bytes)
{
   TestBuffer staging;
   ASSERT_NO_FATAL_FAILURE(createHostBuffer(bytes->size(), &staging));
   memcpy(staging.mapped, bytes->data(), bytes->size());
   ASSERT_NO_FATAL_FAILURE(submitAndWait([&](VkCommandBuffer cmd) {
      vkCmdCopyImageToBuffer(cmd, src.image, layout, staging.buffer, uint32_t(regions.size()), regions.data());
      hostReadBarrier(cmd);
   }));
   bytes->assign(staging.mapped, staging.mapped + bytes->size());
}

void
VkTestFixture::transition(VkCommandBuffer cmd, const TestImage &image, VkImageLayout from, VkImageLayout to)
{
   VkImageMemoryBarrier barrier{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
   // Host writes too: images created PREINITIALIZED are written by the host.
   barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT | VK_ACCESS_HOST_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
   barrier.oldLayout = from;
   barrier.newLayout = to;
   barrier.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
   barrier.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
   barrier.image = image.image;
   barrier.subresourceRange = {aspectsOf(image.info.format), 0, VK_REMAINING_MIP_LEVELS, 0,
                               VK_REMAINING_ARRAY_LAYERS};
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT | VK_PIPELINE_STAGE_HOST_BIT,
                        VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, nullptr, 0, nullptr, 1, &barrier);
}

void
VkTestFixture::transferBarrier(VkCommandBuffer cmd)
{
   VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
   barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &barrier, 0,
                        nullptr, 0, nullptr);
}

void
VkTestFixture::hostReadBarrier(VkCommandBuffer cmd)
{
   VkMemoryBarrier barrier{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
   barrier.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
   barrier.dstAccessMask = VK_ACCESS_HOST_READ_BIT | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
   vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                        VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &barrier, 0, nullptr,
                        0, nullptr);
}

} // namespace panvk::test
