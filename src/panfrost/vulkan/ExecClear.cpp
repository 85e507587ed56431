// vkCmdClearColorImage and vkCmdClearDepthStencilImage on the mock GPU: the
// texel is packed once (layout/Pack.h, layout/DepthStencil.h) and every
// subresource of the ranges becomes a BoxCopy from that constant.
#include <algorithm>

#include "ExecContext.h"
#include "Image.h"
#include "ImageBox.h"
#include "layout/DepthStencil.h"
#include "layout/Format.h"
#include "layout/Pack.h"

namespace panvk {

namespace {

constexpr uint32_t kMaxTexelBytes = 16;

// Every level and layer of `range` (clipped to the image) gets `texel`
// (streamBytes bytes); `convert`: only that aspect of depth/stencil texels.
bool
clearRange(ExecContext &context, Image &image, const VkImageSubresourceRange &range,
           const uint8_t *texel, uint32_t streamBytes, VkImageAspectFlags convert)
{
   const pan::layout::ImageLayout &layout = image.layout();
   if (range.baseMipLevel >= layout.levelCount)
      return true;
   const uint32_t levels = std::min(range.levelCount, layout.levelCount - range.baseMipLevel);
   const bool is3D = image.type() == VK_IMAGE_TYPE_3D;
   for (uint32_t level = range.baseMipLevel; level < range.baseMipLevel + levels; level++) {
      const VkImageSubresourceLayers subresource{range.aspectMask, level, range.baseArrayLayer,
                                                 range.layerCount};
      // imageBox clips "everything" to the level and VK_REMAINING_ARRAY_LAYERS
      // (UINT32_MAX) to the layers left.
      const std::optional<ImageBox> box = imageBox(image, subresource, VkOffset3D{0, 0, 0}, UINT32_MAX,
                                                   UINT32_MAX, is3D ? UINT32_MAX : range.layerCount);
      if (!box)
         continue;
      BoxCopy copy;
      copy.constant = texel;
      copy.dst = BoxSide{box->surface, image.format(), convert};
      copy.width = box->width;
      copy.height = box->height;
      copy.slices = box->slices;
      copy.streamBytes = streamBytes;
      if (!copyBox(context.gpu, context.staging, copy))
         return false;
   }
   return true;
}

} // namespace

bool
execute(ExecContext &context, const CmdClearColorImage &command)
{
   if (!command.image)
      return true;
   const pan::layout::FormatInfo *format = pan::layout::formatInfo(command.image->format());
   uint8_t texel[kMaxTexelBytes] = {};
   if (!format || format->texelBytes > kMaxTexelBytes ||
       !pan::layout::packClearColor(*format, command.color, texel))
      return true; // compressed or depth/stencil: not clearable as colour
   for (const VkImageSubresourceRange &range : command.ranges) {
      if (!clearRange(context, *command.image, range, texel, format->texelBytes, 0))
         return false;
   }
   return true;
}

bool
execute(ExecContext &context, const CmdClearDepthStencilImage &command)
{
   if (!command.image)
      return true;
   const VkFormat vkFormat = command.image->format();
   const pan::layout::FormatInfo *format = pan::layout::formatInfo(vkFormat);
   if (!format || format->cls != pan::layout::NumericClass::DepthStencil ||
       format->texelBytes > kMaxTexelBytes)
      return true;
   const float depth = command.value.depth;
   const uint32_t stencil = command.value.stencil;
   for (const VkImageSubresourceRange &range : command.ranges) {
      const VkImageAspectFlags aspects = range.aspectMask & format->aspects;
      if (!aspects)
         continue;
      uint8_t texel[kMaxTexelBytes] = {};
      if (!pan::layout::packDepthStencil(vkFormat, aspects, depth, stencil, texel))
         continue;
      bool ok;
      if (aspects == format->aspects) {
         ok = clearRange(context, *command.image, range, texel, format->texelBytes, 0);
      } else {
         // One aspect of a combined format: its buffer packing, written into
         // each texel so that the other aspect stays.
         uint8_t packed[kMaxTexelBytes] = {};
         if (!pan::layout::readAspect(vkFormat, aspects, texel, packed))
            continue;
         ok = clearRange(context, *command.image, range, packed,
                         pan::layout::aspectCopyBytes(vkFormat, aspects), aspects);
      }
      if (!ok)
         return false;
   }
   return true;
}

} // namespace panvk

