// An image for interpreter tests: texels as Texel lanes in host memory, mip
// levels halving down to 1, and counts of the accesses. Every access the
// interpreter makes must be inside the image (it checks bounds first):
// `outside` counts the ones that are not. `faulting` makes every access
// fail, as a fault on unmapped memory would.
#pragma once

#include <algorithm>
#include <bit>
#include <vector>

#include "spirv/Interpreter.h"

namespace panvk::spirv::test {

class FakeImage : public ImageResource {
public:
   FakeImage(TexelKind kind, std::array<uint32_t, 3> extent, uint32_t levels = 1, uint32_t layers = 1)
      : kind_(kind), extent_(extent), levels_(levels), layers_(layers)
   {
      for (uint32_t level = 0; level < levels; ++level) {
         firstTexel_.push_back(texels_.size());
         const auto size = this->extent(level);
         texels_.resize(texels_.size() + size_t(size[0]) * size[1] * size[2] * layers);
      }
   }

   // Sets every texel to `pattern(x, y, z, layer, level)`.
   template <typename Pattern> void fill(const Pattern &pattern)
   {
      for (uint32_t level = 0; level < levels_; ++level) {
         const auto size = extent(level);
         for (uint32_t layer = 0; layer < layers_; ++layer)
            for (uint32_t z = 0; z < size[2]; ++z)
               for (uint32_t y = 0; y < size[1]; ++y)
                  for (uint32_t x = 0; x < size[0]; ++x)
                     at(x, y, z, layer, level) = pattern(x, y, z, layer, level);
      }
   }

   Texel &at(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level)
   {
      const auto size = extent(level);
      return texels_[firstTexel_[level] + ((size_t(layer) * size[2] + z) * size[1] + y) * size[0] + x];
   }

   TexelKind kind() const override { return kind_; }
   uint32_t levels() const override { return levels_; }
   uint32_t layers() const override { return layers_; }
   std::array<uint32_t, 3> extent(uint32_t level) const override
   {
      return {std::max(extent_[0] >> level, 1u), std::max(extent_[1] >> level, 1u),
              std::max(extent_[2] >> level, 1u)};
   }
   bool read(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level, Texel &out) override
   {
      ++reads;
      if (!inside(x, y, z, layer, level))
         return false;
      out = at(x, y, z, layer, level);
      return !faulting;
   }
   bool write(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level, const Texel &in) override
   {
      ++writes;
      if (!inside(x, y, z, layer, level) || faulting)
         return false;
      at(x, y, z, layer, level) = in;
      return true;
   }
   bool atomic(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level,
               const std::function<void(uint32_t &word)> &update) override
   {
      ++atomics;
      if (!inside(x, y, z, layer, level) || faulting || kind_ == TexelKind::Float)
         return false;
      update(at(x, y, z, layer, level).lanes[0]);
      return true;
   }

   uint64_t reads = 0, writes = 0, atomics = 0, outside = 0;
   bool faulting = false;

private:
   bool inside(uint32_t x, uint32_t y, uint32_t z, uint32_t layer, uint32_t level)
   {
      const bool ok = level < levels_ && layer < layers_ && x < extent(level)[0] && y < extent(level)[1] &&
                      z < extent(level)[2];
      outside += !ok;
      return ok;
   }

   TexelKind kind_;
   std::array<uint32_t, 3> extent_;
   uint32_t levels_, layers_;
   std::vector<size_t> firstTexel_;
   std::vector<Texel> texels_;
};

inline Texel
floatTexel(float r, float g, float b, float a)
{
   return Texel{{std::bit_cast<uint32_t>(r), std::bit_cast<uint32_t>(g), std::bit_cast<uint32_t>(b),
                 std::bit_cast<uint32_t>(a)}};
}

inline std::array<float, 4>
floats(const Texel &texel)
{
   return {std::bit_cast<float>(texel.lanes[0]), std::bit_cast<float>(texel.lanes[1]),
           std::bit_cast<float>(texel.lanes[2]), std::bit_cast<float>(texel.lanes[3])};
}

} // namespace panvk::spirv::test
