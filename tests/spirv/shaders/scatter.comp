#version 450
// Invocation i writes i + 1 to word i * stride: a few far-apart stores into
// a large buffer.
layout(local_size_x = 1) in;
layout(push_constant) uniform Params { uint stride; } params;
layout(set = 0, binding = 0) writeonly buffer Dst { uint words[]; } dst;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   dst.words[i * params.stride] = i + 1u;
}
