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

// Staging-sized chunks: read into staging, then write out. The MMU does not
// let one access run inside another's visitor (a concurrent bind of the
// outer range would deadlock with the inner page walk), so the two sides
// cannot be copied directly into each other.
bool
execCopyBuffer(ExecContext &context, const CmdCopyBuffer &command)
{
   if (!command.src || !command.dst)
      return true;
   uint8_t *staging = context.staging.stream.get();
   for (const VkBufferCopy &region : command.regions) {
      const uint64_t size = std::min(clippedSize(command.src->size(), region.srcOffset, region.size),
                                     clippedSize(command.dst->size(), region.dstOffset, region.size));
      const uint64_t src = command.src->va() + region.srcOffset;
      const uint64_t dst = command.dst->va() + region.dstOffset;
      for (uint64_t done = 0; done < size; done += Staging::kBytes) {
         const uint64_t chunk = std::min(size - done, Staging::kBytes);
         if (!context.gpu.read(src + done, staging, chunk) ||
             !context.gpu.write(dst + done, staging, chunk))
            return false;
      }
   }
   return true;
}

bool
execFillBuffer(ExecContext &context, const CmdFillBuffer &command)
{
   if (!command.dst)
      return true;
   const uint64_t size = clippedSize(command.dst->size(), command.offset, command.size) & ~3ull;
   if (size == 0)
      return true;
   return context.gpu.fill(command.dst->va() + command.offset, size, command.data);
}

bool
execUpdateBuffer(ExecContext &context, const CmdUpdateBuffer &command)
{
   if (!command.dst)
      return true;
   const uint64_t size = clippedSize(command.dst->size(), command.offset, command.data.size());
   if (size == 0)
      return true;
   return context.gpu.write(command.dst->va() + command.offset, command.data.data(), size);
}

} // namespace panvk
