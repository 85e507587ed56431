#version 450
// 1D array int storage images, addressed (x, layer): dst = src + (1, -2, 3, layer).
layout(local_size_x = 4, local_size_y = 1) in;
layout(set = 0, binding = 0, rgba32i) uniform readonly iimage1DArray src;
layout(set = 0, binding = 1, rgba32i) uniform writeonly iimage1DArray dst;
void main()
{
   ivec2 p = ivec2(gl_GlobalInvocationID.xy);
   imageStore(dst, p, imageLoad(src, p) + ivec4(1, -2, 3, p.y));
}
