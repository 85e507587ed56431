#version 450
// Push constants: out[i] = in[i] * scale + offset, for i < count.
layout(local_size_x = 8, local_size_y = 2) in;
layout(push_constant) uniform Params {
   float scale;
   float offset;
   uint count;
} params;
layout(set = 0, binding = 0) readonly buffer In { float values[]; } src;
layout(set = 1, binding = 3) writeonly buffer Out { float values[]; } dst;
void main()
{
   uint i = gl_GlobalInvocationID.y * (gl_NumWorkGroups.x * gl_WorkGroupSize.x) + gl_GlobalInvocationID.x;
   if (i < params.count)
      dst.values[i] = src.values[i] * params.scale + params.offset;
}
