#version 450
// Texel buffers: texelFetch from a uniform texel buffer, imageLoad/imageStore
// on a storage texel buffer, and both sizes.
layout(local_size_x = 4) in;
layout(set = 0, binding = 0) uniform samplerBuffer uniformTexels;
layout(set = 0, binding = 1, rgba32ui) uniform uimageBuffer storageTexels;
layout(set = 1, binding = 0) buffer Out { ivec2 sizes; vec4 fetched[]; } dst;
void main()
{
   int i = int(gl_GlobalInvocationID.x);
   dst.fetched[i] = texelFetch(uniformTexels, i);
   imageStore(storageTexels, i, imageLoad(storageTexels, i) + uvec4(i, 10, 20, 30));
   if (i == 0)
      dst.sizes = ivec2(textureSize(uniformTexels), imageSize(storageTexels));
}
