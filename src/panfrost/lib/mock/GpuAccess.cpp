// Transfers as the GPU does them: through the MMU, one physically contiguous
// run at a time (a 2 MiB block or a stretch of contiguous pages is one memcpy).
#include <cstring>

#include "mock/Mmu.h"

namespace pan::mock {

AccessResult
Mmu::copyToGpu(Vm &vm, uint64_t va, const void *data, uint64_t size)
{
   const auto *source = static_cast<const uint8_t *>(data);
   return access(vm, va, size, AccessKind::Write,
                 [source](uint8_t *host, uint64_t length, uint64_t offset) {
                    std::memcpy(host, source + offset, length);
                 });
}

AccessResult
Mmu::copyFromGpu(Vm &vm, uint64_t va, void *data, uint64_t size, AccessKind kind)
{
   auto *dest = static_cast<uint8_t *>(data);
   return access(vm, va, size, kind, [dest](uint8_t *host, uint64_t length, uint64_t offset) {
      std::memcpy(dest + offset, host, length);
   });
}

AccessResult
Mmu::fill(Vm &vm, uint64_t va, uint64_t size, uint32_t pattern)
{
   uint8_t bytes[4];
   for (unsigned i = 0; i < 4; i++)
      bytes[i] = uint8_t(pattern >> (8 * i));
   if (bytes[0] == bytes[1] && bytes[0] == bytes[2] && bytes[0] == bytes[3])
      return fillBytes(vm, va, size, bytes[0]);
   return access(vm, va, size, AccessKind::Write,
                 [&bytes](uint8_t *host, uint64_t length, uint64_t offset) {
                    // Byte by byte up to a pattern boundary, then whole words.
                    uint64_t i = 0;
                    for (; i < length && (offset + i) % 4; i++)
                       host[i] = bytes[(offset + i) % 4];
                    for (; i + 4 <= length; i += 4)
                       std::memcpy(host + i, bytes, 4);
                    for (; i < length; i++)
                       host[i] = bytes[(offset + i) % 4];
                 });
}

AccessResult
Mmu::fillBytes(Vm &vm, uint64_t va, uint64_t size, uint8_t value)
{
   return access(vm, va, size, AccessKind::Write,
                 [value](uint8_t *host, uint64_t length, uint64_t) {
                    std::memset(host, value, length);
                 });
}

} // namespace pan::mock
