#version 450
// dst[i] = src[i] for every word of the smaller buffer.
layout(local_size_x = 64) in;
layout(set = 0, binding = 0) readonly buffer Src { uint words[]; } src;
layout(set = 0, binding = 1) writeonly buffer Dst { uint words[]; } dst;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   if (i < src.words.length() && i < dst.words.length())
      dst.words[i] = src.words[i];
}
