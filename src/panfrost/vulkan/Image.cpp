#include "Image.h"

#include <algorithm>
#include <new>

#include "Device.h"
#include "DeviceMemory.h"
#include "Formats.h"
#include "SparseImage.h"
#include "SparseRange.h"
#include "layout/Tile.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

// Linear images start on a page so that a whole image is whole pages of its
// own at its start (what sparse binding of linear images will want too).
constexpr uint64_t kLinearImageAlignment = 4096;

} // namespace

std::optional<pan::layout::ImageDesc>
Image::describe(const VkImageCreateInfo &info)
{
   pan::layout::ImageDesc desc;
   desc.type = info.imageType;
   desc.format = info.format;
   desc.extent = info.extent;
   desc.mipLevels = info.mipLevels;
   desc.arrayLayers = info.arrayLayers;
   switch (info.tiling) {
   case VK_IMAGE_TILING_LINEAR:
      desc.tiling = pan::layout::Tiling::Linear;
      break;
   case VK_IMAGE_TILING_OPTIMAL:
      // The optimal layout is ours to choose. 1D images stay linear: the
      // layout library does not tile them (a 64 KiB tile per row of texels
      // would be mostly waste).
      desc.tiling = info.imageType == VK_IMAGE_TYPE_1D ? pan::layout::Tiling::Linear
                                                        : pan::layout::Tiling::Tiled64K;
      break;
   default:
      return std::nullopt;
   }
   return desc;
}

std::optional<pan::layout::ImageLayout>
Image::layoutOf(const VkImageCreateInfo &info)
{
   // A cube's faces are its layers: six or more square ones.
   if ((info.flags & VK_IMAGE_CREATE_CUBE_COMPATIBLE_BIT) &&
       (info.imageType != VK_IMAGE_TYPE_2D || info.extent.width != info.extent.height || info.arrayLayers < 6))
      return std::nullopt;
   const std::optional<pan::layout::ImageDesc> desc = describe(info);
   if (!desc)
      return std::nullopt;
   return pan::layout::computeLayout(*desc);
}

VkResult
Image::create(Device &device, const VkImageCreateInfo &info, VkImage *out)
{
   // vkGetPhysicalDeviceImageFormatProperties refuses every description the
   // layout library cannot lay out, so what is left is invalid usage or a
   // size beyond 64 bits.
   const std::optional<pan::layout::ImageLayout> layout = layoutOf(info);
   if (!layout)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;
   // The spec's answer for an image larger than maxResourceSize.
   VkImageFormatProperties limits;
   if (imageFormatProperties(info.format, info.imageType, info.tiling, info.usage, info.flags, &limits) ==
          VK_SUCCESS &&
       layout->totalSize > limits.maxResourceSize)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY;
   std::unique_ptr<Image> image(new (std::nothrow) Image(device, info, *layout));
   if (!image)
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   if (info.flags & VK_IMAGE_CREATE_SPARSE_BINDING_BIT) {
      // Binding only: starts unmapped, the application binds all of it.
      // Residency: starts on the sparse dummy, bound tile by tile.
      const bool residency = info.flags & VK_IMAGE_CREATE_SPARSE_RESIDENCY_BIT;
      if (VkResult result = SparseRange::create(device, layout->totalSize, residency, &image->sparseRange_);
          result != VK_SUCCESS)
         return result;
      image->va_ = image->sparseRange_->va();
   }
   *out = image.release()->handle();
   return VK_SUCCESS;
}

Image::Image(Device &device, const VkImageCreateInfo &info, const pan::layout::ImageLayout &layout)
   : device_(device), info_(info), layout_(layout)
{
   // Nothing the caller owns may be reached after vkCreateImage returns.
   info_.pNext = nullptr;
   info_.queueFamilyIndexCount = 0;
   info_.pQueueFamilyIndices = nullptr;
}

Image::~Image() = default;

VkMemoryRequirements
Image::memoryRequirementsOf(Device &device, const VkImageCreateInfo &info, const pan::layout::ImageLayout &layout)
{
   // Functions of the description only, so identical descriptions get
   // identical requirements, and the size grows with the extent (level sizes
   // are whole tiles or padded rows, both monotonic): maintenance4's promises.
   VkMemoryRequirements requirements{};
   requirements.size = layout.totalSize;
   requirements.alignment = layout.tiled() ? pan::layout::kTileBytes
                                           : std::max(layout.alignment, kLinearImageAlignment);
   // Sparse images (those that own a SparseRange) bind in sparse blocks.
   if (info.flags & VK_IMAGE_CREATE_SPARSE_BINDING_BIT) {
      requirements.alignment = SparseRange::kBindGranularity;
      requirements.size = SparseRange::roundUp(requirements.size);
   }
   requirements.memoryTypeBits = DeviceMemory::allTypeBits(device);
   return requirements;
}

VkMemoryRequirements
Image::memoryRequirements() const
{
   return memoryRequirementsOf(device_, info_, layout_);
}

VkResult
Image::bind(DeviceMemory &memory, VkDeviceSize offset)
{
   if (sparse())
      return VK_ERROR_OUT_OF_DEVICE_MEMORY; // invalid usage: sparse images bind through the queue
   memory_ = &memory;
   memoryOffset_ = offset;
   va_ = memory.va() + offset;
   return VK_SUCCESS;
}

VkSubresourceLayout
Image::subresourceLayout(uint32_t level, uint32_t layer) const
{
   // Depth/stencil formats keep both aspects in one texel, so every aspect
   // has the same layout. For tiled images the spec leaves this undefined;
   // the level's place and its row-of-tiles pitch are the useful answer.
   const uint64_t offset = pan::layout::subresourceOffset(layout_, level, layer);
   if (offset == pan::layout::kInvalidOffset)
      return VkSubresourceLayout{};
   const pan::layout::LevelLayout &l = layout_.levels[level];
   VkSubresourceLayout result{};
   result.offset = offset;
   result.size = l.size;
   result.rowPitch = l.rowPitch;
   result.arrayPitch = layout_.layerStride;
   result.depthPitch = l.slicePitch;
   return result;
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateImage(VkDevice device, const VkImageCreateInfo *pCreateInfo, const VkAllocationCallbacks *,
                  VkImage *pImage)
{
   return Image::create(*Device::from(device), *pCreateInfo, pImage);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyImage(VkDevice, VkImage image, const VkAllocationCallbacks *)
{
   delete Image::from(image);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetImageMemoryRequirements(VkDevice, VkImage image, VkMemoryRequirements *pMemoryRequirements)
{
   *pMemoryRequirements = Image::from(image)->memoryRequirements();
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetImageMemoryRequirements2(VkDevice, const VkImageMemoryRequirementsInfo2 *pInfo,
                                  VkMemoryRequirements2 *pMemoryRequirements)
{
   pMemoryRequirements->memoryRequirements = Image::from(pInfo->image)->memoryRequirements();
   DeviceMemory::fillDedicatedRequirements(pMemoryRequirements->pNext);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_BindImageMemory(VkDevice, VkImage image, VkDeviceMemory memory, VkDeviceSize memoryOffset)
{
   if (!image || !memory)
      return VK_ERROR_OUT_OF_DEVICE_MEMORY; // invalid usage
   return Image::from(image)->bind(*DeviceMemory::from(memory), memoryOffset);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_BindImageMemory2(VkDevice device, uint32_t bindInfoCount, const VkBindImageMemoryInfo *pBindInfos)
{
   for (uint32_t i = 0; i < bindInfoCount; i++) {
      const VkBindImageMemoryInfo &bind = pBindInfos[i];
      if (VkResult result = panvk_BindImageMemory(device, bind.image, bind.memory, bind.memoryOffset);
          result != VK_SUCCESS)
         return result;
   }
   return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetImageSubresourceLayout(VkDevice, VkImage image, const VkImageSubresource *pSubresource,
                                VkSubresourceLayout *pLayout)
{
   *pLayout = Image::from(image)->subresourceLayout(pSubresource->mipLevel, pSubresource->arrayLayer);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetImageSparseMemoryRequirements(VkDevice, VkImage image, uint32_t *pSparseMemoryRequirementCount,
                                       VkSparseImageMemoryRequirements *pSparseMemoryRequirements)
{
   VkSparseImageMemoryRequirements requirements;
   const uint32_t count = sparseImageRequirements(*Image::from(image), &requirements);
   writeQueryResult<VkSparseImageMemoryRequirements>({&requirements, count}, pSparseMemoryRequirementCount,
                                                     pSparseMemoryRequirements);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetImageSparseMemoryRequirements2(VkDevice, const VkImageSparseMemoryRequirementsInfo2 *pInfo,
                                        uint32_t *pSparseMemoryRequirementCount,
                                        VkSparseImageMemoryRequirements2 *pSparseMemoryRequirements)
{
   VkSparseImageMemoryRequirements requirements;
   const uint32_t count = sparseImageRequirements(*Image::from(pInfo->image), &requirements);
   writeSparseRequirements2(requirements, count, pSparseMemoryRequirementCount, pSparseMemoryRequirements);
}

// VK_KHR_maintenance4: the requirements of an image not created, from the
// same computation as a created image's. A description no image can have
// (invalid usage) gets empty requirements.
VKAPI_ATTR void VKAPI_CALL
panvk_GetDeviceImageMemoryRequirements(VkDevice device, const VkDeviceImageMemoryRequirements *pInfo,
                                       VkMemoryRequirements2 *pMemoryRequirements)
{
   pMemoryRequirements->memoryRequirements = VkMemoryRequirements{};
   DeviceMemory::fillDedicatedRequirements(pMemoryRequirements->pNext);
   if (!pInfo || !pInfo->pCreateInfo)
      return;
   const std::optional<pan::layout::ImageLayout> layout = Image::layoutOf(*pInfo->pCreateInfo);
   if (layout)
      pMemoryRequirements->memoryRequirements =
         Image::memoryRequirementsOf(*Device::from(device), *pInfo->pCreateInfo, *layout);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetDeviceImageSparseMemoryRequirements(VkDevice, const VkDeviceImageMemoryRequirements *pInfo,
                                             uint32_t *pSparseMemoryRequirementCount,
                                             VkSparseImageMemoryRequirements2 *pSparseMemoryRequirements)
{
   VkSparseImageMemoryRequirements requirements{};
   uint32_t count = 0;
   if (pInfo && pInfo->pCreateInfo) {
      if (const std::optional<pan::layout::ImageLayout> layout = Image::layoutOf(*pInfo->pCreateInfo))
         count = sparseImageRequirements(pInfo->pCreateInfo->flags, *layout, &requirements);
   }
   writeSparseRequirements2(requirements, count, pSparseMemoryRequirementCount, pSparseMemoryRequirements);
}

} // extern "C"
