// DbusServer: see dbus_server.h.

#include "platform/dbus/dbus_server.h"

#include <cstdint>
#include <exception>
#include <utility>

#include <boost/log/trivial.hpp>
#include <sdbus-c++/sdbus-c++.h>

#include "platform/dbus/manager_adaptor.h"
#include "platform/dbus/names.h"
#include "platform/dbus/store_adaptor.h"

namespace jetsvc {
namespace platform {

namespace {

constexpr char kBusDaemonName[] = "org.freedesktop.DBus";
constexpr char kBusDaemonPath[] = "/org/freedesktop/DBus";
// The hint for a bus that cannot be reached: the daemon's config options.
constexpr char kConnectHint[] = "; set [dbus] bus=session, or bus=address and address=...";

// " by :1.4 (pid 1234)", or empty if the bus will not say.
// REQUIRES: the connection's event loop is not running yet.
std::string DescribeOwner(sdbus::IConnection& connection, const std::string& name) {
  try {
    auto bus = sdbus::createProxy(connection, kBusDaemonName, kBusDaemonPath);
    std::string owner;
    bus->callMethod("GetNameOwner")
        .onInterface(kBusDaemonName)
        .withArguments(name)
        .storeResultsTo(owner);
    std::string description = " by " + owner;
    try {
      uint32_t pid = 0;
      bus->callMethod("GetConnectionUnixProcessID")
          .onInterface(kBusDaemonName)
          .withArguments(owner)
          .storeResultsTo(pid);
      description += " (pid " + std::to_string(pid) + ")";
    } catch (const sdbus::Error&) {
      // The owner left meanwhile, or the bus hides pids: name it without.
    }
    return description;
  } catch (const sdbus::Error&) {
    return std::string();
  }
}

}  // namespace

DbusServer::DbusServer(Controller* controller, std::string bus_description)
    : bus_description_(std::move(bus_description)),
      manager_(std::make_unique<ManagerAdaptor>(controller)),
      store_(std::make_unique<StoreAdaptor>(controller)) {}

std::unique_ptr<DbusServer> DbusServer::Start(const BusOptions& options, Controller* controller,
                                              std::string* error) {
  std::string invalid;
  if (!ValidateBusOptions(options, &invalid)) {
    *error = "bad [dbus] options: " + invalid;
    return nullptr;
  }
  std::unique_ptr<sdbus::IConnection> connection = OpenBusConnection(options, error);
  if (connection == nullptr) {
    *error += kConnectHint;
    return nullptr;
  }
  std::unique_ptr<DbusServer> server(new DbusServer(controller, DescribeBus(options)));
  server->connection_ = std::move(connection);

  // The object is complete before the name is taken, so a client that sees
  // the name finds every method (sdbus-c++'s rule: register, then serve).
  try {
    server->object_ = sdbus::createObject(*server->connection_, dbus_names::kObjectPath);
    server->manager_->Register(server->object_.get());
    server->store_->Register(server->object_.get());
    server->object_->finishRegistration();
  } catch (const std::exception& e) {  // sdbus::Error, or bad_alloc
    *error = std::string("cannot register ") + dbus_names::kObjectPath + " on " +
             server->bus_description_ + ": " + e.what();
    return nullptr;
  }
  try {
    server->manager_->Observe();
  } catch (const std::exception& e) {
    *error = std::string("cannot read the controller's state: ") + e.what();
    return nullptr;
  }
  if (!server->RequestName(error)) return nullptr;
  try {
    server->connection_->enterEventLoopAsync();
  } catch (const std::exception& e) {
    *error = "cannot start the D-Bus loop on " + server->bus_description_ + ": " + e.what();
    return nullptr;
  }
  return server;
}

bool DbusServer::RequestName(std::string* error) {
  const std::string name = dbus_names::kBusName;
  try {
    connection_->requestName(name);
    name_owned_ = true;
    return true;
  } catch (const sdbus::Error& e) {
    const std::string reason = SdbusErrorReason(e.getMessage());
    if (e.getName() == "org.freedesktop.DBus.Error.FileExists") {
      *error = "name " + name + " is already owned on " + bus_description_ +
               DescribeOwner(*connection_, name) + "; is another jetsvc running?";
    } else if (e.getName() == "org.freedesktop.DBus.Error.AccessDenied") {
      *error = "not allowed to own " + name + " on " + bus_description_ + ": " + reason +
               " (check the D-Bus policy /usr/share/dbus-1/system.d/" + name +
               ".conf and the user the service runs as)";
    } else {
      *error = "cannot own " + name + " on " + bus_description_ + ": " + reason;
    }
    return false;
  }
}

DbusServer::~DbusServer() {
  // Signals and replies already queued go out while the object exists.
  if (manager_ != nullptr) manager_->StopSending();
  // No call can start after this, and one in progress has finished
  // (sdbus-c++ holds its lock while it dispatches).
  object_.reset();
  if (manager_ != nullptr) manager_->FailPending();
  if (connection_ != nullptr) {
    try {
      connection_->leaveEventLoop();
      if (name_owned_) connection_->releaseName(dbus_names::kBusName);
    } catch (const std::exception& e) {
      BOOST_LOG_TRIVIAL(warning) << "D-Bus: leaving " << bus_description_ << ": " << e.what()
                                 << ", ignoring";
    }
  }
  connection_.reset();  // flushes and closes
  store_.reset();
  manager_.reset();
}

std::string DbusServer::UniqueName() const { return connection_->getUniqueName(); }

}  // namespace platform
}  // namespace jetsvc
