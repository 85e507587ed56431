// Images in a shader: image and sampler descriptors loaded as opaque values,
// OpSampledImage and OpImage, reads, writes, fetches, texel pointers and
// their atomics, and the operands of sampling (its arithmetic: Sampling.cpp).
//
// Out of bounds (a coordinate outside the level's extent, a level or layer
// the view lacks): reads and fetches return all-zero lanes, writes and
// atomics do nothing and atomics return 0. The device does not offer
// robustImageAccess, so a GPU's behaviour there is undefined; this is the
// harmless choice, and the ImageResource is never asked for such a texel.
#include <algorithm>

#include "spirv/ImageOperands.h"
#include "spirv/Machine.h"
#include "spirv/Sampling.h"

namespace panvk::spirv {

namespace {

int32_t s32(uint64_t bits) { return static_cast<int32_t>(static_cast<uint32_t>(bits)); }

// No valid descriptor index (an array index past the array's end).
constexpr uint64_t kNoDescriptor = UINT64_MAX;

struct TexelAddress {
   int64_t x = 0, y = 0, z = 0, layer = 0;
};

// The integer coordinate of an image instruction as (x, y, z, layer): 1D
// array (x, layer), 2D array (x, y, layer), cube and cube array (x, y,
// face) / (x, y, 6 * layer + face), 3D (x, y, z), buffer (x).
TexelAddress
texelAddress(const ImageShape &shape, const Value &coordinate)
{
   auto c = [&](size_t i) -> int64_t { return i < coordinate.c.size() ? s32(coordinate.c[i]) : 0; };
   TexelAddress at;
   at.x = c(0);
   switch (shape.dim) {
   case spv::Dim1D:
      at.layer = shape.arrayed ? c(1) : 0;
      break;
   case spv::Dim2D:
      at.y = c(1);
      at.layer = shape.arrayed ? c(2) : 0;
      break;
   case spv::Dim3D:
      at.y = c(1);
      at.z = c(2);
      break;
   case spv::DimCube:
      at.y = c(1);
      at.layer = c(2);
      break;
   default:
      break;
   }
   return at;
}

void
addOffset(TexelAddress &at, const Value &offset)
{
   int64_t *axes[3] = {&at.x, &at.y, &at.z};
   for (size_t i = 0; i < std::min<size_t>(offset.c.size(), 3); ++i)
      *axes[i] += s32(offset.c[i]);
}

bool
inBounds(const ImageResource &image, const TexelAddress &at, int64_t level)
{
   if (level < 0 || level >= image.levels() || at.layer < 0 || at.layer >= image.layers())
      return false;
   const std::array<uint32_t, 3> size = image.extent(uint32_t(level));
   return at.x >= 0 && at.y >= 0 && at.z >= 0 && at.x < size[0] && at.y < size[1] && at.z < size[2];
}

// The slot (+ 1) of a descriptor's image or sampler, looked up once a dispatch.
template <typename Resource, typename Lookup>
uint64_t
slotOf(std::map<std::array<uint32_t, 3>, uint32_t> &slots, std::vector<Resource *> &table, const Lookup &lookup,
       const std::array<uint32_t, 3> &key)
{
   auto [entry, inserted] = slots.try_emplace(key, 0);
   if (inserted && lookup) {
      if (Resource *resource = lookup(key[0], key[1], key[2])) {
         table.push_back(resource);
         entry->second = uint32_t(table.size());
      }
   }
   return entry->second;
}

} // namespace

bool
Machine::loadDescriptor(const Pointer &pointer, Value &out)
{
   const Type &t = module_.type(pointer.type);
   if (t.kind == TypeKind::Array)
      return fail("shader loaded a whole array of image or sampler descriptors");
   out.c.assign(kOpaqueComponents, 0);
   if (pointer.end > UINT32_MAX)
      return true; // past the array's end: no descriptor
   const std::array<uint32_t, 3> key{uint32_t(pointer.address >> 32), uint32_t(pointer.address),
                                     uint32_t(pointer.end)};
   if (t.kind == TypeKind::Image || t.kind == TypeKind::SampledImage)
      out.c[0] = slotOf(imageSlots_, images_, inputs_->images, key);
   if (t.kind == TypeKind::Sampler || t.kind == TypeKind::SampledImage)
      out.c[1] = slotOf(samplerSlots_, samplers_, inputs_->samplers, key);
   return true;
}

ImageResource *
Machine::boundImage(const Value &handle)
{
   const uint64_t slot = handle.c.empty() ? 0 : handle.c[0];
   if (slot == 0 || slot > images_.size()) {
      fail("shader used an image descriptor that holds no image");
      return nullptr;
   }
   return images_[slot - 1];
}

void
Machine::texelResult(Invocation &inv, const Instruction &inst, const Texel &texel)
{
   const uint32_t components = std::min(componentsOf(inst.type), 4u);
   Value &out = result(inv, inst, components);
   std::copy_n(texel.lanes.begin(), components, out.c.begin());
}

bool
Machine::image(Invocation &inv, const Instruction &inst)
{
   const auto &ops = inst.operands;
   switch (inst.op) {
   case spv::OpSampledImage: {
      const uint64_t image = operand(inv, ops[0]).c.at(0), sampler = operand(inv, ops[1]).c.at(1);
      Value &out = result(inv, inst, kOpaqueComponents);
      out.c = {image, sampler};
      return true;
   }
   case spv::OpImage: {
      const uint64_t image = operand(inv, ops[0]).c.at(0);
      Value &out = result(inv, inst, kOpaqueComponents);
      out.c = {image, 0};
      return true;
   }
   case spv::OpImageRead: return imageRead(inv, inst, false);
   case spv::OpImageFetch: return imageRead(inv, inst, true);
   case spv::OpImageWrite: return imageWrite(inv, inst);
   case spv::OpImageSampleExplicitLod: return imageSample(inv, inst);
   case spv::OpImageTexelPointer: return texelPointer(inv, inst);
   default: return imageQuery(inv, inst);
   }
}

bool
Machine::imageRead(Invocation &inv, const Instruction &inst, bool fetch)
{
   const auto &ops = inst.operands;
   ImageResource *image = boundImage(operand(inv, ops[0]));
   if (!image)
      return false;
   const ImageShape &shape = module_.type(module_.typeOf(ops[0])).image;
   const ImageOperands extra = decodeImageOperands(ops, kSampleOperandsAt);
   TexelAddress at = texelAddress(shape, operand(inv, ops[1]));
   const int64_t level = fetch && extra.lod ? s32(operand(inv, extra.lod).c.at(0)) : 0;
   if (extra.offset)
      addOffset(at, operand(inv, extra.offset));
   Texel texel;
   if (inBounds(*image, at, level) &&
       !image->read(uint32_t(at.x), uint32_t(at.y), uint32_t(at.z), uint32_t(at.layer), uint32_t(level), texel))
      return fail("GPU fault reading an image");
   texelResult(inv, inst, texel);
   return true;
}

bool
Machine::imageWrite(Invocation &inv, const Instruction &inst)
{
   const auto &ops = inst.operands;
   ImageResource *image = boundImage(operand(inv, ops[0]));
   if (!image)
      return false;
   const Type &imageType = module_.type(module_.typeOf(ops[0]));
   const TexelAddress at = texelAddress(imageType.image, operand(inv, ops[1]));
   // Components the shader does not give are (0, 0, 0, 1).
   const bool isFloat = module_.type(imageType.element).kind == TypeKind::Float;
   Texel texel{{0, 0, 0, isFloat ? uint32_t(floatBits(1.0f)) : 1u}};
   const auto &value = operand(inv, ops[2]).c;
   for (size_t k = 0; k < std::min<size_t>(value.size(), 4); ++k)
      texel.lanes[k] = uint32_t(value[k]);
   if (inBounds(*image, at, 0) &&
       !image->write(uint32_t(at.x), uint32_t(at.y), uint32_t(at.z), uint32_t(at.layer), 0, texel))
      return fail("GPU fault writing an image");
   return true;
}

bool
Machine::imageSample(Invocation &inv, const Instruction &inst)
{
   const auto &ops = inst.operands;
   const Value &handle = operand(inv, ops[0]);
   ImageResource *image = boundImage(handle);
   if (!image)
      return false;
   const uint64_t samplerSlot = handle.c.size() > 1 ? handle.c[1] : 0;
   if (samplerSlot == 0 || samplerSlot > samplers_.size())
      return fail("shader sampled through a descriptor that holds no sampler");
   SampleRequest request;
   request.shape = module_.type(module_.typeOf(ops[0])).image;
   const auto &coordinate = operand(inv, ops[1]).c;
   for (size_t k = 0; k < std::min<size_t>(coordinate.size(), 4); ++k)
      request.coord[k] = asFloat(coordinate[k]);
   const ImageOperands extra = decodeImageOperands(ops, kSampleOperandsAt);
   if (extra.lod)
      request.lod = asFloat(operand(inv, extra.lod).c.at(0));
   if (extra.gradX && extra.gradY) {
      request.hasGrad = true;
      const auto &dx = operand(inv, extra.gradX).c, &dy = operand(inv, extra.gradY).c;
      for (size_t k = 0; k < std::min<size_t>(dx.size(), 3); ++k)
         request.gradX[k] = asFloat(dx[k]);
      for (size_t k = 0; k < std::min<size_t>(dy.size(), 3); ++k)
         request.gradY[k] = asFloat(dy[k]);
   }
   if (extra.offset) {
      const auto &offset = operand(inv, extra.offset).c;
      for (size_t k = 0; k < std::min<size_t>(offset.size(), 3); ++k)
         request.offset[k] = s32(offset[k]);
   }
   Texel texel;
   if (!sampleImage(*image, *samplers_[samplerSlot - 1], request, texel))
      return fail("GPU fault reading an image");
   texelResult(inv, inst, texel);
   return true;
}

// A texel pointer's Value: the image's slot, x, y, z, layer, and whether the
// texel is inside the image.
bool
Machine::texelPointer(Invocation &inv, const Instruction &inst)
{
   const auto &ops = inst.operands;
   const Pointer &variable = operand(inv, ops[0]).pointer;
   if (variable.region != Region::Image || module_.type(variable.type).kind != TypeKind::Image)
      return fail("OpImageTexelPointer on something that is no image variable");
   Value handle;
   if (!loadDescriptor(variable, handle))
      return false;
   ImageResource *image = boundImage(handle);
   if (!image)
      return false;
   const TexelAddress at = texelAddress(module_.type(variable.type).image, operand(inv, ops[1]));
   const bool inside = inBounds(*image, at, 0);
   Value &out = result(inv, inst, 6);
   out.c = {handle.c[0], uint64_t(at.x), uint64_t(at.y), uint64_t(at.z), uint64_t(at.layer), inside};
   out.pointer = {Region::Texel, module_.type(inst.type).element, 0, 0};
   return true;
}

bool
Machine::texelAtomic(const Value &pointer, const std::function<void(uint32_t &word)> &update)
{
   if (pointer.c.size() != 6 || pointer.c[0] == 0 || pointer.c[0] > images_.size())
      return fail("image atomic through a broken texel pointer");
   if (!pointer.c[5])
      return true; // outside the image: nothing happens, the result stays 0
   const auto &c = pointer.c;
   if (!images_[c[0] - 1]->atomic(uint32_t(c[1]), uint32_t(c[2]), uint32_t(c[3]), uint32_t(c[4]), 0, update))
      return fail("GPU fault in an image atomic (or a format other than R32_UINT / R32_SINT)");
   return true;
}

} // namespace panvk::spirv
