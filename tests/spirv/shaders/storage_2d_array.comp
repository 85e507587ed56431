#version 450
// 2D array uint storage images, addressed (x, y, layer): dst = src * 3 + layer.
layout(local_size_x = 2, local_size_y = 2, local_size_z = 1) in;
layout(set = 0, binding = 0, rgba32ui) uniform readonly uimage2DArray src;
layout(set = 0, binding = 1, rgba32ui) uniform writeonly uimage2DArray dst;
void main()
{
   ivec3 p = ivec3(gl_GlobalInvocationID);
   imageStore(dst, p, imageLoad(src, p) * 3u + uvec4(p.z));
}
