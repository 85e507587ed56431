#include "DescriptorSet.h"

#include "Buffer.h"
#include "BufferView.h"
#include "ImageView.h"
#include "Sampler.h"
#include "panvk_entrypoints.h"

namespace panvk {

DescriptorSet::DescriptorSet(DescriptorPool &pool, std::shared_ptr<const SetLayoutInfo> layout)
   : pool_(pool), layout_(std::move(layout))
{
   descriptors_.resize(layout_->bindings.size());
   for (size_t i = 0; i < descriptors_.size(); ++i)
      descriptors_[i].resize(layout_->bindings[i].count);
}

Descriptor *
DescriptorSet::slot(uint32_t binding, uint32_t index)
{
   const SetBinding *b = layout_->find(binding);
   while (b && index >= b->count) {
      index -= b->count;
      b = layout_->next(*b);
   }
   if (!b)
      return nullptr;
   return &descriptors_[b - layout_->bindings.data()][index];
}

void
DescriptorSet::write(const VkWriteDescriptorSet &write)
{
   for (uint32_t i = 0; i < write.descriptorCount; ++i) {
      Descriptor *d = slot(write.dstBinding, write.dstArrayElement + i);
      if (!d)
         return;
      *d = Descriptor{};
      if (isBuffer(write.descriptorType) && write.pBufferInfo) {
         const VkDescriptorBufferInfo &info = write.pBufferInfo[i];
         d->buffer = Buffer::from(info.buffer);
         d->offset = info.offset;
         d->range = info.range;
      } else if (write.pImageInfo &&
                 (write.descriptorType == VK_DESCRIPTOR_TYPE_SAMPLER ||
                  write.descriptorType == VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER ||
                  write.descriptorType == VK_DESCRIPTOR_TYPE_SAMPLED_IMAGE ||
                  write.descriptorType == VK_DESCRIPTOR_TYPE_STORAGE_IMAGE ||
                  write.descriptorType == VK_DESCRIPTOR_TYPE_INPUT_ATTACHMENT)) {
         d->image = write.pImageInfo[i];
      } else if (write.pTexelBufferView) {
         d->texelBuffer = write.pTexelBufferView[i];
      }
   }
}

void
DescriptorSet::copy(const VkCopyDescriptorSet &copy)
{
   DescriptorSet *source = DescriptorSet::from(copy.srcSet);
   if (!source)
      return;
   for (uint32_t i = 0; i < copy.descriptorCount; ++i) {
      Descriptor *from = source->slot(copy.srcBinding, copy.srcArrayElement + i);
      Descriptor *to = slot(copy.dstBinding, copy.dstArrayElement + i);
      if (!from || !to)
         return;
      *to = *from;
   }
}

std::optional<BufferDescriptor>
DescriptorSet::buffer(uint32_t binding, uint32_t index) const
{
   const SetBinding *b = layout_->find(binding);
   if (!b || index >= b->count || !isBuffer(b->type))
      return std::nullopt;
   const Descriptor &d = descriptors_[b - layout_->bindings.data()][index];
   if (!d.buffer || d.offset > d.buffer->size())
      return std::nullopt;
   BufferDescriptor out;
   out.buffer = d.buffer;
   out.offset = d.offset;
   out.range = d.range == VK_WHOLE_SIZE ? d.buffer->size() - d.offset : d.range;
   out.dynamic = isDynamicBuffer(b->type);
   out.dynamicIndex = b->firstDynamic + index;
   return out;
}

const SetBinding *
DescriptorSet::at(uint32_t binding, uint32_t index, const Descriptor **descriptor) const
{
   const SetBinding *b = layout_->find(binding);
   if (!b || index >= b->count)
      return nullptr;
   *descriptor = &descriptors_[b - layout_->bindings.data()][index];
   return b;
}

std::optional<ImageDescriptor>
DescriptorSet::image(uint32_t binding, uint32_t index) const
{
   const Descriptor *d = nullptr;
   const SetBinding *b = at(binding, index, &d);
   if (!b || !isImage(b->type) || !d->image.imageView)
      return std::nullopt;
   return ImageDescriptor{ImageView::from(d->image.imageView), b->type};
}

BufferView *
DescriptorSet::texelBuffer(uint32_t binding, uint32_t index) const
{
   const Descriptor *d = nullptr;
   const SetBinding *b = at(binding, index, &d);
   if (!b || !isTexelBuffer(b->type))
      return nullptr;
   return BufferView::from(d->texelBuffer);
}

const spirv::SamplerState *
DescriptorSet::sampler(uint32_t binding, uint32_t index) const
{
   const Descriptor *d = nullptr;
   const SetBinding *b = at(binding, index, &d);
   if (!b || !hasSampler(b->type))
      return nullptr;
   if (!b->immutableSamplers.empty())
      return index < b->immutableSamplers.size() ? &b->immutableSamplers[index] : nullptr;
   const Sampler *sampler = Sampler::from(d->image.sampler);
   return sampler ? &sampler->state() : nullptr;
}

} // namespace panvk

using namespace panvk;

extern "C" {

VKAPI_ATTR void VKAPI_CALL
panvk_UpdateDescriptorSets(VkDevice, uint32_t descriptorWriteCount,
                           const VkWriteDescriptorSet *pDescriptorWrites, uint32_t descriptorCopyCount,
                           const VkCopyDescriptorSet *pDescriptorCopies)
{
   for (uint32_t i = 0; i < descriptorWriteCount; ++i) {
      if (DescriptorSet *set = DescriptorSet::from(pDescriptorWrites[i].dstSet))
         set->write(pDescriptorWrites[i]);
   }
   for (uint32_t i = 0; i < descriptorCopyCount; ++i) {
      if (DescriptorSet *set = DescriptorSet::from(pDescriptorCopies[i].dstSet))
         set->copy(pDescriptorCopies[i]);
   }
}

} // extern "C"
