#version 450
// Image atomics on R32_UINT texels of a 2D image and of a storage texel
// buffer: a shared counter (old values to `old`), per-column sums, max, min,
// or, and per-element counters in the texel buffer.
layout(local_size_x = 64) in;
layout(set = 0, binding = 0, r32ui) uniform uimage2D counters;
layout(set = 0, binding = 1, r32ui) uniform uimageBuffer elementCounters;
layout(set = 0, binding = 2) writeonly buffer Old { uint old[]; };
void main()
{
   uint i = gl_GlobalInvocationID.x;
   old[i] = imageAtomicAdd(counters, ivec2(0, 0), 1u);
   imageAtomicMax(counters, ivec2(1, 0), i * 7u);
   imageAtomicMin(counters, ivec2(2, 0), i + 5u);
   imageAtomicOr(counters, ivec2(3, 0), 1u << (i % 32u));
   imageAtomicAdd(counters, ivec2(int(i % 4u), 1), i);
   imageAtomicAdd(elementCounters, int(i % 8u), 1u);
}
