#include "PhysicalDevice.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <new>

#include "Instance.h"
#include "Util.h"
#include "VaAllocator.h"
#include "kmod/Vm.h"
#include "kmod/MockGpu.h"
#include "panvk_entrypoints.h"

namespace panvk {

namespace {

constexpr uint32_t kArmVendorId = 0x13b5;

enum MemoryType : uint32_t {
   kMemoryDeviceOnly = 0,   // BOs with NO_MMAP
   kMemoryHostCoherent = 1, // write-combined CPU mappings
   kMemoryHostCached = 2,   // write-back CPU mappings (WB_MMAP, 1.7)
};

} // namespace

std::string
gpuName(uint32_t gpuId)
{
   switch (gpuId >> 16) {
   case 0xa867: return "Mali-G610";
   default: {
      char name[32];
      snprintf(name, sizeof(name), "Mali (GPU 0x%04x)", gpuId >> 16);
      return name;
   }
   }
}

const std::vector<VkExtensionProperties> &
PhysicalDevice::supportedExtensions()
{
   static const std::vector<VkExtensionProperties> extensions = {
      {VK_KHR_MAINTENANCE_4_EXTENSION_NAME, VK_KHR_MAINTENANCE_4_SPEC_VERSION},
      {VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME, VK_KHR_TIMELINE_SEMAPHORE_SPEC_VERSION},
   };
   return extensions;
}

std::unique_ptr<PhysicalDevice>
PhysicalDevice::create(Instance &instance, std::unique_ptr<pan::kmod::Device> kmod)
{
   // Valhall (arch 10) and later: CSF, the panthor generation.
   if ((kmod->gpuInfo().gpu_id >> 28) < 10)
      return nullptr;
   std::unique_ptr<PhysicalDevice> device(new (std::nothrow) PhysicalDevice(instance, std::move(kmod)));
   return device;
}

PhysicalDevice::PhysicalDevice(Instance &instance, std::unique_ptr<pan::kmod::Device> kmod)
   : instance_(instance), kmod_(std::move(kmod))
{
   initProperties();
   initMemory();
   // Family 0 runs compute too: the executor interprets SPIR-V compute shaders.
   const VkQueueFamilyProperties computeTransfer{VK_QUEUE_COMPUTE_BIT | VK_QUEUE_TRANSFER_BIT, 1, 0,
                                                 {1, 1, 1}};
   const VkQueueFamilyProperties sparse{VK_QUEUE_SPARSE_BINDING_BIT, 1, 0, {1, 1, 1}};
   const VkQueueFamilyProperties transferSparse{VK_QUEUE_TRANSFER_BIT | VK_QUEUE_SPARSE_BINDING_BIT, 1,
                                                0, {1, 1, 1}};
   queueFamilies_ = {computeTransfer, sparse, transferSparse};
}

PhysicalDevice::~PhysicalDevice() = default;

void
PhysicalDevice::initProperties()
{
   VkPhysicalDeviceProperties &p = properties_;
   const drm_panthor_gpu_info &gpu = kmod_->gpuInfo();
   p.apiVersion = VK_MAKE_API_VERSION(0, 1, 1, VK_HEADER_VERSION);
   p.driverVersion = VK_MAKE_VERSION(0, 1, 0);
   p.vendorID = kArmVendorId;
   p.deviceID = gpu.gpu_id >> 16;
   p.deviceType = VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU;
   const std::string name = gpuName(gpu.gpu_id) + (kmod_->isMock() ? " (mock)" : "");
   snprintf(p.deviceName, sizeof(p.deviceName), "%s", name.c_str());
   // Caches are keyed on the GPU and the driver build.
   const uint32_t words[4] = {gpu.gpu_id, gpu.gpu_rev, 0x70616e76 /* "panv" */, p.driverVersion};
   memcpy(p.pipelineCacheUUID, words, sizeof(words));

   VkPhysicalDeviceLimits &l = p.limits;
   l.maxImageDimension1D = 16384;
   l.maxImageDimension2D = 16384;
   l.maxImageDimension3D = 2048;
   l.maxImageDimensionCube = 16384;
   l.maxImageArrayLayers = 2048;
   l.maxTexelBufferElements = 1u << 27;
   l.maxUniformBufferRange = 65536;
   l.maxStorageBufferRange = 1u << 30;
   l.maxPushConstantsSize = 128;
   l.maxMemoryAllocationCount = 1u << 20;
   l.maxSamplerAllocationCount = 4000;
   l.bufferImageGranularity = 64;
   // Exactly what a device's VA allocator hands out (Device.cpp).
   const uint64_t userVaRange = probeUserVaRange();
   l.sparseAddressSpaceSize = userVaRange > kDeviceVaStart ? userVaRange - kDeviceVaStart : 0;
   l.maxBoundDescriptorSets = 4;
   l.maxPerStageDescriptorSamplers = 16;
   l.maxPerStageDescriptorUniformBuffers = 12;
   l.maxPerStageDescriptorStorageBuffers = 4;
   l.maxPerStageDescriptorSampledImages = 16;
   l.maxPerStageDescriptorStorageImages = 4;
   l.maxPerStageDescriptorInputAttachments = 4;
   l.maxPerStageResources = 128;
   l.maxDescriptorSetSamplers = 96;
   l.maxDescriptorSetUniformBuffers = 72;
   l.maxDescriptorSetUniformBuffersDynamic = 8;
   l.maxDescriptorSetStorageBuffers = 24;
   l.maxDescriptorSetStorageBuffersDynamic = 4;
   l.maxDescriptorSetSampledImages = 96;
   l.maxDescriptorSetStorageImages = 24;
   l.maxDescriptorSetInputAttachments = 4;
   l.maxVertexInputAttributes = 16;
   l.maxVertexInputBindings = 16;
   l.maxVertexInputAttributeOffset = 2047;
   l.maxVertexInputBindingStride = 2048;
   l.maxVertexOutputComponents = 64;
   l.maxFragmentInputComponents = 64;
   l.maxFragmentOutputAttachments = 4;
   l.maxFragmentCombinedOutputResources = 4;
   l.maxComputeSharedMemorySize = 16384;
   l.maxComputeWorkGroupCount[0] = l.maxComputeWorkGroupCount[1] = l.maxComputeWorkGroupCount[2] = 65535;
   l.maxComputeWorkGroupInvocations = 128;
   l.maxComputeWorkGroupSize[0] = l.maxComputeWorkGroupSize[1] = 128;
   l.maxComputeWorkGroupSize[2] = 64;
   l.subPixelPrecisionBits = 4;
   l.subTexelPrecisionBits = 4;
   l.mipmapPrecisionBits = 4;
   l.maxDrawIndexedIndexValue = UINT32_MAX;
   l.maxDrawIndirectCount = 1;
   l.maxSamplerLodBias = 16.0f;
   l.maxSamplerAnisotropy = 1.0f;
   l.maxViewports = 1;
   l.maxViewportDimensions[0] = l.maxViewportDimensions[1] = 16384;
   l.viewportBoundsRange[0] = -32768.0f;
   l.viewportBoundsRange[1] = 32767.0f;
   l.minMemoryMapAlignment = 4096;
   l.minTexelBufferOffsetAlignment = 64;
   l.minUniformBufferOffsetAlignment = 16;
   l.minStorageBufferOffsetAlignment = 4;
   l.maxTexelOffset = 7;
   l.minTexelOffset = -8;
   l.maxFramebufferWidth = l.maxFramebufferHeight = 16384;
   l.maxFramebufferLayers = 256;
   l.framebufferColorSampleCounts = VK_SAMPLE_COUNT_1_BIT;
   l.framebufferDepthSampleCounts = VK_SAMPLE_COUNT_1_BIT;
   l.framebufferStencilSampleCounts = VK_SAMPLE_COUNT_1_BIT;
   l.framebufferNoAttachmentsSampleCounts = VK_SAMPLE_COUNT_1_BIT;
   l.maxColorAttachments = 4;
   l.sampledImageColorSampleCounts = VK_SAMPLE_COUNT_1_BIT;
   l.sampledImageIntegerSampleCounts = VK_SAMPLE_COUNT_1_BIT;
   l.sampledImageDepthSampleCounts = VK_SAMPLE_COUNT_1_BIT;
   l.sampledImageStencilSampleCounts = VK_SAMPLE_COUNT_1_BIT;
   l.storageImageSampleCounts = VK_SAMPLE_COUNT_1_BIT;
   l.maxSampleMaskWords = 1;
   l.timestampComputeAndGraphics = VK_FALSE;
   l.timestampPeriod = 1.0f;
   l.maxClipDistances = 0;
   l.maxCullDistances = 0;
   l.discreteQueuePriorities = 2;
   l.pointSizeRange[0] = l.pointSizeRange[1] = 1.0f;
   l.lineWidthRange[0] = l.lineWidthRange[1] = 1.0f;
   l.strictLines = VK_FALSE;
   l.standardSampleLocations = VK_TRUE;
   l.optimalBufferCopyOffsetAlignment = 64;
   l.optimalBufferCopyRowPitchAlignment = 64;
   l.nonCoherentAtomSize = 64;

   // Unbound ranges map the sparse dummy: reads return whatever was written
   // there, so non-resident reads are not strictly zero.
   p.sparseProperties = VkPhysicalDeviceSparseProperties{};
   p.sparseProperties.residencyNonResidentStrict = VK_FALSE;
   // Residency images (SparseImage.h): a 2D block is one 64 KiB tile, the
   // standard 2D shape; 3D images tile slice by slice (depth-1 blocks, not
   // the standard 3D shape). Levels are whole tiles, so a level need not be a
   // multiple of the block to be bound block by block: no aligned mip size.
   p.sparseProperties.residencyStandard2DBlockShape = VK_TRUE;
   p.sparseProperties.residencyStandard2DMultisampleBlockShape = VK_FALSE;
   p.sparseProperties.residencyStandard3DBlockShape = VK_FALSE;
   p.sparseProperties.residencyAlignedMipSize = VK_FALSE;
}

// The user VA range the kernel gives a VM by default, as every VkDevice's VM
// gets it: learnt from a VM made and dropped for the purpose.
uint64_t
PhysicalDevice::probeUserVaRange()
{
   auto vm = pan::kmod::Vm::create(*kmod_);
   return vm ? vm.value()->userVaRange() : 0;
}

void
PhysicalDevice::initMemory()
{
   // An integrated GPU: one heap, the system memory the GPU may use.
   uint64_t heapSize;
   if (const pan::kmod::MockGpu *gpu = kmod_->mockGpu())
      heapSize = gpu->memoryBudget();
   else
      heapSize = uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGESIZE)) / 4 * 3;
   memoryProperties_.memoryHeapCount = 1;
   memoryProperties_.memoryHeaps[0] = {heapSize, VK_MEMORY_HEAP_DEVICE_LOCAL_BIT};
   const VkMemoryPropertyFlags local = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
   const VkMemoryPropertyFlags coherent =
      local | VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
   memoryProperties_.memoryTypes[kMemoryDeviceOnly] = {local, 0};
   memoryProperties_.memoryTypes[kMemoryHostCoherent] = {coherent, 0};
   memoryProperties_.memoryTypeCount = 2;
   // Cached CPU mappings need WB_MMAP; the GPU's view stays coherent (the
   // mock's memory is the host's; on hardware, with ACE-Lite coherency).
   if (kmod_->features().wbMmap) {
      memoryProperties_.memoryTypes[kMemoryHostCached] = {coherent | VK_MEMORY_PROPERTY_HOST_CACHED_BIT, 0};
      memoryProperties_.memoryTypeCount = 3;
   }
}

bool
PhysicalDevice::memoryTypeIsHostVisible(uint32_t type) const
{
   return type < memoryProperties_.memoryTypeCount &&
          (memoryProperties_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT);
}

bool
PhysicalDevice::memoryTypeIsCached(uint32_t type) const
{
   return type < memoryProperties_.memoryTypeCount &&
          (memoryProperties_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
}

void
PhysicalDevice::fillFeatures(VkPhysicalDeviceFeatures *features) const
{
   *features = VkPhysicalDeviceFeatures{};
   // Sparse buffers, and opaque binds of images, on the sparse VM_BIND map
   // (or its emulation before panthor 1.9). Aliasing: the same memory may back
   // several resources; the executor sees one set of bytes.
   features->sparseBinding = VK_TRUE;
   features->sparseResidencyBuffer = VK_TRUE;
   features->sparseResidencyAliased = VK_TRUE;
   // Residency images in 64 KiB tiles, single-sampled only (Mali's tiled
   // layout takes no multisampled residency).
   features->sparseResidencyImage2D = VK_TRUE;
   features->sparseResidencyImage3D = VK_TRUE;
   // Cube-compatible images are layered 2D images; views of 6n faces.
   features->imageCubeArray = VK_TRUE;
   // Shaders reach storage images through the texel formats' unpack and
   // pack, which every colour format has, whether the shader names the
   // format or not (ImageViewResource.h).
   features->shaderStorageImageExtendedFormats = VK_TRUE;
   features->shaderStorageImageReadWithoutFormat = VK_TRUE;
   features->shaderStorageImageWriteWithoutFormat = VK_TRUE;
}

void
PhysicalDevice::fillFeatures2(VkPhysicalDeviceFeatures2 *features) const
{
   fillFeatures(&features->features);
   for (auto *s = static_cast<VkBaseOutStructure *>(features->pNext); s; s = s->pNext) {
      switch (s->sType) {
      case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES:
         reinterpret_cast<VkPhysicalDeviceTimelineSemaphoreFeatures *>(s)->timelineSemaphore = VK_TRUE;
         break;
      case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_4_FEATURES:
         reinterpret_cast<VkPhysicalDeviceMaintenance4Features *>(s)->maintenance4 = VK_TRUE;
         break;
      default:
         break;
      }
   }
}

void
PhysicalDevice::fillProperties2(VkPhysicalDeviceProperties2 *properties) const
{
   properties->properties = properties_;
   for (auto *s = static_cast<VkBaseOutStructure *>(properties->pNext); s; s = s->pNext) {
      switch (s->sType) {
      case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_PROPERTIES:
         reinterpret_cast<VkPhysicalDeviceTimelineSemaphoreProperties *>(s)
            ->maxTimelineSemaphoreValueDifference = UINT64_MAX;
         break;
      case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES: {
         auto *id = reinterpret_cast<VkPhysicalDeviceIDProperties *>(s);
         memcpy(id->deviceUUID, properties_.pipelineCacheUUID, VK_UUID_SIZE);
         memcpy(id->driverUUID, properties_.pipelineCacheUUID, VK_UUID_SIZE);
         id->deviceLUIDValid = VK_FALSE;
         break;
      }
      case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES: {
         auto *m = reinterpret_cast<VkPhysicalDeviceMaintenance3Properties *>(s);
         m->maxPerSetDescriptors = 1024;
         m->maxMemoryAllocationSize = memoryProperties_.memoryHeaps[0].size;
         break;
      }
      case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_4_PROPERTIES:
         // vkCreateBuffer's own limit: a plain buffer fits in the heap, a
         // sparse one in the device's VA space (sparseAddressSpaceSize).
         reinterpret_cast<VkPhysicalDeviceMaintenance4Properties *>(s)->maxBufferSize =
            std::max(memoryProperties_.memoryHeaps[0].size, properties_.limits.sparseAddressSpaceSize);
         break;
      case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_POINT_CLIPPING_PROPERTIES:
         reinterpret_cast<VkPhysicalDevicePointClippingProperties *>(s)->pointClippingBehavior =
            VK_POINT_CLIPPING_BEHAVIOR_ALL_CLIP_PLANES;
         break;
      case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_PROPERTIES: {
         auto *m = reinterpret_cast<VkPhysicalDeviceMultiviewProperties *>(s);
         m->maxMultiviewViewCount = 0;
         m->maxMultiviewInstanceIndex = 0;
         break;
      }
      case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROTECTED_MEMORY_PROPERTIES:
         reinterpret_cast<VkPhysicalDeviceProtectedMemoryProperties *>(s)->protectedNoFault = VK_FALSE;
         break;
      case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES: {
         auto *g = reinterpret_cast<VkPhysicalDeviceSubgroupProperties *>(s);
         g->subgroupSize = 1;
         g->supportedStages = 0;
         g->supportedOperations = 0;
         g->quadOperationsInAllStages = VK_FALSE;
         break;
      }
      default:
         break;
      }
   }
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceProperties(VkPhysicalDevice physicalDevice, VkPhysicalDeviceProperties *pProperties)
{
   *pProperties = PhysicalDevice::from(physicalDevice)->properties();
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceProperties2(VkPhysicalDevice physicalDevice, VkPhysicalDeviceProperties2 *pProperties)
{
   PhysicalDevice::from(physicalDevice)->fillProperties2(pProperties);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceFeatures(VkPhysicalDevice physicalDevice, VkPhysicalDeviceFeatures *pFeatures)
{
   PhysicalDevice::from(physicalDevice)->fillFeatures(pFeatures);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceFeatures2(VkPhysicalDevice physicalDevice, VkPhysicalDeviceFeatures2 *pFeatures)
{
   PhysicalDevice::from(physicalDevice)->fillFeatures2(pFeatures);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceQueueFamilyProperties(VkPhysicalDevice physicalDevice, uint32_t *pCount,
                                             VkQueueFamilyProperties *pProperties)
{
   fillArray(PhysicalDevice::from(physicalDevice)->queueFamilies(), pCount, pProperties);
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceQueueFamilyProperties2(VkPhysicalDevice physicalDevice, uint32_t *pCount,
                                              VkQueueFamilyProperties2 *pProperties)
{
   const auto &families = PhysicalDevice::from(physicalDevice)->queueFamilies();
   if (!pProperties) {
      *pCount = uint32_t(families.size());
      return;
   }
   const uint32_t n = std::min<uint32_t>(*pCount, uint32_t(families.size()));
   for (uint32_t i = 0; i < n; i++)
      pProperties[i].queueFamilyProperties = families[i];
   *pCount = n;
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceMemoryProperties(VkPhysicalDevice physicalDevice,
                                        VkPhysicalDeviceMemoryProperties *pProperties)
{
   *pProperties = PhysicalDevice::from(physicalDevice)->memoryProperties();
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceMemoryProperties2(VkPhysicalDevice physicalDevice,
                                         VkPhysicalDeviceMemoryProperties2 *pProperties)
{
   pProperties->memoryProperties = PhysicalDevice::from(physicalDevice)->memoryProperties();
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_EnumerateDeviceExtensionProperties(VkPhysicalDevice, const char *pLayerName, uint32_t *pCount,
                                         VkExtensionProperties *pProperties)
{
   if (pLayerName)
      return VK_ERROR_LAYER_NOT_PRESENT;
   return fillArray(PhysicalDevice::supportedExtensions(), pCount, pProperties);
}

VKAPI_ATTR VkResult VKAPI_CALL
panvk_EnumerateDeviceLayerProperties(VkPhysicalDevice, uint32_t *pCount, VkLayerProperties *)
{
   *pCount = 0;
   return VK_SUCCESS;
}

} // extern "C"

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_EnumeratePhysicalDeviceGroups(VkInstance instance, uint32_t *pCount,
                                    VkPhysicalDeviceGroupProperties *pProperties)
{
   // One group per GPU: no device groups of several GPUs.
   std::vector<VkPhysicalDeviceGroupProperties> groups;
   for (const auto &physical : Instance::from(instance)->physicalDevices()) {
      VkPhysicalDeviceGroupProperties group{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_GROUP_PROPERTIES};
      group.physicalDeviceCount = 1;
      group.physicalDevices[0] = physical->handle();
      group.subsetAllocation = VK_FALSE;
      groups.push_back(group);
   }
   if (!pProperties) {
      *pCount = uint32_t(groups.size());
      return VK_SUCCESS;
   }
   const uint32_t n = std::min<uint32_t>(*pCount, uint32_t(groups.size()));
   for (uint32_t i = 0; i < n; i++) {
      void *next = pProperties[i].pNext; // keep the caller's chain
      pProperties[i] = groups[i];
      pProperties[i].pNext = next;
   }
   *pCount = n;
   return n < groups.size() ? VK_INCOMPLETE : VK_SUCCESS;
}

// No external memory, fence or semaphore handle types are offered.
VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceExternalBufferProperties(VkPhysicalDevice, const VkPhysicalDeviceExternalBufferInfo *,
                                                VkExternalBufferProperties *pProperties)
{
   pProperties->externalMemoryProperties = VkExternalMemoryProperties{};
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceExternalFenceProperties(VkPhysicalDevice, const VkPhysicalDeviceExternalFenceInfo *,
                                               VkExternalFenceProperties *pProperties)
{
   pProperties->exportFromImportedHandleTypes = 0;
   pProperties->compatibleHandleTypes = 0;
   pProperties->externalFenceFeatures = 0;
}

VKAPI_ATTR void VKAPI_CALL
panvk_GetPhysicalDeviceExternalSemaphoreProperties(VkPhysicalDevice,
                                                   const VkPhysicalDeviceExternalSemaphoreInfo *,
                                                   VkExternalSemaphoreProperties *pProperties)
{
   pProperties->exportFromImportedHandleTypes = 0;
   pProperties->compatibleHandleTypes = 0;
   pProperties->externalSemaphoreFeatures = 0;
}

} // extern "C"
