// One instruction: control flow, memory and composites here; numbers in
// Arithmetic.cpp and Glsl450.cpp; images in Image.cpp and ImageQuery.cpp.
#include <algorithm>

#include "spirv/Machine.h"
#include "spirv/ModuleParser.h"

namespace panvk::spirv {

bool
supportedOpcode(spv::Op op)
{
   switch (op) {
   case spv::OpNop: case spv::OpUndef: case spv::OpVariable: case spv::OpLoad: case spv::OpStore:
   case spv::OpCopyMemory: case spv::OpAccessChain: case spv::OpInBoundsAccessChain:
   case spv::OpArrayLength: case spv::OpCompositeConstruct: case spv::OpCompositeExtract:
   case spv::OpCompositeInsert: case spv::OpVectorShuffle: case spv::OpVectorExtractDynamic:
   case spv::OpVectorInsertDynamic: case spv::OpCopyObject: case spv::OpCopyLogical:
   case spv::OpPhi: case spv::OpBranch: case spv::OpBranchConditional: case spv::OpSwitch:
   case spv::OpReturn: case spv::OpUnreachable: case spv::OpSelectionMerge: case spv::OpLoopMerge:
   case spv::OpControlBarrier: case spv::OpMemoryBarrier: case spv::OpExtInst:
   // Arithmetic.cpp
   case spv::OpIAdd: case spv::OpISub: case spv::OpIMul: case spv::OpUDiv: case spv::OpSDiv:
   case spv::OpUMod: case spv::OpSRem: case spv::OpSMod: case spv::OpSNegate: case spv::OpNot:
   case spv::OpShiftLeftLogical: case spv::OpShiftRightLogical: case spv::OpShiftRightArithmetic:
   case spv::OpBitwiseAnd: case spv::OpBitwiseOr: case spv::OpBitwiseXor: case spv::OpBitReverse:
   case spv::OpBitCount: case spv::OpBitFieldInsert: case spv::OpBitFieldSExtract:
   case spv::OpBitFieldUExtract: case spv::OpFAdd: case spv::OpFSub: case spv::OpFMul:
   case spv::OpFDiv: case spv::OpFRem: case spv::OpFMod: case spv::OpFNegate:
   case spv::OpVectorTimesScalar: case spv::OpDot: case spv::OpIEqual: case spv::OpINotEqual:
   case spv::OpUGreaterThan: case spv::OpSGreaterThan: case spv::OpUGreaterThanEqual:
   case spv::OpSGreaterThanEqual: case spv::OpULessThan: case spv::OpSLessThan:
   case spv::OpULessThanEqual: case spv::OpSLessThanEqual: case spv::OpFOrdEqual:
   case spv::OpFUnordEqual: case spv::OpFOrdNotEqual: case spv::OpFUnordNotEqual:
   case spv::OpFOrdLessThan: case spv::OpFUnordLessThan: case spv::OpFOrdGreaterThan:
   case spv::OpFUnordGreaterThan: case spv::OpFOrdLessThanEqual: case spv::OpFUnordLessThanEqual:
   case spv::OpFOrdGreaterThanEqual: case spv::OpFUnordGreaterThanEqual: case spv::OpLogicalEqual:
   case spv::OpLogicalNotEqual: case spv::OpLogicalOr: case spv::OpLogicalAnd:
   case spv::OpLogicalNot: case spv::OpSelect: case spv::OpAny: case spv::OpAll:
   case spv::OpIsNan: case spv::OpIsInf: case spv::OpConvertFToU: case spv::OpConvertFToS:
   case spv::OpConvertSToF: case spv::OpConvertUToF: case spv::OpUConvert: case spv::OpSConvert:
   case spv::OpFConvert: case spv::OpBitcast:
   // MemoryAccess.cpp
   case spv::OpAtomicLoad: case spv::OpAtomicStore: case spv::OpAtomicExchange:
   case spv::OpAtomicCompareExchange: case spv::OpAtomicIIncrement: case spv::OpAtomicIDecrement:
   case spv::OpAtomicIAdd: case spv::OpAtomicISub: case spv::OpAtomicSMin: case spv::OpAtomicUMin:
   case spv::OpAtomicSMax: case spv::OpAtomicUMax: case spv::OpAtomicAnd: case spv::OpAtomicOr:
   case spv::OpAtomicXor:
   // Image.cpp, ImageQuery.cpp
   case spv::OpSampledImage: case spv::OpImage: case spv::OpImageRead: case spv::OpImageWrite:
   case spv::OpImageFetch: case spv::OpImageSampleExplicitLod: case spv::OpImageTexelPointer:
   case spv::OpImageQuerySize: case spv::OpImageQuerySizeLod: case spv::OpImageQueryLevels:
   case spv::OpImageQuerySamples:
      return true;
   default:
      return false;
   }
}

bool
Machine::step(Invocation &inv, const Instruction &inst, Status &stop)
{
   const auto &ops = inst.operands;
   stop = Status::Done;
   switch (inst.op) {
   case spv::OpNop: case spv::OpSelectionMerge: case spv::OpLoopMerge: case spv::OpMemoryBarrier:
      return true;
   case spv::OpControlBarrier:
      stop = Status::Barrier;
      return true;
   case spv::OpReturn:
      inv.done = true;
      return true;
   case spv::OpUnreachable:
      return fail("shader reached OpUnreachable");
   case spv::OpBranch:
      return jump(inv, ops[0]);
   case spv::OpBranchConditional:
      return jump(inv, operand(inv, ops[0]).c[0] ? ops[1] : ops[2]);
   case spv::OpSwitch: {
      const uint32_t selector = static_cast<uint32_t>(operand(inv, ops[0]).c[0]);
      for (size_t k = 2; k + 1 < ops.size(); k += 2) {
         if (ops[k] == selector)
            return jump(inv, ops[k + 1]);
      }
      return jump(inv, ops[1]);
   }
   case spv::OpPhi:
      return fail("OpPhi after the start of a block");
   case spv::OpUndef:
      result(inv, inst, componentsOf(inst.type)).c.assign(componentsOf(inst.type), 0);
      return true;
   case spv::OpVariable:
      if (ops.size() > 1)
         return store(inv, operand(inv, inst.result).pointer, operand(inv, ops[1]));
      return true;
   case spv::OpLoad: {
      Value &out = inv.values[inst.result];
      return load(inv, operand(inv, ops[0]).pointer, out);
   }
   case spv::OpStore:
      return store(inv, operand(inv, ops[0]).pointer, operand(inv, ops[1]));
   case spv::OpCopyMemory: {
      Value temporary;
      return load(inv, operand(inv, ops[1]).pointer, temporary) &&
             store(inv, operand(inv, ops[0]).pointer, temporary);
   }
   case spv::OpAccessChain:
   case spv::OpInBoundsAccessChain:
      return accessChain(inv, inst);
   case spv::OpArrayLength: {
      const Pointer &p = operand(inv, ops[0]).pointer;
      if (p.region == Region::None)
         return fail("OpArrayLength through a descriptor that holds no buffer");
      if (p.region != Region::Buffer)
         return fail("OpArrayLength on memory that is not a buffer");
      const Type &block = module_.type(p.type);
      const Type &array = module_.type(block.members.at(ops[1]));
      const uint64_t start = p.address + block.offsets.at(ops[1]);
      const uint64_t length = p.end > start && array.stride ? (p.end - start) / array.stride : 0;
      result(inv, inst, 1).c[0] = static_cast<uint32_t>(length);
      return true;
   }
   case spv::OpExtInst:
      return glsl(inv, inst);
   case spv::OpAtomicLoad: case spv::OpAtomicStore: case spv::OpAtomicExchange:
   case spv::OpAtomicCompareExchange: case spv::OpAtomicIIncrement: case spv::OpAtomicIDecrement:
   case spv::OpAtomicIAdd: case spv::OpAtomicISub: case spv::OpAtomicSMin: case spv::OpAtomicUMin:
   case spv::OpAtomicSMax: case spv::OpAtomicUMax: case spv::OpAtomicAnd: case spv::OpAtomicOr:
   case spv::OpAtomicXor:
      return atomic(inv, inst);
   case spv::OpCompositeConstruct: case spv::OpCompositeExtract: case spv::OpCompositeInsert:
   case spv::OpVectorShuffle: case spv::OpVectorExtractDynamic: case spv::OpVectorInsertDynamic:
   case spv::OpCopyObject: case spv::OpCopyLogical:
      return composite(inv, inst);
   case spv::OpSampledImage: case spv::OpImage: case spv::OpImageRead: case spv::OpImageWrite:
   case spv::OpImageFetch: case spv::OpImageSampleExplicitLod: case spv::OpImageTexelPointer:
   case spv::OpImageQuerySize: case spv::OpImageQuerySizeLod: case spv::OpImageQueryLevels:
   case spv::OpImageQuerySamples:
      return image(inv, inst);
   default:
      if (arithmetic(inv, inst))
         return true;
      return fail("unexpected SPIR-V instruction (opcode " + std::to_string(inst.op) + ")");
   }
}

bool
Machine::accessChain(Invocation &inv, const Instruction &inst)
{
   const auto &ops = inst.operands;
   Pointer p = operand(inv, ops[0]).pointer;
   for (size_t k = 1; k < ops.size(); ++k) {
      // Indices of a signed type may be negative (they then leave the object: invalid).
      uint64_t index = operand(inv, ops[k]).c.at(0);
      if (module_.type(module_.typeOf(ops[k])).isSigned)
         index = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(index)));
      const Type &t = module_.type(p.type);
      if (p.region == Region::Image) {
         // Arrays of images or samplers (of arrays): the index flattened.
         if (t.kind != TypeKind::Array)
            return fail("access chain into an image or sampler");
         const uint64_t flat = p.end * t.length + index;
         p.end = p.end <= UINT32_MAX && index < t.length && flat <= UINT32_MAX ? flat : UINT64_MAX;
         p.type = t.element;
         continue;
      }
      if (p.region == Region::DescriptorArray) {
         const auto &vars = module_.variables();
         const auto v = std::find_if(vars.begin(), vars.end(),
                                     [&](const Variable &var) { return var.id == p.address; });
         std::optional<BufferView> view;
         if (v != vars.end() && inputs_->buffers)
            view = inputs_->buffers(v->set, v->binding, static_cast<uint32_t>(index));
         p = view ? Pointer{Region::Buffer, t.element, view->va, view->va + view->range}
                  : Pointer{Region::None, t.element, 0, 0};
         continue;
      }
      switch (t.kind) {
      case TypeKind::Struct:
         if (index >= t.members.size())
            return fail("struct member index out of range");
         p.address += t.offsets[index];
         p.type = t.members[index];
         break;
      case TypeKind::Array:
      case TypeKind::RuntimeArray:
         p.address += index * t.stride;
         p.type = t.element;
         break;
      case TypeKind::Vector:
         p.address += index * module_.type(t.element).size;
         p.type = t.element;
         break;
      default:
         return fail("access chain into a scalar");
      }
   }
   result(inv, inst, 0).pointer = p;
   return true;
}

bool
Machine::composite(Invocation &inv, const Instruction &inst)
{
   const auto &ops = inst.operands;
   switch (inst.op) {
   case spv::OpCompositeConstruct: {
      Value &out = inv.values[inst.result];
      out.c.clear();
      for (uint32_t part : ops) {
         const auto &c = operand(inv, part).c;
         out.c.insert(out.c.end(), c.begin(), c.end());
      }
      return true;
   }
   case spv::OpCompositeExtract:
   case spv::OpCompositeInsert: {
      const bool insert = inst.op == spv::OpCompositeInsert;
      const uint32_t source = insert ? ops[1] : ops[0];
      uint32_t typeId = module_.typeOf(source);
      uint32_t first = 0;
      for (size_t k = insert ? 2 : 1; k < ops.size(); ++k) {
         const Type &t = module_.type(typeId);
         const uint32_t index = ops[k];
         if (t.kind == TypeKind::Struct) {
            if (index >= t.members.size())
               return fail("composite index out of range");
            first += t.memberFirst[index];
            typeId = t.members[index];
         } else if (t.kind == TypeKind::Array || t.kind == TypeKind::Vector) {
            if (index >= t.length)
               return fail("composite index out of range");
            typeId = t.element;
            first += index * module_.type(typeId).components;
         } else {
            return fail("composite index into a scalar");
         }
      }
      const uint32_t count = componentsOf(typeId);
      if (insert) {
         Value whole = operand(inv, source);
         const auto &part = operand(inv, ops[0]).c;
         std::copy_n(part.begin(), std::min<size_t>(count, part.size()), whole.c.begin() + first);
         inv.values[inst.result] = std::move(whole);
      } else {
         const auto &c = operand(inv, source).c;
         Value &out = result(inv, inst, count);
         std::copy_n(c.begin() + first, count, out.c.begin());
      }
      return true;
   }
   case spv::OpVectorShuffle: {
      const auto &a = operand(inv, ops[0]).c;
      const auto &b = operand(inv, ops[1]).c;
      Value &out = result(inv, inst, static_cast<uint32_t>(ops.size() - 2));
      for (size_t k = 2; k < ops.size(); ++k) {
         const uint32_t pick = ops[k];
         out.c[k - 2] = pick < a.size() ? a[pick] : pick - a.size() < b.size() ? b[pick - a.size()] : 0;
      }
      return true;
   }
   case spv::OpVectorExtractDynamic: {
      const auto &v = operand(inv, ops[0]).c;
      const uint64_t index = operand(inv, ops[1]).c[0];
      result(inv, inst, 1).c[0] = index < v.size() ? v[index] : 0;
      return true;
   }
   case spv::OpVectorInsertDynamic: {
      Value whole = operand(inv, ops[0]);
      const uint64_t index = operand(inv, ops[2]).c[0];
      if (index < whole.c.size())
         whole.c[index] = operand(inv, ops[1]).c[0];
      inv.values[inst.result] = std::move(whole);
      return true;
   }
   default: // OpCopyObject, OpCopyLogical
      inv.values[inst.result] = operand(inv, ops[0]);
      return true;
   }
}

} // namespace panvk::spirv
