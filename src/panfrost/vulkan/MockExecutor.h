// The executor of the mock GPU: runs a command buffer's commands in order on
// the CPU, touching GPU memory only through the mock GPU's MMU
// (GpuTransfer.h). A GPU fault the kernel could not handle stops the command
// buffer and makes the device lost.
//
// One executor serves every queue of the device, so execute() runs on
// several queue threads at once: each call takes a staging area of its own
// from a pool (no lock is held while commands run, so a queue waiting in
// vkCmdWaitEvents never stops another queue that would set the event).
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "BoxCopy.h"
#include "Commands.h"
#include "ComputeState.h"
#include "Executor.h"
#include "kmod/MockGpu.h"

namespace panvk {

class MockExecutor final : public Executor {
public:
   MockExecutor(Device &device, pan::kmod::MockGpu &gpu) : device_(device), gpu_(gpu) {}

   VkResult execute(CommandBuffer &commandBuffer) override;

private:
   // False when the device became lost.
   bool run(Staging &staging, const std::vector<Command> &commands, bool secondary);
   bool run(Staging &staging, ComputeState &compute, const Command &command);

   // Throws std::bad_alloc when a new one cannot be allocated.
   std::unique_ptr<Staging> takeStaging();
   void returnStaging(std::unique_ptr<Staging> staging);

   Device &device_;
   pan::kmod::MockGpu &gpu_;
   std::mutex mutex_;
   std::vector<std::unique_ptr<Staging>> spareStaging_; // guarded by mutex_
};

} // namespace panvk
