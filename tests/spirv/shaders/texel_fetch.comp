#version 450
// texelFetch with a level, on 2D, 3D and 2D array sampled images, and
// texelFetchOffset; one query (x, y, z or layer, lod) per invocation.
layout(local_size_x = 1) in;
layout(set = 0, binding = 0) uniform sampler2D tex2D;
layout(set = 0, binding = 1) uniform sampler3D tex3D;
layout(set = 0, binding = 2) uniform sampler2DArray tex2DArray;
layout(push_constant) uniform Push { int which; } push;
layout(set = 1, binding = 0) buffer In { ivec4 queries[]; } src;
layout(set = 1, binding = 1) buffer Out { vec4 results[]; } dst;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   ivec4 q = src.queries[i];
   vec4 r;
   if (push.which == 0)
      r = texelFetch(tex2D, q.xy, q.w);
   else if (push.which == 1)
      r = texelFetch(tex3D, q.xyz, q.w);
   else if (push.which == 2)
      r = texelFetch(tex2DArray, q.xyz, q.w);
   else
      r = texelFetchOffset(tex2D, q.xy, q.w, ivec2(1, 2));
   dst.results[i] = r;
}
