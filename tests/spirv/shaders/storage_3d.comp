#version 450
// 3D float storage images, addressed (x, y, z): dst = src + 0.5.
layout(local_size_x = 2, local_size_y = 2, local_size_z = 2) in;
layout(set = 0, binding = 0, rgba32f) uniform readonly image3D src;
layout(set = 0, binding = 1, rgba32f) uniform writeonly image3D dst;
void main()
{
   ivec3 p = ivec3(gl_GlobalInvocationID);
   imageStore(dst, p, imageLoad(src, p) + vec4(0.5));
}
