#include "SparseBinder.h"

#include <iterator>

namespace panvk {

using pan::kmod::MapFlags;
using pan::kmod::VmOp;

void
SparseBinder::carve(uint64_t va, uint64_t size)
{
   const uint64_t end = va + size;
   auto it = window_.lower_bound(va);
   if (it != window_.begin()) {
      auto prev = std::prev(it);
      if (prev->first + prev->second.size > va)
         it = prev;
   }
   while (it != window_.end() && it->first < end) {
      const uint64_t start = it->first;
      const Segment old = it->second;
      const uint64_t oldEnd = start + old.size;
      it = window_.erase(it);
      if (start < va)
         window_.emplace(start, Segment{va - start, old.bo, old.boOffset, old.flags});
      if (oldEnd > end) {
         const uint64_t skip = end - start;
         it = window_.emplace(end, Segment{oldEnd - end, old.bo, old.bo ? old.boOffset + skip : 0,
                                           old.flags})
                 .first;
         ++it;
      }
   }
}

void
SparseBinder::bind(uint64_t va, uint64_t size, const pan::kmod::Bo *bo, uint64_t boOffset,
                   MapFlags flags)
{
   bindsReceived_++;
   if (!size)
      return;
   carve(va, size);
   if (!bo)
      boOffset = 0;
   auto [it, inserted] = window_.emplace(va, Segment{size, bo, boOffset, flags});

   // Coalesce with the neighbours where VA and memory both continue.
   auto continues = [](uint64_t firstVa, const Segment &first, uint64_t secondVa, const Segment &second) {
      return firstVa + first.size == secondVa && first.bo == second.bo && first.flags == second.flags &&
             (!first.bo || first.boOffset + first.size == second.boOffset);
   };
   auto next = std::next(it);
   if (next != window_.end() && continues(it->first, it->second, next->first, next->second)) {
      it->second.size += next->second.size;
      window_.erase(next);
   }
   if (it != window_.begin()) {
      auto prev = std::prev(it);
      if (continues(prev->first, prev->second, it->first, it->second)) {
         prev->second.size += it->second.size;
         window_.erase(it);
      }
   }
}

void
SparseBinder::closeWindow()
{
   if (window_.empty()) {
      if (!waits_.empty() || !signals_.empty()) {
         VmOp op = VmOp::syncOnly();
         op.waits = std::move(waits_);
         op.signals = std::move(signals_);
         ops_.push_back(std::move(op));
      }
   } else {
      const size_t first = ops_.size();
      for (const auto &[va, segment] : window_) {
         ops_.push_back(segment.bo ? VmOp::map(*segment.bo, segment.boOffset, va, segment.size, segment.flags)
                                   : VmOp::sparse(va, segment.size));
      }
      ops_[first].waits = std::move(waits_);
      ops_.back().signals = std::move(signals_);
   }
   window_.clear();
   waits_.clear();
   signals_.clear();
}

void
SparseBinder::endBatch()
{
   if (!signals_.empty())
      closeWindow();
}

std::vector<VmOp>
SparseBinder::finish()
{
   // Signals alone after the last op (a fence after a batch that signalled):
   // they ride on that op, which ends after every bind of the call, instead
   // of costing a SYNC_ONLY op of their own.
   if (window_.empty() && waits_.empty() && !signals_.empty() && !ops_.empty()) {
      auto &last = ops_.back().signals;
      last.insert(last.end(), signals_.begin(), signals_.end());
      signals_.clear();
   }
   closeWindow();
   return std::move(ops_);
}

} // namespace panvk
