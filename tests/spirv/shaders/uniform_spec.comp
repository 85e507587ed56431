#version 450
// A uniform buffer (std140 array of vec4), a specialization constant and a
// specialized workgroup size; writes the workgroup id and invocation id too.
layout(local_size_x_id = 1) in;
layout(constant_id = 0) const uint kMultiplier = 1u;
layout(set = 0, binding = 0) uniform Table { vec4 rows[4]; uint bias; } table;
layout(set = 0, binding = 1) writeonly buffer Out { uvec4 values[]; } dst;
void main()
{
   uint i = gl_GlobalInvocationID.x;
   dst.values[i] = uvec4(i * kMultiplier + table.bias, uint(table.rows[i % 4u].y),
                         gl_WorkGroupID.x, gl_LocalInvocationIndex);
}
