#version 450
// For each query: textureLod and texelFetch through a separate texture and
// sampler, and through a combined image sampler.
layout(local_size_x = 1) in;
struct Query {
   vec4 sampleAt; // u, v, lod
   ivec4 fetchAt; // x, y, level
};
layout(set = 0, binding = 0) uniform texture2D tex;
layout(set = 0, binding = 1) uniform sampler smp;
layout(set = 0, binding = 2) uniform sampler2D combined;
layout(set = 0, binding = 3) readonly buffer Queries { Query queries[]; };
layout(set = 0, binding = 4) writeonly buffer Results { vec4 results[]; };
void main()
{
   uint i = gl_GlobalInvocationID.x;
   Query q = queries[i];
   results[4 * i + 0] = textureLod(sampler2D(tex, smp), q.sampleAt.xy, q.sampleAt.z);
   results[4 * i + 1] = textureLod(combined, q.sampleAt.xy, q.sampleAt.z);
   results[4 * i + 2] = texelFetch(sampler2D(tex, smp), q.fetchAt.xy, q.fetchAt.z);
   results[4 * i + 3] = texelFetch(combined, q.fetchAt.xy, q.fetchAt.z);
}
