// vkCmdBlitImage on the mock GPU: row by row of the destination, source rows
// are read and unpacked (layout/Pack.h), sampled with scaling and mirroring
// (BlitSampling.h), packed into the destination format and written.
#include <algorithm>
#include <array>
#include <vector>

#include "BlitSampling.h"
#include "ExecContext.h"
#include "Image.h"
#include "ImageBox.h"
#include "layout/Format.h"
#include "layout/Pack.h"

namespace panvk {

namespace {

using pan::layout::FormatInfo;
using Texel = std::array<double, 4>; // float classes, or integers (exact below 2^53)

// Unpacked source rows: a few stay, since consecutive destination rows mostly
// read the same ones, and a linear filter reads up to four at once.
class SourceRows {
public:
   SourceRows(ExecContext &context, const ImageBox &level, const FormatInfo &format, uint32_t x0,
              uint32_t x1)
      : context_(context), level_(level), format_(format), x0_(x0), x1_(x1)
   {
   }

   // Texels [x0, x1) of row y of slice `slice`; null if the GPU failed.
   const Texel *row(uint32_t slice, uint32_t y)
   {
      for (Entry &entry : entries_) {
         if (entry.valid && entry.slice == slice && entry.y == y) {
            entry.lastUse = ++clock_;
            return entry.texels.data();
         }
      }
      Entry &victim = *std::min_element(entries_.begin(), entries_.end(),
                                        [](const Entry &a, const Entry &b) { return a.lastUse < b.lastUse; });
      victim.valid = false;
      Staging &staging = context_.staging;
      staging.pieces.clear();
      level_.surface.appendPieces(Band{x0_, x1_, y, y + 1, slice}, 0, staging.pieces);
      if (!context_.gpu.read(staging.pieces, staging.raw.get()))
         return nullptr;
      victim.texels.resize(x1_ - x0_);
      for (uint32_t i = 0; i < x1_ - x0_; i++)
         unpack(&staging.raw[uint64_t(i) * format_.texelBytes], victim.texels[i]);
      victim.valid = true;
      victim.slice = slice;
      victim.y = y;
      victim.lastUse = ++clock_;
      return victim.texels.data();
   }

private:
   struct Entry {
      bool valid = false;
      uint32_t slice = 0, y = 0;
      uint64_t lastUse = 0;
      std::vector<Texel> texels;
   };

   void unpack(const uint8_t *texel, Texel &out) const
   {
      if (format_.isInteger()) {
         int64_t values[4];
         pan::layout::unpackToInt4(format_, texel, values);
         std::copy(values, values + 4, out.begin());
      } else {
         float values[4];
         pan::layout::unpackToFloat4(format_, texel, values);
         std::copy(values, values + 4, out.begin());
      }
   }

   ExecContext &context_;
   const ImageBox &level_;
   const FormatInfo &format_;
   const uint32_t x0_, x1_;
   uint64_t clock_ = 0;
   std::array<Entry, 8> entries_;
};

void
pack(const FormatInfo &format, const Texel &texel, uint8_t *out)
{
   if (format.isInteger()) {
      int64_t values[4];
      for (int c = 0; c < 4; c++)
         values[c] = int64_t(texel[c]);
      pan::layout::packFromInt4(format, values, out);
   } else {
      float values[4];
      for (int c = 0; c < 4; c++)
         values[c] = float(texel[c]);
      pan::layout::packFromFloat4(format, values, out);
   }
}

// Destination row texels [x.dstBegin, x.dstEnd), each the weighted sum of
// its taps in up to 2 x 2 source rows (zTaps index source slices).
bool
sampleRow(SourceRows &rows, const BlitAxis &x, const BlitTaps &zTaps, const BlitTaps &yTaps,
          bool linear, uint32_t srcX0, std::vector<Texel> &out)
{
   const Texel *source[2][2];
   for (int i = 0; i < zTaps.count; i++) {
      for (int j = 0; j < yTaps.count; j++) {
         source[i][j] = rows.row(zTaps.index[i], yTaps.index[j]);
         if (!source[i][j])
            return false;
      }
   }
   for (uint32_t dx = x.dstBegin; dx < x.dstEnd; dx++) {
      const BlitTaps xTaps = x.taps(dx, linear);
      Texel sum{};
      for (int i = 0; i < zTaps.count; i++) {
         for (int j = 0; j < yTaps.count; j++) {
            for (int k = 0; k < xTaps.count; k++) {
               const double weight = zTaps.weight[i] * yTaps.weight[j] * xTaps.weight[k];
               const Texel &texel = source[i][j][xTaps.index[k] - srcX0];
               for (int c = 0; c < 4; c++)
                  sum[c] += weight * texel[c];
            }
         }
      }
      out[dx - x.dstBegin] = sum;
   }
   return true;
}

// The whole level of `subresource`, as a box from its origin.
std::optional<ImageBox>
levelBox(const Image &image, const VkImageSubresourceLayers &subresource)
{
   return imageBox(image, subresource, VkOffset3D{0, 0, 0}, UINT32_MAX, UINT32_MAX, UINT32_MAX);
}

bool
blitRegion(ExecContext &context, Image &srcImage, Image &dstImage, const VkImageBlit &region,
           VkFilter filter)
{
   const FormatInfo *srcFormat = pan::layout::formatInfo(srcImage.format());
   const FormatInfo *dstFormat = pan::layout::formatInfo(dstImage.format());
   // Both float classes or both integer, never compressed or depth/stencil
   // (what the blit format features allow); linear filtering of floats only.
   if (!srcFormat || !dstFormat || srcFormat->isInteger() != dstFormat->isInteger() ||
       !(srcFormat->isInteger() || srcFormat->isFloatClass()) ||
       !(dstFormat->isInteger() || dstFormat->isFloatClass()))
      return true;
   const bool linear = filter == VK_FILTER_LINEAR && !srcFormat->isInteger();
   const std::optional<ImageBox> src = levelBox(srcImage, region.srcSubresource);
   const std::optional<ImageBox> dst = levelBox(dstImage, region.dstSubresource);
   if (!src || !dst)
      return true;
   const bool src3D = srcImage.type() == VK_IMAGE_TYPE_3D;
   const bool dst3D = dstImage.type() == VK_IMAGE_TYPE_3D;
   const uint32_t layers =
      src3D || dst3D ? 1
                     : std::min({src->slices, dst->slices, region.srcSubresource.layerCount,
                                 region.dstSubresource.layerCount});

   const BlitAxis x(region.srcOffsets[0].x, region.srcOffsets[1].x, region.dstOffsets[0].x,
                    region.dstOffsets[1].x, src->width, dst->width);
   const BlitAxis y(region.srcOffsets[0].y, region.srcOffsets[1].y, region.dstOffsets[0].y,
                    region.dstOffsets[1].y, src->height, dst->height);
   const BlitAxis z(region.srcOffsets[0].z, region.srcOffsets[1].z, region.dstOffsets[0].z,
                    region.dstOffsets[1].z, src3D ? src->slices : 1, dst3D ? dst->slices : 1);
   if (x.empty() || y.empty() || z.empty())
      return true;
   // A row of the destination, and the source columns it reads, fit in staging.
   const auto [srcX0, srcX1] = x.sourceSpan(linear);
   if (uint64_t(srcX1 - srcX0) * srcFormat->texelBytes > Staging::kBytes ||
       uint64_t(x.dstEnd - x.dstBegin) * dstFormat->texelBytes > Staging::kBytes)
      return true;

   std::vector<Texel> row(x.dstEnd - x.dstBegin);
   for (uint32_t layer = 0; layer < layers; layer++) {
      SourceRows rows(context, *src, *srcFormat, srcX0, srcX1);
      for (uint32_t dz = z.dstBegin; dz < z.dstEnd; dz++) {
         BlitTaps zTaps = z.taps(dz, linear);
         // Array layers are slices too, one to one.
         if (!src3D)
            std::fill(zTaps.index, zTaps.index + 2, layer);
         for (uint32_t dy = y.dstBegin; dy < y.dstEnd; dy++) {
            const BlitTaps yTaps = y.taps(dy, linear);
            if (!sampleRow(rows, x, zTaps, yTaps, linear, srcX0, row))
               return false;
            Staging &staging = context.staging;
            for (size_t i = 0; i < row.size(); i++)
               pack(*dstFormat, row[i], &staging.stream[i * dstFormat->texelBytes]);
            staging.pieces.clear();
            dst->surface.appendPieces(
               Band{x.dstBegin, x.dstEnd, dy, dy + 1, dst3D ? dz : layer}, 0, staging.pieces);
            if (!context.gpu.write(staging.pieces, staging.stream.get()))
               return false;
         }
      }
   }
   return true;
}

} // namespace

bool
execute(ExecContext &context, const CmdBlitImage &command)
{
   if (!command.src || !command.dst)
      return true;
   for (const VkImageBlit &region : command.regions) {
      if (!blitRegion(context, *command.src, *command.dst, region, command.filter))
         return false;
   }
   return true;
}

} // namespace panvk
