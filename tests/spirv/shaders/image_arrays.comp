#version 450
// Arrays of storage images and of combined image samplers, indexed by the
// workgroup: imgs[g] at (x, 0) = fetched texel of texs[g] + g.
layout(local_size_x = 2) in;
layout(set = 0, binding = 0, r32ui) uniform writeonly uimage2D imgs[3];
layout(set = 0, binding = 1) uniform usampler2D texs[3];
void main()
{
   uint g = gl_WorkGroupID.x;
   int x = int(gl_LocalInvocationID.x);
   imageStore(imgs[g], ivec2(x, 0), texelFetch(texs[g], ivec2(x, 0), 0) + uvec4(g));
}
