// ModuleParser's types (with their memory layouts) and constants.
#include <algorithm>

#include "spirv/ModuleParser.h"

namespace panvk::spirv {

bool
ModuleParser::addType(const Instruction &inst)
{
   Type t;
   const auto &ops = inst.operands;
   auto known = [this](uint32_t id) { return m_.isType(id); };
   switch (inst.op) {
   case spv::OpTypeVoid:
      t.kind = TypeKind::Void;
      break;
   case spv::OpTypeBool:
      t.kind = TypeKind::Bool;
      t.components = 1;
      t.size = 4;
      break;
   case spv::OpTypeInt:
   case spv::OpTypeFloat:
      t.kind = inst.op == spv::OpTypeInt ? TypeKind::Int : TypeKind::Float;
      t.width = ops[0];
      t.isSigned = inst.op == spv::OpTypeInt && ops[1] != 0;
      if (t.width != 32)
         return fail("only 32-bit integer and float types are supported");
      t.components = 1;
      t.size = t.width / 8;
      break;
   case spv::OpTypeVector:
      if (!known(ops[0]))
         return fail("vector of an unknown type");
      t.kind = TypeKind::Vector;
      t.element = ops[0];
      t.length = ops[1];
      t.components = t.length;
      t.size = t.length * m_.types_[ops[0]].size;
      break;
   case spv::OpTypeArray:
   case spv::OpTypeRuntimeArray: {
      if (!known(ops[0]))
         return fail("array of an unknown type");
      const Type &element = m_.types_[ops[0]];
      t.kind = inst.op == spv::OpTypeArray ? TypeKind::Array : TypeKind::RuntimeArray;
      t.element = ops[0];
      if (t.kind == TypeKind::Array) {
         if (!m_.isConstant_[ops[1]] || m_.constants_[ops[1]].c.empty())
            return fail("array length is not a constant");
         t.length = static_cast<uint32_t>(m_.constants_[ops[1]].c[0]);
      }
      auto stride = arrayStrides_.find(inst.result);
      t.hasStride = stride != arrayStrides_.end();
      t.stride = t.hasStride ? stride->second : element.size;
      t.components = t.length * element.components;
      t.size = t.length * t.stride;
      break;
   }
   case spv::OpTypeStruct: {
      t.kind = TypeKind::Struct;
      t.members = ops;
      uint64_t packed = 0;
      const auto offsets = memberOffsets_.find(inst.result);
      for (uint32_t i = 0; i < ops.size(); ++i) {
         if (!known(ops[i]))
            return fail("struct member of an unknown type");
         const Type &member = m_.types_[ops[i]];
         uint64_t offset = packed;
         if (offsets != memberOffsets_.end() && offsets->second.count(i))
            offset = offsets->second.at(i);
         t.offsets.push_back(offset);
         t.memberFirst.push_back(t.components);
         t.components += member.components;
         packed = offset + member.size;
         t.size = std::max(t.size, packed);
      }
      break;
   }
   case spv::OpTypePointer:
      t.kind = TypeKind::Pointer;
      t.storage = static_cast<spv::StorageClass>(ops[0]);
      t.element = ops[1];
      t.size = 8;
      break;
   case spv::OpTypeFunction:
      t.kind = TypeKind::Function;
      break;
   case spv::OpTypeImage:
      if (!imageType(ops, t))
         return false;
      break;
   case spv::OpTypeSampler:
      t.kind = TypeKind::Sampler;
      t.components = kOpaqueComponents;
      break;
   case spv::OpTypeSampledImage:
      if (!known(ops[0]) || m_.types_[ops[0]].kind != TypeKind::Image)
         return fail("sampled image of an unknown image type");
      t.kind = TypeKind::SampledImage;
      t.element = ops[0];
      t.image = m_.types_[ops[0]].image;
      t.components = kOpaqueComponents;
      break;
   default:
      return fail("unsupported SPIR-V type");
   }
   m_.types_[inst.result] = std::move(t);
   m_.typeDefined_[inst.result] = 1;
   return true;
}

bool
ModuleParser::imageType(const std::vector<uint32_t> &ops, Type &t)
{
   // Operands: sampled type, Dim, Depth, Arrayed, MS, Sampled, Image Format.
   if (ops.size() < 7 || !m_.isType(ops[0]))
      return fail("image of an unknown sampled type");
   const Type &sampled = m_.types_[ops[0]];
   if ((sampled.kind != TypeKind::Int && sampled.kind != TypeKind::Float) || sampled.width != 32)
      return fail("only images of 32-bit int, uint or float texels are supported");
   switch (ops[1]) {
   case spv::Dim1D: case spv::Dim2D: case spv::Dim3D: case spv::DimCube: case spv::DimBuffer: break;
   default: return fail("unsupported image dimensionality " + std::to_string(ops[1]));
   }
   if (ops[4] != 0)
      return fail("multisampled images are not supported");
   if (ops[5] != 1 && ops[5] != 2)
      return fail("images must be known as sampled or storage (Sampled 1 or 2)");
   t.kind = TypeKind::Image;
   t.element = ops[0];
   t.image.dim = static_cast<spv::Dim>(ops[1]);
   t.image.arrayed = ops[3] != 0;
   t.components = kOpaqueComponents;
   return true;
}

Value
ModuleParser::zero(uint32_t typeId) const
{
   Value v;
   v.c.assign(m_.types_.at(typeId).components, 0);
   return v;
}

bool
ModuleParser::addConstant(const Instruction &inst)
{
   if (!m_.isType(inst.type))
      return fail("constant of an unknown type");
   Value v;
   switch (inst.op) {
   case spv::OpConstant:
      v.c.push_back(inst.operands.empty() ? 0 : inst.operands[0]);
      break;
   case spv::OpConstantTrue: v.c.push_back(1); break;
   case spv::OpConstantFalse: v.c.push_back(0); break;
   case spv::OpConstantComposite:
      for (uint32_t part : inst.operands) {
         if (part >= m_.idBound_ || !m_.isConstant_[part])
            return fail("composite constant of unknown parts");
         const auto &c = m_.constants_[part].c;
         v.c.insert(v.c.end(), c.begin(), c.end());
      }
      break;
   default:
      v = zero(inst.type);
      break;
   }
   m_.constants_[inst.result] = std::move(v);
   m_.isConstant_[inst.result] = 1;
   return true;
}

} // namespace panvk::spirv
