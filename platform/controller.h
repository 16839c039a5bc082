// Controller: what the service offers its remote interfaces — the D-Bus
// adaptors (platform/dbus/), and through them jetctl, busctl and the
// Windows user control codes.
//
// Two groups, matching the D-Bus interfaces org.jetsvc.Jetsvc1.Manager and
// org.jetsvc.Jetsvc1.Store (platform/dbus/org.jetsvc.Jetsvc1.xml):
//  - Manager: the two-phase stop driven by hand (PrepareStop, Resume),
//    online defragmentation, and a snapshot of the engine's state;
//  - Store: a key-value table over the engine; each call is one
//    transaction.
//
// Errors are Results with a kind that the adaptors turn into a named
// D-Bus error (org.jetsvc.Jetsvc1.Error.<Kind>) with the message.
//
// Thread contract: every method is thread-safe and may be called from any
// thread. PrepareStop returns at once and calls `done` exactly once, from
// a service thread, when the engine is quiesced or the deadline passed.
// The observer is called from service threads, never while the caller of
// a Controller method is inside that method.

#ifndef JETSVC_PLATFORM_CONTROLLER_H_
#define JETSVC_PLATFORM_CONTROLLER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace jetsvc {
namespace platform {

enum class ErrorKind {
  kNone,
  kInvalidArgument,  // bad key, value, limit or timeout
  kNotFound,         // Get of a key that is not there
  kTooLarge,         // key, value, batch or scan over its limit
  kStopping,         // the engine refuses: a stop is in effect (-1329)
  kWriteConflict,    // another transaction changed the record (-1102)
  kNotReady,         // not started yet, or already terminating
  kDiskFull,         // -1808 / -529 and friends
  kFailed,           // the instance failed (sticky); the service will exit
  kEngine,           // any other engine error; the message names the JET_err
};

// The suffix of the D-Bus error name: "InvalidArgument", "NotFound", ...
const char* ErrorKindName(ErrorKind kind);

struct Result {
  ErrorKind kind = ErrorKind::kNone;
  long jet_err = 0;  // the engine's JET_ERR when there was one
  std::string message;

  bool ok() const { return kind == ErrorKind::kNone; }
  static Result Ok() { return Result(); }
  static Result Error(ErrorKind kind, std::string message, long jet_err = 0) {
    Result r;
    r.kind = kind;
    r.jet_err = jet_err;
    r.message = std::move(message);
    return r;
  }
};

// The Manager properties, read together.
struct ManagerSnapshot {
  // "starting", "running", "preparing", "prepared", "sleeping",
  // "stopping", "failed".
  std::string state;
  uint64_t checkpoint_depth_bytes = 0;
  uint64_t dirty_pages = 0;
  uint64_t version_store_bytes = 0;
  bool defrag_running = false;
  // Duration of the last completed prepare (this run) and of the last
  // JetTerm (the previous run's, read back at start), microseconds; 0 if
  // none.
  uint64_t last_prepare_usec = 0;
  uint64_t last_term_usec = 0;
};

struct PrepareOutcome {
  Result result;
  bool quiesced = false;  // false: the deadline passed first
  uint64_t elapsed_usec = 0;
};

struct DefragOutcome {
  Result result;
  bool was_running = false;
  unsigned long passes = 0;
  unsigned long seconds = 0;
};

struct StoreLimits {
  uint32_t max_key_bytes = 255;
  uint32_t max_value_bytes = 1u << 20;
  uint32_t max_scan_items = 1000;
  uint32_t max_batch_items = 10000;
};

using KeyValue = std::pair<std::string, std::vector<uint8_t>>;

class Controller {
 public:
  virtual ~Controller() = default;

  // --- Manager ---------------------------------------------------------
  // JetStopServiceInstance2(All), then waits up to `timeout_ms` (0: do not
  // wait) for the quiesce. Refused (kNotReady) before Ready and while
  // terminating. A second call while one runs waits for the same stop.
  virtual void PrepareStop(uint32_t timeout_ms,
                           std::function<void(const PrepareOutcome&)> done) = 0;
  // JetStopServiceInstance2(Resume): undoes a resumable prepare (logind,
  // sleep, SCM 128). After PrepareStop (All) ESE allows no resume:
  // kInvalidArgument with the engine's reason.
  virtual Result Resume() = 0;
  // JetDefragment(BatchStart) on the store's database; `was_running` is
  // JET_wrnDefragAlreadyRunning.
  virtual DefragOutcome StartDefragment() = 0;
  // JetDefragment(BatchStop); `was_running` false is JET_wrnDefragNotRunning.
  virtual DefragOutcome StopDefragment() = 0;
  virtual ManagerSnapshot Snapshot() = 0;
  // `observer(names)` is told which Manager properties changed ("State",
  // "DirtyPages", ...). Set once, before the API is served.
  virtual void SetObserver(std::function<void(const std::vector<std::string>&)> observer) = 0;

  // --- Store -----------------------------------------------------------
  virtual StoreLimits Limits() const = 0;
  // Inserts or replaces; commits durably.
  virtual Result Put(const std::string& key, const std::vector<uint8_t>& value) = 0;
  // kNotFound if absent.
  virtual Result Get(const std::string& key, std::vector<uint8_t>* value) = 0;
  virtual Result Delete(const std::string& key, bool* existed) = 0;
  // Up to `limit` pairs with key >= `start`, in key order (byte order).
  virtual Result Scan(const std::string& start, uint32_t limit, std::vector<KeyValue>* out) = 0;
  // Inserts or replaces every pair in one transaction, durable or lazy.
  virtual Result PutBatch(const std::vector<KeyValue>& items, bool durable, uint32_t* count) = 0;
};

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_CONTROLLER_H_
