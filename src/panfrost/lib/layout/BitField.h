// Reading and writing a bit range of a texel held as little-endian bytes.
// Ranges are at most 32 bits wide; only the bytes the range covers are touched,
// so a texel buffer of exactly texelBytes is never overrun.
#pragma once

#include <cstdint>

namespace pan::layout {

inline uint32_t readBits(const uint8_t *bytes, uint32_t bitOffset, uint32_t bitWidth)
{
   const uint32_t first = bitOffset / 8;
   const uint32_t last = (bitOffset + bitWidth - 1) / 8;
   uint64_t gathered = 0;
   for (uint32_t i = first; i <= last; ++i)
      gathered |= uint64_t(bytes[i]) << (8 * (i - first));
   const uint64_t mask = (uint64_t(1) << bitWidth) - 1;
   return static_cast<uint32_t>((gathered >> (bitOffset % 8)) & mask);
}

inline void writeBits(uint8_t *bytes, uint32_t bitOffset, uint32_t bitWidth, uint32_t value)
{
   const uint32_t first = bitOffset / 8;
   const uint32_t last = (bitOffset + bitWidth - 1) / 8;
   const uint32_t shift = bitOffset % 8;
   const uint64_t mask = ((uint64_t(1) << bitWidth) - 1) << shift;
   const uint64_t bits = (uint64_t(value) << shift) & mask;
   for (uint32_t i = first; i <= last; ++i) {
      const uint32_t byteShift = 8 * (i - first);
      const auto keep = static_cast<uint8_t>(~(mask >> byteShift));
      bytes[i] = static_cast<uint8_t>((bytes[i] & keep) | (bits >> byteShift));
   }
}

} // namespace pan::layout
