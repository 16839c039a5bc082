// Errors of the D-Bus adaptors: see adaptor_errors.h.

#include "platform/dbus/adaptor_errors.h"

#include <boost/log/trivial.hpp>

#include "platform/dbus/names.h"

namespace jetsvc {
namespace platform {

sdbus::Error MakeDbusError(ErrorKind kind, const std::string& message) {
  if (kind == ErrorKind::kNone) {
    // A Result that says "error" without a kind is a bug in the caller.
    return UnexpectedError("a controller call", ("an error without a kind: " + message).c_str());
  }
  return sdbus::Error(std::string(dbus_names::kErrorPrefix) + ErrorKindName(kind),
                      message.empty() ? std::string(ErrorKindName(kind)) : message);
}

sdbus::Error ToDbusError(const Result& result) {
  return MakeDbusError(result.kind, result.message);
}

void ThrowIfFailed(const Result& result) {
  if (!result.ok()) throw ToDbusError(result);
}

sdbus::Error UnexpectedError(const char* operation, const char* detail) {
  BOOST_LOG_TRIVIAL(error) << "D-Bus " << operation << " failed unexpectedly: " << detail;
  return sdbus::Error(std::string(dbus_names::kErrorPrefix) + ErrorKindName(ErrorKind::kEngine),
                      std::string("internal error in ") + operation + ": " + detail);
}

}  // namespace platform
}  // namespace jetsvc
