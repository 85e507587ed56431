// The GLSL.std.450 extended instructions on 32-bit numbers.
#include <bit>
#include <cmath>

#include <spirv/unified1/GLSL.std.450.h>

#include "spirv/Machine.h"
#include "spirv/ModuleParser.h"

namespace panvk::spirv {

bool
supportedGlslInstruction(uint32_t number)
{
   switch (number) {
   case GLSLstd450Round: case GLSLstd450RoundEven: case GLSLstd450Trunc: case GLSLstd450FAbs:
   case GLSLstd450SAbs: case GLSLstd450FSign: case GLSLstd450SSign: case GLSLstd450Floor:
   case GLSLstd450Ceil: case GLSLstd450Fract: case GLSLstd450Radians: case GLSLstd450Degrees:
   case GLSLstd450Sin: case GLSLstd450Cos: case GLSLstd450Tan: case GLSLstd450Asin:
   case GLSLstd450Acos: case GLSLstd450Atan: case GLSLstd450Sinh: case GLSLstd450Cosh:
   case GLSLstd450Tanh: case GLSLstd450Asinh: case GLSLstd450Acosh: case GLSLstd450Atanh:
   case GLSLstd450Atan2: case GLSLstd450Pow: case GLSLstd450Exp: case GLSLstd450Log:
   case GLSLstd450Exp2: case GLSLstd450Log2: case GLSLstd450Sqrt: case GLSLstd450InverseSqrt:
   case GLSLstd450FMin: case GLSLstd450UMin: case GLSLstd450SMin: case GLSLstd450FMax:
   case GLSLstd450UMax: case GLSLstd450SMax: case GLSLstd450FClamp: case GLSLstd450UClamp:
   case GLSLstd450SClamp: case GLSLstd450FMix: case GLSLstd450Step: case GLSLstd450SmoothStep:
   case GLSLstd450Fma: case GLSLstd450Ldexp: case GLSLstd450Length: case GLSLstd450Distance:
   case GLSLstd450Cross: case GLSLstd450Normalize: case GLSLstd450FindILsb:
   case GLSLstd450FindSMsb: case GLSLstd450FindUMsb: case GLSLstd450NMin: case GLSLstd450NMax:
   case GLSLstd450NClamp:
      return true;
   default:
      return false;
   }
}

namespace {

int32_t s32(uint64_t bits) { return static_cast<int32_t>(static_cast<uint32_t>(bits)); }
uint32_t u32(uint64_t bits) { return static_cast<uint32_t>(bits); }

float
component(const Value &v, size_t i)
{
   return asFloat(v.c.size() == 1 ? v.c[0] : v.c[i]);
}

uint64_t
integer(const Value &v, size_t i)
{
   return v.c.size() == 1 ? v.c[0] : v.c[i];
}

} // namespace

bool
Machine::glsl(Invocation &inv, const Instruction &inst)
{
   const auto &ops = inst.operands;
   const uint32_t which = ops[1];
   const Value &x = operand(inv, ops[2]);
   const Value &y = ops.size() > 3 ? operand(inv, ops[3]) : x;
   const Value &z = ops.size() > 4 ? operand(inv, ops[4]) : x;
   const uint32_t n = componentsOf(inst.type);
   uint64_t out[16];
   if (n > 16 || x.c.size() > 16)
      return fail("vector wider than 16 components");
   switch (which) {
   case GLSLstd450Length:
   case GLSLstd450Distance: {
      float sum = 0;
      for (size_t i = 0; i < x.c.size(); ++i) {
         const float d = which == GLSLstd450Length ? component(x, i) : component(x, i) - component(y, i);
         sum += d * d;
      }
      result(inv, inst, 1).c[0] = floatBits(std::sqrt(sum));
      return true;
   }
   case GLSLstd450Normalize: {
      float sum = 0;
      for (size_t i = 0; i < x.c.size(); ++i)
         sum += component(x, i) * component(x, i);
      const float length = std::sqrt(sum);
      for (uint32_t i = 0; i < n; ++i)
         out[i] = floatBits(component(x, i) / length);
      break;
   }
   case GLSLstd450Cross: {
      const float a0 = component(x, 0), a1 = component(x, 1), a2 = component(x, 2);
      const float b0 = component(y, 0), b1 = component(y, 1), b2 = component(y, 2);
      out[0] = floatBits(a1 * b2 - b1 * a2);
      out[1] = floatBits(a2 * b0 - b2 * a0);
      out[2] = floatBits(a0 * b1 - b0 * a1);
      break;
   }
   default:
      for (uint32_t i = 0; i < n; ++i) {
         const float a = component(x, i), b = component(y, i), c = component(z, i);
         const uint32_t ua = u32(integer(x, i)), ub = u32(integer(y, i)), uc = u32(integer(z, i));
         const int32_t sa = s32(ua), sb = s32(ub), sc = s32(uc);
         float f = 0;
         bool isFloat = true;
         uint32_t r = 0;
         switch (which) {
         case GLSLstd450Round: f = std::round(a); break;
         case GLSLstd450RoundEven: f = std::nearbyint(a); break;
         case GLSLstd450Trunc: f = std::trunc(a); break;
         case GLSLstd450FAbs: f = std::fabs(a); break;
         case GLSLstd450FSign: f = a > 0 ? 1.0f : a < 0 ? -1.0f : 0.0f; break;
         case GLSLstd450Floor: f = std::floor(a); break;
         case GLSLstd450Ceil: f = std::ceil(a); break;
         case GLSLstd450Fract: f = a - std::floor(a); break;
         case GLSLstd450Radians: f = a * 0.017453292519943295f; break;
         case GLSLstd450Degrees: f = a * 57.29577951308232f; break;
         case GLSLstd450Sin: f = std::sin(a); break;
         case GLSLstd450Cos: f = std::cos(a); break;
         case GLSLstd450Tan: f = std::tan(a); break;
         case GLSLstd450Asin: f = std::asin(a); break;
         case GLSLstd450Acos: f = std::acos(a); break;
         case GLSLstd450Atan: f = std::atan(a); break;
         case GLSLstd450Sinh: f = std::sinh(a); break;
         case GLSLstd450Cosh: f = std::cosh(a); break;
         case GLSLstd450Tanh: f = std::tanh(a); break;
         case GLSLstd450Asinh: f = std::asinh(a); break;
         case GLSLstd450Acosh: f = std::acosh(a); break;
         case GLSLstd450Atanh: f = std::atanh(a); break;
         case GLSLstd450Atan2: f = std::atan2(a, b); break;
         case GLSLstd450Pow: f = std::pow(a, b); break;
         case GLSLstd450Exp: f = std::exp(a); break;
         case GLSLstd450Log: f = std::log(a); break;
         case GLSLstd450Exp2: f = std::exp2(a); break;
         case GLSLstd450Log2: f = std::log2(a); break;
         case GLSLstd450Sqrt: f = std::sqrt(a); break;
         case GLSLstd450InverseSqrt: f = 1.0f / std::sqrt(a); break;
         case GLSLstd450FMin: f = std::fmin(a, b); break;
         case GLSLstd450FMax: f = std::fmax(a, b); break;
         case GLSLstd450NMin: f = std::fmin(a, b); break;
         case GLSLstd450NMax: f = std::fmax(a, b); break;
         case GLSLstd450FClamp: case GLSLstd450NClamp: f = std::fmin(std::fmax(a, b), c); break;
         case GLSLstd450FMix: f = a * (1.0f - c) + b * c; break;
         case GLSLstd450Step: f = b < a ? 0.0f : 1.0f; break;
         case GLSLstd450SmoothStep: {
            const float t = std::fmin(std::fmax((c - a) / (b - a), 0.0f), 1.0f);
            f = t * t * (3.0f - 2.0f * t);
            break;
         }
         case GLSLstd450Fma: f = std::fma(a, b, c); break;
         case GLSLstd450Ldexp: f = std::ldexp(a, std::clamp(sb, -1000, 1000)); break;
         default:
            isFloat = false;
            switch (which) {
            case GLSLstd450SAbs: r = sa < 0 ? 0u - ua : ua; break;
            case GLSLstd450SSign: r = static_cast<uint32_t>(sa > 0 ? 1 : sa < 0 ? -1 : 0); break;
            case GLSLstd450UMin: r = std::min(ua, ub); break;
            case GLSLstd450SMin: r = static_cast<uint32_t>(std::min(sa, sb)); break;
            case GLSLstd450UMax: r = std::max(ua, ub); break;
            case GLSLstd450SMax: r = static_cast<uint32_t>(std::max(sa, sb)); break;
            case GLSLstd450UClamp: r = std::min(std::max(ua, ub), uc); break;
            case GLSLstd450SClamp: r = static_cast<uint32_t>(std::min(std::max(sa, sb), sc)); break;
            case GLSLstd450FindILsb: r = ua ? std::countr_zero(ua) : ~0u; break;
            case GLSLstd450FindUMsb: r = ua ? 31 - std::countl_zero(ua) : ~0u; break;
            case GLSLstd450FindSMsb: {
               const uint32_t v = sa < 0 ? ~ua : ua;
               r = v ? 31 - std::countl_zero(v) : ~0u;
               break;
            }
            default:
               return fail("unexpected GLSL.std.450 instruction " + std::to_string(which));
            }
         }
         out[i] = isFloat ? floatBits(f) : r;
      }
      break;
   }
   Value &r = result(inv, inst, n);
   std::copy_n(out, n, r.c.begin());
   return true;
}

} // namespace panvk::spirv
