#include "mock/FenceEvent.h"

#include <condition_variable>
#include <mutex>

namespace pan::mock {

namespace {

struct EventState {
   std::mutex mutex;
   std::condition_variable changed;
   uint64_t generation = 0;
};

// Function-local so that fences signalled from static constructors work too.
EventState &
state()
{
   static EventState instance;
   return instance;
}

// Far deadlines are slept in slices: a timeout_nsec near INT64_MAX must not
// overflow inside the condition variable's clock conversions.
constexpr auto kMaxSlice = std::chrono::hours(1);

} // namespace

uint64_t
FenceEvent::generation()
{
   EventState &s = state();
   std::lock_guard lock(s.mutex);
   return s.generation;
}

void
FenceEvent::notifyAll()
{
   EventState &s = state();
   {
      std::lock_guard lock(s.mutex);
      s.generation++;
   }
   s.changed.notify_all();
}

bool
FenceEvent::waitForChange(uint64_t seen, Clock::time_point deadline)
{
   EventState &s = state();
   std::unique_lock lock(s.mutex);
   while (s.generation == seen) {
      Clock::time_point now = Clock::now();
      if (now >= deadline)
         return false;
      Clock::time_point sliceEnd = deadline - now > kMaxSlice ? now + kMaxSlice : deadline;
      s.changed.wait_until(lock, sliceEnd);
   }
   return true;
}

} // namespace pan::mock
