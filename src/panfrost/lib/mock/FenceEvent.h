// The process-wide "a fence or a syncobj changed" event that host-side waits
// sleep on. Every Fence::signal() and every change of a syncobj's payload
// advances its generation and wakes all sleepers; each sleeper re-checks what
// it waits for. Simple and free of lost wake-ups (take the generation before
// checking, sleep only while it is unchanged), at the price of waking waiters
// that did not care: fine for a mock.
#pragma once

#include <chrono>
#include <cstdint>

namespace pan::mock {

class FenceEvent {
public:
   using Clock = std::chrono::steady_clock; // CLOCK_MONOTONIC on Linux

   static uint64_t generation();
   static void notifyAll();
   // Sleeps until the generation differs from `seen` (true) or `deadline`
   // passes (false).
   static bool waitForChange(uint64_t seen, Clock::time_point deadline);
};

} // namespace pan::mock
