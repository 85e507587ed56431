// VkDevice: the GPU VM every allocation and resource lives in, its VA
// allocator, the executor, the queues, and the "lost" state. A device is lost
// for good once a kernel call fails under it or the GPU faults where nothing
// can be mapped.
//
// The device uses its physical device's kmod file (one open file per
// VkPhysicalDevice); each VkDevice has a VM of its own in it.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "Handle.h"
#include "VaAllocator.h"
#include "kmod/Device.h"
#include "kmod/Syncobj.h"
#include "kmod/Vm.h"

namespace panvk {

class Executor;
class PhysicalDevice;
class Queue;

class Device : public DispatchableObject, public HandleOf<Device, VkDevice> {
public:
   static VkResult create(PhysicalDevice &physical, const VkDeviceCreateInfo &info, VkDevice *out);
   ~Device();

   PhysicalDevice &physical() { return physical_; }
   pan::kmod::Device &kmod();
   pan::kmod::Vm &vm() { return *vm_; }
   VaAllocator &va() { return *va_; }
   // Runs the queues' command buffers (the mock's CPU executor).
   Executor &executor() { return *executor_; }
   bool extensionEnabled(const char *name) const;

   // Null for a family/index the device was not created with.
   Queue *queue(uint32_t family, uint32_t index);
   const std::vector<std::unique_ptr<Queue>> &queues() const { return queues_; }

   bool lost() const { return lost_.load(); }
   // Marks the device lost (once; the first reason is printed).
   void markLost(const std::string &why);
   // VK_ERROR_DEVICE_LOST once lost, else `result`.
   VkResult check(VkResult result = VK_SUCCESS) const { return lost() ? VK_ERROR_DEVICE_LOST : result; }
   // After a wait that may have covered sparse binds: a bind job that failed
   // inside the kernel signals its fence all the same and only leaves the VM
   // unusable, so the VM's state is asked (once binds were sent) and an
   // unusable VM makes the device lost. `what` names the caller.
   VkResult checkBinds(const char *what);

   // Signalled when waiting for semaphores and fences no longer makes sense:
   // the device is lost or being destroyed. Every wait watches it (SyncWait.h).
   pan::kmod::Syncobj &abandonSyncobj() { return *abandon_; }
   bool waitsAbandoned() const { return waitsAbandoned_.load(); }

private:
   explicit Device(PhysicalDevice &physical);
   void abandonWaits();

   PhysicalDevice &physical_;
   std::unique_ptr<pan::kmod::Vm> vm_;
   std::unique_ptr<VaAllocator> va_;
   std::vector<std::string> enabledExtensions_;
   std::unique_ptr<pan::kmod::Syncobj> abandon_;
   std::atomic<bool> waitsAbandoned_{false};
   std::unique_ptr<Executor> executor_;
   std::vector<std::unique_ptr<Queue>> queues_;
   std::atomic<bool> lost_{false};
   std::once_flag lostReported_;
};

} // namespace panvk
