// VkSampler keeps its create info for the executor to read.
#include "DirectDevice.h"
#include "Sampler.h"

namespace panvk::test {
namespace {

class SamplerTest : public DirectDevice {};

TEST_F(SamplerTest, KeepsFiltersAndAddressModes)
{
   VkSamplerCreateInfo info{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
   info.magFilter = VK_FILTER_LINEAR;
   info.minFilter = VK_FILTER_NEAREST;
   info.mipmapMode = VK_SAMPLER_MIPMAP_MODE_LINEAR;
   info.addressModeU = VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT;
   info.addressModeV = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
   info.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_BORDER;
   info.borderColor = VK_BORDER_COLOR_INT_OPAQUE_WHITE;
   info.maxLod = 4.5f;
   info.unnormalizedCoordinates = VK_TRUE;
   VkSampler handle;
   ASSERT_EQ(VK_SUCCESS, panvk_CreateSampler(device_, &info, nullptr, &handle));
   info = VkSamplerCreateInfo{}; // the sampler must not refer to the caller's struct

   const Sampler &sampler = *Sampler::from(handle);
   EXPECT_EQ(VK_FILTER_LINEAR, sampler.magFilter());
   EXPECT_EQ(VK_FILTER_NEAREST, sampler.minFilter());
   EXPECT_EQ(VK_SAMPLER_MIPMAP_MODE_LINEAR, sampler.mipmapMode());
   EXPECT_EQ(VK_SAMPLER_ADDRESS_MODE_MIRRORED_REPEAT, sampler.addressModeU());
   EXPECT_EQ(VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE, sampler.addressModeV());
   EXPECT_EQ(VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_BORDER, sampler.addressModeW());
   EXPECT_EQ(VK_BORDER_COLOR_INT_OPAQUE_WHITE, sampler.borderColor());
   EXPECT_TRUE(sampler.unnormalizedCoordinates());
   EXPECT_EQ(4.5f, sampler.info().maxLod);
   EXPECT_EQ(nullptr, sampler.info().pNext);

   panvk_DestroySampler(device_, handle, nullptr);
   panvk_DestroySampler(device_, VK_NULL_HANDLE, nullptr);
}

} // namespace
} // namespace panvk::test
