// PANVK_DEBUG=stats: what the kernel side saw for one device, printed when it
// is destroyed (VM_BIND traffic from kmod's counters; GPU faults, TLB work and
// memory from the mock GPU when the device runs on the mock).
#pragma once

namespace panvk {

class Device;

void printKernelStats(Device &device);

} // namespace panvk
