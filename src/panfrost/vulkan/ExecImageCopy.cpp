// vkCmdCopyImage, vkCmdCopyBufferToImage, vkCmdCopyImageToBuffer on the mock
// GPU: each region becomes a BoxCopy between two Surfaces.
#include <algorithm>

#include "Buffer.h"
#include "ExecContext.h"
#include "Image.h"
#include "ImageBox.h"
#include "layout/DepthStencil.h"
#include "layout/Format.h"

namespace panvk {

namespace {

using pan::layout::FormatInfo;
using pan::layout::NumericClass;

// The aspect a side converts (0: whole texels move) and the bytes a texel
// takes in staging, for copying `aspects` of a `format` image; false if this
// cannot be copied.
bool
aspectCopy(const FormatInfo &format, VkImageAspectFlags aspects, VkImageAspectFlags *convert,
           uint32_t *streamBytes)
{
   if (format.cls != NumericClass::DepthStencil || aspects == format.aspects) {
      *convert = 0;
      *streamBytes = format.texelBytes;
      return true;
   }
   *convert = aspects;
   *streamBytes = pan::layout::aspectCopyBytes(format.format, aspects);
   return *streamBytes != 0;
}

// One region between a buffer and an image, in either direction.
bool
copyBufferImage(ExecContext &context, Buffer &buffer, Image &image, const VkBufferImageCopy &region,
                bool toImage)
{
   const FormatInfo *format = pan::layout::formatInfo(image.format());
   if (!format)
      return true;
   const VkImageSubresourceLayers &subresource = region.imageSubresource;
   // The buffer packing of a depth/stencil aspect differs from its storage,
   // so that side always converts (buffer copies name one aspect).
   const bool depthStencil = format->cls == NumericClass::DepthStencil;
   const VkImageAspectFlags convert = depthStencil ? subresource.aspectMask : 0;
   const uint32_t streamBytes = depthStencil ? pan::layout::aspectCopyBytes(image.format(), convert)
                                             : format->texelBytes;
   if (!streamBytes)
      return true;

   const VkExtent3D &extent = region.imageExtent;
   const std::optional<ImageBox> box =
      imageBox(image, subresource, region.imageOffset, blocksOf(extent.width, format->blockWidth),
               blocksOf(extent.height, format->blockHeight), regionSlices(image, subresource, extent));
   if (!box)
      return true;
   const uint32_t rowBlocks = blocksOf(region.bufferRowLength ? region.bufferRowLength : extent.width,
                                       format->blockWidth);
   const uint32_t rowsPerSlice = blocksOf(
      region.bufferImageHeight ? region.bufferImageHeight : extent.height, format->blockHeight);
   if (rowBlocks < box->width || rowsPerSlice < box->height)
      return true;
   const Surface bufferSide =
      Surface::buffer(buffer.va(), region.bufferOffset, streamBytes, rowBlocks, rowsPerSlice);
   // The box must end inside the buffer (pitches come from the application,
   // so the end is computed without overflow).
   using Wide = unsigned __int128;
   const Wide end = Wide(region.bufferOffset) +
                    Wide(box->slices - 1) * rowsPerSlice * rowBlocks * streamBytes +
                    Wide(box->height - 1) * rowBlocks * streamBytes + Wide(box->width) * streamBytes;
   if (end > buffer.size())
      return true;

   BoxCopy copy;
   const BoxSide imageSide{box->surface, image.format(), convert};
   copy.src = toImage ? BoxSide{bufferSide} : imageSide;
   copy.dst = toImage ? imageSide : BoxSide{bufferSide};
   copy.width = box->width;
   copy.height = box->height;
   copy.slices = box->slices;
   copy.streamBytes = streamBytes;
   return copyBox(context.gpu, context.staging, copy);
}

} // namespace

bool
execute(ExecContext &context, const CmdCopyBufferToImage &command)
{
   if (!command.src || !command.dst)
      return true;
   for (const VkBufferImageCopy &region : command.regions) {
      if (!copyBufferImage(context, *command.src, *command.dst, region, true))
         return false;
   }
   return true;
}

bool
execute(ExecContext &context, const CmdCopyImageToBuffer &command)
{
   if (!command.src || !command.dst)
      return true;
   for (const VkBufferImageCopy &region : command.regions) {
      if (!copyBufferImage(context, *command.dst, *command.src, region, false))
         return false;
   }
   return true;
}

bool
execute(ExecContext &context, const CmdCopyImage &command)
{
   if (!command.src || !command.dst)
      return true;
   const FormatInfo *srcFormat = pan::layout::formatInfo(command.src->format());
   const FormatInfo *dstFormat = pan::layout::formatInfo(command.dst->format());
   if (!srcFormat || !dstFormat)
      return true;
   for (const VkImageCopy &region : command.regions) {
      VkImageAspectFlags srcConvert, dstConvert;
      uint32_t streamBytes, dstStreamBytes;
      if (!aspectCopy(*srcFormat, region.srcSubresource.aspectMask, &srcConvert, &streamBytes) ||
          !aspectCopy(*dstFormat, region.dstSubresource.aspectMask, &dstConvert, &dstStreamBytes) ||
          streamBytes != dstStreamBytes)
         continue;
      // The extent is in source texels; both sides move the same blocks
      // (a compressed block and a texel of the same size are one block).
      const uint32_t width = blocksOf(region.extent.width, srcFormat->blockWidth);
      const uint32_t height = blocksOf(region.extent.height, srcFormat->blockHeight);
      const uint32_t slices =
         std::min(regionSlices(*command.src, region.srcSubresource, region.extent),
                  regionSlices(*command.dst, region.dstSubresource, region.extent));
      const std::optional<ImageBox> src =
         imageBox(*command.src, region.srcSubresource, region.srcOffset, width, height, slices);
      const std::optional<ImageBox> dst =
         imageBox(*command.dst, region.dstSubresource, region.dstOffset, width, height, slices);
      if (!src || !dst)
         continue;

      BoxCopy copy;
      copy.src = BoxSide{src->surface, command.src->format(), srcConvert};
      copy.dst = BoxSide{dst->surface, command.dst->format(), dstConvert};
      copy.width = std::min(src->width, dst->width);
      copy.height = std::min(src->height, dst->height);
      copy.slices = std::min(src->slices, dst->slices);
      copy.streamBytes = streamBytes;
      if (!copyBox(context.gpu, context.staging, copy))
         return false;
   }
   return true;
}

} // namespace panvk
