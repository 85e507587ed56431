#include "Device.h"

#include <cstring>
#include <new>

#include "Debug.h"
#include "DeviceStats.h"
#include "Executor.h"
#include "PhysicalDevice.h"
#include "Queue.h"
#include "drm-uapi/panthor_drm.h"
#include "kmod/Vm.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
Device::create(PhysicalDevice &physical, const VkDeviceCreateInfo &info, VkDevice *out)
{
   for (uint32_t i = 0; i < info.enabledExtensionCount; i++) {
      bool known = false;
      for (const VkExtensionProperties &e : PhysicalDevice::supportedExtensions())
         known |= strcmp(e.extensionName, info.ppEnabledExtensionNames[i]) == 0;
      if (!known)
         return VK_ERROR_EXTENSION_NOT_PRESENT;
   }
   if (info.pEnabledFeatures) {
      // Only features we offer may be enabled: we offer none of the core ones.
      const VkBool32 *asked = reinterpret_cast<const VkBool32 *>(info.pEnabledFeatures);
      VkPhysicalDeviceFeatures offered;
      physical.fillFeatures(&offered);
      const VkBool32 *have = reinterpret_cast<const VkBool32 *>(&offered);
      for (size_t i = 0; i < sizeof(VkPhysicalDeviceFeatures) / sizeof(VkBool32); i++) {
         if (asked[i] && !have[i])
            return VK_ERROR_FEATURE_NOT_PRESENT;
      }
   }

   std::unique_ptr<Device> device(new (std::nothrow) Device(physical));
   if (!device)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   for (uint32_t i = 0; i < info.enabledExtensionCount; i++)
      device->enabledExtensions_.emplace_back(info.ppEnabledExtensionNames[i]);

   auto vm = pan::kmod::Vm::create(physical.kmod());
   if (!vm) {
      errorLog("VM_CREATE failed: %s", vm.error().message.c_str());
      return VK_ERROR_INITIALIZATION_FAILED;
   }
   device->vm_ = std::move(vm.value());
   device->va_ = std::make_unique<VaAllocator>(kDeviceVaStart, device->vm_->userVaRange());

   auto abandon = pan::kmod::Syncobj::create(physical.kmod());
   if (!abandon) {
      errorLog("SYNCOBJ_CREATE failed: %s", abandon.error().message.c_str());
      return VK_ERROR_INITIALIZATION_FAILED;
   }
   device->abandon_ = std::move(abandon.value());

   device->executor_ = createExecutor(*device);
   if (!device->executor_) {
      errorLog("command execution on hardware is not implemented (PAN_KMOD=mock runs the mock GPU)");
      return VK_ERROR_INITIALIZATION_FAILED;
   }

   for (uint32_t i = 0; i < info.queueCreateInfoCount; i++) {
      const VkDeviceQueueCreateInfo &q = info.pQueueCreateInfos[i];
      for (uint32_t index = 0; index < q.queueCount; index++) {
         auto queue = std::make_unique<Queue>(*device, q.queueFamilyIndex, index, q.flags);
         if (const VkResult result = queue->startWorker(); result != VK_SUCCESS)
            return result;
         device->queues_.push_back(std::move(queue));
      }
   }
   *out = device.release()->handle();
   return VK_SUCCESS;
}

Device::Device(PhysicalDevice &physical) : physical_(physical) {}

Device::~Device()
{
   // Queue workers still waiting on a semaphore (only if the application did
   // not wait for idle) give up instead of hanging the destruction; then they
   // finish their queue and join before the executor and the VM go.
   abandonWaits();
   queues_.clear();
   if (debugEnabled(kDebugStats))
      printKernelStats(*this);
}

pan::kmod::Device &
Device::kmod()
{
   return physical_.kmod();
}

bool
Device::extensionEnabled(const char *name) const
{
   for (const std::string &e : enabledExtensions_) {
      if (e == name)
         return true;
   }
   return false;
}

Queue *
Device::queue(uint32_t family, uint32_t index)
{
   for (const auto &queue : queues_) {
      if (queue->family() == family && queue->index() == index)
         return queue.get();
   }
   return nullptr;
}

VkResult
Device::checkBinds(const char *what)
{
   if (lost())
      return VK_ERROR_DEVICE_LOST;
   if (!vm_->sentAsyncBinds())
      return VK_SUCCESS;
   const pan::kmod::Result<uint32_t> state = vm_->state();
   if (!state)
      markLost(std::string(what) + ": " + state.error().message);
   else if (state.value() == DRM_PANTHOR_VM_STATE_UNUSABLE)
      markLost(std::string(what) + ": a sparse bind failed in the kernel (the VM is unusable)");
   return check();
}

void
Device::markLost(const std::string &why)
{
   lost_ = true;
   std::call_once(lostReported_, [&] { errorLog("device lost: %s", why.c_str()); });
   abandonWaits();
}

void
Device::abandonWaits()
{
   if (!abandon_ || waitsAbandoned_.exchange(true))
      return;
   if (auto result = abandon_->signal(); !result)
      errorLog("cannot wake the waits of a lost device: %s", result.error().message.c_str());
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateDevice(VkPhysicalDevice physicalDevice, const VkDeviceCreateInfo *pCreateInfo,
                   const VkAllocationCallbacks *, VkDevice *pDevice)
{
   return Device::create(*PhysicalDevice::from(physicalDevice), *pCreateInfo, pDevice);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyDevice(VkDevice device, const VkAllocationCallbacks *)
{
   delete Device::from(device);
}

} // extern "C"
