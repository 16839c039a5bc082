// ManagerAdaptor: the org.jetsvc.Jetsvc1.Manager interface of the jetsvc
// object (platform/dbus/org.jetsvc.Jetsvc1.xml) over a Controller.
//
//  - PrepareStop is asynchronous: the handler hands the call to
//    Controller::PrepareStop and returns, so the bus loop keeps answering
//    property reads and Store calls while the engine quiesces; the reply
//    is sent from the Outbox when the controller's `done` comes.
//  - The controller's observer (Controller::SetObserver) posts to the
//    Outbox, which emits PropertiesChanged for the named properties and,
//    when "State" is among them, StateChanged(state) with the state it
//    reads then (skipped if equal to the last one sent). sdbus-c++ 1.2
//    allows emitting signals and sending asynchronous replies from a
//    thread other than the bus loop's (docs/using-sdbus-c++.md, "Thread
//    safety"); its internal mutex serialises them with the loop.
//
// Shutdown order (DbusServer's destructor): StopSending() drains and stops
// the Outbox; then the owner destroys the object, so no call is in
// progress or can start; then FailPending() answers the PrepareStop calls
// still waiting with Error.NotReady. The controller may call `done` or the
// observer at any time after that: nothing happens.
//
// Thread contract: Register and Observe run once, on the owner's thread,
// before the bus loop starts. Handlers run on the bus loop thread; the
// observer and `done` on controller threads; emission and replies on the
// Outbox thread. StopSending and FailPending run on the owner's thread.

#ifndef JETSVC_PLATFORM_DBUS_MANAGER_ADAPTOR_H_
#define JETSVC_PLATFORM_DBUS_MANAGER_ADAPTOR_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <sdbus-c++/MethodResult.h>

#include "platform/controller.h"
#include "platform/dbus/outbox.h"

namespace sdbus {
class IObject;
}  // namespace sdbus

namespace jetsvc {
namespace platform {

class ManagerAdaptor {
 public:
  // REQUIRES: controller outlives this adaptor.
  explicit ManagerAdaptor(Controller* controller);
  ManagerAdaptor(const ManagerAdaptor&) = delete;
  ManagerAdaptor& operator=(const ManagerAdaptor&) = delete;
  ~ManagerAdaptor();

  // Adds the interface's methods, properties and signal to `object`
  // (before its finishRegistration). REQUIRES: object outlives every
  // Outbox task, i.e. StopSending() runs before the object is destroyed.
  void Register(sdbus::IObject* object);

  // Sets the controller's observer to this adaptor. Call once.
  void Observe();

  // Sends what is queued and stops sending. Idempotent.
  void StopSending();

  // Answers every PrepareStop still waiting with Error.NotReady.
  // REQUIRES: StopSending() was called and no handler can run any more.
  void FailPending();

  // The Manager property names, in the XML's order.
  static const std::vector<std::string>& PropertyNames();

 private:
  using PrepareResult = sdbus::Result<bool, uint64_t>;

  void PrepareStop(PrepareResult&& result, uint32_t timeout_ms);
  // On the Outbox thread.
  void FinishPrepare(uint64_t id, const PrepareOutcome& outcome);
  void EmitChanges(const std::vector<std::string>& names);
  std::optional<PrepareResult> TakePending(uint64_t id);

  Controller* const controller_;
  const std::shared_ptr<Outbox> outbox_;
  sdbus::IObject* object_ = nullptr;  // set by Register

  // Only on the Outbox thread (and in Observe, before it is used).
  std::string last_state_;

  std::mutex mutex_;
  // Protected by mutex_. The calls waiting for their PrepareStop `done`.
  // A Result is replied to or destroyed only outside mutex_ (the bus loop
  // holds sdbus-c++'s lock while it takes mutex_).
  std::map<uint64_t, PrepareResult> pending_;
  uint64_t next_id_ = 1;
};

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_DBUS_MANAGER_ADAPTOR_H_
