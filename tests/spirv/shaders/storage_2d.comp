#version 450
// imageLoad / imageStore on 2D float storage images: dst = src * 2 + (x, y, 0, 0).
layout(local_size_x = 4, local_size_y = 4) in;
layout(set = 0, binding = 0, rgba32f) uniform readonly image2D src;
layout(set = 0, binding = 1, rgba32f) uniform writeonly image2D dst;
void main()
{
   ivec2 p = ivec2(gl_GlobalInvocationID.xy);
   imageStore(dst, p, imageLoad(src, p) * 2.0 + vec4(p, 0.0, 0.0));
}
