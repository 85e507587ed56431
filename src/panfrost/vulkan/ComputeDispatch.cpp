#include "ComputeDispatch.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "Buffer.h"
#include "ComputeState.h"
#include "DescriptorSet.h"
#include "Device.h"
#include "DispatchImages.h"
#include "ExecContext.h"
#include "Pipeline.h"
#include "kmod/Device.h"
#include "spirv/Interpreter.h"

namespace panvk {

namespace {

// The interpreter's memory: the device's VM as the GPU's MMU sees it.
class MmuMemory final : public spirv::GlobalMemory {
public:
   MmuMemory(GpuTransfer &gpu, pan::kmod::MockGpu &mock, uint32_t vmId) : gpu_(gpu), mock_(mock), vmId_(vmId) {}

   bool read(uint64_t va, void *data, uint64_t size) override { return gpu_.read(va, data, size); }
   bool write(uint64_t va, const void *data, uint64_t size) override { return gpu_.write(va, data, size); }
   bool atomic(uint64_t va, const std::function<void(uint32_t &)> &update) override
   {
      auto result = mock_.access(vmId_, va, 4, pan::kmod::MockGpu::Access::Atomic,
                                 [&update](uint8_t *host, uint64_t length, uint64_t) {
                                    if (length == 4)
                                       update(*reinterpret_cast<uint32_t *>(host));
                                 });
      if (result && result->ok())
         return true;
      char text[96];
      snprintf(text, sizeof(text), "GPU fault at 0x%" PRIx64 " (atomic)", va);
      atomicFault_ = text;
      return false;
   }
   const std::string &atomicFault() const { return atomicFault_; }

private:
   GpuTransfer &gpu_;
   pan::kmod::MockGpu &mock_;
   uint32_t vmId_;
   std::string atomicFault_;
};

bool
dispatch(ExecContext &context, const std::array<uint32_t, 3> &base, const std::array<uint32_t, 3> &count,
         const char *command)
{
   if (!context.compute)
      return true;
   ComputeState &state = *context.compute;
   Device &device = state.device;
   if (count[0] == 0 || count[1] == 0 || count[2] == 0 || !state.pipeline)
      return true;
   pan::kmod::MockGpu *mock = device.kmod().mockGpu();
   if (!mock)
      return false;
   MmuMemory memory(context.gpu, *mock, device.vm().id());
   spirv::DispatchInputs inputs;
   inputs.memory = &memory;
   inputs.pushConstants = state.pushConstants;
   inputs.baseGroup = base;
   inputs.groupCount = count;
   inputs.buffers = [&state](uint32_t set, uint32_t binding, uint32_t index) -> std::optional<spirv::BufferView> {
      if (set >= kMaxBoundSets || !state.sets[set].set)
         return std::nullopt;
      const ComputeState::BoundSet &bound = state.sets[set];
      const std::optional<BufferDescriptor> d = bound.set->buffer(binding, index);
      if (!d || !d->buffer->va())
         return std::nullopt;
      uint64_t offset = d->offset;
      if (d->dynamic && d->dynamicIndex < bound.dynamicOffsets.size())
         offset += bound.dynamicOffsets[d->dynamicIndex];
      return spirv::BufferView{d->buffer->va() + offset, d->range};
   };
   // Image resources live as long as the dispatch; their accesses go through
   // the same MMU view as the buffers'.
   DispatchImages images(state, memory);
   inputs.images = images.imageLookup();
   inputs.samplers = images.samplerLookup();
   spirv::Interpreter interpreter(state.pipeline->module());
   if (interpreter.dispatch(inputs))
      return true;
   // A failed MMU access is described by the executor from context.gpu.
   if (!context.gpu.failure()) {
      const std::string why = !memory.atomicFault().empty() ? memory.atomicFault() : interpreter.error();
      device.markLost(why + " during " + command);
   }
   return false;
}

} // namespace

bool
execute(ExecContext &context, const CmdBindPipeline &command)
{
   if (!context.compute)
      return true;
   context.compute->pipeline = command.pipeline;
   return true;
}

bool
execute(ExecContext &context, const CmdBindDescriptorSets &command)
{
   if (!context.compute)
      return true;
   for (size_t i = 0; i < command.sets.size(); ++i) {
      const size_t index = command.firstSet + i;
      if (index >= kMaxBoundSets)
         break;
      context.compute->sets[index] = {command.sets[i], command.dynamicOffsets[i]};
   }
   return true;
}

bool
execute(ExecContext &context, const CmdPushConstants &command)
{
   if (!context.compute)
      return true;
   auto &bytes = context.compute->pushConstants;
   if (command.offset >= bytes.size())
      return true;
   const size_t size = std::min<size_t>(command.data.size(), bytes.size() - command.offset);
   memcpy(bytes.data() + command.offset, command.data.data(), size);
   return true;
}

bool
execute(ExecContext &context, const CmdDispatch &command)
{
   return dispatch(context, command.baseGroup, command.groupCount, "vkCmdDispatch");
}

bool
execute(ExecContext &context, const CmdDispatchIndirect &command)
{
   if (!context.compute || !command.buffer || command.offset > command.buffer->size() ||
       command.buffer->size() - command.offset < sizeof(VkDispatchIndirectCommand))
      return true;
   VkDispatchIndirectCommand counts{};
   if (!context.gpu.read(command.buffer->va() + command.offset, &counts, sizeof(counts)))
      return false;
   // Counts beyond the device's limit are invalid; a GPU would not run them either.
   constexpr uint32_t kMaxGroups = 65535;
   if (counts.x > kMaxGroups || counts.y > kMaxGroups || counts.z > kMaxGroups)
      return true;
   return dispatch(context, {0, 0, 0}, {counts.x, counts.y, counts.z}, "vkCmdDispatchIndirect");
}

} // namespace panvk
