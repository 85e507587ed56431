#include "MockExecutor.h"

#include <cinttypes>
#include <cstdio>
#include <new>

#include "CommandBuffer.h"
#include "Debug.h"
#include "Device.h"
#include "Event.h"
#include "ExecContext.h"

namespace panvk {

namespace {

// "GPU fault at 0x... during vkCmdCopyBuffer", or what else stopped it.
std::string
describe(const GpuFailure &failure, const char *command)
{
   char text[160];
   if (!failure.error.empty())
      snprintf(text, sizeof(text), "GPU access failed during %s: %s", command, failure.error.c_str());
   else
      snprintf(text, sizeof(text), "GPU fault at 0x%" PRIx64 " during %s%s", failure.va, command,
               failure.aborted ? " (aborted by a fault of another job)" : "");
   return text;
}

template <typename... Ts> struct Overloaded : Ts... {
   using Ts::operator()...;
};

} // namespace

std::unique_ptr<Executor>
createExecutor(Device &device)
{
   pan::kmod::MockGpu *gpu = device.kmod().mockGpu();
   if (!gpu)
      return nullptr;
   return std::unique_ptr<Executor>(new (std::nothrow) MockExecutor(device, *gpu));
}

std::unique_ptr<Staging>
MockExecutor::takeStaging()
{
   {
      std::lock_guard lock(mutex_);
      if (!spareStaging_.empty()) {
         std::unique_ptr<Staging> staging = std::move(spareStaging_.back());
         spareStaging_.pop_back();
         return staging;
      }
   }
   return std::make_unique<Staging>();
}

void
MockExecutor::returnStaging(std::unique_ptr<Staging> staging)
{
   std::lock_guard lock(mutex_);
   try {
      spareStaging_.push_back(std::move(staging));
   } catch (const std::bad_alloc &) {
      // Freed instead of kept: the next call allocates again.
   }
}

VkResult
MockExecutor::execute(CommandBuffer &commandBuffer)
{
   if (device_.lost())
      return VK_ERROR_DEVICE_LOST;
   bool ok;
   try {
      std::unique_ptr<Staging> staging = takeStaging();
      ok = run(*staging, commandBuffer.commands(), false);
      returnStaging(std::move(staging));
   } catch (const std::bad_alloc &) {
      // Work already submitted cannot report "out of host memory": it is
      // lost, and so is the device.
      device_.markLost("out of host memory while executing a command buffer");
      ok = false;
   }
   return ok ? VK_SUCCESS : VK_ERROR_DEVICE_LOST;
}

bool
MockExecutor::run(Staging &staging, const std::vector<Command> &commands, bool secondary)
{
   // Each command buffer, secondaries included, starts with no compute state.
   ComputeState compute(device_);
   for (const Command &command : commands) {
      if (const auto *execute = std::get_if<CmdExecuteCommands>(&command)) {
         // Secondaries do not nest (Vulkan 1.1); recording never links them.
         if (secondary)
            continue;
         for (CommandBuffer *child : execute->secondaries) {
            if (!run(staging, child->commands(), true))
               return false;
         }
         continue;
      }
      if (debugEnabled(kDebugExec))
         debugLog("exec: %s", commandName(command));
      if (!run(staging, compute, command))
         return false;
   }
   return true;
}

bool
MockExecutor::run(Staging &staging, ComputeState &compute, const Command &command)
{
   GpuTransfer gpu(gpu_, device_.vm().id());
   ExecContext context{gpu, staging, &compute};
   const bool ok = std::visit(
      Overloaded{
         [](const CmdPipelineBarrier &) { return true; }, // commands run in order anyway
         [](const CmdExecuteCommands &) { return true; },  // run(commands) enters them
         [](const CmdSetEvent &c) {
            c.event->set(); // every earlier command has run
            return true;
         },
         [](const CmdResetEvent &c) {
            c.event->reset();
            return true;
         },
         [this](const CmdWaitEvents &c) {
            for (Event *event : c.events) {
               if (!event->waitSet([this] { return device_.lost(); }))
                  return false;
            }
            return true;
         },
         [&context](const auto &other) { return panvk::execute(context, other); },
      },
      command);
   if (ok)
      return true;
   if (gpu.failure())
      device_.markLost(describe(*gpu.failure(), commandName(command)));
   return false;
}

} // namespace panvk
