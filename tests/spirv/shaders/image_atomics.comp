#version 450
// imageAtomicAdd and imageAtomicCompSwap on r32ui images, in and out of bounds.
layout(local_size_x = 16) in;
layout(set = 0, binding = 0, r32ui) uniform uimage2D counters;
layout(set = 0, binding = 1, r32ui) uniform uimage2D chain;
layout(set = 1, binding = 0) buffer Out { uint added[16]; uint swapped[16]; uint outside[16]; } dst;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   dst.added[i] = imageAtomicAdd(counters, ivec2(i % 4u, 1), i + 1u);
   // Invocations run in order here: each finds its own index and leaves the next.
   dst.swapped[i] = imageAtomicCompSwap(chain, ivec2(1, 0), i, i + 1u);
   dst.outside[i] = imageAtomicAdd(counters, ivec2(4 + int(i), 0), 1u) + 1000u;
}
