#include "layout/RowRuns.h"

#include <gtest/gtest.h>

#include <vector>

#include "LayoutTestImages.h"

namespace pan::layout {
namespace {

std::vector<Run> collect(const ImageLayout &layout, uint32_t level, uint32_t layer, uint32_t y,
                         uint32_t z, uint32_t x0, uint32_t x1, bool *ok = nullptr)
{
   std::vector<Run> runs;
   const bool result = forEachRowRun(layout, level, layer, y, z, x0, x1,
                                     [&](const Run &run) { runs.push_back(run); });
   if (ok)
      *ok = result;
   return runs;
}

// Expands runs texel by texel and compares with texelOffset.
void expectRunsMatchTexelOffset(const ImageLayout &layout, uint32_t level, uint32_t layer,
                                uint32_t y, uint32_t z, uint32_t x0, uint32_t x1)
{
   bool ok = false;
   const std::vector<Run> runs = collect(layout, level, layer, y, z, x0, x1, &ok);
   ASSERT_TRUE(ok);
   uint32_t x = x0;
   for (const Run &run : runs) {
      ASSERT_GT(run.texels, 0u);
      if (layout.tiled()) {
         ASSERT_LE(run.texels, layout.tileExtent.width);
      }
      for (uint32_t i = 0; i < run.texels; ++i, ++x) {
         ASSERT_LT(x, x1);
         ASSERT_EQ(run.offset + uint64_t(i) * layout.texelBytes,
                   texelOffset(layout, level, layer, x, y, z))
            << "level " << level << " layer " << layer << " x " << x << " y " << y << " z " << z;
      }
   }
   ASSERT_EQ(x, x1);
   if (!layout.tiled()) {
      EXPECT_EQ(runs.size(), x0 == x1 ? 0u : 1u);
   } else if (x0 < x1) {
      const uint32_t tw = layout.tileExtent.width;
      EXPECT_EQ(runs.size(), (x1 - 1) / tw - x0 / tw + 1);
   }
}

TEST(RowRunTest, AgreesWithTexelOffsetEverywhere)
{
   for (const auto &image : testing::walkableImages()) {
      SCOPED_TRACE(image.name);
      const auto layout = computeLayout(image.desc);
      ASSERT_TRUE(layout);
      for (uint32_t layer = 0; layer < layout->layerCount; ++layer) {
         for (uint32_t level = 0; level < layout->levelCount; ++level) {
            const LevelLayout &l = layout->levels[level];
            for (uint32_t z = 0; z < l.depth; ++z) {
               for (uint32_t y = 0; y < l.height; y += 7) {
                  const uint32_t w = l.width;
                  const uint32_t segments[][2] = {
                     {0, w}, {w / 3, w}, {w / 2, w / 2 + 1}, {1u < w ? 1u : 0u, w - w / 4},
                     {w, w},
                  };
                  for (const auto &segment : segments)
                     expectRunsMatchTexelOffset(*layout, level, layer, y, z, segment[0],
                                                segment[1]);
               }
            }
         }
      }
   }
}

TEST(RowRunTest, TiledRowSplitsAtTileEdges)
{
   ImageDesc desc;
   desc.format = VK_FORMAT_R8G8B8A8_UNORM;
   desc.extent = {300, 200, 1};
   desc.tiling = Tiling::Tiled64K;
   const auto layout = computeLayout(desc);
   ASSERT_TRUE(layout);
   const auto runs = collect(*layout, 0, 0, 130, 0, 100, 300);
   ASSERT_EQ(runs.size(), 3u);
   EXPECT_EQ(runs[0].texels, 28u);
   EXPECT_EQ(runs[1].texels, 128u);
   EXPECT_EQ(runs[2].texels, 44u);
   EXPECT_EQ(runs[0].offset, 3 * kTileBytes + (2 * 128 + 100) * 4);
   EXPECT_EQ(runs[1].offset, 4 * kTileBytes + 2 * 128 * 4);
   EXPECT_EQ(runs[2].offset, 5 * kTileBytes + 2 * 128 * 4);
}

TEST(RowRunTest, LinearRowIsOneRun)
{
   ImageDesc desc;
   desc.format = VK_FORMAT_R8G8B8A8_UNORM;
   desc.extent = {300, 200, 1};
   const auto layout = computeLayout(desc);
   ASSERT_TRUE(layout);
   const auto runs = collect(*layout, 0, 0, 3, 0, 10, 300);
   ASSERT_EQ(runs.size(), 1u);
   EXPECT_EQ(runs[0].offset, 3 * 1216u + 40);
   EXPECT_EQ(runs[0].texels, 290u);
}

TEST(RowRunTest, BadArgumentsCallNothing)
{
   ImageDesc desc;
   desc.format = VK_FORMAT_R8G8B8A8_UNORM;
   desc.extent = {300, 200, 1};
   desc.mipLevels = 2;
   for (Tiling tiling : {Tiling::Linear, Tiling::Tiled64K}) {
      desc.tiling = tiling;
      const auto layout = computeLayout(desc);
      ASSERT_TRUE(layout);
      bool ok = true;
      EXPECT_TRUE(collect(*layout, 2, 0, 0, 0, 0, 1, &ok).empty());
      EXPECT_FALSE(ok);
      EXPECT_TRUE(collect(*layout, 0, 1, 0, 0, 0, 1, &ok).empty());
      EXPECT_FALSE(ok);
      EXPECT_TRUE(collect(*layout, 0, 0, 200, 0, 0, 1, &ok).empty());
      EXPECT_FALSE(ok);
      EXPECT_TRUE(collect(*layout, 0, 0, 0, 1, 0, 1, &ok).empty());
      EXPECT_FALSE(ok);
      EXPECT_TRUE(collect(*layout, 0, 0, 0, 0, 5, 4, &ok).empty());
      EXPECT_FALSE(ok);
      EXPECT_TRUE(collect(*layout, 1, 0, 0, 0, 0, 151, &ok).empty());
      EXPECT_FALSE(ok);
      EXPECT_TRUE(collect(*layout, 1, 0, 0, 0, 150, 150, &ok).empty());
      EXPECT_TRUE(ok);
   }
}

} // namespace
} // namespace pan::layout
