#version 450
// Every texel of an R32_UINT image: its value goes to before[], then it is
// overwritten with a value of its index and the push constant.
layout(local_size_x = 8, local_size_y = 8) in;
layout(set = 0, binding = 0, r32ui) uniform uimage2D image;
layout(set = 0, binding = 1) writeonly buffer Before { uint before[]; };
layout(push_constant) uniform Push { uint seed; };
void main()
{
   ivec2 p = ivec2(gl_GlobalInvocationID.xy);
   ivec2 size = imageSize(image);
   if (p.x >= size.x || p.y >= size.y)
      return;
   uint index = uint(p.y) * uint(size.x) + uint(p.x);
   before[index] = imageLoad(image, p).x;
   imageStore(image, p, uvec4(index * 2654435761u + seed));
}
