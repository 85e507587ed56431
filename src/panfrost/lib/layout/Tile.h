// Mali's 64 KiB interleaved tile, as this project uses it: one tile is exactly
// one standard Vulkan 2D sparse image block. Extents are in texel blocks
// (texels for uncompressed formats, compressed blocks otherwise):
//   1 byte 256x256, 2 bytes 256x128, 4 bytes 128x128, 8 bytes 128x64,
//   16 bytes 64x64.
#pragma once

#include <cstdint>

#include <vulkan/vulkan_core.h>

namespace pan::layout {

constexpr uint64_t kTileBytes = 64 * 1024;
constexpr uint32_t kTileBytesLog2 = 16;

// Tile extent in texel blocks; {0, 0} unless texelBytes is 1, 2, 4, 8 or 16.
VkExtent2D tileExtent(uint32_t texelBytes);

// Tile extent in texels for a format (blocks times the block extent);
// {0, 0} for an unsupported format.
VkExtent2D tileExtentInTexels(VkFormat format);

} // namespace pan::layout
