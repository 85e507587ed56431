// Value-or-error return type of every kmod call. Nothing in kmod throws; a
// failure carries the errno the kernel (or kmod's own validation) produced and
// a short message saying what failed, e.g. "VM_BIND op 3: EINVAL".
#pragma once

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pan::kmod {

struct Error {
   int errnum = 0;          // positive errno value
   std::string message;
   // For VM_BIND failures: index of the caller's op that failed.
   std::optional<uint32_t> opIndex;
};

// "EINVAL" for EINVAL; the number for values glibc has no name for.
inline std::string errnoName(int errnum) {
   if (const char *name = strerrorname_np(errnum))
      return name;
   return "errno " + std::to_string(errnum);
}

// An Error whose message is "<what>: <ERRNO NAME>".
inline Error fail(int errnum, std::string_view what) {
   std::string message(what);
   message += ": ";
   message += errnoName(errnum);
   return Error{errnum, std::move(message), std::nullopt};
}

template <class T>
class [[nodiscard]] Result {
public:
   Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
   Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

   bool ok() const { return state_.index() == 0; }
   explicit operator bool() const { return ok(); }

   // Only valid when ok() / !ok() respectively.
   T &value() & { return *std::get_if<0>(&state_); }
   const T &value() const & { return *std::get_if<0>(&state_); }
   T &&value() && { return std::move(*std::get_if<0>(&state_)); }
   const Error &error() const { return *std::get_if<1>(&state_); }
   Error &&takeError() { return std::move(*std::get_if<1>(&state_)); }

   T *operator->() { return &value(); }
   const T *operator->() const { return &value(); }

private:
   std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
   Result() = default;
   Result(Error error) : error_(std::move(error)) {}

   bool ok() const { return !error_.has_value(); }
   explicit operator bool() const { return ok(); }

   // Only valid when !ok().
   const Error &error() const { return *error_; }
   Error &&takeError() { return std::move(*error_); }

private:
   std::optional<Error> error_;
};

// Result<void> success, for readability at return sites.
inline Result<void> success() {
   return {};
}

} // namespace pan::kmod
