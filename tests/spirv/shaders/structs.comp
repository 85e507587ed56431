#version 450
// Composites: structs and arrays copied whole between buffers and functions,
// vector swizzles, a local array indexed dynamically.
layout(local_size_x = 4) in;
struct Item { vec3 position; uint id; ivec2 range; float weights[3]; };
layout(set = 0, binding = 0) readonly buffer In { Item items[]; } src;
layout(set = 0, binding = 1) writeonly buffer Out { Item items[]; } dst;
Item transform(Item item, uint n)
{
   Item result = item;
   result.position = item.position.zyx * 2.0;
   result.id = item.id + n;
   result.range = item.range.yx;
   float local[3] = item.weights;
   for (int k = 0; k < 3; ++k)
      result.weights[k] = local[2 - k] + float(k);
   return result;
}
void main()
{
   uint i = gl_GlobalInvocationID.x;
   dst.items[i] = transform(src.items[i], i);
}
