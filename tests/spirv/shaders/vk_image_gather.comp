#version 450
// textureGather: valid in compute, not run by the device (its pipeline is refused).
layout(local_size_x = 1) in;
layout(set = 0, binding = 0) uniform sampler2D combined;
layout(set = 0, binding = 1) writeonly buffer Results { vec4 results[]; };
void main()
{
   results[0] = textureGather(combined, vec2(0.5));
}
