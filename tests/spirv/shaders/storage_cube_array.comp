#version 450
// Cube array int storage images, addressed (x, y, 6 * cube + face): dst = -src.
layout(local_size_x = 2, local_size_y = 2, local_size_z = 1) in;
layout(set = 0, binding = 0, rgba32i) uniform readonly iimageCubeArray src;
layout(set = 0, binding = 1, rgba32i) uniform writeonly iimageCubeArray dst;
void main()
{
   ivec3 p = ivec3(gl_GlobalInvocationID);
   imageStore(dst, p, -imageLoad(src, p));
}
