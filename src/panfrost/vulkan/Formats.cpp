#include "Formats.h"

#include <algorithm>
#include <bit>

#include "PhysicalDevice.h"
#include "SparseImage.h"
#include "layout/Format.h"
#include "layout/SparseBlock.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

// The usages an image may have today: transfers, and compute shaders'
// storage and sampled images (no renders yet). Each needs its format
// feature too (usageFeatures).
constexpr VkImageUsageFlags kSupportedUsage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT |
                                              VK_IMAGE_USAGE_TRANSFER_DST_BIT |
                                              VK_IMAGE_USAGE_STORAGE_BIT | VK_IMAGE_USAGE_SAMPLED_BIT;

// The format features a usage needs.
VkFormatFeatureFlags
usageFeatures(VkImageUsageFlags usage)
{
   VkFormatFeatureFlags needed = 0;
   if (usage & VK_IMAGE_USAGE_TRANSFER_SRC_BIT)
      needed |= VK_FORMAT_FEATURE_TRANSFER_SRC_BIT;
   if (usage & VK_IMAGE_USAGE_TRANSFER_DST_BIT)
      needed |= VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
   if (usage & VK_IMAGE_USAGE_STORAGE_BIT)
      needed |= VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT;
   if (usage & VK_IMAGE_USAGE_SAMPLED_BIT)
      needed |= VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT;
   return needed;
}

// Shaders read and write texels through unpack/pack (TexelFormat.h): every
// colour format that is not compressed. Depth/stencil formats are read one
// aspect at a time (depth as float, stencil as uint), never written or
// filtered. Atomics are on 32-bit integer single-channel texels.
VkFormatFeatureFlags
shaderImageFeatures(const pan::layout::FormatInfo &info)
{
   VkFormatFeatureFlags features = 0;
   if (info.isFloatClass() || info.isInteger())
      features |= VK_FORMAT_FEATURE_STORAGE_IMAGE_BIT | VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT;
   if (info.isFloatClass())
      features |= VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT;
   if (info.cls == pan::layout::NumericClass::DepthStencil)
      features |= VK_FORMAT_FEATURE_SAMPLED_IMAGE_BIT;
   if (info.format == VK_FORMAT_R32_UINT || info.format == VK_FORMAT_R32_SINT)
      features |= VK_FORMAT_FEATURE_STORAGE_IMAGE_ATOMIC_BIT;
   return features;
}

// Texel buffers: the colour formats shaders read and write, as for images.
VkFormatFeatureFlags
bufferFeatures(const pan::layout::FormatInfo &info)
{
   if (!info.isFloatClass() && !info.isInteger())
      return 0;
   VkFormatFeatureFlags features =
      VK_FORMAT_FEATURE_UNIFORM_TEXEL_BUFFER_BIT | VK_FORMAT_FEATURE_STORAGE_TEXEL_BUFFER_BIT;
   if (info.format == VK_FORMAT_R32_UINT || info.format == VK_FORMAT_R32_SINT)
      features |= VK_FORMAT_FEATURE_STORAGE_TEXEL_BUFFER_ATOMIC_BIT;
   return features;
}

constexpr uint32_t kMax2D = 16384, kMax3D = 2048, kMaxLayers = 2048;

VkFormatFeatureFlags
imageFeatures(const pan::layout::FormatInfo &info)
{
   VkFormatFeatureFlags features = VK_FORMAT_FEATURE_TRANSFER_SRC_BIT | VK_FORMAT_FEATURE_TRANSFER_DST_BIT;
   // Blits convert through unpack/pack, which compressed and depth/stencil
   // formats do not have.
   if (info.isFloatClass() || info.isInteger())
      features |= VK_FORMAT_FEATURE_BLIT_SRC_BIT | VK_FORMAT_FEATURE_BLIT_DST_BIT;
   return features | shaderImageFeatures(info);
}

} // namespace

VkFormatProperties
formatProperties(VkFormat format)
{
   const pan::layout::FormatInfo *info = pan::layout::formatInfo(format);
   if (!info)
      return VkFormatProperties{};
   const VkFormatFeatureFlags features = imageFeatures(*info);
   // Linear images of compressed and depth/stencil formats are not offered,
   // as on Mali: their texels only exist in tiled form there.
   const bool linearOk = !info->isCompressed() && info->cls != pan::layout::NumericClass::DepthStencil;
   return VkFormatProperties{linearOk ? features : 0, features, bufferFeatures(*info)};
}

VkResult
imageFormatProperties(VkFormat format, VkImageType type, VkImageTiling tiling, VkImageUsageFlags usage,
                      VkImageCreateFlags flags, VkImageFormatProperties *out)
{
   *out = VkImageFormatProperties{};
   const VkFormatProperties props = formatProperties(format);
   const VkFormatFeatureFlags features =
      tiling == VK_IMAGE_TILING_LINEAR ? props.linearTilingFeatures : props.optimalTilingFeatures;
   if (!features || (usage & ~kSupportedUsage))
      return VK_ERROR_FORMAT_NOT_SUPPORTED;
   // Extended usage: a view of another (compatible) format may need the
   // feature the image's own format lacks.
   const VkFormatFeatureFlags needed = usageFeatures(usage);
   if (!(flags & VK_IMAGE_CREATE_EXTENDED_USAGE_BIT) && (features & needed) != needed)
      return VK_ERROR_FORMAT_NOT_SUPPORTED;
   if (tiling != VK_IMAGE_TILING_LINEAR && tiling != VK_IMAGE_TILING_OPTIMAL)
      return VK_ERROR_FORMAT_NOT_SUPPORTED;
   // Sparse binding (opaque binds, aliasing allowed) and residency of tiled
   // images. Cube-compatible images are 2D arrays whose layers are the faces
   // (square, 6 or more layers: the create info's rules), in either tiling
   // and with sparse residency like any 2D array: a tail per face.
   constexpr VkImageCreateFlags kSparseFlags = VK_IMAGE_CREATE_SPARSE_BINDING_BIT |
                                               VK_IMAGE_CREATE_SPARSE_ALIASED_BIT |
                                               VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;
   constexpr VkImageCreateFlags kSupportedFlags =
      VK_IMAGE_CREATE_MUTABLE_FORMAT_BIT | VK_IMAGE_CREATE_EXTENDED_USAGE_BIT |
      VK_IMAGE_CREATE_BLOCK_TEXEL_VIEW_COMPATIBLE_BIT | VK_IMAGE_CREATE_2D_ARRAY_COMPATIBLE_BIT |
      VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT | kSparseFlags;
   if (flags & ~kSupportedFlags)
      return VK_ERROR_FORMAT_NOT_SUPPORTED;
   if ((flags & VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT) && type != VK_IMAGE_TYPE_2D)
      return VK_ERROR_FORMAT_NOT_SUPPORTED;
   if ((flags & kSparseFlags) && tiling == VK_IMAGE_TILING_LINEAR)
      return VK_ERROR_FORMAT_NOT_SUPPORTED;
   const pan::layout::FormatInfo *info = pan::layout::formatInfo(format);
   if (type == VK_IMAGE_TYPE_3D && info->cls == pan::layout::NumericClass::DepthStencil)
      return VK_ERROR_FORMAT_NOT_SUPPORTED;
   // Residency images need a sparse block: one 64 KiB tile, which exists for
   // 2D and 3D images of 1, 2, 4, 8 and 16-byte texel blocks (every tiled
   // format the table has). Single-sampled only, as every image here.
   if ((flags & VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT) && !pan::layout::sparseBlockShape(format, type))
      return VK_ERROR_FORMAT_NOT_SUPPORTED;

   switch (type) {
   case VK_IMAGE_TYPE_1D: out->maxExtent = {kMax2D, 1, 1}; break;
   case VK_IMAGE_TYPE_2D: out->maxExtent = {kMax2D, kMax2D, 1}; break;
   case VK_IMAGE_TYPE_3D: out->maxExtent = {kMax3D, kMax3D, kMax3D}; break;
   default: return VK_ERROR_FORMAT_NOT_SUPPORTED;
   }
   const uint32_t largest = std::max({out->maxExtent.width, out->maxExtent.height, out->maxExtent.depth});
   out->maxMipLevels = uint32_t(std::bit_width(largest));
   out->maxArrayLayers = type == VK_IMAGE_TYPE_3D ? 1 : kMaxLayers;
   out->sampleCounts = VK_SAMPLE_COUNT_1_BIT;
   out->maxResourceSize = 1ull << 40;
   return VK_SUCCESS;
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceFormatProperties(VkPhysicalDevice, VkFormat format, VkFormatProperties *pProperties)
{
   *pProperties = formatProperties(format);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceFormatProperties2(VkPhysicalDevice, VkFormat format,
                                         VkFormatProperties2 *pProperties)
{
   pProperties->formatProperties = formatProperties(format);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_GetPhysicalDeviceImageFormatProperties(VkPhysicalDevice, VkFormat format, VkImageType type,
                                             VkImageTiling tiling, VkImageUsageFlags usage,
                                             VkImageCreateFlags flags,
                                             VkImageFormatProperties *pProperties)
{
   return imageFormatProperties(format, type, tiling, usage, flags, pProperties);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_GetPhysicalDeviceImageFormatProperties2(VkPhysicalDevice,
                                              const VkPhysicalDeviceImageFormatInfo2 *pInfo,
                                              VkImageFormatProperties2 *pProperties)
{
   // External memory is not offered: asking for it is unsupported.
   for (auto *s = static_cast<const VkBaseInStructure *>(pInfo->pNext); s; s = s->pNext) {
      if (s->sType == VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_IMAGE_FORMAT_INFO &&
          reinterpret_cast<const VkPhysicalDeviceExternalImageFormatInfo *>(s)->handleType)
         return VK_ERROR_FORMAT_NOT_SUPPORTED;
   }
   return imageFormatProperties(pInfo->format, pInfo->type, pInfo->tiling, pInfo->usage, pInfo->flags,
                                &pProperties->imageFormatProperties);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceSparseImageFormatProperties(VkPhysicalDevice, VkFormat format, VkImageType type,
                                                   VkSampleCountFlagBits samples, VkImageUsageFlags usage,
                                                   VkImageTiling tiling, uint32_t *pPropertyCount,
                                                   VkSparseImageFormatProperties *pProperties)
{
   VkSparseImageFormatProperties properties;
   const uint32_t count = sparseImageFormatProperties(format, type, samples, usage, tiling, &properties);
   writeQueryResult<VkSparseImageFormatProperties>({&properties, count}, pPropertyCount, pProperties);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceSparseImageFormatProperties2(VkPhysicalDevice,
                                                    const VkPhysicalDeviceSparseImageFormatInfo2 *pFormatInfo,
                                                    uint32_t *pPropertyCount,
                                                    VkSparseImageFormatProperties2 *pProperties)
{
   VkSparseImageFormatProperties properties;
   const uint32_t count =
      sparseImageFormatProperties(pFormatInfo->format, pFormatInfo->type, pFormatInfo->samples,
                                  pFormatInfo->usage, pFormatInfo->tiling, &properties);
   if (!pProperties) {
      *pPropertyCount = count;
      return;
   }
   // The caller's structs keep their sType and pNext.
   const uint32_t written = std::min(*pPropertyCount, count);
   for (uint32_t i = 0; i < written; i++)
      pProperties[i].properties = properties;
   *pPropertyCount = written;
}

} // extern "C"
