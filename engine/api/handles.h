// Handles: the opaque JET_INSTANCE / JET_SESID / JET_TABLEID values the C
// API hands out, and the tables that map them back to live objects.
//
// A handle is never a pointer the API dereferences. Its value is
//   (serial << kHandleKindBits) | kind
// where `serial` counts up from 1 per process and is never reused, and
// `kind` says which table the handle belongs to. So:
//  1. a handle whose object was freed (stale) is simply absent from its
//     table: the lookup fails, nothing is dereferenced;
//  2. a handle of another kind (a sesid passed as a tableid) fails its
//     kind check before any lookup;
//  3. 0 and the nil values (~0) never decode to a live object: serial 0 is
//     never issued and ~0 carries the kind bits 3 with an all-ones serial,
//     which the counter never reaches.
// Lookups hand out a shared_ptr, so an object stays allocated while a call
// that found it is running even if another thread removes it; the objects
// themselves carry the flags that tell such a call to stop (api_state.h).
//
// Thread contract: HandleTable is thread-safe.

#ifndef JETSVC_ENGINE_API_HANDLES_H_
#define JETSVC_ENGINE_API_HANDLES_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/util/mutex.h"
#include "engine/util/thread_annotations.h"

namespace jetsvc {
namespace api {

enum class HandleKind : uint64_t { kInstance = 1, kSession = 2, kTable = 3 };

constexpr int kHandleKindBits = 2;
constexpr uint64_t kHandleKindMask = (uint64_t{1} << kHandleKindBits) - 1;

// The value of handle number `serial` of `kind`.
constexpr uint64_t MakeHandle(HandleKind kind, uint64_t serial) {
  return (serial << kHandleKindBits) | static_cast<uint64_t>(kind);
}
constexpr HandleKind KindOfHandle(uint64_t handle) {
  return static_cast<HandleKind>(handle & kHandleKindMask);
}
constexpr uint64_t SerialOfHandle(uint64_t handle) { return handle >> kHandleKindBits; }

// Live objects of one kind, by handle.
template <typename T>
class HandleTable {
 public:
  // `max_serial` bounds the serials so handles fit a 32-bit JET_API_PTR on
  // 32-bit platforms.
  HandleTable(HandleKind kind, uint64_t max_serial) : kind_(kind), max_serial_(max_serial) {}
  HandleTable(const HandleTable&) = delete;
  HandleTable& operator=(const HandleTable&) = delete;

  // Registers `object` and returns its new handle, or 0 when the serials
  // are used up (the caller reports JET_errOutOfMemory).
  uint64_t Add(std::shared_ptr<T> object) {
    MutexLock lock(&mu_);
    if (next_serial_ > max_serial_) return 0;
    const uint64_t handle = MakeHandle(kind_, next_serial_++);
    objects_.emplace(handle, std::move(object));
    return handle;
  }

  // The object of `handle`, or null if it is stale, garbage or of another
  // kind.
  std::shared_ptr<T> Find(uint64_t handle) const {
    if (KindOfHandle(handle) != kind_) return nullptr;
    MutexLock lock(&mu_);
    auto it = objects_.find(handle);
    return it == objects_.end() ? nullptr : it->second;
  }

  // Unregisters `handle`; returns its object (null if it was not there).
  std::shared_ptr<T> Remove(uint64_t handle) {
    MutexLock lock(&mu_);
    auto it = objects_.find(handle);
    if (it == objects_.end()) return nullptr;
    std::shared_ptr<T> object = std::move(it->second);
    objects_.erase(it);
    return object;
  }

  size_t size() const {
    MutexLock lock(&mu_);
    return objects_.size();
  }

 private:
  const HandleKind kind_;
  const uint64_t max_serial_;
  mutable Mutex mu_;
  uint64_t next_serial_ GUARDED_BY(mu_) = 1;
  std::unordered_map<uint64_t, std::shared_ptr<T>> objects_ GUARDED_BY(mu_);
};

// The largest serial a handle may carry on this platform: the handle must
// fit JET_API_PTR (`pointer_bits` wide) and stay below the nil value.
constexpr uint64_t MaxHandleSerial(int pointer_bits) {
  return pointer_bits >= 64 ? (~uint64_t{0} >> kHandleKindBits) - 1
                            : ((uint64_t{1} << (pointer_bits - kHandleKindBits)) - 2);
}

}  // namespace api
}  // namespace jetsvc

#endif  // JETSVC_ENGINE_API_HANDLES_H_
