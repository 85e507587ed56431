// Loads, stores and atomics. Values go to memory in their type's layout
// (Module.h); buffer memory is reached through GlobalMemory, one access per
// load and one per contiguous run of a store (padding is never written).
#include <atomic>
#include <cstring>

#include "spirv/Machine.h"

namespace panvk::spirv {

void
Machine::decode(uint32_t typeId, const uint8_t *bytes, uint64_t *out) const
{
   const Type &t = module_.type(typeId);
   switch (t.kind) {
   case TypeKind::Bool:
   case TypeKind::Int:
   case TypeKind::Float: {
      uint32_t word;
      memcpy(&word, bytes, 4);
      out[0] = t.kind == TypeKind::Bool ? word != 0 : word;
      return;
   }
   case TypeKind::Vector: {
      const uint64_t size = module_.type(t.element).size;
      for (uint32_t i = 0; i < t.length; ++i)
         decode(t.element, bytes + i * size, out + i);
      return;
   }
   case TypeKind::Array: {
      const uint32_t components = module_.type(t.element).components;
      for (uint32_t i = 0; i < t.length; ++i)
         decode(t.element, bytes + i * t.stride, out + i * components);
      return;
   }
   case TypeKind::Struct:
      for (size_t i = 0; i < t.members.size(); ++i)
         decode(t.members[i], bytes + t.offsets[i], out + t.memberFirst[i]);
      return;
   default:
      return;
   }
}

void
Machine::encode(uint32_t typeId, const uint64_t *in, uint8_t *bytes, uint64_t offset)
{
   const Type &t = module_.type(typeId);
   switch (t.kind) {
   case TypeKind::Bool:
   case TypeKind::Int:
   case TypeKind::Float: {
      const uint32_t word = static_cast<uint32_t>(in[0]);
      memcpy(bytes, &word, 4);
      if (!pieces_.empty() && pieces_.back().first + pieces_.back().second == offset)
         pieces_.back().second += 4;
      else
         pieces_.push_back({offset, 4});
      return;
   }
   case TypeKind::Vector: {
      const uint64_t size = module_.type(t.element).size;
      for (uint32_t i = 0; i < t.length; ++i)
         encode(t.element, in + i, bytes + i * size, offset + i * size);
      return;
   }
   case TypeKind::Array: {
      const uint32_t components = module_.type(t.element).components;
      for (uint32_t i = 0; i < t.length; ++i)
         encode(t.element, in + i * components, bytes + i * t.stride, offset + i * t.stride);
      return;
   }
   case TypeKind::Struct:
      for (size_t i = 0; i < t.members.size(); ++i)
         encode(t.members[i], in + t.memberFirst[i], bytes + t.offsets[i], offset + t.offsets[i]);
      return;
   default:
      return;
   }
}

uint8_t *
Machine::hostBytes(Invocation &inv, const Pointer &pointer, uint64_t size)
{
   std::span<uint8_t> region;
   switch (pointer.region) {
   case Region::Invocation: region = inv.memory; break;
   case Region::Workgroup: region = workgroupMemory_; break;
   case Region::PushConstant:
      region = {const_cast<uint8_t *>(inputs_->pushConstants.data()), inputs_->pushConstants.size()};
      break;
   default: return nullptr;
   }
   if (pointer.address > region.size() || size > region.size() - pointer.address)
      return nullptr;
   return region.data() + pointer.address;
}

bool
Machine::load(Invocation &inv, const Pointer &pointer, Value &out)
{
   const Type &t = module_.type(pointer.type);
   out.c.resize(t.components);
   if (pointer.region == Region::Buffer) {
      scratch_.resize(t.size);
      if (!inputs_->memory->read(pointer.address, scratch_.data(), t.size))
         return fail("GPU fault reading buffer memory");
      decode(pointer.type, scratch_.data(), out.c.data());
      return true;
   }
   if (pointer.region == Region::Image)
      return loadDescriptor(pointer, out);
   if (pointer.region == Region::Texel)
      return fail("shader loaded through an image texel pointer");
   if (pointer.region == Region::None)
      return fail("shader read through a descriptor that holds no buffer");
   const uint8_t *bytes = hostBytes(inv, pointer, t.size);
   if (!bytes)
      return fail("shader read outside its variables or push constants");
   decode(pointer.type, bytes, out.c.data());
   return true;
}

bool
Machine::store(Invocation &inv, const Pointer &pointer, const Value &value)
{
   const Type &t = module_.type(pointer.type);
   if (value.c.size() < t.components)
      return fail("store of a value smaller than its type");
   pieces_.clear();
   if (pointer.region == Region::Buffer) {
      scratch_.resize(t.size);
      encode(pointer.type, value.c.data(), scratch_.data(), 0);
      for (const auto &[offset, bytes] : pieces_) {
         if (!inputs_->memory->write(pointer.address + offset, scratch_.data() + offset, bytes))
            return fail("GPU fault writing buffer memory");
      }
      return true;
   }
   if (pointer.region == Region::None)
      return fail("shader wrote through a descriptor that holds no buffer");
   if (pointer.region == Region::Image || pointer.region == Region::Texel)
      return fail("shader stored to an image or sampler variable");
   if (pointer.region == Region::PushConstant)
      return fail("shader wrote push constants");
   uint8_t *bytes = hostBytes(inv, pointer, t.size);
   if (!bytes)
      return fail("shader wrote outside its variables");
   encode(pointer.type, value.c.data(), bytes, 0);
   return true;
}

namespace {

// The new value an atomic read-modify-write stores; `old` is what was there.
uint32_t
atomicResult(spv::Op op, uint32_t old, uint32_t operand, uint32_t comparator)
{
   switch (op) {
   case spv::OpAtomicExchange: case spv::OpAtomicStore: return operand;
   case spv::OpAtomicCompareExchange: return old == comparator ? operand : old;
   case spv::OpAtomicIIncrement: return old + 1;
   case spv::OpAtomicIDecrement: return old - 1;
   case spv::OpAtomicIAdd: return old + operand;
   case spv::OpAtomicISub: return old - operand;
   case spv::OpAtomicSMin: return int32_t(old) < int32_t(operand) ? old : operand;
   case spv::OpAtomicUMin: return old < operand ? old : operand;
   case spv::OpAtomicSMax: return int32_t(old) > int32_t(operand) ? old : operand;
   case spv::OpAtomicUMax: return old > operand ? old : operand;
   case spv::OpAtomicAnd: return old & operand;
   case spv::OpAtomicOr: return old | operand;
   case spv::OpAtomicXor: return old ^ operand;
   default: return old; // OpAtomicLoad
   }
}

} // namespace

bool
Machine::atomic(Invocation &inv, const Instruction &inst)
{
   const auto &ops = inst.operands;
   // Operands: pointer, scope, semantics (x2 for compare-exchange), then values.
   const Pointer &pointer = operand(inv, ops[0]).pointer;
   uint32_t value = 0, comparator = 0;
   switch (inst.op) {
   case spv::OpAtomicStore: value = uint32_t(operand(inv, ops[3]).c[0]); break;
   case spv::OpAtomicCompareExchange:
      value = uint32_t(operand(inv, ops[4]).c[0]);
      comparator = uint32_t(operand(inv, ops[5]).c[0]);
      break;
   case spv::OpAtomicLoad: case spv::OpAtomicIIncrement: case spv::OpAtomicIDecrement: break;
   default: value = uint32_t(operand(inv, ops[3]).c[0]); break;
   }
   if (module_.type(pointer.type).size != 4)
      return fail("atomic on a type that is not 32 bits");
   uint32_t old = 0;
   auto update = [&](uint32_t &word) {
      std::atomic_ref<uint32_t> target(word);
      uint32_t seen = target.load();
      while (!target.compare_exchange_weak(seen, atomicResult(inst.op, seen, value, comparator))) {
      }
      old = seen;
   };
   if (pointer.region == Region::Texel) {
      if (!texelAtomic(operand(inv, ops[0]), update))
         return false;
   } else if (pointer.region == Region::Buffer) {
      if (pointer.address % 4)
         return fail("unaligned atomic");
      if (!inputs_->memory->atomic(pointer.address, update))
         return fail("GPU fault in an atomic on buffer memory");
   } else {
      uint8_t *bytes = hostBytes(inv, pointer, 4);
      if (!bytes || pointer.region == Region::PushConstant)
         return fail("atomic outside shared or buffer memory");
      uint32_t word;
      memcpy(&word, bytes, 4);
      update(word);
      memcpy(bytes, &word, 4);
   }
   if (inst.op != spv::OpAtomicStore)
      result(inv, inst, 1).c[0] = old;
   return true;
}

} // namespace panvk::spirv
