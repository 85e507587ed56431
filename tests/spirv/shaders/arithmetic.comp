#version 450
// Integer, unsigned and float arithmetic, conversions and bit operations:
// 16 result words per input element.
layout(local_size_x = 32) in;
layout(set = 0, binding = 0) readonly buffer Inputs { vec4 f[]; } inputs;
layout(set = 0, binding = 1) readonly buffer IntInputs { ivec4 i[]; } intInputs;
layout(set = 0, binding = 2) writeonly buffer Results { uint r[]; } results;
void main()
{
   uint n = gl_GlobalInvocationID.x;
   float x = inputs.f[n].x;
   float y = inputs.f[n].y;
   int s = intInputs.i[n].x;
   uint u = uint(intInputs.i[n].y);
   int t = intInputs.i[n].z;
   uint base = n * 16u;
   results.r[base + 0u] = floatBitsToUint(x * 2.5 + y);
   results.r[base + 1u] = floatBitsToUint(sqrt(abs(x)));
   results.r[base + 2u] = floatBitsToUint(floor(x) - ceil(y));
   results.r[base + 3u] = uint(int(x * 10.0));
   results.r[base + 4u] = uint(s / t);
   results.r[base + 5u] = uint(abs(s) % abs(t));
   results.r[base + 6u] = u >> 3u;
   results.r[base + 7u] = uint(s >> 2);
   results.r[base + 8u] = u * 2654435761u + 12345u;
   results.r[base + 9u] = uint(bitCount(u));
   results.r[base + 10u] = uint(findMSB(u));
   results.r[base + 11u] = uint(min(s, t));
   results.r[base + 12u] = floatBitsToUint(float(u));
   results.r[base + 13u] = floatBitsToUint(clamp(x, -1.0, 1.0));
   results.r[base + 14u] = uint(bitfieldExtract(s, 4, 8));
   results.r[base + 15u] = floatBitsToUint(dot(inputs.f[n], vec4(1.0, -2.0, 0.5, 4.0)));
}
