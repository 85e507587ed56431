// What the Khronos loader calls: interface negotiation and the proc-address
// queries, answered from the tables generated from vk.xml.
#include <algorithm>
#include <cstring>

#include "Device.h"
#include "Instance.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

const EntryPoint *
findEntryPoint(const char *name)
{
   if (!name)
      return nullptr;
   const EntryPoint *end = kEntryPoints + kEntryPointCount;
   const EntryPoint *it = std::lower_bound(
      kEntryPoints, end, name, [](const EntryPoint &e, const char *n) { return strcmp(e.name, n) < 0; });
   return it != end && strcmp(it->name, name) == 0 ? it : nullptr;
}

bool
isCoreVersion(const char *enabledBy)
{
   return strncmp(enabledBy, "VK_VERSION_", 11) == 0;
}

} // namespace

PFN_vkVoidFunction
instanceProcAddr(VkInstance instance, const char *name)
{
   const EntryPoint *entry = findEntryPoint(name);
   if (!entry || !entry->function)
      return nullptr;
   // Without an instance only the global commands (and this one) resolve.
   if (!instance)
      return entry->level == DispatchLevel::Global || strcmp(name, "vkGetInstanceProcAddr") == 0
                ? entry->function
                : nullptr;
   return entry->function;
}

PFN_vkVoidFunction
deviceProcAddr(VkDevice device, const char *name)
{
   const EntryPoint *entry = findEntryPoint(name);
   if (!entry || !entry->function || entry->level != DispatchLevel::Device)
      return nullptr;
   // Commands of device extensions the application did not enable are NULL.
   if (!isCoreVersion(entry->enabledBy) && !Device::from(device)->extensionEnabled(entry->enabledBy))
      return nullptr;
   return entry->function;
}

PFN_vkVoidFunction
physicalDeviceProcAddr(const char *name)
{
   const EntryPoint *entry = findEntryPoint(name);
   if (!entry || entry->level != DispatchLevel::PhysicalDevice)
      return nullptr;
   return entry->function;
}

} // namespace panvk

extern "C" {

VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL
panvk_GetInstanceProcAddr(VkInstance instance, const char *pName)
{
   return panvk::instanceProcAddr(instance, pName);
}

VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL
panvk_GetDeviceProcAddr(VkDevice device, const char *pName)
{
   return panvk::deviceProcAddr(device, pName);
}

// The loader-ICD interface (loader interface version 5 and earlier).
__attribute__((visibility("default"))) VKAPI_ATTR VkResult VKAPI_CALL
vk_icdNegotiateLoaderICDInterfaceVersion(uint32_t *pSupportedVersion)
{
   // Version 5: the loader may call vk_icdGetPhysicalDeviceProcAddr and
   // supports VK_KHR_portability_enumeration; we need nothing past it.
   if (*pSupportedVersion > 5)
      *pSupportedVersion = 5;
   return VK_SUCCESS;
}

__attribute__((visibility("default"))) VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL
vk_icdGetInstanceProcAddr(VkInstance instance, const char *pName)
{
   return panvk::instanceProcAddr(instance, pName);
}

__attribute__((visibility("default"))) VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL
vk_icdGetPhysicalDeviceProcAddr(VkInstance, const char *pName)
{
   return panvk::physicalDeviceProcAddr(pName);
}

} // extern "C"
