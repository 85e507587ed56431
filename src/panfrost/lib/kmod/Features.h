// The panthor driver version and what it implies. Every version check in kmod
// goes through Features so that the fallbacks have one place to look.
#pragma once

#include <cstdint>

namespace pan::kmod {

struct DriverVersion {
   int major = 0;
   int minor = 0;
   int patch = 0;
};

struct Features {
   bool boLabels = false;        // BO_SET_LABEL, 1.4
   bool boQueryInfo = false;     // BO_QUERY_INFO, 1.7
   bool wbMmap = false;          // DRM_PANTHOR_BO_WB_MMAP, 1.7
   bool mmuInfo = false;         // DEV_QUERY_MMU_INFO, 1.9
   bool nativeSparseMap = false; // DRM_PANTHOR_VM_BIND_OP_MAP_SPARSE, 1.9
   bool allocOnFault = false;    // DRM_PANTHOR_BO_ALLOC_ON_FAULT, 1.10 (project extension)

   // Features of a major-1 panthor at `version`.
   static Features forVersion(const DriverVersion &version) {
      const int minor = version.minor;
      Features f;
      f.boLabels = minor >= 4;
      f.boQueryInfo = minor >= 7;
      f.wbMmap = minor >= 7;
      f.mmuInfo = minor >= 9;
      f.nativeSparseMap = minor >= 9;
      f.allocOnFault = minor >= 10;
      return f;
   }
};

} // namespace pan::kmod
