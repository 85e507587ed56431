#version 450
// Depth-comparison sampling (OpImageSampleDrefExplicitLod): refused.
layout(local_size_x = 1) in;
layout(set = 0, binding = 0) uniform sampler2DShadow shadow;
layout(set = 1, binding = 0) buffer Out { float v; } dst;
void main()
{
   dst.v = textureLod(shadow, vec3(0.5, 0.5, 0.25), 0.0);
}
