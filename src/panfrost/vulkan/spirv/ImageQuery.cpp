// OpImageQuerySize, OpImageQuerySizeLod, OpImageQueryLevels and
// OpImageQuerySamples.
#include <algorithm>

#include "spirv/Machine.h"

namespace panvk::spirv {

namespace {

// What a size query returns for a level of this shape: 1D (w [, layers]),
// 2D (w, h [, layers]), 3D (w, h, d), cube (w, h [, cubes]), buffer (w).
std::vector<uint32_t>
sizeOf(const ImageShape &shape, const ImageResource &image, uint32_t level)
{
   const std::array<uint32_t, 3> extent = image.extent(level);
   switch (shape.dim) {
   case spv::Dim1D:
      if (shape.arrayed)
         return {extent[0], image.layers()};
      return {extent[0]};
   case spv::Dim2D:
      if (shape.arrayed)
         return {extent[0], extent[1], image.layers()};
      return {extent[0], extent[1]};
   case spv::Dim3D:
      return {extent[0], extent[1], extent[2]};
   case spv::DimCube:
      if (shape.arrayed)
         return {extent[0], extent[1], image.layers() / 6};
      return {extent[0], extent[1]};
   default:
      return {extent[0]};
   }
}

} // namespace

bool
Machine::imageQuery(Invocation &inv, const Instruction &inst)
{
   const auto &ops = inst.operands;
   ImageResource *image = boundImage(operand(inv, ops[0]));
   if (!image)
      return false;
   const uint32_t components = componentsOf(inst.type);
   Value &out = result(inv, inst, components);
   std::fill(out.c.begin(), out.c.end(), 0);
   switch (inst.op) {
   case spv::OpImageQuerySamples:
      out.c[0] = 1;
      return true;
   case spv::OpImageQueryLevels:
      out.c[0] = image->levels();
      return true;
   case spv::OpImageQuerySize:
   case spv::OpImageQuerySizeLod: {
      const int64_t level =
         inst.op == spv::OpImageQuerySizeLod ? int32_t(uint32_t(operand(inv, ops[1]).c.at(0))) : 0;
      // A level the view lacks: all zero (undefined in Vulkan; harmless here).
      if (level < 0 || level >= image->levels())
         return true;
      const std::vector<uint32_t> size =
         sizeOf(module_.type(module_.typeOf(ops[0])).image, *image, uint32_t(level));
      std::copy_n(size.begin(), std::min<size_t>(size.size(), components), out.c.begin());
      return true;
   }
   default:
      return fail("unexpected image instruction (opcode " + std::to_string(inst.op) + ")");
   }
}

} // namespace panvk::spirv
