// How the D-Bus adaptors report failures: a Controller Result error
// becomes the named D-Bus error org.jetsvc.Jetsvc1.Error.<Kind> with the
// Result's message, and anything else a handler throws (a bug, bad_alloc)
// becomes org.jetsvc.Jetsvc1.Error.Engine, logged once, never a crash.
// sdbus-c++ 1.2 turns only sdbus::Error into an error reply; any other
// exception would unwind through sd-bus's C code, so every handler runs
// inside Guarded().
//
// Thread contract: stateless; callable from any thread.

#ifndef JETSVC_PLATFORM_DBUS_ADAPTOR_ERRORS_H_
#define JETSVC_PLATFORM_DBUS_ADAPTOR_ERRORS_H_

#include <exception>
#include <string>

#include <sdbus-c++/Error.h>

#include "platform/controller.h"

namespace jetsvc {
namespace platform {

// The D-Bus error for a failed Result: name kErrorPrefix + ErrorKindName,
// message result.message (the kind's name if the message is empty).
// REQUIRES: !result.ok().
sdbus::Error ToDbusError(const Result& result);

// Throws ToDbusError(result) if the result is an error.
void ThrowIfFailed(const Result& result);

// An error of `kind` with `message`, for checks the adaptors make
// themselves (limits, arguments).
sdbus::Error MakeDbusError(ErrorKind kind, const std::string& message);

// Logs an unexpected exception from `operation` and returns the Engine
// error that replaces it.
sdbus::Error UnexpectedError(const char* operation, const char* detail);

// Runs `body` (the whole of a D-Bus handler). sdbus::Error passes through;
// any other exception becomes UnexpectedError(operation, ...).
template <typename Body>
auto Guarded(const char* operation, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const sdbus::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw UnexpectedError(operation, e.what());
  } catch (...) {
    throw UnexpectedError(operation, "an exception of unknown type");
  }
}

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_DBUS_ADAPTOR_ERRORS_H_
