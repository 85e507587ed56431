// The sparse image block of each format: what vkGetPhysicalDeviceSparseImage-
// FormatProperties reports as imageGranularity, and the unit of image binds.
//
// One block is one 64 KiB tile of the Tiled64K layout (Tile.h). For 2D images
// that is exactly Vulkan's standard 2D block shape (in texel blocks: 256x256
// at 1 byte, 256x128 at 2, 128x128 at 4, 128x64 at 8, 64x64 at 16). 3D images
// are tiled slice by slice, so their block is the same tile with depth 1: not
// the standard 3D shape, hence nonstandard.
#pragma once

#include <cstdint>
#include <optional>

#include <vulkan/vulkan_core.h>

namespace pan::layout {

struct SparseBlockShape {
   VkExtent3D texels {};       // the granularity Vulkan reports, in texels
   VkExtent3D texelBlocks {};  // the same in texel blocks (differs when compressed)
   bool standard = false;      // the spec's standard shape for this image type
};

// nullopt when residency images of this format and type cannot be laid out
// in tiles: an unknown format, a texel block that is not 1, 2, 4, 8 or 16
// bytes, or an image type other than 2D and 3D.
std::optional<SparseBlockShape> sparseBlockShape(VkFormat format, VkImageType type);

} // namespace pan::layout
