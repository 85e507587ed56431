// A per-file table of kernel objects by handle, handing out the lowest free
// handle first (as the kernel's idr does), starting at `first`, up to `last`.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>

namespace pan::mock {

template <typename T> class HandleTable {
public:
   HandleTable(uint32_t first, uint32_t last) : next_(first), last_(last) {}

   // 0 when every handle is taken.
   uint32_t insert(std::shared_ptr<T> object)
   {
      uint32_t handle;
      if (!freed_.empty()) {
         handle = *freed_.begin();
         freed_.erase(freed_.begin());
      } else if (next_ <= last_ && next_ != 0) {
         handle = next_++;
      } else {
         return 0;
      }
      objects_.emplace(handle, std::move(object));
      return handle;
   }

   // Sets the object of a handle insert() gave (an object built after its handle).
   void assign(uint32_t handle, std::shared_ptr<T> object) { objects_[handle] = std::move(object); }

   std::shared_ptr<T> lookup(uint32_t handle) const
   {
      auto it = objects_.find(handle);
      return it == objects_.end() ? nullptr : it->second;
   }

   std::shared_ptr<T> remove(uint32_t handle)
   {
      auto it = objects_.find(handle);
      if (it == objects_.end())
         return nullptr;
      std::shared_ptr<T> object = std::move(it->second);
      objects_.erase(it);
      freed_.insert(handle);
      return object;
   }

   size_t size() const { return objects_.size(); }
   const std::map<uint32_t, std::shared_ptr<T>> &objects() const { return objects_; }
   void clear() { objects_.clear(); }

private:
   uint32_t next_;
   uint32_t last_;
   std::set<uint32_t> freed_;
   std::map<uint32_t, std::shared_ptr<T>> objects_;
};

} // namespace pan::mock
