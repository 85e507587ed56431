// Integer, float, comparison, logical and conversion instructions, component
// by component. Every number is 32 bits wide (Module refuses other widths).
#include <bit>
#include <cmath>
#include <limits>

#include "spirv/Machine.h"

namespace panvk::spirv {

namespace {

int32_t s32(uint64_t bits) { return static_cast<int32_t>(static_cast<uint32_t>(bits)); }
uint32_t u32(uint64_t bits) { return static_cast<uint32_t>(bits); }
uint64_t bits(int32_t value) { return static_cast<uint32_t>(value); }

// Float to integer without undefined behaviour: out-of-range values saturate
// and NaN gives 0 (SPIR-V leaves both undefined).
uint32_t
floatToUnsigned(float value)
{
   if (!(value > 0.0f))
      return 0;
   if (value >= 4294967296.0f)
      return std::numeric_limits<uint32_t>::max();
   return static_cast<uint32_t>(value);
}

int32_t
floatToSigned(float value)
{
   if (std::isnan(value))
      return 0;
   if (value >= 2147483648.0f)
      return std::numeric_limits<int32_t>::max();
   if (value < -2147483648.0f)
      return std::numeric_limits<int32_t>::min();
   return static_cast<int32_t>(value);
}

uint32_t
bitFieldMask(uint32_t count)
{
   return count >= 32 ? ~0u : (1u << count) - 1;
}

} // namespace

bool
Machine::arithmetic(Invocation &inv, const Instruction &inst)
{
   const auto &ops = inst.operands;
   const uint32_t n = componentsOf(inst.type);
   const Value &a = operand(inv, ops[0]);
   const Value *bp = ops.size() > 1 ? &operand(inv, ops[1]) : nullptr;
   // Binary operations read a[i] and b[i]; unary ones only a[i].
   auto b = [&](uint32_t i) -> uint64_t { return bp->c.size() == 1 ? bp->c[0] : bp->c[i]; };
   // `out` is written only after every operand has been read.
   uint64_t out[16];
   if (n > 16)
      return fail("vector wider than 16 components");
   switch (inst.op) {
   case spv::OpDot: {
      float sum = 0;
      for (size_t i = 0; i < a.c.size(); ++i)
         sum += asFloat(a.c[i]) * asFloat(bp->c[i]);
      result(inv, inst, 1).c[0] = floatBits(sum);
      return true;
   }
   case spv::OpAny:
   case spv::OpAll: {
      bool any = false, all = true;
      for (uint64_t x : a.c) {
         any |= x != 0;
         all &= x != 0;
      }
      result(inv, inst, 1).c[0] = inst.op == spv::OpAny ? any : all;
      return true;
   }
   case spv::OpBitFieldInsert: {
      const uint32_t offset = u32(operand(inv, ops[2]).c[0]), count = u32(operand(inv, ops[3]).c[0]);
      const uint32_t mask = offset >= 32 ? 0 : bitFieldMask(count) << offset;
      for (uint32_t i = 0; i < n; ++i)
         out[i] = (u32(a.c[i]) & ~mask) | ((offset >= 32 ? 0 : u32(b(i)) << offset) & mask);
      break;
   }
   case spv::OpBitFieldSExtract:
   case spv::OpBitFieldUExtract: {
      const uint32_t offset = u32(operand(inv, ops[1]).c[0]), count = u32(operand(inv, ops[2]).c[0]);
      for (uint32_t i = 0; i < n; ++i) {
         if (count == 0 || offset >= 32) {
            out[i] = 0;
            continue;
         }
         uint32_t field = (u32(a.c[i]) >> offset) & bitFieldMask(count);
         if (inst.op == spv::OpBitFieldSExtract && count < 32 && (field >> (count - 1)) & 1)
            field |= ~bitFieldMask(count);
         out[i] = field;
      }
      break;
   }
   case spv::OpSelect: {
      const Value &yes = operand(inv, ops[1]), &no = operand(inv, ops[2]);
      Value &r = inv.values[inst.result];
      std::vector<uint64_t> picked(yes.c.size());
      for (size_t i = 0; i < picked.size(); ++i)
         picked[i] = (a.c.size() == 1 ? a.c[0] : a.c[i]) ? yes.c[i] : no.c[i];
      r.c = std::move(picked);
      r.pointer = yes.c.empty() ? (a.c[0] ? yes.pointer : no.pointer) : Pointer{};
      return true;
   }
   default:
      for (uint32_t i = 0; i < n; ++i) {
         const uint64_t x = a.c[i];
         const float fx = asFloat(x);
         switch (inst.op) {
         case spv::OpIAdd: out[i] = u32(x + b(i)); break;
         case spv::OpISub: out[i] = u32(x - b(i)); break;
         case spv::OpIMul: out[i] = u32(x * b(i)); break;
         case spv::OpUDiv: out[i] = u32(b(i)) ? u32(x) / u32(b(i)) : ~0u; break;
         case spv::OpUMod: out[i] = u32(b(i)) ? u32(x) % u32(b(i)) : 0; break;
         case spv::OpSDiv: case spv::OpSRem: case spv::OpSMod: {
            const int64_t p = s32(x), q = s32(b(i));
            if (q == 0) {
               out[i] = 0;
               break;
            }
            int64_t r = inst.op == spv::OpSDiv ? p / q : p % q;
            if (inst.op == spv::OpSMod && r != 0 && ((r < 0) != (q < 0)))
               r += q;
            out[i] = u32(static_cast<uint64_t>(r));
            break;
         }
         case spv::OpSNegate: out[i] = u32(0 - x); break;
         case spv::OpNot: out[i] = u32(~x); break;
         case spv::OpShiftLeftLogical: out[i] = u32(u32(x) << (b(i) & 31)); break;
         case spv::OpShiftRightLogical: out[i] = u32(x) >> (b(i) & 31); break;
         case spv::OpShiftRightArithmetic: out[i] = bits(s32(x) >> (b(i) & 31)); break;
         case spv::OpBitwiseAnd: out[i] = x & b(i); break;
         case spv::OpBitwiseOr: out[i] = x | b(i); break;
         case spv::OpBitwiseXor: out[i] = x ^ b(i); break;
         case spv::OpBitCount: out[i] = std::popcount(u32(x)); break;
         case spv::OpBitReverse: {
            uint32_t v = u32(x), r = 0;
            for (int k = 0; k < 32; ++k, v >>= 1)
               r = (r << 1) | (v & 1);
            out[i] = r;
            break;
         }
         case spv::OpFAdd: out[i] = floatBits(fx + asFloat(b(i))); break;
         case spv::OpFSub: out[i] = floatBits(fx - asFloat(b(i))); break;
         case spv::OpFMul: out[i] = floatBits(fx * asFloat(b(i))); break;
         case spv::OpFDiv: out[i] = floatBits(fx / asFloat(b(i))); break;
         case spv::OpFRem: out[i] = floatBits(std::fmod(fx, asFloat(b(i)))); break;
         case spv::OpFMod: {
            const float y = asFloat(b(i));
            out[i] = floatBits(fx - y * std::floor(fx / y));
            break;
         }
         case spv::OpFNegate: out[i] = floatBits(-fx); break;
         case spv::OpVectorTimesScalar: out[i] = floatBits(fx * asFloat(bp->c[0])); break;
         case spv::OpIEqual: case spv::OpLogicalEqual: out[i] = u32(x) == u32(b(i)); break;
         case spv::OpINotEqual: case spv::OpLogicalNotEqual: out[i] = u32(x) != u32(b(i)); break;
         case spv::OpUGreaterThan: out[i] = u32(x) > u32(b(i)); break;
         case spv::OpSGreaterThan: out[i] = s32(x) > s32(b(i)); break;
         case spv::OpUGreaterThanEqual: out[i] = u32(x) >= u32(b(i)); break;
         case spv::OpSGreaterThanEqual: out[i] = s32(x) >= s32(b(i)); break;
         case spv::OpULessThan: out[i] = u32(x) < u32(b(i)); break;
         case spv::OpSLessThan: out[i] = s32(x) < s32(b(i)); break;
         case spv::OpULessThanEqual: out[i] = u32(x) <= u32(b(i)); break;
         case spv::OpSLessThanEqual: out[i] = s32(x) <= s32(b(i)); break;
         case spv::OpFOrdEqual: out[i] = fx == asFloat(b(i)); break;
         case spv::OpFOrdNotEqual: out[i] = !std::isunordered(fx, asFloat(b(i))) && fx != asFloat(b(i)); break;
         case spv::OpFOrdLessThan: out[i] = fx < asFloat(b(i)); break;
         case spv::OpFOrdGreaterThan: out[i] = fx > asFloat(b(i)); break;
         case spv::OpFOrdLessThanEqual: out[i] = fx <= asFloat(b(i)); break;
         case spv::OpFOrdGreaterThanEqual: out[i] = fx >= asFloat(b(i)); break;
         case spv::OpFUnordEqual: out[i] = std::isunordered(fx, asFloat(b(i))) || fx == asFloat(b(i)); break;
         case spv::OpFUnordNotEqual: out[i] = fx != asFloat(b(i)); break;
         case spv::OpFUnordLessThan: out[i] = !(fx >= asFloat(b(i))); break;
         case spv::OpFUnordGreaterThan: out[i] = !(fx <= asFloat(b(i))); break;
         case spv::OpFUnordLessThanEqual: out[i] = !(fx > asFloat(b(i))); break;
         case spv::OpFUnordGreaterThanEqual: out[i] = !(fx < asFloat(b(i))); break;
         case spv::OpLogicalOr: out[i] = x || b(i); break;
         case spv::OpLogicalAnd: out[i] = x && b(i); break;
         case spv::OpLogicalNot: out[i] = !x; break;
         case spv::OpIsNan: out[i] = std::isnan(fx); break;
         case spv::OpIsInf: out[i] = std::isinf(fx); break;
         case spv::OpConvertFToU: out[i] = floatToUnsigned(fx); break;
         case spv::OpConvertFToS: out[i] = bits(floatToSigned(fx)); break;
         case spv::OpConvertSToF: out[i] = floatBits(static_cast<float>(s32(x))); break;
         case spv::OpConvertUToF: out[i] = floatBits(static_cast<float>(u32(x))); break;
         case spv::OpUConvert: case spv::OpSConvert: case spv::OpFConvert: case spv::OpBitcast:
            out[i] = u32(x);
            break;
         default:
            return false;
         }
      }
      break;
   }
   Value &r = result(inv, inst, n);
   std::copy_n(out, n, r.c.begin());
   return true;
}

} // namespace panvk::spirv
