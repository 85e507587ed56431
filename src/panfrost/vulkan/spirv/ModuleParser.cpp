#include "spirv/ModuleParser.h"

#include <algorithm>
#include <cstring>

namespace panvk::spirv {

namespace {

std::string
literalString(const uint32_t *words, uint32_t count)
{
   const char *text = reinterpret_cast<const char *>(words);
   return std::string(text, strnlen(text, count * 4));
}

// Names of the capabilities a refused shader most likely declares.
std::string
capabilityName(uint32_t capability)
{
   switch (capability) {
   case spv::CapabilityFloat16: return "Float16";
   case spv::CapabilityFloat64: return "Float64";
   case spv::CapabilityInt64: return "Int64";
   case spv::CapabilityInt64Atomics: return "Int64Atomics";
   case spv::CapabilityInt16: return "Int16";
   case spv::CapabilityInt8: return "Int8";
   case spv::CapabilityImageQuery: return "ImageQuery";
   case spv::CapabilitySampled1D: return "Sampled1D";
   case spv::CapabilitySampledBuffer: return "SampledBuffer";
   case spv::CapabilityImageBuffer: return "ImageBuffer";
   case spv::CapabilityStorageImageWriteWithoutFormat: return "StorageImageWriteWithoutFormat";
   case spv::CapabilityStorageImageReadWithoutFormat: return "StorageImageReadWithoutFormat";
   case spv::CapabilitySparseResidency: return "SparseResidency";
   case spv::CapabilityStorageImageMultisample: return "StorageImageMultisample";
   case spv::CapabilityImageMSArray: return "ImageMSArray";
   case spv::CapabilityImageGatherExtended: return "ImageGatherExtended";
   case spv::CapabilityMinLod: return "MinLod";
   case spv::CapabilityImageRect: return "ImageRect";
   case spv::CapabilitySampledRect: return "SampledRect";
   case spv::CapabilityInputAttachment: return "InputAttachment";
   case spv::CapabilitySampledImageArrayDynamicIndexing: return "SampledImageArrayDynamicIndexing";
   case spv::CapabilityStorageImageArrayDynamicIndexing: return "StorageImageArrayDynamicIndexing";
   case spv::CapabilityGroupNonUniform: return "GroupNonUniform";
   default: return std::to_string(capability);
   }
}

uint64_t
alignUp(uint64_t value, uint64_t alignment)
{
   return (value + alignment - 1) / alignment * alignment;
}

} // namespace

bool
ModuleParser::fail(const std::string &why)
{
   if (error_.empty())
      error_ = why;
   return false;
}

bool
ModuleParser::parse(const std::vector<uint32_t> &words)
{
   if (words.size() < 5 || words[0] != spv::MagicNumber)
      return fail("not a SPIR-V module");
   m_.idBound_ = words[3];
   m_.constants_.resize(m_.idBound_);
   m_.isConstant_.resize(m_.idBound_);
   m_.typeOf_.resize(m_.idBound_);
   m_.types_.resize(m_.idBound_);
   m_.typeDefined_.resize(m_.idBound_);
   m_.blocks_.assign(m_.idBound_, Module::kNoBlock);
   for (size_t at = 5; at < words.size();) {
      const uint32_t wordCount = words[at] >> 16;
      if (wordCount == 0 || at + wordCount > words.size())
         return fail("truncated SPIR-V instruction");
      Instruction inst;
      inst.op = static_cast<spv::Op>(words[at] & 0xFFFF);
      bool hasResult = false, hasType = false;
      spv::HasResultAndType(inst.op, &hasResult, &hasType);
      uint32_t next = at + 1;
      if (hasType && next < at + wordCount)
         inst.type = words[next++];
      if (hasResult && next < at + wordCount)
         inst.result = words[next++];
      if (inst.result >= m_.idBound_ || inst.type >= m_.idBound_)
         return fail("SPIR-V id out of bounds");
      inst.operands.assign(words.begin() + next, words.begin() + at + wordCount);
      if (inst.result && inst.type)
         m_.typeOf_[inst.result] = inst.type;
      if (!global(inst, words.data() + at, wordCount))
         return false;
      at += wordCount;
   }
   return finish();
}

bool
ModuleParser::global(const Instruction &inst, const uint32_t *words, uint32_t wordCount)
{
   const auto &ops = inst.operands;
   switch (inst.op) {
   case spv::OpCapability:
      switch (ops[0]) {
      case spv::CapabilityShader: case spv::CapabilityMatrix: case spv::CapabilityImageQuery:
      case spv::CapabilityStorageImageReadWithoutFormat: case spv::CapabilityStorageImageWriteWithoutFormat:
      case spv::CapabilityStorageImageExtendedFormats: case spv::CapabilitySampled1D:
      case spv::CapabilityImage1D: case spv::CapabilitySampledBuffer: case spv::CapabilityImageBuffer:
      case spv::CapabilitySampledCubeArray: case spv::CapabilityImageCubeArray:
         return true;
      default:
         return fail("unsupported SPIR-V capability " + capabilityName(ops[0]));
      }
   case spv::OpExtension: {
      const std::string name = literalString(words + 1, wordCount - 1);
      if (name != "SPV_KHR_storage_buffer_storage_class" && name != "SPV_KHR_non_semantic_info")
         return fail("unsupported SPIR-V extension " + name);
      return true;
   }
   case spv::OpExtInstImport:
      extSets_[inst.result] = literalString(words + 2, wordCount - 2);
      if (extSets_[inst.result] == "GLSL.std.450")
         m_.glslSet_ = inst.result;
      else if (extSets_[inst.result].rfind("NonSemantic.", 0) != 0)
         return fail("unsupported SPIR-V instruction set " + extSets_[inst.result]);
      return true;
   case spv::OpMemoryModel:
      if (ops[0] != spv::AddressingModelLogical)
         return fail("only the logical addressing model is supported");
      return true;
   case spv::OpEntryPoint:
      if (ops[0] == spv::ExecutionModelGLCompute && literalString(words + 3, wordCount - 3) == entryPoint_) {
         m_.entryFunction_ = ops[1];
         entryFound_ = true;
      }
      return true;
   case spv::OpExecutionMode:
   case spv::OpExecutionModeId:
      if (ops[0] != m_.entryFunction_)
         return true;
      if (ops[1] == spv::ExecutionModeLocalSize && ops.size() >= 5) {
         m_.localSize_ = {ops[2], ops[3], ops[4]};
         return true;
      }
      if (ops[1] == spv::ExecutionModeLocalSizeId && ops.size() >= 5) {
         // The constants are declared after the execution modes: finish() reads them.
         localSizeIds_ = {ops[2], ops[3], ops[4]};
         return true;
      }
      return fail("unsupported execution mode " + std::to_string(ops[1]));
   case spv::OpSource: case spv::OpSourceContinued: case spv::OpSourceExtension: case spv::OpName:
   case spv::OpMemberName: case spv::OpString: case spv::OpLine: case spv::OpNoLine:
   case spv::OpModuleProcessed: case spv::OpNop:
      return true;
   case spv::OpDecorate:
      switch (ops[1]) {
      case spv::DecorationDescriptorSet: sets_[ops[0]] = ops[2]; break;
      case spv::DecorationBinding: bindings_[ops[0]] = ops[2]; break;
      case spv::DecorationArrayStride: arrayStrides_[ops[0]] = ops[2]; break;
      case spv::DecorationBuiltIn:
         switch (ops[2]) {
         case spv::BuiltInGlobalInvocationId: builtins_[ops[0]] = Builtin::GlobalInvocationId; break;
         case spv::BuiltInLocalInvocationId: builtins_[ops[0]] = Builtin::LocalInvocationId; break;
         case spv::BuiltInWorkgroupId: builtins_[ops[0]] = Builtin::WorkgroupId; break;
         case spv::BuiltInNumWorkgroups: builtins_[ops[0]] = Builtin::NumWorkgroups; break;
         case spv::BuiltInLocalInvocationIndex: builtins_[ops[0]] = Builtin::LocalInvocationIndex; break;
         case spv::BuiltInWorkgroupSize: workgroupSizeConstant_ = ops[0]; break;
         default: return fail("unsupported SPIR-V built-in " + std::to_string(ops[2]));
         }
         break;
      default: break; // Block, NonWritable, Coherent, ...: nothing changes for an in-order CPU
      }
      return true;
   case spv::OpMemberDecorate:
      if (ops[2] == spv::DecorationOffset)
         memberOffsets_[ops[0]][ops[1]] = ops[3];
      else if (ops[2] == spv::DecorationBuiltIn)
         return fail("built-in block members are not supported in compute");
      else if (ops[2] == spv::DecorationColMajor || ops[2] == spv::DecorationRowMajor ||
               ops[2] == spv::DecorationMatrixStride)
         return true;
      return true;
   case spv::OpDecorationGroup: case spv::OpGroupDecorate: case spv::OpGroupMemberDecorate:
      return fail("SPIR-V decoration groups are not supported");
   case spv::OpTypeVoid: case spv::OpTypeBool: case spv::OpTypeInt: case spv::OpTypeFloat:
   case spv::OpTypeVector: case spv::OpTypeArray: case spv::OpTypeRuntimeArray:
   case spv::OpTypeStruct: case spv::OpTypePointer: case spv::OpTypeFunction:
   case spv::OpTypeImage: case spv::OpTypeSampler: case spv::OpTypeSampledImage:
      return addType(inst);
   case spv::OpConstant: case spv::OpConstantTrue: case spv::OpConstantFalse:
   case spv::OpConstantComposite: case spv::OpConstantNull:
      return addConstant(inst);
   case spv::OpUndef:
      if (!inFunction_)
         return addConstant(inst);
      break;
   case spv::OpFunction:
      inFunction_ = true;
      collecting_ = inst.result == m_.entryFunction_;
      return true;
   case spv::OpFunctionEnd:
      inFunction_ = false;
      collecting_ = false;
      return true;
   case spv::OpExtInst:
      if (extSets_[inst.operands[0]].rfind("NonSemantic.", 0) == 0)
         return true;
      break;
   case spv::OpVariable:
      if (!addVariable(inst))
         return false;
      if (!inFunction_)
         return true;
      break;
   default:
      break;
   }
   if (!inFunction_)
      return fail("unsupported SPIR-V instruction (opcode " + std::to_string(inst.op) + ") at module scope");
   if (!collecting_)
      return true;
   if (inst.op == spv::OpLabel) {
      if (m_.code_.empty() && !m_.entryLabel_)
         m_.entryLabel_ = inst.result;
      m_.blocks_[inst.result] = static_cast<uint32_t>(m_.code_.size());
      return true;
   }
   if (inst.op == spv::OpFunctionParameter)
      return fail("the entry point takes parameters");
   if (const std::string why = imageInstructionRefusal(inst); !why.empty())
      return fail(why);
   if (!supportedOpcode(inst.op))
      return fail("unsupported SPIR-V instruction (opcode " + std::to_string(inst.op) + ")");
   if (inst.op == spv::OpExtInst &&
       (inst.operands[0] != m_.glslSet_ || !supportedGlslInstruction(inst.operands[1])))
      return fail("unsupported extended instruction " + std::to_string(inst.operands[1]));
   m_.code_.push_back(inst);
   return true;
}

bool
ModuleParser::addVariable(const Instruction &inst)
{
   if (!m_.isType(inst.type) || m_.types_[inst.type].kind != TypeKind::Pointer)
      return fail("variable of a non-pointer type");
   const Type *pointerType = &m_.types_[inst.type];
   Variable v;
   v.id = inst.result;
   v.type = pointerType->element;
   if (!m_.isType(v.type))
      return fail("variable of an unknown type");
   v.storage = static_cast<spv::StorageClass>(inst.operands[0]);
   v.initializer = inst.operands.size() > 1 ? inst.operands[1] : 0;
   const Type &pointee = m_.types_.at(v.type);
   Pointer p{Region::None, v.type, 0, 0};
   switch (v.storage) {
   case spv::StorageClassStorageBuffer:
   case spv::StorageClassUniform:
      if (!sets_.count(v.id) || !bindings_.count(v.id))
         return fail("buffer variable without a descriptor set or binding");
      v.set = sets_[v.id];
      v.binding = bindings_[v.id];
      if (pointee.kind == TypeKind::RuntimeArray)
         return fail("runtime arrays of descriptors are not supported");
      v.descriptorArray = pointee.kind == TypeKind::Array;
      if (v.descriptorArray) {
         p.region = Region::DescriptorArray;
         p.address = v.id;
      }
      break;
   case spv::StorageClassUniformConstant:
      if (!addDescriptorVariable(v, p))
         return false;
      break;
   case spv::StorageClassPushConstant:
      p.region = Region::PushConstant;
      break;
   case spv::StorageClassWorkgroup:
      v.offset = alignUp(m_.workgroupMemory_, 16);
      m_.workgroupMemory_ = v.offset + pointee.size;
      p = {Region::Workgroup, v.type, v.offset, 0};
      break;
   case spv::StorageClassInput:
      if (!builtins_.count(v.id))
         return fail("compute shader input that is not a supported built-in");
      v.builtin = builtins_[v.id];
      [[fallthrough]];
   case spv::StorageClassPrivate:
   case spv::StorageClassFunction:
      v.offset = alignUp(m_.invocationMemory_, 16);
      m_.invocationMemory_ = v.offset + pointee.size;
      p = {Region::Invocation, v.type, v.offset, 0};
      break;
   default:
      return fail("unsupported storage class " + std::to_string(v.storage));
   }
   // Every variable's pointer is known before running (buffer ones once
   // the descriptors are, Machine::bindGlobals).
   m_.constants_[v.id].pointer = p;
   m_.isConstant_[v.id] = 1;
   m_.variables_.push_back(v);
   return true;
}

bool
ModuleParser::addDescriptorVariable(Variable &v, Pointer &p)
{
   if (!sets_.count(v.id) || !bindings_.count(v.id))
      return fail("image or sampler variable without a descriptor set or binding");
   v.set = sets_[v.id];
   v.binding = bindings_[v.id];
   uint32_t typeId = v.type;
   while (m_.types_[typeId].kind == TypeKind::Array) {
      v.descriptorArray = true;
      typeId = m_.types_[typeId].element;
   }
   const TypeKind kind = m_.types_[typeId].kind;
   if (kind == TypeKind::RuntimeArray)
      return fail("runtime arrays of descriptors are not supported");
   if (kind != TypeKind::Image && kind != TypeKind::Sampler && kind != TypeKind::SampledImage)
      return fail("UniformConstant variable that is no image, sampler or sampled image");
   p = {Region::Image, v.type, uint64_t(v.set) << 32 | v.binding, 0};
   return true;
}

bool
ModuleParser::resolveLocalSizeId()
{
   for (int i = 0; i < 3; ++i) {
      const uint32_t id = localSizeIds_[i];
      if (id >= m_.idBound_ || !m_.isConstant_[id] || m_.constants_[id].c.size() != 1 ||
          !m_.isType(m_.typeOf_[id]) || m_.types_[m_.typeOf_[id]].kind != TypeKind::Int)
         return fail("LocalSizeId is not an integer constant");
      m_.localSize_[i] = static_cast<uint32_t>(m_.constants_[id].c[0]);
   }
   return true;
}

bool
ModuleParser::finish()
{
   if (!entryFound_)
      return fail("no GLCompute entry point named \"" + entryPoint_ + "\"");
   if (localSizeIds_[0] && !resolveLocalSizeId())
      return false;
   if (workgroupSizeConstant_) {
      const auto &c = m_.constants_[workgroupSizeConstant_].c;
      if (c.size() != 3)
         return fail("WorkgroupSize is not a constant uvec3");
      m_.localSize_ = {uint32_t(c[0]), uint32_t(c[1]), uint32_t(c[2])};
   }
   const auto &size = m_.localSize_;
   if (size[0] == 0 || size[1] == 0 || size[2] == 0)
      return fail("empty workgroup size");
   if (size[0] > kMaxWorkgroupSize[0] || size[1] > kMaxWorkgroupSize[1] || size[2] > kMaxWorkgroupSize[2] ||
       uint64_t(size[0]) * size[1] * size[2] > kMaxWorkgroupInvocations)
      return fail("workgroup larger than maxComputeWorkGroupSize / maxComputeWorkGroupInvocations");
   if (m_.workgroupMemory_ > kMaxWorkgroupMemory)
      return fail("the shader declares more shared memory than maxComputeSharedMemorySize");
   if (m_.code_.empty())
      return fail("the entry point has no code");
   return true;
}

} // namespace panvk::spirv
