#include "Instance.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "Debug.h"
#include "Util.h"
#include "PhysicalDevice.h"
#include "kmod/Device.h"
#include "panvk_entrypoints.h"

namespace panvk {

const std::vector<VkExtensionProperties> &
Instance::supportedExtensions()
{
   static const std::vector<VkExtensionProperties> extensions = {
      {VK_KHR_GET_PHYSICAL_DEVICE_PROPERTIES_2_EXTENSION_NAME,
       VK_KHR_GET_PHYSICAL_DEVICE_PROPERTIES_2_SPEC_VERSION},
   };
   return extensions;
}

VkResult
Instance::create(const VkInstanceCreateInfo &info, VkInstance *out)
{
   for (uint32_t i = 0; i < info.enabledExtensionCount; i++) {
      bool known = false;
      for (const VkExtensionProperties &e : supportedExtensions())
         known |= strcmp(e.extensionName, info.ppEnabledExtensionNames[i]) == 0;
      if (!known)
         return VK_ERROR_EXTENSION_NOT_PRESENT;
   }
   auto *instance = new (std::nothrow) Instance();
   if (!instance)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   if (info.pApplicationInfo && info.pApplicationInfo->apiVersion)
      instance->apiVersion_ = info.pApplicationInfo->apiVersion;
   for (uint32_t i = 0; i < info.enabledExtensionCount; i++)
      instance->enabledExtensions_.emplace_back(info.ppEnabledExtensionNames[i]);
   *out = instance->handle();
   return VK_SUCCESS;
}

Instance::~Instance() = default;

bool
Instance::extensionEnabled(const char *name) const
{
   for (const std::string &e : enabledExtensions_) {
      if (e == name)
         return true;
   }
   return false;
}

const std::vector<std::unique_ptr<PhysicalDevice>> &
Instance::physicalDevices()
{
   std::lock_guard lock(mutex_);
   if (enumerated_)
      return physicalDevices_;
   enumerated_ = true;

   // Like a real driver: the GPU's node, or the mock only when asked for.
   pan::kmod::OpenOptions options;
   const char *choice = getenv("PAN_KMOD");
   options.backend = choice && strcmp(choice, "mock") == 0 ? pan::kmod::OpenOptions::Backend::Mock
                                                           : pan::kmod::OpenOptions::Backend::Hardware;
   auto device = pan::kmod::Device::open(options);
   if (!device) {
      if (debugEnabled(kDebugStartup))
         debugLog("no device: %s (set PAN_KMOD=mock for the mock kernel)",
                  device.error().message.c_str());
      return physicalDevices_;
   }
   auto physical = PhysicalDevice::create(*this, std::move(device.value()));
   if (physical)
      physicalDevices_.push_back(std::move(physical));
   else if (debugEnabled(kDebugStartup))
      debugLog("the panthor device is not usable by this driver");
   return physicalDevices_;
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateInstance(const VkInstanceCreateInfo *pCreateInfo, const VkAllocationCallbacks *,
                     VkInstance *pInstance)
{
   return Instance::create(*pCreateInfo, pInstance);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyInstance(VkInstance instance, const VkAllocationCallbacks *)
{
   delete Instance::from(instance);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_EnumerateInstanceVersion(uint32_t *pApiVersion)
{
   *pApiVersion = VK_API_VERSION_1_1;
   return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_EnumerateInstanceLayerProperties(uint32_t *pPropertyCount, VkLayerProperties *)
{
   *pPropertyCount = 0;
   return VK_SUCCESS;
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_EnumerateInstanceExtensionProperties(const char *pLayerName, uint32_t *pPropertyCount,
                                           VkExtensionProperties *pProperties)
{
   if (pLayerName)
      return VK_ERROR_LAYER_NOT_PRESENT;
   return panvk::fillArray(Instance::supportedExtensions(), pPropertyCount, pProperties);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_EnumeratePhysicalDevices(VkInstance instance, uint32_t *pPhysicalDeviceCount,
                               VkPhysicalDevice *pPhysicalDevices)
{
   std::vector<VkPhysicalDevice> handles;
   for (const auto &physical : Instance::from(instance)->physicalDevices())
      handles.push_back(physical->handle());
   return panvk::fillArray(handles, pPhysicalDeviceCount, pPhysicalDevices);
}

} // extern "C"
