#version 450
// A multisampled image: refused.
layout(local_size_x = 1) in;
layout(set = 0, binding = 0) uniform sampler2DMS ms;
layout(set = 1, binding = 0) buffer Out { vec4 v; } dst;
void main()
{
   dst.v = texelFetch(ms, ivec2(0), 1);
}
