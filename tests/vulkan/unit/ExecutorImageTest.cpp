// The mock executor on images: buffer <-> image copies land where the layout
// library puts each texel block (tiled and linear, mips, layers, 3D,
// compressed, sub-regions with buffer row length / image height), image to
// image copies (across layouts, size-compatible formats, 3D <-> array), and
// one-aspect depth/stencil copies that keep the other aspect.
#include "ExecutorFixture.h"
#include "layout/Format.h"

namespace panvk::test {
namespace {

struct ImageCase {
   const char *name;
   VkImageType type;
   VkFormat format;
   VkExtent3D extent;
   uint32_t mips, layers;
   VkImageTiling tiling;
};

class ExecutorImageTest : public ExecutorFixture {
protected:
   // Block (x, y, z) of (level, layer) of `image` in its host mapping.
   static uint8_t *texel(const HostImage &image, uint32_t level, uint32_t layer, uint32_t x,
                         uint32_t y, uint32_t z)
   {
      return image.data + pan::layout::texelOffset(*image.layout, level, layer, x, y, z);
   }
};

TEST_F(ExecutorImageTest, WholeSubresourcesRoundTripThroughTheLayout)
{
   const ImageCase cases[] = {
      {"r8 tiled", VK_IMAGE_TYPE_2D, VK_FORMAT_R8_UNORM, {300, 260, 1}, 3, 2, VK_IMAGE_TILING_OPTIMAL},
      {"rgba8 linear", VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {300, 200, 1}, 9, 3, VK_IMAGE_TILING_LINEAR},
      {"rgba16 tiled", VK_IMAGE_TYPE_2D, VK_FORMAT_R16G16B16A16_SFLOAT, {140, 70, 1}, 8, 2, VK_IMAGE_TILING_OPTIMAL},
      {"rgba32 tiled", VK_IMAGE_TYPE_2D, VK_FORMAT_R32G32B32A32_UINT, {130, 70, 1}, 8, 1, VK_IMAGE_TILING_OPTIMAL},
      {"bc1 tiled", VK_IMAGE_TYPE_2D, VK_FORMAT_BC1_RGBA_UNORM_BLOCK, {530, 270, 1}, 10, 2, VK_IMAGE_TILING_OPTIMAL},
      {"bc7 tiled", VK_IMAGE_TYPE_2D, VK_FORMAT_BC7_UNORM_BLOCK, {260, 100, 1}, 9, 1, VK_IMAGE_TILING_OPTIMAL},
      {"3d r32 tiled", VK_IMAGE_TYPE_3D, VK_FORMAT_R32_SFLOAT, {150, 131, 6}, 8, 1, VK_IMAGE_TILING_OPTIMAL},
      {"3d r32 linear", VK_IMAGE_TYPE_3D, VK_FORMAT_R32_SFLOAT, {150, 131, 6}, 3, 1, VK_IMAGE_TILING_LINEAR},
      {"1d rgba8 array", VK_IMAGE_TYPE_1D, VK_FORMAT_R8G8B8A8_UINT, {777, 1, 1}, 10, 3, VK_IMAGE_TILING_OPTIMAL},
   };
   uint32_t seed = 10;
   for (const ImageCase &c : cases) {
      SCOPED_TRACE(c.name);
      HostImage image = hostImage(c.type, c.format, c.extent, c.mips, c.layers, c.tiling);
      ASSERT_NE(nullptr, image.layout);
      const uint32_t blockBytes = image.layout->texelBytes;
      for (uint32_t level = 0; level < c.mips; level++) {
         const pan::layout::LevelLayout &l = image.layout->levels[level];
         const uint32_t slices = c.type == VK_IMAGE_TYPE_3D ? l.depth : c.layers;
         const size_t size = size_t(l.width) * l.height * slices * blockBytes;
         const std::vector<uint8_t> bytes = randomBytes(size, seed++);
         HostBuffer upload = hostBuffer(size), readback = hostBuffer(size, 0);
         memcpy(upload.data, bytes.data(), size);

         VkBufferImageCopy region{};
         region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, level, 0, c.layers};
         region.imageExtent = l.texelExtent;
         VkCommandBuffer cb = begin();
         panvk_CmdCopyBufferToImage(cb, upload.buffer, image.image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                                    1, &region);
         panvk_CmdCopyImageToBuffer(cb, image.image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                                    readback.buffer, 1, &region);
         ASSERT_EQ(VK_SUCCESS, run(cb));

         ASSERT_EQ(0, memcmp(readback.data, bytes.data(), size)) << "level " << level;
         for (uint32_t s = 0; s < slices; s++) {
            const uint32_t layer = c.type == VK_IMAGE_TYPE_3D ? 0 : s;
            const uint32_t z = c.type == VK_IMAGE_TYPE_3D ? s : 0;
            for (uint32_t y = 0; y < l.height; y++) {
               for (uint32_t x = 0; x < l.width; x++) {
                  const size_t at = ((size_t(s) * l.height + y) * l.width + x) * blockBytes;
                  ASSERT_EQ(0, memcmp(texel(image, level, layer, x, y, z), &bytes[at], blockBytes))
                     << "level " << level << " slice " << s << " (" << x << ", " << y << ")";
               }
            }
         }
      }
   }
}

TEST_F(ExecutorImageTest, SubRegionsFollowBufferRowLengthAndImageHeight)
{
   for (VkImageTiling tiling : {VK_IMAGE_TILING_OPTIMAL, VK_IMAGE_TILING_LINEAR}) {
      SCOPED_TRACE(tiling == VK_IMAGE_TILING_OPTIMAL ? "tiled" : "linear");
      HostImage image = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R8G8B8A8_UNORM, {300, 200, 1}, 2, 3, tiling);
      memset(image.data, 0xcd, image.layout->totalSize);
      const uint32_t rowLength = 170, imageHeight = 64, offset = 12;
      const size_t size = offset + size_t(rowLength) * imageHeight * 2 * 4;
      const std::vector<uint8_t> bytes = randomBytes(size, 3);
      HostBuffer upload = hostBuffer(size);
      memcpy(upload.data, bytes.data(), size);

      VkBufferImageCopy region{};
      region.bufferOffset = offset;
      region.bufferRowLength = rowLength;
      region.bufferImageHeight = imageHeight;
      region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 2};
      region.imageOffset = {37, 129, 0};
      region.imageExtent = {150, 60, 1};
      VkCommandBuffer cb = begin();
      panvk_CmdCopyBufferToImage(cb, upload.buffer, image.image, VK_IMAGE_LAYOUT_GENERAL, 1, &region);
      ASSERT_EQ(VK_SUCCESS, run(cb));

      for (uint32_t layer = 0; layer < 3; layer++) {
         for (uint32_t y = 0; y < 200; y++) {
            for (uint32_t x = 0; x < 300; x++) {
               const bool inside = layer >= 1 && x >= 37 && x < 187 && y >= 129 && y < 189;
               const uint8_t *got = texel(image, 0, layer, x, y, 0);
               if (!inside) {
                  ASSERT_EQ(0xcd, got[0]) << layer << " (" << x << ", " << y << ")";
                  continue;
               }
               const size_t at =
                  offset + ((size_t(layer - 1) * imageHeight + (y - 129)) * rowLength + (x - 37)) * 4;
               ASSERT_EQ(0, memcmp(got, &bytes[at], 4)) << layer << " (" << x << ", " << y << ")";
            }
         }
      }
   }
}

TEST_F(ExecutorImageTest, CompressedRegionsCountBlocksAndPartialEdgeBlocks)
{
   HostImage image = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_BC1_RGBA_UNORM_BLOCK, {530, 270, 1}, 1, 1,
                               VK_IMAGE_TILING_OPTIMAL);
   memset(image.data, 0, image.layout->totalSize);
   // From texel (8, 4) to the edge: 522 x 266 texels = 131 x 67 blocks, the
   // last column and row partial.
   const size_t size = 131 * 67 * 8;
   const std::vector<uint8_t> bytes = randomBytes(size, 4);
   HostBuffer upload = hostBuffer(size);
   memcpy(upload.data, bytes.data(), size);
   VkBufferImageCopy region{};
   region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
   region.imageOffset = {8, 4, 0};
   region.imageExtent = {522, 266, 1};
   VkCommandBuffer cb = begin();
   panvk_CmdCopyBufferToImage(cb, upload.buffer, image.image, VK_IMAGE_LAYOUT_GENERAL, 1, &region);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   for (uint32_t y = 0; y < 67; y++) {
      for (uint32_t x = 0; x < 131; x++)
         ASSERT_EQ(0, memcmp(texel(image, 0, 0, x + 2, y + 1, 0), &bytes[(y * 131 + x) * 8], 8));
   }
   const uint8_t zero[8] = {};
   EXPECT_EQ(0, memcmp(texel(image, 0, 0, 1, 1, 0), zero, 8));
   EXPECT_EQ(0, memcmp(texel(image, 0, 0, 2, 0, 0), zero, 8));
}

TEST_F(ExecutorImageTest, CopyImageAcrossLayoutsAndSizeCompatibleFormats)
{
   // 8-byte texels into 8-byte BC1 blocks: 16 x 8 texels become 16 x 8 blocks.
   HostImage src = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R32G32_UINT, {200, 100, 1}, 2, 2,
                             VK_IMAGE_TILING_LINEAR);
   HostImage dst = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_BC1_RGBA_UNORM_BLOCK, {512, 256, 1}, 1, 1,
                             VK_IMAGE_TILING_OPTIMAL);
   const std::vector<uint8_t> bytes = randomBytes(src.layout->totalSize, 5);
   memcpy(src.data, bytes.data(), bytes.size());
   memset(dst.data, 0, dst.layout->totalSize);
   VkImageCopy region{};
   region.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 1, 1, 1};
   region.srcOffset = {3, 5, 0};
   region.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
   region.dstOffset = {120, 200, 0};
   region.extent = {16, 8, 1};
   VkCommandBuffer cb = begin();
   panvk_CmdCopyImage(cb, src.image, VK_IMAGE_LAYOUT_GENERAL, dst.image, VK_IMAGE_LAYOUT_GENERAL, 1, &region);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   for (uint32_t y = 0; y < 8; y++) {
      for (uint32_t x = 0; x < 16; x++) {
         ASSERT_EQ(0, memcmp(texel(dst, 0, 0, 30 + x, 50 + y, 0), texel(src, 1, 1, 3 + x, 5 + y, 0), 8))
            << x << ", " << y;
      }
   }
   const uint8_t zero[8] = {};
   EXPECT_EQ(0, memcmp(texel(dst, 0, 0, 29, 50, 0), zero, 8));
   EXPECT_EQ(0, memcmp(texel(dst, 0, 0, 46, 50, 0), zero, 8));
}

TEST_F(ExecutorImageTest, SlicesOf3DImagesCopyToArrayLayers)
{
   HostImage volume = hostImage(VK_IMAGE_TYPE_3D, VK_FORMAT_R32_SFLOAT, {64, 32, 8}, 1, 1,
                                VK_IMAGE_TILING_OPTIMAL);
   HostImage array = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_R32_UINT, {64, 32, 1}, 1, 4,
                               VK_IMAGE_TILING_LINEAR);
   const std::vector<uint8_t> bytes = randomBytes(volume.layout->totalSize, 6);
   memcpy(volume.data, bytes.data(), bytes.size());
   VkImageCopy region{};
   region.srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
   region.srcOffset = {0, 0, 2};
   region.dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 3};
   region.extent = {64, 32, 3};
   VkCommandBuffer cb = begin();
   panvk_CmdCopyImage(cb, volume.image, VK_IMAGE_LAYOUT_GENERAL, array.image, VK_IMAGE_LAYOUT_GENERAL, 1, &region);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   for (uint32_t s = 0; s < 3; s++) {
      for (uint32_t y = 0; y < 32; y++) {
         for (uint32_t x = 0; x < 64; x++)
            ASSERT_EQ(0, memcmp(texel(array, 0, 1 + s, x, y, 0), texel(volume, 0, 0, x, y, 2 + s), 4));
      }
   }
}

TEST_F(ExecutorImageTest, DepthAndStencilAspectsCopySeparately)
{
   HostImage image = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_D24_UNORM_S8_UINT, {70, 40, 1}, 1, 1,
                               VK_IMAGE_TILING_OPTIMAL);
   const uint32_t texels = 70 * 40;
   // Depth as 4 bytes with junk in the top byte (ignored), stencil as 1 byte.
   HostBuffer depth = hostBuffer(texels * 4), stencil = hostBuffer(texels);
   const std::vector<uint8_t> depthBytes = randomBytes(texels * 4, 7);
   const std::vector<uint8_t> stencilBytes = randomBytes(texels, 8);
   memcpy(depth.data, depthBytes.data(), depthBytes.size());
   memcpy(stencil.data, stencilBytes.data(), stencilBytes.size());
   VkBufferImageCopy region{};
   region.imageSubresource = {VK_IMAGE_ASPECT_DEPTH_BIT, 0, 0, 1};
   region.imageExtent = {70, 40, 1};
   VkCommandBuffer cb = begin();
   panvk_CmdCopyBufferToImage(cb, depth.buffer, image.image, VK_IMAGE_LAYOUT_GENERAL, 1, &region);
   region.imageSubresource.aspectMask = VK_IMAGE_ASPECT_STENCIL_BIT;
   panvk_CmdCopyBufferToImage(cb, stencil.buffer, image.image, VK_IMAGE_LAYOUT_GENERAL, 1, &region);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   for (uint32_t i = 0; i < texels; i++) {
      uint32_t stored, given;
      memcpy(&stored, texel(image, 0, 0, i % 70, i / 70, 0), 4);
      memcpy(&given, &depthBytes[i * 4], 4);
      ASSERT_EQ((given & 0xffffff) | uint32_t(stencilBytes[i]) << 24, stored) << i;
   }

   // Read back: depth with a zero top byte, stencil alone.
   HostBuffer depthBack = hostBuffer(texels * 4, 0xff), stencilBack = hostBuffer(texels, 0);
   cb = begin();
   region.imageSubresource.aspectMask = VK_IMAGE_ASPECT_DEPTH_BIT;
   panvk_CmdCopyImageToBuffer(cb, image.image, VK_IMAGE_LAYOUT_GENERAL, depthBack.buffer, 1, &region);
   region.imageSubresource.aspectMask = VK_IMAGE_ASPECT_STENCIL_BIT;
   panvk_CmdCopyImageToBuffer(cb, image.image, VK_IMAGE_LAYOUT_GENERAL, stencilBack.buffer, 1, &region);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   for (uint32_t i = 0; i < texels; i++) {
      uint32_t got, given;
      memcpy(&got, &depthBack.data[i * 4], 4);
      memcpy(&given, &depthBytes[i * 4], 4);
      ASSERT_EQ(given & 0xffffff, got) << i;
      ASSERT_EQ(stencilBytes[i], stencilBack.data[i]) << i;
   }
}

TEST_F(ExecutorImageTest, CopyImageOfOneAspectKeepsTheOther)
{
   HostImage src = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_D32_SFLOAT_S8_UINT, {32, 32, 1}, 1, 1,
                             VK_IMAGE_TILING_OPTIMAL);
   HostImage dst = hostImage(VK_IMAGE_TYPE_2D, VK_FORMAT_D32_SFLOAT_S8_UINT, {32, 32, 1}, 1, 1,
                             VK_IMAGE_TILING_OPTIMAL);
   for (uint32_t y = 0; y < 32; y++) {
      for (uint32_t x = 0; x < 32; x++) {
         const float srcDepth = float(x) / 32, dstDepth = 0.5f;
         uint8_t *s = texel(src, 0, 0, x, y, 0), *d = texel(dst, 0, 0, x, y, 0);
         memset(s, 0, 8);
         memset(d, 0, 8);
         memcpy(s, &srcDepth, 4);
         memcpy(d, &dstDepth, 4);
         s[4] = uint8_t(x + y);
         d[4] = 0x77;
      }
   }
   VkImageCopy region{};
   region.srcSubresource = {VK_IMAGE_ASPECT_STENCIL_BIT, 0, 0, 1};
   region.dstSubresource = {VK_IMAGE_ASPECT_STENCIL_BIT, 0, 0, 1};
   region.extent = {32, 32, 1};
   VkCommandBuffer cb = begin();
   panvk_CmdCopyImage(cb, src.image, VK_IMAGE_LAYOUT_GENERAL, dst.image, VK_IMAGE_LAYOUT_GENERAL, 1, &region);
   ASSERT_EQ(VK_SUCCESS, run(cb));
   for (uint32_t y = 0; y < 32; y++) {
      for (uint32_t x = 0; x < 32; x++) {
         const uint8_t *d = texel(dst, 0, 0, x, y, 0);
         float depth;
         memcpy(&depth, d, 4);
         ASSERT_EQ(0.5f, depth);
         ASSERT_EQ(uint8_t(x + y), d[4]);
      }
   }
}

} // namespace
} // namespace panvk::test
