// vkCmdCopyBuffer, vkCmdFillBuffer, vkCmdUpdateBuffer on the mock GPU.
#include <algorithm>

#include "Buffer.h"
#include "ExecContext.h"

namespace panvk {

namespace {

// How much of [offset, offset + size) lies inside a buffer of `bufferSize`.
uint64_t
clippedSize(uint64_t bufferSize, uint64_t offset, uint64_t size)
{
   return offset >= bufferSize ? 0 : std::min(size, bufferSize - offset);
}

} // namespace

bool
execute(ExecContext &context, const CmdCopyBuffer &command)
{
   if (!command.src || !command.dst)
      return true;
   for (const VkBufferCopy &region : command.regions) {
      const uint64_t size = std::min(clippedSize(command.src->size(), region.srcOffset, region.size),
                                     clippedSize(command.dst->size(), region.dstOffset, region.size));
      if (!context.gpu.copy(command.dst->va() + region.dstOffset, command.src->va() + region.srcOffset,
                            size))
         return false;
   }
   return true;
}

bool
execute(ExecContext &context, const CmdFillBuffer &command)
{
   if (!command.dst)
      return true;
   const uint64_t size = clippedSize(command.dst->size(), command.offset, command.size) & ~3ull;
   if (size == 0)
      return true;
   return context.gpu.fill(command.dst->va() + command.offset, size, command.data);
}

bool
execute(ExecContext &context, const CmdUpdateBuffer &command)
{
   if (!command.dst)
      return true;
   const uint64_t size = clippedSize(command.dst->size(), command.offset, command.data.size());
   if (size == 0)
      return true;
   return context.gpu.write(command.dst->va() + command.offset, command.data.data(), size);
}

} // namespace panvk
