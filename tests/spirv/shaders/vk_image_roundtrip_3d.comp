#version 450
#extension GL_EXT_shader_image_load_formatted : require
// One texel per invocation: stores values[i] into dst and loads src into
// loaded[i], where i numbers the texels of the level row by row, then
// layer by layer (or slice by slice). Both images are formatless.
layout(local_size_x = 8, local_size_y = 8) in;
layout(set = 0, binding = 0) readonly buffer Values { uvec4 values[]; };
layout(set = 0, binding = 1) writeonly buffer Loaded { uvec4 loaded[]; };
layout(set = 0, binding = 2) uniform writeonly uimage3D dst;
layout(set = 0, binding = 3) uniform readonly uimage3D src;
void main()
{
   ivec3 size = imageSize(dst);
   ivec3 p = ivec3(gl_GlobalInvocationID);
   if (p.x >= size.x || p.y >= size.y || p.z >= size.z)
      return;
   uint i = (uint(p.z) * uint(size.y) + uint(p.y)) * uint(size.x) + uint(p.x);
   imageStore(dst, p, values[i]);
   loaded[i] = imageLoad(src, p);
}
