// StoreAdaptor: the org.jetsvc.Jetsvc1.Store interface of the jetsvc
// object (platform/dbus/org.jetsvc.Jetsvc1.xml) over a Controller. Each
// call is one Controller call, hence one engine transaction.
//
// Before calling the controller, the adaptor checks the arguments against
// Controller::Limits(): an empty key is Error.InvalidArgument; a key,
// value, batch or scan limit over its limit is Error.TooLarge (a scan
// limit of 0 is Error.InvalidArgument). A Scan reply also stops early
// once its keys and values pass kMaxScanReplyBytes, so that it stays under
// the bus's message size limit (dbus-daemon's system bus: 32 MiB), but
// never before it holds one item whose key is not `start`: a client that
// pages by scanning again from the last key it got (and skipping it)
// always moves on, until a Scan brings nothing new.
//
// Thread contract: Register runs once, before the bus loop starts;
// handlers run on the bus loop thread.

#ifndef JETSVC_PLATFORM_DBUS_STORE_ADAPTOR_H_
#define JETSVC_PLATFORM_DBUS_STORE_ADAPTOR_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "platform/controller.h"

namespace sdbus {
class IObject;
}  // namespace sdbus

namespace jetsvc {
namespace platform {

// The bytes of keys and values after which a Scan reply stops early.
inline constexpr size_t kMaxScanReplyBytes = 8u << 20;

// The argument checks, separate so that they can be read and tested
// alone. `what` names the argument in the message ("key", "item 3 key").
Result CheckStoreKey(const std::string& key, const StoreLimits& limits, const std::string& what);
Result CheckStoreValue(size_t value_bytes, const StoreLimits& limits, const std::string& what);
Result CheckScanLimit(uint32_t limit, const StoreLimits& limits);
Result CheckBatchSize(size_t items, const StoreLimits& limits);

class StoreAdaptor {
 public:
  // REQUIRES: controller outlives this adaptor.
  explicit StoreAdaptor(Controller* controller) : controller_(controller) {}
  StoreAdaptor(const StoreAdaptor&) = delete;
  StoreAdaptor& operator=(const StoreAdaptor&) = delete;

  // Adds the interface's methods to `object` (before its
  // finishRegistration).
  void Register(sdbus::IObject* object);

 private:
  Controller* const controller_;
};

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_DBUS_STORE_ADAPTOR_H_
