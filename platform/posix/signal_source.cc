// Signals on POSIX: a signalfd read by one thread (see platform/signals.h).
// An eventfd wakes the thread for Stop().

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <boost/log/trivial.hpp>
#include <cerrno>
#include <cstring>
#include <thread>

#include "platform/signals.h"

namespace jetsvc {
namespace platform {
namespace {

sigset_t LifecycleSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

class SignalSource : public EventSource {
 public:
  SignalSource(int signal_fd, int wake_fd, PostFunction post)
      : signal_fd_(signal_fd), wake_fd_(wake_fd), post_(std::move(post)) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~SignalSource() override {
    Stop();
    ::close(signal_fd_);
    ::close(wake_fd_);
  }

  void Stop() override {
    if (!thread_.joinable()) return;
    const uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof(one));
    thread_.join();
  }

 private:
  void Loop() {
    for (;;) {
      struct pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        BOOST_LOG_TRIVIAL(error) << "signal thread: poll failed: " << std::strerror(errno);
        return;
      }
      if (fds[1].revents != 0) return;
      struct signalfd_siginfo info;
      if (::read(signal_fd_, &info, sizeof(info)) != static_cast<ssize_t>(sizeof(info))) continue;
      HostRequest request;
      request.event = info.ssi_signo == SIGHUP ? HostEvent::kReload : HostEvent::kStop;
      request.origin = strsignal(static_cast<int>(info.ssi_signo));
      request.origin += " from pid " + std::to_string(info.ssi_pid);
      post_(std::move(request));
    }
  }

  const int signal_fd_;
  const int wake_fd_;
  const PostFunction post_;
  std::thread thread_;
};

}  // namespace

void BlockLifecycleSignals() {
  const sigset_t set = LifecycleSignals();
  (void)pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

std::unique_ptr<EventSource> StartSignalSource(PostFunction post, std::string* error) {
  const sigset_t set = LifecycleSignals();
  const int signal_fd = ::signalfd(-1, &set, SFD_CLOEXEC);
  if (signal_fd < 0) {
    *error = std::string("signalfd: ") + std::strerror(errno);
    return nullptr;
  }
  const int wake_fd = ::eventfd(0, EFD_CLOEXEC);
  if (wake_fd < 0) {
    *error = std::string("eventfd: ") + std::strerror(errno);
    ::close(signal_fd);
    return nullptr;
  }
  return std::make_unique<SignalSource>(signal_fd, wake_fd, std::move(post));
}

}  // namespace platform
}  // namespace jetsvc
