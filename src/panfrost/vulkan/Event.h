// VkEvent: a flag the host and the queues set, reset and wait on.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "Handle.h"

namespace panvk {

class Device;

class Event : public HandleOf<Event, VkEvent> {
public:
   explicit Event(Device &device) : device_(device) {}

   Device &device() { return device_; }
   void set();
   void reset();
   bool isSet() const;
   // Blocks until the event is set (a queue waiting in vkCmdWaitEvents) or
   // `abandon` returns true (checked at least every 100 ms); true if set.
   template <typename Abandon> bool waitSet(Abandon abandon)
   {
      std::unique_lock lock(mutex_);
      while (!set_) {
         if (abandon())
            return false;
         changed_.wait_for(lock, std::chrono::milliseconds(100));
      }
      return true;
   }

private:
   Device &device_;
   mutable std::mutex mutex_;
   std::condition_variable changed_;
   bool set_ = false;
};

} // namespace panvk
