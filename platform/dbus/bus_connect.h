// Opening a D-Bus connection as the configuration says: the system bus,
// the session bus, or an explicit address. Used by the daemon's server
// (dbus_server.h) and by jetctl, so both read the same options the same way
// and fail with the same kind of message.
//
// Thread contract: the functions are thread-safe (they read the
// environment: DBUS_SYSTEM_BUS_ADDRESS, DBUS_SESSION_BUS_ADDRESS,
// XDG_RUNTIME_DIR). The returned connection follows sdbus-c++'s rules:
// create objects and proxies on it from one thread, or after its event
// loop runs.

#ifndef JETSVC_PLATFORM_DBUS_BUS_CONNECT_H_
#define JETSVC_PLATFORM_DBUS_BUS_CONNECT_H_

#include <memory>
#include <string>

namespace sdbus {
class IConnection;
}  // namespace sdbus

namespace jetsvc {
namespace platform {

struct BusOptions {
  // Which bus: "system" (DBUS_SYSTEM_BUS_ADDRESS, else
  // unix:path=/run/dbus/system_bus_socket), "session"
  // (DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus) or "address"
  // (the `address` below). Default: "system".
  std::string bus = "system";
  // The D-Bus address to connect to ("unix:path=/run/jetsvc/bus"); used
  // with bus = "address", where it is required, and an error with any
  // other bus. Default: empty.
  std::string address;
};

// Checks that `options` name a bus; false with *error saying what is
// wrong otherwise. REQUIRES: error != nullptr.
bool ValidateBusOptions(const BusOptions& options, std::string* error);

// Names the bus for messages: "the system bus (unix:path=/run/dbus/
// system_bus_socket)", "the session bus (unix:path=/run/user/0/bus)",
// "the bus at unix:path=/tmp/x".
std::string DescribeBus(const BusOptions& options);

// Opens a connection to the bus `options` select (no name requested, no
// event loop running). On failure returns null and sets *error to
// "cannot connect to <DescribeBus>: <reason>", e.g. "cannot connect to the
// system bus (unix:path=/run/dbus/system_bus_socket): No such file or
// directory". Callers append their own hint (the daemon names its config
// options, jetctl its flags). REQUIRES: error != nullptr.
std::unique_ptr<sdbus::IConnection> OpenBusConnection(const BusOptions& options,
                                                      std::string* error);

// The reason inside an sdbus-c++ error message: "Failed to open bus (No
// such file or directory)" -> "No such file or directory"; a message
// without a parenthesised reason is returned whole.
std::string SdbusErrorReason(const std::string& message);

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_DBUS_BUS_CONNECT_H_
