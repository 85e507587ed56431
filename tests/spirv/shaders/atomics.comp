#version 450
// Buffer and shared atomics: a counter, a histogram, min/max, a
// compare-exchange and exchange, and a shared counter per workgroup.
layout(local_size_x = 32) in;
layout(set = 0, binding = 0) readonly buffer In { uint values[]; } src;
layout(set = 0, binding = 1) buffer Counters {
   uint total;
   uint maxValue;
   uint minValue;
   uint orBits;
   uint casWinner;
   uint groupTotals[16];
   uint histogram[8];
} counters;
layout(set = 0, binding = 2) writeonly buffer Old { uint previous[]; } old;
shared uint groupCount;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   uint v = src.values[i];
   if (gl_LocalInvocationIndex == 0u)
      groupCount = 0u;
   barrier();
   old.previous[i] = atomicAdd(counters.total, v);
   atomicMax(counters.maxValue, v);
   atomicMin(counters.minValue, v);
   atomicOr(counters.orBits, 1u << (v % 32u));
   atomicCompSwap(counters.casWinner, 0xFFFFFFFFu, i);
   atomicAdd(counters.histogram[v % 8u], 1u);
   atomicAdd(groupCount, 1u);
   barrier();
   if (gl_LocalInvocationIndex == 0u)
      counters.groupTotals[gl_WorkGroupID.x] = atomicExchange(groupCount, 0u);
}
