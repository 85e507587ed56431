#version 450
// textureLod on every sampled dimensionality (push.which picks one), with a
// constant offset, an integer image, and a separate texture and sampler.
// One query per invocation: coordinate, then (lod, -, -, -).
layout(local_size_x = 1) in;
layout(set = 0, binding = 0) uniform sampler1D s1D;
layout(set = 0, binding = 1) uniform sampler2D s2D;
layout(set = 0, binding = 2) uniform sampler3D s3D;
layout(set = 0, binding = 3) uniform sampler2DArray s2DArray;
layout(set = 0, binding = 4) uniform samplerCube sCube;
layout(set = 0, binding = 5) uniform samplerCubeArray sCubeArray;
layout(set = 0, binding = 6) uniform isampler2D s2DInt;
layout(set = 0, binding = 7) uniform sampler1DArray s1DArray;
layout(set = 0, binding = 8) uniform texture2D separateTexture;
layout(set = 0, binding = 9) uniform sampler separateSampler;
layout(push_constant) uniform Push { int which; } push;
struct Query { vec4 coord; vec4 lod; };
layout(set = 1, binding = 0) buffer In { Query queries[]; } src;
layout(set = 1, binding = 1) buffer Out { vec4 results[]; } dst;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   vec4 c = src.queries[i].coord;
   float lod = src.queries[i].lod.x;
   vec4 r = vec4(0.0);
   switch (push.which) {
   case 0: r = textureLod(s1D, c.x, lod); break;
   case 1: r = textureLod(s2D, c.xy, lod); break;
   case 2: r = textureLod(s3D, c.xyz, lod); break;
   case 3: r = textureLod(s2DArray, c.xyz, lod); break;
   case 4: r = textureLod(sCube, c.xyz, lod); break;
   case 5: r = textureLod(sCubeArray, c, lod); break;
   case 6: r = vec4(textureLod(s2DInt, c.xy, lod)); break;
   case 7: r = textureLod(s1DArray, c.xy, lod); break;
   case 8: r = textureLodOffset(s2D, c.xy, lod, ivec2(1, -1)); break;
   case 9: r = textureLod(sampler2D(separateTexture, separateSampler), c.xy, lod); break;
   }
   dst.results[i] = r;
}
