#version 450
// imageLoad and imageStore at coordinates in and out of a 2D array image.
layout(local_size_x = 1) in;
layout(set = 0, binding = 0, rgba32f) uniform image2DArray img;
layout(set = 1, binding = 0) buffer In { ivec4 coords[]; } src;
layout(set = 1, binding = 1) buffer Out { vec4 loaded[]; } dst;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   ivec3 c = src.coords[i].xyz;
   dst.loaded[i] = imageLoad(img, c);
   imageStore(img, c, vec4(7.0));
}
