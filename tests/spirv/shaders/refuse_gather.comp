#version 450
// Gather: refused.
layout(local_size_x = 1) in;
layout(set = 0, binding = 0) uniform sampler2D tex;
layout(set = 1, binding = 0) buffer Out { vec4 v; } dst;
void main()
{
   dst.v = textureGather(tex, vec2(0.5), 1);
}
