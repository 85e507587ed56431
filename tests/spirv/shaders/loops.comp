#version 450
// Loops and branches: Collatz step counts (a loop with a data-dependent exit
// and an if/else), then a switch and a for loop with continue and break.
layout(local_size_x = 16) in;
layout(set = 0, binding = 0) buffer Data { uint values[]; } data;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   uint v = data.values[i];
   uint steps = 0u;
   while (v > 1u && steps < 1000u) {
      if ((v & 1u) == 0u)
         v = v / 2u;
      else
         v = 3u * v + 1u;
      steps++;
   }
   uint extra = 0u;
   switch (i % 4u) {
   case 0u: extra = 100u; break;
   case 1u: extra = 200u; break;
   case 2u: extra = 300u; break;
   default: extra = 400u; break;
   }
   uint sum = 0u;
   for (uint k = 0u; k < 64u; ++k) {
      if (k % 3u == 0u)
         continue;
      if (k > i + 10u)
         break;
      sum += k;
   }
   data.values[i] = steps + extra + sum * 1000u;
}
