// DbusServer: serves a Controller on D-Bus as the object
// /org/jetsvc/Jetsvc1 under the bus name org.jetsvc.Jetsvc1, with the
// interfaces org.jetsvc.Jetsvc1.Manager (manager_adaptor.h) and
// org.jetsvc.Jetsvc1.Store (store_adaptor.h), as specified in
// platform/dbus/org.jetsvc.Jetsvc1.xml.
//
// Start opens its own connection (bus_connect.h), registers the object,
// sets the controller's observer, takes the bus name and runs the bus loop
// on a thread of the connection (sdbus-c++ enterEventLoopAsync). The
// destructor unregisters the object first (so no call reaches a
// half-destroyed server; it waits for a call in progress), answers the
// PrepareStop calls still pending with Error.NotReady, leaves and joins the
// loop, and releases the name.
//
// Thread contract: Start and the destructor run on the owner's thread,
// never from a Controller callback. UniqueName is thread-safe. The
// controller is called from the bus loop thread (methods, properties) and
// from the server's outbox thread (Snapshot, for signals); its observer
// and PrepareStop `done` may be called from any thread and never block on
// the bus.

#ifndef JETSVC_PLATFORM_DBUS_DBUS_SERVER_H_
#define JETSVC_PLATFORM_DBUS_DBUS_SERVER_H_

#include <memory>
#include <string>

#include "platform/controller.h"
#include "platform/dbus/bus_connect.h"

namespace sdbus {
class IConnection;
class IObject;
}  // namespace sdbus

namespace jetsvc {
namespace platform {

class ManagerAdaptor;
class StoreAdaptor;

class DbusServer {
 public:
  // Serves `controller` on the bus `options` select. On failure returns
  // null and sets *error to a message saying which bus and why, with a
  // hint, e.g.
  //   "cannot connect to the system bus (unix:path=/run/dbus/
  //    system_bus_socket): No such file or directory; set [dbus]
  //    bus=session, or bus=address and address=..."
  //   "name org.jetsvc.Jetsvc1 is already owned on the session bus (...)
  //    by :1.4 (pid 1234); is another jetsvc running?"
  //   "not allowed to own org.jetsvc.Jetsvc1 on the system bus (...):
  //    <reason> (check the D-Bus policy ...)".
  // Sets the controller's observer (Controller::SetObserver) before it
  // takes the name, so also when taking the name fails; the observer of a
  // server that failed or ended does nothing.
  // REQUIRES: controller and error are not null; controller outlives the
  // server; one server per controller.
  static std::unique_ptr<DbusServer> Start(const BusOptions& options, Controller* controller,
                                           std::string* error);

  DbusServer(const DbusServer&) = delete;
  DbusServer& operator=(const DbusServer&) = delete;
  ~DbusServer();

  // The connection's unique name (":1.42").
  std::string UniqueName() const;
  // The bus, for log lines: "the system bus (unix:path=...)".
  const std::string& BusDescription() const { return bus_description_; }

 private:
  DbusServer(Controller* controller, std::string bus_description);

  // Takes the bus name; false and *error (with the reason) if it cannot.
  bool RequestName(std::string* error);

  const std::string bus_description_;
  // Destroyed in the destructor in this order: object_, the adaptors'
  // pending calls, then connection_ (which leaves and joins the loop).
  std::unique_ptr<sdbus::IConnection> connection_;
  std::unique_ptr<ManagerAdaptor> manager_;
  std::unique_ptr<StoreAdaptor> store_;
  std::unique_ptr<sdbus::IObject> object_;
  bool name_owned_ = false;
};

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_DBUS_DBUS_SERVER_H_
