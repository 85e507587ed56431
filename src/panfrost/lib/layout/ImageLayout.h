// Where every texel of an image lives, for the two layouts the driver uses.
//
// Common to both: an image is `arrayLayers` layers of `layerStride` bytes each,
// layer-major (a layer holds all its mip levels, level 0 first), so the mip
// levels of one layer, and hence its mip tail, are contiguous. Coordinates
// (x, y, z) and level extents are in texel blocks (texels for uncompressed
// formats, 4x4 blocks for compressed ones).
//
// Linear: a row of texel blocks is width * texelBytes rounded up to 64 bytes
// (rowPitch); a depth slice is rowPitch * height (slicePitch); each level
// starts 64-byte aligned; layerStride is a multiple of 64; alignment 64.
//
// Tiled64K: each level is a grid of whole 64 KiB tiles (Tile.h) per depth
// slice, tiles row-major over the level, then slice by slice. Inside a tile,
// texel blocks are row-major: tile-local (y * tileWidth + x) * texelBytes.
// rowPitch is tilesX * 64 KiB (bytes between rows of tiles), slicePitch
// tilesX * tilesY * 64 KiB. Level offsets, layerStride and alignment are
// multiples of 64 KiB. 1D images are linear-only (computeLayout refuses a
// tiled 1D image): a 64 KiB tile per 256 texels would waste almost all of it,
// and Vulkan has no sparse residency for 1D images.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>

#include <vulkan/vulkan_core.h>

namespace pan::layout {

enum class Tiling : uint8_t { Linear, Tiled64K };

struct ImageDesc {
   VkImageType type = VK_IMAGE_TYPE_2D;
   VkFormat format = VK_FORMAT_UNDEFINED;
   VkExtent3D extent {1, 1, 1}; // in texels
   uint32_t mipLevels = 1;
   uint32_t arrayLayers = 1;
   Tiling tiling = Tiling::Linear;
};

struct LevelLayout {
   uint64_t offset = 0;      // from the start of the layer
   uint64_t size = 0;        // bytes, all slices
   uint64_t rowPitch = 0;    // linear: per row of texel blocks; tiled: per row of tiles
   uint64_t slicePitch = 0;  // bytes between depth slices
   uint32_t tilesX = 0;      // tiles across and down one slice (0 when linear)
   uint32_t tilesY = 0;
   uint32_t width = 0;       // extent in texel blocks
   uint32_t height = 0;
   uint32_t depth = 0;
   VkExtent3D texelExtent {}; // extent in texels (what Vulkan calls the mip extent)
};

constexpr uint32_t kMaxMipLevels = 32;
constexpr uint64_t kLinearAlignment = 64;
constexpr uint64_t kInvalidOffset = std::numeric_limits<uint64_t>::max();

struct ImageLayout {
   ImageDesc desc;
   uint32_t texelBytes = 0;
   uint32_t blockWidth = 1;   // texel block extent in texels
   uint32_t blockHeight = 1;
   VkExtent2D tileExtent {};  // in texel blocks; {0, 0} when linear
   uint32_t tileWidthLog2 = 0;
   uint32_t tileHeightLog2 = 0;
   uint32_t levelCount = 0;
   uint32_t layerCount = 0;
   std::array<LevelLayout, kMaxMipLevels> levels {};
   uint64_t layerStride = 0;
   uint64_t totalSize = 0;
   uint64_t alignment = 0;    // the layout's own minimum; a driver may ask for more

   bool tiled() const { return desc.tiling == Tiling::Tiled64K; }
};

// nullopt for an unsupported format, a bad description (zero extent or counts,
// extents the image type does not allow, too many mip levels, a 3D array) or a
// tiled 1D image, or a size that does not fit in 64 bits.
std::optional<ImageLayout> computeLayout(const ImageDesc &desc);

// Byte offset of the start of (level, layer) from the start of the image;
// kInvalidOffset when out of range.
uint64_t subresourceOffset(const ImageLayout &layout, uint32_t level, uint32_t layer);

// Byte offset of texel block (x, y, z) of (level, layer) from the start of the
// image; kInvalidOffset when anything is out of range.
uint64_t texelOffset(const ImageLayout &layout, uint32_t level, uint32_t layer, uint32_t x,
                     uint32_t y, uint32_t z);

} // namespace pan::layout
