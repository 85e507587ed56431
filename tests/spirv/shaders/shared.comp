#version 450
// Shared memory with barriers: a tree sum per workgroup, and each invocation
// reading what another one wrote before the barrier.
layout(local_size_x = 64) in;
layout(set = 0, binding = 0) readonly buffer In { uint values[]; } src;
layout(set = 0, binding = 1) writeonly buffer Sums { uint sums[]; } sums;
layout(set = 0, binding = 2) writeonly buffer Reversed { uint values[]; } reversed;
shared uint partial[64];
shared uint original[64];
void main()
{
   uint l = gl_LocalInvocationID.x;
   uint value = src.values[gl_GlobalInvocationID.x];
   partial[l] = value;
   original[l] = value;
   barrier();
   reversed.values[gl_GlobalInvocationID.x] = original[63u - l];
   for (uint stride = 32u; stride > 0u; stride /= 2u) {
      if (l < stride)
         partial[l] += partial[l + stride];
      barrier();
   }
   if (l == 0u)
      sums.sums[gl_WorkGroupID.x] = partial[0];
}
