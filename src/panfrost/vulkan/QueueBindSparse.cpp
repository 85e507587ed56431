// vkQueueBindSparse: the binds of one call become one asynchronous VM_BIND
// (SparseBinder decides the ops), whose waits and signals are the semaphores'
// and fence's syncobjs, handed to the kernel: no CPU waits on GPU work.
//
// The kernel refuses to wait on a point that has no fence yet (a timeline
// point not submitted, a binary semaphore whose signal is still queued). So
// the call goes to the queue's worker, which first waits until every wait
// point is submitted (not signalled) and then sends the VM_BIND: the caller
// never blocks, and the queue's binds keep their order.
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "Buffer.h"
#include "Debug.h"
#include "Device.h"
#include "DeviceMemory.h"
#include "Fence.h"
#include "Image.h"
#include "Queue.h"
#include "QueueWorker.h"
#include "Semaphore.h"
#include "SparseBinder.h"
#include "SparseImage.h"
#include "SyncWait.h"
#include "Util.h"
#include "drm-uapi/panthor_drm.h"
#include "kmod/Syncobj.h"
#include "kmod/Vm.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

using pan::kmod::SyncPoint;
using pan::kmod::Syncobj;

// Everything one call hands to the worker.
struct BindJob {
   std::vector<pan::kmod::VmOp> ops;
   std::vector<SyncPoint> waits;
   // What the job signals, so they can be signalled by hand if the device is
   // lost (nobody may hang on them), and every syncobj the job names, kept
   // alive until it ran.
   std::vector<std::pair<std::shared_ptr<Syncobj>, uint64_t>> signals;
   // A binary semaphore's wait is consumed before the VM_BIND is sent: its
   // fence moves into a stand-in syncobj of the job's, which the kernel waits
   // on, and the semaphore is reset. Resetting after the ioctl instead could
   // wipe a newer signal: the bind's own signal may already have let other
   // work run and signal the semaphore again.
   struct BinaryWait {
      std::shared_ptr<Syncobj> semaphore;
      std::unique_ptr<Syncobj> standIn;
   };
   std::vector<BinaryWait> binaryWaits;
   std::vector<std::shared_ptr<Syncobj>> keepAlive;
};

void
addMemoryBind(SparseBinder &binder, uint64_t resourceVa, const VkSparseMemoryBind &bind)
{
   // A metadata bind's resourceOffset lies in the metadata aspect's mip tail,
   // not in the resource's memory. No format here has a metadata aspect
   // (none is ever reported), so such a bind names no memory of the resource:
   // it is invalid usage, ignored so that it changes no mapping.
   if (bind.flags & VK_SPARSE_MEMORY_BIND_METADATA_BIT) {
      errorLog("vkQueueBindSparse: metadata bind, but no resource has a metadata aspect; ignored");
      return;
   }
   const uint64_t va = resourceVa + bind.resourceOffset;
   if (bind.memory == VK_NULL_HANDLE) {
      binder.bind(va, bind.size, nullptr, 0);
      return;
   }
   DeviceMemory *memory = DeviceMemory::from(bind.memory);
   // Each allocation's BO starts at offset 0 of its memory.
   binder.bind(va, bind.size, &memory->bo(), bind.memoryOffset);
}

// Sends the job's VM_BIND once its waits are submitted. On a lost device, or
// a kernel failure (which makes it lost), it signals what the job would have
// signalled, so that no waiter hangs.
void
runBindJob(Device &device, BindJob &job)
{
   std::string why;
   bool sent = false;
   if (!device.lost()) {
      WaitStatus status = waitForSyncPoints(device, job.waits, true, pan::kmod::kInfiniteTimeout,
                                                  &why, WaitUntil::Submitted);
      for (BindJob::BinaryWait &wait : job.binaryWaits) {
         if (status != WaitStatus::Reached)
            break;
         if (auto moved = wait.standIn->transfer(0, *wait.semaphore, 0); !moved) {
            why = moved.error().message;
            status = WaitStatus::Failed;
         } else if (auto reset = wait.semaphore->reset(); !reset) {
            why = reset.error().message;
            status = WaitStatus::Failed;
         }
      }
      if (status == WaitStatus::Reached) {
         auto bound = device.vm().bind(job.ops, pan::kmod::Vm::BindMode::Async);
         if (bound) {
            sent = true;
         } else {
            device.markLost("vkQueueBindSparse: " + bound.error().message);
         }
      } else if (status == WaitStatus::Failed) {
         device.markLost("vkQueueBindSparse: waiting for the semaphores failed: " + why);
      }
   }
   if (sent) {
      if (debugEnabled(kDebugBind))
         debugLog("vkQueueBindSparse: %zu ops in one VM_BIND", job.ops.size());
      return;
   }
   for (const auto &[syncobj, point] : job.signals)
      (void)syncobj->signal(point);
}

VkResult
queueBindSparse(Queue &queue, uint32_t infoCount, const VkBindSparseInfo *infos, VkFence fence)
{
   Device &device = queue.device();
   if (device.lost())
      return VK_ERROR_DEVICE_LOST;
   auto job = std::make_shared<BindJob>();
   SparseBinder binder;
   try {
      for (uint32_t i = 0; i < infoCount; i++) {
         const VkBindSparseInfo &info = infos[i];
         const auto *timeline = findInChain<VkTimelineSemaphoreSubmitInfo>(
            info.pNext, VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO);
         for (uint32_t w = 0; w < info.waitSemaphoreCount; w++) {
            Semaphore *semaphore = Semaphore::from(info.pWaitSemaphores[w]);
            const uint64_t point = semaphore->isTimeline() && timeline && w < timeline->waitSemaphoreValueCount
                                      ? timeline->pWaitSemaphoreValues[w]
                                      : 0;
            const SyncPoint sync{semaphore->syncobj()->handle(), point};
            job->waits.push_back(sync);
            job->keepAlive.push_back(semaphore->syncobj());
            if (semaphore->isTimeline()) {
               binder.wait(sync);
               continue;
            }
            auto standIn = Syncobj::create(device.kmod());
            if (!standIn)
               return VK_ERROR_OUT_OF_HOST_MEMORY;
            binder.wait({standIn.value()->handle(), 0});
            job->binaryWaits.push_back({semaphore->syncobj(), std::move(standIn.value())});
         }
         for (uint32_t b = 0; b < info.bufferBindCount; b++) {
            const VkSparseBufferMemoryBindInfo &bufferBinds = info.pBufferBinds[b];
            const uint64_t va = Buffer::from(bufferBinds.buffer)->va();
            for (uint32_t k = 0; k < bufferBinds.bindCount; k++)
               addMemoryBind(binder, va, bufferBinds.pBinds[k]);
         }
         for (uint32_t b = 0; b < info.imageOpaqueBindCount; b++) {
            const VkSparseImageOpaqueMemoryBindInfo &imageBinds = info.pImageOpaqueBinds[b];
            const uint64_t va = Image::from(imageBinds.image)->va();
            for (uint32_t k = 0; k < imageBinds.bindCount; k++)
               addMemoryBind(binder, va, imageBinds.pBinds[k]);
         }
         for (uint32_t b = 0; b < info.imageBindCount; b++) {
            const VkSparseImageMemoryBindInfo &imageBinds = info.pImageBinds[b];
            Image *image = Image::from(imageBinds.image);
            for (uint32_t k = 0; k < imageBinds.bindCount; k++)
               addImageBind(binder, *image, imageBinds.pBinds[k]);
         }
         for (uint32_t s = 0; s < info.signalSemaphoreCount; s++) {
            Semaphore *semaphore = Semaphore::from(info.pSignalSemaphores[s]);
            const uint64_t point =
               semaphore->isTimeline() && timeline && s < timeline->signalSemaphoreValueCount
                  ? timeline->pSignalSemaphoreValues[s]
                  : 0;
            binder.signal({semaphore->syncobj()->handle(), point});
            job->signals.emplace_back(semaphore->syncobj(), point);
         }
         binder.endBatch();
      }
      if (fence != VK_NULL_HANDLE) {
         const std::shared_ptr<Syncobj> &syncobj = Fence::from(fence)->syncobj();
         binder.signal({syncobj->handle(), 0});
         job->signals.emplace_back(syncobj, 0);
      }
      job->ops = binder.finish();
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
   for (const auto &[syncobj, point] : job->signals)
      job->keepAlive.push_back(syncobj);
   if (job->ops.empty())
      return VK_SUCCESS; // nothing to bind, wait for or signal

   Device *devicePtr = &device;
   if (VkResult result = queue.worker().enqueue([devicePtr, job] { runBindJob(*devicePtr, *job); });
       result != VK_SUCCESS)
      return result;
   return device.check();
}

} // namespace

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_QueueBindSparse(VkQueue queue, uint32_t bindInfoCount, const VkBindSparseInfo *pBindInfo,
                      VkFence fence)
{
   return queueBindSparse(*Queue::from(queue), bindInfoCount, pBindInfo, fence);
}

} // extern "C"
