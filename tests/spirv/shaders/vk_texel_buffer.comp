#version 450
#extension GL_EXT_shader_image_load_formatted : require
// Element i of a uniform texel buffer and of a (formatless) storage texel
// buffer go to results[2i] and results[2i + 1]; then the storage element
// becomes the uniform one. sizes gets both buffers' element counts.
layout(local_size_x = 16) in;
layout(set = 0, binding = 0) uniform samplerBuffer uniformTexels;
layout(set = 0, binding = 1) uniform imageBuffer storageTexels;
layout(set = 0, binding = 2) writeonly buffer Results { vec4 results[]; };
layout(set = 0, binding = 3) writeonly buffer Sizes { int sizes[2]; };
void main()
{
   int i = int(gl_GlobalInvocationID.x);
   if (i == 0) {
      sizes[0] = textureSize(uniformTexels);
      sizes[1] = imageSize(storageTexels);
   }
   if (i >= textureSize(uniformTexels) || i >= imageSize(storageTexels))
      return;
   vec4 u = texelFetch(uniformTexels, i);
   vec4 s = imageLoad(storageTexels, i);
   results[2 * i] = u;
   results[2 * i + 1] = s;
   imageStore(storageTexels, i, u);
}
