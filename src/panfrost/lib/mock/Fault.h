// GPU MMU faults as the Mali hardware reports them in an address space's
// FAULTSTATUS / FAULTADDRESS registers, and the kinds of access that raise them.
#pragma once

#include <cstdint>

namespace pan::mock {

// Values are the hardware's ACCESS_TYPE field (FAULTSTATUS bits 9:8).
enum class AccessKind : uint8_t {
   Atomic = 0,  // needs write permission, like a write
   Execute = 1, // instruction fetch: refused by NOEXEC mappings
   Read = 2,
   Write = 3,   // refused by READONLY mappings
};

enum class FaultType : uint8_t {
   Translation, // no valid descriptor: the walk stopped at `level`
   Permission,  // a leaf at `level` forbids this access kind
};

namespace faultstatus {
// EXCEPTION_TYPE (bits 7:0): translation fault at level n is 0xC0 + n,
// permission fault at level n is 0xC8 + n.
constexpr uint32_t kTranslationFault = 0xC0;
constexpr uint32_t kPermissionFault = 0xC8;
constexpr uint32_t kExceptionTypeMask = 0xFF;
constexpr unsigned kAccessTypeShift = 8;
constexpr uint32_t kAccessTypeMask = 3u << kAccessTypeShift;
} // namespace faultstatus

constexpr uint32_t
faultStatus(FaultType type, unsigned level, AccessKind kind)
{
   const uint32_t exception = (type == FaultType::Translation ? faultstatus::kTranslationFault
                                                              : faultstatus::kPermissionFault) +
                              (level & 3);
   return exception | (uint32_t(kind) << faultstatus::kAccessTypeShift);
}

// One fault, as latched by the address space and handed to the fault handler.
struct FaultInfo {
   uint64_t va = 0;     // FAULTADDRESS
   uint32_t status = 0; // FAULTSTATUS
   AccessKind kind = AccessKind::Read;
   bool handled = false; // the handler fixed it and the access went on

   uint32_t exceptionType() const { return status & faultstatus::kExceptionTypeMask; }
   bool isTranslation() const { return (exceptionType() & ~3u) == faultstatus::kTranslationFault; }
   bool isPermission() const { return (exceptionType() & ~3u) == faultstatus::kPermissionFault; }
   unsigned level() const { return exceptionType() & 3; }
   bool operator==(const FaultInfo &) const = default;
};

// Whether a leaf with these permissions lets `kind` through.
constexpr bool
accessAllowed(bool readOnly, bool noExec, AccessKind kind)
{
   switch (kind) {
   case AccessKind::Read: return true;
   case AccessKind::Execute: return !noExec;
   case AccessKind::Write:
   case AccessKind::Atomic: return !readOnly;
   }
   return false;
}

} // namespace pan::mock
