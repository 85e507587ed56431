#include "VkTestFixture.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <utility>

namespace panvk::test {

namespace {

constexpr const char *kValidationLayer = "VK_LAYER_KHRONOS_validation";

// One queue of family `first` and one of `second`, both at `*priority`.
std::array<VkDeviceQueueCreateInfo, 2>
oneQueueOfEach(uint32_t first, uint32_t second, const float *priority)
{
   std::array<VkDeviceQueueCreateInfo, 2> queues{};
   for (VkDeviceQueueCreateInfo &q : queues) {
      q.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO;
      q.queueCount = 1;
      q.pQueuePriorities = priority;
   }
   queues[0].queueFamilyIndex = first;
   queues[1].queueFamilyIndex = second;
   return queues;
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
   const auto queues = oneQueueOfEach(kTransferFamily, kTransferSparseFamily, &priority);
   VkPhysicalDeviceTimelineSemaphoreFeatures timeline{
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES};
   timeline.timelineSemaphore = VK_TRUE;
   const char *deviceExtensions[] = {VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME};
   VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
   info.pNext = &timeline;
   info.queueCreateInfoCount = 2;
   info.pQueueCreateInfos = queues.data();
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
VkTestFixture::createTransferAndBindDevice(const VkPhysicalDeviceFeatures &enabled, VkDevice *device,
                                           VkQueue *transferQueue, VkQueue *bindQueue, VkCommandPool *transferPool)
{
   const float priority = 1.0f;
   const auto queues = oneQueueOfEach(kTransferFamily, kSparseOnlyFamily, &priority);
   VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
   info.queueCreateInfoCount = 2;
   info.pQueueCreateInfos = queues.data();
   info.pEnabledFeatures = &enabled;
   VK_ASSERT_SUCCESS(vkCreateDevice(physicalDevice_, &info, nullptr, device));
   vkGetDeviceQueue(*device, kTransferFamily, 0, transferQueue);
   vkGetDeviceQueue(*device, kSparseOnlyFamily, 0, bindQueue);
   VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
   poolInfo.queueFamilyIndex = kTransferFamily;
   VK_ASSERT_SUCCESS(vkCreateCommandPool(*device, &poolInfo, nullptr, transferPool));
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
      EXPECT_EQ(expectDeviceLost_ ? VK_ERROR_DEVICE_LOST : VK_SUCCESS, vkDeviceWaitIdle(device_));
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
   for (const std::string &message : takeValidationMessages()) {
      const bool expected = std::any_of(expectedVuids_.begin(), expectedVuids_.end(), [&](const std::string &vuid) {
         return message.find(vuid) != std::string::npos;
      });
      if (!expected)
         ADD_FAILURE() << "validation " << message;
   }
}

} // namespace panvk::test
