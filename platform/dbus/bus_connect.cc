// Opening a D-Bus connection: see bus_connect.h.

#include "platform/dbus/bus_connect.h"

#include <cstdlib>
#include <exception>

#include <sdbus-c++/sdbus-c++.h>

namespace jetsvc {
namespace platform {

namespace {

constexpr char kDefaultSystemBusAddress[] = "unix:path=/run/dbus/system_bus_socket";

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// The address sd-bus will use for the session bus, or empty if it has
// none.
std::string SessionBusAddress() {
  std::string address = EnvOrEmpty("DBUS_SESSION_BUS_ADDRESS");
  if (!address.empty()) return address;
  const std::string runtime_dir = EnvOrEmpty("XDG_RUNTIME_DIR");
  if (!runtime_dir.empty()) return "unix:path=" + runtime_dir + "/bus";
  return std::string();
}

}  // namespace

bool ValidateBusOptions(const BusOptions& options, std::string* error) {
  if (options.bus == "address") {
    if (options.address.empty()) {
      *error = "bus=address needs an address (e.g. unix:path=/run/jetsvc/bus)";
      return false;
    }
    return true;
  }
  if (options.bus != "system" && options.bus != "session") {
    *error = "unknown bus \"" + options.bus + "\" (allowed: system, session, address)";
    return false;
  }
  if (!options.address.empty()) {
    *error = "an address (" + options.address + ") is given but the bus is \"" + options.bus +
             "\"; use bus=address to connect to an address";
    return false;
  }
  return true;
}

std::string DescribeBus(const BusOptions& options) {
  if (options.bus == "system") {
    std::string address = EnvOrEmpty("DBUS_SYSTEM_BUS_ADDRESS");
    if (address.empty()) address = kDefaultSystemBusAddress;
    return "the system bus (" + address + ")";
  }
  if (options.bus == "session") {
    const std::string address = SessionBusAddress();
    return "the session bus (" + (address.empty() ? std::string("no address") : address) + ")";
  }
  return "the bus at " + options.address;
}

std::string SdbusErrorReason(const std::string& message) {
  const size_t open = message.rfind('(');
  if (open == std::string::npos || message.empty() || message.back() != ')') return message;
  return message.substr(open + 1, message.size() - open - 2);
}

std::unique_ptr<sdbus::IConnection> OpenBusConnection(const BusOptions& options,
                                                      std::string* error) {
  std::string invalid;
  if (!ValidateBusOptions(options, &invalid)) {
    *error = "cannot connect to D-Bus: " + invalid;
    return nullptr;
  }
  const std::string prefix = "cannot connect to " + DescribeBus(options) + ": ";
  if (options.bus == "session" && SessionBusAddress().empty()) {
    // sd-bus would say "No medium found" (ENOMEDIUM).
    *error = prefix + "neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set";
    return nullptr;
  }
  try {
    if (options.bus == "system") return sdbus::createSystemBusConnection();
    if (options.bus == "session") return sdbus::createSessionBusConnection();
    return sdbus::createSessionBusConnectionWithAddress(options.address);
  } catch (const sdbus::Error& e) {
    *error = prefix + SdbusErrorReason(e.getMessage());
  } catch (const std::exception& e) {
    *error = prefix + e.what();
  }
  return nullptr;
}

}  // namespace platform
}  // namespace jetsvc
