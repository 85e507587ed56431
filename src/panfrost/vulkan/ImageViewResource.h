// An image view as a shader reaches it (storage image, sampled image,
// combined image sampler): texel (x, y, z, layer, level) of the view is found
// in the image's layout (linear or 64 KiB tiles, layout/ImageLayout.h) with
// the view's base level and layer added, and read or written through the MMU
// in the view's format (TexelResource).
//
// The numbers of the view's levels are worked out once, when the resource is
// made, so a texel's address is a few shifts and adds.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "TexelResource.h"

namespace panvk {

class ImageView;

class ImageViewResource final : public TexelResource {
public:
   // Null when shaders cannot reach the view: an image without memory (or
   // VA range), a compressed view format, a texel size other than the
   // image's, or no level or layer left in the image. `swizzled` applies the
   // view's component mapping to reads (sampled images; storage images are
   // identity). Throws std::bad_alloc.
   static std::unique_ptr<ImageViewResource> create(spirv::GlobalMemory &memory, ImageView &view, bool swizzled);

   uint32_t levels() const override { return uint32_t(levels_.size()); }
   uint32_t layers() const override { return layerCount_; }
   std::array<uint32_t, 3> extent(uint32_t level) const override;

private:
   struct Level {
      uint64_t offset = 0; // from the view's first layer
      uint64_t rowPitch = 0;
      uint64_t slicePitch = 0;
      uint32_t tilesX = 0;
      std::array<uint32_t, 3> extent{};
   };

   ImageViewResource(spirv::GlobalMemory &memory, const TexelFormat &format) : TexelResource(memory, format) {}
   uint64_t address(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level) const override;

   uint64_t base_ = 0; // GPU address of the view's first layer
   uint64_t layerStride_ = 0;
   uint32_t layerCount_ = 0;
   // A 2D view of a 3D image: the view's layers are depth slices from firstSlice_.
   bool layersAreSlices_ = false;
   uint32_t firstSlice_ = 0;
   bool tiled_ = false;
   uint32_t texelBytes_ = 0;
   uint32_t tileWidthLog2_ = 0;
   uint32_t tileHeightLog2_ = 0;
   std::vector<Level> levels_;
};

} // namespace panvk
