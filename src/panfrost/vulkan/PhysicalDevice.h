// VkPhysicalDevice: one panthor GPU as kmod sees it, and everything the
// driver reports about it. It offers exactly what the driver does on a Mali
// v10+ GPU, mock or not.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "Handle.h"
#include "kmod/Device.h"

namespace panvk {

class Instance;

// Queue families, fixed for the device (DESIGN.md, "Queues").
enum QueueFamily : uint32_t {
   kQueueFamilyTransfer = 0,     // transfer work (compute joins it later)
   kQueueFamilySparse = 1,       // binds only, like upstream PanVK's bind queue
   kQueueFamilyTransferSparse = 2,
   kQueueFamilyCount = 3,
};

class PhysicalDevice : public DispatchableObject, public HandleOf<PhysicalDevice, VkPhysicalDevice> {
public:
   // Null if the GPU is not one this driver handles.
   static std::unique_ptr<PhysicalDevice> create(Instance &instance,
                                                 std::unique_ptr<pan::kmod::Device> kmod);
   ~PhysicalDevice();

   Instance &instance() { return instance_; }
   pan::kmod::Device &kmod() { return *kmod_; }
   const VkPhysicalDeviceProperties &properties() const { return properties_; }
   const VkPhysicalDeviceMemoryProperties &memoryProperties() const { return memoryProperties_; }
   const std::vector<VkQueueFamilyProperties> &queueFamilies() const { return queueFamilies_; }
   static const std::vector<VkExtensionProperties> &supportedExtensions();

   // Memory type index -> how its BOs are created.
   bool memoryTypeIsHostVisible(uint32_t type) const;
   bool memoryTypeIsCached(uint32_t type) const;

   void fillFeatures(VkPhysicalDeviceFeatures *features) const;
   void fillFeatures2(VkPhysicalDeviceFeatures2 *features) const;
   void fillProperties2(VkPhysicalDeviceProperties2 *properties) const;

private:
   PhysicalDevice(Instance &instance, std::unique_ptr<pan::kmod::Device> kmod);
   void initProperties();
   void initMemory();
   uint64_t probeUserVaRange();

   Instance &instance_;
   std::unique_ptr<pan::kmod::Device> kmod_;
   VkPhysicalDeviceProperties properties_{};
   VkPhysicalDeviceMemoryProperties memoryProperties_{};
   std::vector<VkQueueFamilyProperties> queueFamilies_;
};

// "Mali-G610" for a known product, else "Mali (GPU 0x....)".
std::string gpuName(uint32_t gpuId);

} // namespace panvk
