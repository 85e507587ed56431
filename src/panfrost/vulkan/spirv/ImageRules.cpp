// Which image instructions and image operands the interpreter runs, and
// why it refuses the others (ModuleParser asks before accepting a body).
#include "spirv/ImageOperands.h"
#include "spirv/ModuleParser.h"

namespace panvk::spirv {

namespace {

// Image operand bits and how many ids follow each.
struct OperandBit {
   uint32_t bit;
   uint32_t ids;
};
constexpr OperandBit kOperandBits[] = {
   {spv::ImageOperandsBiasMask, 1},       {spv::ImageOperandsLodMask, 1},
   {spv::ImageOperandsGradMask, 2},       {spv::ImageOperandsConstOffsetMask, 1},
   {spv::ImageOperandsOffsetMask, 1},     {spv::ImageOperandsConstOffsetsMask, 1},
   {spv::ImageOperandsSampleMask, 1},     {spv::ImageOperandsMinLodMask, 1},
   {spv::ImageOperandsMakeTexelAvailableMask, 1}, {spv::ImageOperandsMakeTexelVisibleMask, 1},
   {spv::ImageOperandsNonPrivateTexelMask, 0}, {spv::ImageOperandsVolatileTexelMask, 0},
   {spv::ImageOperandsSignExtendMask, 0}, {spv::ImageOperandsZeroExtendMask, 0},
   {spv::ImageOperandsNontemporalMask, 0}, {spv::ImageOperandsOffsetsMask, 1},
};

// Operands that change nothing for the interpreter (memory-model and
// extension hints: texel bits reach the shader unchanged).
constexpr uint32_t kIgnoredOperands =
   uint32_t(spv::ImageOperandsMakeTexelAvailableMask) | uint32_t(spv::ImageOperandsMakeTexelVisibleMask) |
   uint32_t(spv::ImageOperandsNonPrivateTexelMask) | uint32_t(spv::ImageOperandsVolatileTexelMask) |
   uint32_t(spv::ImageOperandsSignExtendMask) | uint32_t(spv::ImageOperandsZeroExtendMask) |
   uint32_t(spv::ImageOperandsNontemporalMask);

constexpr uint32_t kRunOperands = uint32_t(spv::ImageOperandsLodMask) | uint32_t(spv::ImageOperandsGradMask) |
                                  uint32_t(spv::ImageOperandsConstOffsetMask) |
                                  uint32_t(spv::ImageOperandsOffsetMask) | kIgnoredOperands;

std::string
operandRefusal(const Instruction &inst, size_t maskAt)
{
   const ImageOperands decoded = decodeImageOperands(inst.operands, maskAt);
   const uint32_t mask = decoded.mask;
   if (mask & spv::ImageOperandsBiasMask)
      return "image operand Bias is not supported (implicit LOD is invalid in compute)";
   if (mask & spv::ImageOperandsMinLodMask)
      return "image operand MinLod is not supported";
   if (mask & spv::ImageOperandsSampleMask)
      return "image operand Sample is not supported (no multisampled images)";
   if (mask & (spv::ImageOperandsConstOffsetsMask | spv::ImageOperandsOffsetsMask))
      return "image operands ConstOffsets / Offsets (gather) are not supported";
   if (mask & ~kRunOperands)
      return "unsupported image operands (mask " + std::to_string(mask) + ")";
   if (!decoded.complete)
      return "image operands without their ids";
   return {};
}

} // namespace

ImageOperands
decodeImageOperands(const std::vector<uint32_t> &operands, size_t first)
{
   ImageOperands decoded;
   if (first >= operands.size())
      return decoded;
   decoded.mask = operands[first];
   size_t next = first + 1;
   for (const OperandBit &operand : kOperandBits) {
      if (!(decoded.mask & operand.bit))
         continue;
      if (next + operand.ids > operands.size()) {
         decoded.complete = false;
         return decoded;
      }
      switch (operand.bit) {
      case spv::ImageOperandsLodMask: decoded.lod = operands[next]; break;
      case spv::ImageOperandsGradMask:
         decoded.gradX = operands[next];
         decoded.gradY = operands[next + 1];
         break;
      case spv::ImageOperandsConstOffsetMask:
      case spv::ImageOperandsOffsetMask: decoded.offset = operands[next]; break;
      default: break;
      }
      next += operand.ids;
   }
   return decoded;
}

std::string
imageInstructionRefusal(const Instruction &inst)
{
   switch (inst.op) {
   case spv::OpImageSampleImplicitLod: case spv::OpImageSampleDrefImplicitLod:
   case spv::OpImageSampleProjImplicitLod: case spv::OpImageSampleProjDrefImplicitLod:
   case spv::OpImageQueryLod:
      return "implicit-LOD image instructions are not supported (invalid in compute shaders)";
   case spv::OpImageSampleDrefExplicitLod: case spv::OpImageSampleProjDrefExplicitLod:
      return "depth-comparison (Dref) sampling is not supported";
   case spv::OpImageSampleProjExplicitLod:
      return "projective (Proj) sampling is not supported";
   case spv::OpImageGather: case spv::OpImageDrefGather:
      return "image gather is not supported";
   case spv::OpImageQueryFormat: case spv::OpImageQueryOrder:
      return "OpImageQueryFormat / OpImageQueryOrder are not supported (kernel only)";
   case spv::OpImageSparseSampleImplicitLod: case spv::OpImageSparseSampleExplicitLod:
   case spv::OpImageSparseSampleDrefImplicitLod: case spv::OpImageSparseSampleDrefExplicitLod:
   case spv::OpImageSparseSampleProjImplicitLod: case spv::OpImageSparseSampleProjExplicitLod:
   case spv::OpImageSparseSampleProjDrefImplicitLod: case spv::OpImageSparseSampleProjDrefExplicitLod:
   case spv::OpImageSparseFetch: case spv::OpImageSparseGather: case spv::OpImageSparseDrefGather:
   case spv::OpImageSparseTexelsResident: case spv::OpImageSparseRead:
      return "sparse residency image instructions (OpImageSparse*) are not supported";
   case spv::OpImageSampleExplicitLod: {
      const ImageOperands decoded = decodeImageOperands(inst.operands, kSampleOperandsAt);
      if (!(decoded.mask & (spv::ImageOperandsLodMask | spv::ImageOperandsGradMask)))
         return "OpImageSampleExplicitLod without Lod or Grad";
      return operandRefusal(inst, kSampleOperandsAt);
   }
   case spv::OpImageFetch: case spv::OpImageRead:
      return operandRefusal(inst, kSampleOperandsAt);
   case spv::OpImageWrite:
      return operandRefusal(inst, kWriteOperandsAt);
   default:
      return {};
   }
}

} // namespace panvk::spirv
