// Outbox: a thread of the D-Bus server that runs, in the order they were
// posted, the bus work other threads ask for: the signals the
// controller's observer announces and the replies of asynchronous calls
// (PrepareStop).
//
// Why a thread of our own: the controller calls its observer and its
// PrepareStop `done` from service threads that may hold service locks.
// Sending on the bus from there could block behind the bus loop, which may
// itself be inside a controller call waiting for those locks. Posting here
// never blocks on the bus, so no such cycle exists.
//
// Thread contract: Post is thread-safe. Close is called once by the owner,
// never from a task. Tasks run one at a time on the outbox thread; after
// Close no task runs, and a task posted after Close is destroyed unrun.

#ifndef JETSVC_PLATFORM_DBUS_OUTBOX_H_
#define JETSVC_PLATFORM_DBUS_OUTBOX_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace jetsvc {
namespace platform {

class Outbox {
 public:
  Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;
  // Closes.
  ~Outbox();

  // Queues `task`. Returns false, and destroys the task unrun, after Close.
  bool Post(std::function<void()> task);

  // Runs the tasks already queued, then ends and joins the thread.
  // Idempotent. REQUIRES: not called from a task.
  void Close();

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  // Protected by mutex_.
  std::deque<std::function<void()>> queue_;
  bool closed_ = false;

  std::thread thread_;  // joined by Close
};

}  // namespace platform
}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_DBUS_OUTBOX_H_
