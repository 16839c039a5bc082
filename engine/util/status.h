// Status: the result of an engine operation, carrying a JET_ERR code.
//
// Success is free: an OK status holds the code 0 and no allocation. Errors
// (negative codes) may carry a message, which is allocated only then.
// Warnings (positive codes, e.g. JET_wrnBufferTruncated) pass through
// unchanged; `ok()` is true for them, as ESE's `err >= JET_errSuccess`.
//
// Thread contract: a Status is a value; distinct objects may be used from
// different threads, one object must not be mutated concurrently.

#ifndef JETSVC_ENGINE_UTIL_STATUS_H_
#define JETSVC_ENGINE_UTIL_STATUS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace jetsvc {

class [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&& other) noexcept = default;
  Status& operator=(Status&& other) noexcept = default;
  ~Status() = default;

  static Status OK() { return Status(); }
  // Any JET_ERR, with an optional message (kept only for errors).
  static Status FromCode(int32_t code, std::string_view message = {});
  static Status Warning(int32_t code) { return Status(code); }

  // Named constructors for the errors the engine raises most often.
  static Status Corruption(std::string_view message);       // DatabaseCorrupted
  static Status ChecksumMismatch(std::string_view message);  // ReadVerifyFailure
  static Status IOError(std::string_view message);           // DiskIO
  static Status InvalidParameter(std::string_view message);  // InvalidParameter
  static Status OutOfMemory(std::string_view message);       // OutOfMemory
  static Status NotSupported(std::string_view message);      // FeatureNotAvailable

  // True for success and for warnings (code >= 0).
  bool ok() const { return code_ >= 0; }
  bool IsError() const { return code_ < 0; }
  bool IsWarning() const { return code_ > 0; }
  bool IsCode(int32_t code) const { return code_ == code; }
  int32_t code() const { return code_; }
  // The message given at construction, or "" if none.
  std::string_view message() const;
  // "JET_ERR -1018: <message>" style text for logs and test output.
  std::string ToString() const;

  // Marks a deliberate ignore of a result at the call site.
  void PermitUnchecked() const {}

 private:
  explicit Status(int32_t code) : code_(code) {}

  int32_t code_ = 0;
  std::unique_ptr<char[]> message_;  // NUL-terminated; only for errors
};

// Returns the status of `expr` from the enclosing function if it is an
// error (warnings do not stop the caller, as ESE's Call macro).
#define JET_RETURN_IF_ERROR(expr) JET_RETURN_IF_ERROR_IMPL(expr, JET_STATUS_CONCAT(_jet_status_, __LINE__))
#define JET_RETURN_IF_ERROR_IMPL(expr, var) \
  do {                                      \
    ::jetsvc::Status var = (expr);          \
    if (var.IsError()) return var;          \
  } while (0)
#define JET_STATUS_CONCAT(a, b) JET_STATUS_CONCAT_INNER(a, b)
#define JET_STATUS_CONCAT_INNER(a, b) a##b

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_UTIL_STATUS_H_
