// NotifyListener: a NOTIFY_SOCKET of the test's own. It binds an AF_UNIX
// datagram socket (a path in a fresh temp dir, or an abstract "@name"),
// asks for the senders' credentials (SO_PASSCRED) and records every
// datagram that sd_notify() or the daemon's notifier sends: the raw text,
// the sender's pid and its newline-separated assignments ("READY=1",
// "STATUS=...").
//
// Thread contract: Start and the destructor run on the owner thread; a
// receiver thread records datagrams; every other method is thread-safe and
// may be called while datagrams arrive.

#ifndef JETSVC_TESTS_TESTING_HOST_NOTIFY_LISTENER_H_
#define JETSVC_TESTS_TESTING_HOST_NOTIFY_LISTENER_H_

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jetsvc::testing {

class NotifyListener {
 public:
  struct Message {
    pid_t pid = 0;                         // the sender (0 if the kernel gave none)
    std::string datagram;                  // as received
    std::vector<std::string> assignments;  // its non-empty lines, in order
  };

  NotifyListener() = default;
  NotifyListener(const NotifyListener&) = delete;
  NotifyListener& operator=(const NotifyListener&) = delete;
  // Stops the receiver, closes the socket and removes the temp dir.
  ~NotifyListener();

  // Binds a socket at a path in a new temp dir under $TMPDIR (or /tmp).
  // False and *error if it cannot. REQUIRES: not started yet.
  bool Start(std::string* error);
  // Binds the abstract socket "@name" (no file). REQUIRES: not started yet.
  bool StartAbstract(const std::string& name, std::string* error);

  // The value for NOTIFY_SOCKET: the path, or "@name".
  std::string socket_env() const { return socket_env_; }

  std::vector<Message> messages() const;
  // Every assignment of every datagram, in arrival order.
  std::vector<std::string> assignments() const;
  size_t assignment_count() const;

  // Waits until an assignment matches `pattern`, counting only assignments
  // at index >= `first` of assignments(): an exact match ("READY=1"), or any
  // value of a variable when the pattern ends with '=' ("STATUS="). True if
  // one came within `timeout`.
  bool WaitFor(const std::string& pattern, std::chrono::milliseconds timeout, size_t first = 0);
  // True if an assignment at index >= `first` matches `pattern` now.
  bool Has(const std::string& pattern, size_t first = 0) const;
  // The index of the first match at index >= `first`, or -1.
  long IndexOf(const std::string& pattern, size_t first = 0) const;

  // Forgets every message received so far.
  void Clear();

 private:
  bool Bind(const std::string& address_text, std::string* error);
  void Receive();
  long IndexOfLocked(const std::string& pattern, size_t first) const;

  int fd_ = -1;
  int stop_fd_ = -1;  // eventfd that wakes the receiver to exit
  std::string temp_dir_;
  std::string socket_env_;
  std::thread receiver_;

  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Message> messages_;         // guarded by mutex_
  std::vector<std::string> assignments_;  // guarded by mutex_
};

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_TESTING_HOST_NOTIFY_LISTENER_H_
