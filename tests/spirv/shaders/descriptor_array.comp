#version 450
// An array of storage buffer blocks, indexed by constants.
layout(local_size_x = 8) in;
layout(set = 0, binding = 0) buffer Words { uint values[]; } words[2];
void main()
{
   uint i = gl_GlobalInvocationID.x;
   words[1].values[i] = words[0].values[i] * 2u + uint(words[1].values.length());
}
