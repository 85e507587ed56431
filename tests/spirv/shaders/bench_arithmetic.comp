#version 450
// Arithmetic-heavy: 32 rounds of float and integer work per word read.
layout(local_size_x = 64) in;
layout(set = 0, binding = 0) readonly buffer Src { uint words[]; } src;
layout(set = 0, binding = 1) writeonly buffer Dst { uint words[]; } dst;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   if (i >= src.words.length())
      return;
   uint h = src.words[i];
   float f = float(h & 0xFFFFu) * 0.001;
   for (int k = 0; k < 32; ++k) {
      h = (h ^ (h >> 15)) * 2246822519u + uint(k);
      f = f * 1.0001 + sqrt(float(h & 255u));
   }
   dst.words[i] = h ^ floatBitsToUint(f);
}
