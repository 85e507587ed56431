// VkInstance: the enabled instance extensions and the physical devices, found
// on first enumeration (a panthor render node, or the mock when PAN_KMOD=mock).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "Handle.h"

namespace panvk {

class PhysicalDevice;

class Instance : public DispatchableObject, public HandleOf<Instance, VkInstance> {
public:
   static VkResult create(const VkInstanceCreateInfo &info, VkInstance *out);
   ~Instance();

   uint32_t apiVersion() const { return apiVersion_; }
   bool extensionEnabled(const char *name) const;

   // Opens the devices once; later calls return the same list.
   const std::vector<std::unique_ptr<PhysicalDevice>> &physicalDevices();

   static const std::vector<VkExtensionProperties> &supportedExtensions();

private:
   Instance() = default;

   uint32_t apiVersion_ = VK_API_VERSION_1_0;
   std::vector<std::string> enabledExtensions_;
   std::mutex mutex_;
   bool enumerated_ = false;
   std::vector<std::unique_ptr<PhysicalDevice>> physicalDevices_;
};

} // namespace panvk
