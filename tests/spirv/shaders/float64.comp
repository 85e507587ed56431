#version 450
// Uses 64-bit floats, which the device does not offer: pipeline creation must refuse it.
layout(local_size_x = 1) in;
layout(set = 0, binding = 0) buffer Data { double values[]; } data;
void main()
{
   data.values[0] = data.values[1] * 2.0lf;
}
