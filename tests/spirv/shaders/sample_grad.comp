#version 450
// textureGrad on 2D, 3D and cube sampled images (push.which picks one).
layout(local_size_x = 1) in;
layout(set = 0, binding = 0) uniform sampler2D s2D;
layout(set = 0, binding = 1) uniform sampler3D s3D;
layout(set = 0, binding = 2) uniform samplerCube sCube;
layout(push_constant) uniform Push { int which; } push;
struct Query { vec4 coord; vec4 dPdx; vec4 dPdy; };
layout(set = 1, binding = 0) buffer In { Query queries[]; } src;
layout(set = 1, binding = 1) buffer Out { vec4 results[]; } dst;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   Query q = src.queries[i];
   vec4 r;
   if (push.which == 0)
      r = textureGrad(s2D, q.coord.xy, q.dPdx.xy, q.dPdy.xy);
   else if (push.which == 1)
      r = textureGrad(s3D, q.coord.xyz, q.dPdx.xyz, q.dPdy.xyz);
   else
      r = textureGrad(sCube, q.coord.xyz, q.dPdx.xyz, q.dPdy.xyz);
   dst.results[i] = r;
}
