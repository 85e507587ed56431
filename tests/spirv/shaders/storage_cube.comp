#version 450
// Cube float storage images, addressed (x, y, face): dst = src.wzyx.
layout(local_size_x = 2, local_size_y = 2, local_size_z = 1) in;
layout(set = 0, binding = 0, rgba32f) uniform readonly imageCube src;
layout(set = 0, binding = 1, rgba32f) uniform writeonly imageCube dst;
void main()
{
   ivec3 p = ivec3(gl_GlobalInvocationID);
   imageStore(dst, p, imageLoad(src, p).wzyx);
}
