#version 450
// imageSize on every storage dimensionality, textureSize at a level and
// textureQueryLevels on sampled images.
layout(local_size_x = 1) in;
layout(set = 0, binding = 0, rgba32f) uniform readonly image1DArray storage1DArray;
layout(set = 0, binding = 1, rgba32f) uniform readonly image2D storage2D;
layout(set = 0, binding = 2, rgba32f) uniform readonly image2DArray storage2DArray;
layout(set = 0, binding = 3, rgba32f) uniform readonly image3D storage3D;
layout(set = 0, binding = 4, rgba32f) uniform readonly imageCube storageCube;
layout(set = 0, binding = 5, rgba32f) uniform readonly imageCubeArray storageCubeArray;
layout(set = 0, binding = 6) uniform sampler2D sampled2D;
layout(set = 0, binding = 7) uniform sampler2DArray sampled2DArray;
layout(set = 0, binding = 8) uniform samplerCubeArray sampledCubeArray;
layout(set = 0, binding = 9) uniform sampler3D sampled3D;
layout(set = 0, binding = 10) uniform sampler1D sampled1D;
layout(push_constant) uniform Push { int lod; } push;
layout(set = 1, binding = 0) buffer Out { int v[]; } dst;
void main()
{
   dst.v[0] = imageSize(storage1DArray).x;
   dst.v[1] = imageSize(storage1DArray).y;
   dst.v[2] = imageSize(storage2D).x;
   dst.v[3] = imageSize(storage2D).y;
   ivec3 a = imageSize(storage2DArray);
   dst.v[4] = a.x; dst.v[5] = a.y; dst.v[6] = a.z;
   ivec3 d = imageSize(storage3D);
   dst.v[7] = d.x; dst.v[8] = d.y; dst.v[9] = d.z;
   ivec2 c = imageSize(storageCube);
   dst.v[10] = c.x; dst.v[11] = c.y;
   ivec3 ca = imageSize(storageCubeArray);
   dst.v[12] = ca.x; dst.v[13] = ca.y; dst.v[14] = ca.z;
   ivec2 s = textureSize(sampled2D, push.lod);
   dst.v[15] = s.x; dst.v[16] = s.y;
   dst.v[17] = textureQueryLevels(sampled2D);
   ivec3 sa = textureSize(sampled2DArray, push.lod);
   dst.v[18] = sa.x; dst.v[19] = sa.y; dst.v[20] = sa.z;
   ivec3 sca = textureSize(sampledCubeArray, push.lod);
   dst.v[21] = sca.x; dst.v[22] = sca.y; dst.v[23] = sca.z;
   ivec3 s3 = textureSize(sampled3D, push.lod);
   dst.v[24] = s3.x; dst.v[25] = s3.y; dst.v[26] = s3.z;
   dst.v[27] = textureSize(sampled1D, push.lod);
   dst.v[28] = textureQueryLevels(sampled3D);
}
