#include "DescriptorUpdateTemplate.h"

#include <new>

#include "DescriptorSet.h"
#include "Device.h"
#include "panvk_entrypoints.h"

namespace panvk {

VkResult
DescriptorUpdateTemplate::create(Device &, const VkDescriptorUpdateTemplateCreateInfo &info,
                                 VkDescriptorUpdateTemplate *out)
{
   try {
      std::vector<VkDescriptorUpdateTemplateEntry> entries;
      if (info.pDescriptorUpdateEntries)
         entries.assign(info.pDescriptorUpdateEntries,
                        info.pDescriptorUpdateEntries + info.descriptorUpdateEntryCount);
      *out = (new DescriptorUpdateTemplate(std::move(entries)))->handle();
      return VK_SUCCESS;
   } catch (const std::bad_alloc &) {
      return VK_ERROR_OUT_OF_HOST_MEMORY;
   }
}

void
DescriptorUpdateTemplate::update(DescriptorSet &set, const void *data) const
{
   const auto *bytes = static_cast<const uint8_t *>(data);
   if (!bytes)
      return;
   for (const VkDescriptorUpdateTemplateEntry &entry : entries_) {
      for (uint32_t i = 0; i < entry.descriptorCount; ++i) {
         const uint8_t *item = bytes + entry.offset + i * entry.stride;
         VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
         write.dstSet = set.handle();
         write.dstBinding = entry.dstBinding;
         write.dstArrayElement = entry.dstArrayElement + i;
         write.descriptorCount = 1;
         write.descriptorType = entry.descriptorType;
         switch (entry.descriptorType) {
         case VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER: case VK_DESCRIPTOR_TYPE_STORAGE_BUFFER:
         case VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER_DYNAMIC: case VK_DESCRIPTOR_TYPE_STORAGE_BUFFER_DYNAMIC:
            write.pBufferInfo = reinterpret_cast<const VkDescriptorBufferInfo *>(item);
            break;
         case VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER: case VK_DESCRIPTOR_TYPE_STORAGE_TEXEL_BUFFER:
            write.pTexelBufferView = reinterpret_cast<const VkBufferView *>(item);
            break;
         default:
            write.pImageInfo = reinterpret_cast<const VkDescriptorImageInfo *>(item);
            break;
         }
         set.write(write);
      }
   }
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR VkResult VKAPI_CALL
panvk_CreateDescriptorUpdateTemplate(VkDevice device, const VkDescriptorUpdateTemplateCreateInfo *pCreateInfo,
                                     const VkAllocationCallbacks *,
                                     VkDescriptorUpdateTemplate *pDescriptorUpdateTemplate)
{
   return DescriptorUpdateTemplate::create(*Device::from(device), *pCreateInfo, pDescriptorUpdateTemplate);
}

VKAPI_ATTR void VKAPI_CALL
panvk_DestroyDescriptorUpdateTemplate(VkDevice, VkDescriptorUpdateTemplate descriptorUpdateTemplate,
                                      const VkAllocationCallbacks *)
{
   delete DescriptorUpdateTemplate::from(descriptorUpdateTemplate);
}

VKAPI_ATTR void VKAPI_CALL
panvk_UpdateDescriptorSetWithTemplate(VkDevice, VkDescriptorSet descriptorSet,
                                      VkDescriptorUpdateTemplate descriptorUpdateTemplate, const void *pData)
{
   if (DescriptorSet *set = DescriptorSet::from(descriptorSet))
      DescriptorUpdateTemplate::from(descriptorUpdateTemplate)->update(*set, pData);
}

} // extern "C"
