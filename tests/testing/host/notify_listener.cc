// NotifyListener: see notify_listener.h.

#include "tests/testing/host/notify_listener.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace jetsvc::testing {

namespace {

bool Matches(const std::string& pattern, const std::string& assignment) {
  if (!pattern.empty() && pattern.back() == '=') return assignment.rfind(pattern, 0) == 0;
  return assignment == pattern;
}

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

NotifyListener::~NotifyListener() {
  if (receiver_.joinable()) {
    const uint64_t one = 1;
    (void)!::write(stop_fd_, &one, sizeof(one));
    receiver_.join();
  }
  if (fd_ >= 0) ::close(fd_);
  if (stop_fd_ >= 0) ::close(stop_fd_);
  if (!temp_dir_.empty()) {
    (void)::unlink((temp_dir_ + "/notify").c_str());
    (void)::rmdir(temp_dir_.c_str());
  }
}

bool NotifyListener::Start(std::string* error) {
  if (fd_ >= 0) {
    *error = "already started";
    return false;
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                        "/jetsvc-notify-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    *error = Errno("mkdtemp");
    return false;
  }
  temp_dir_ = pattern;
  return Bind(temp_dir_ + "/notify", error);
}

bool NotifyListener::StartAbstract(const std::string& name, std::string* error) {
  if (name.empty()) {
    *error = "empty abstract socket name";
    return false;
  }
  return Bind("@" + name, error);
}

bool NotifyListener::Bind(const std::string& address_text, std::string* error) {
  if (fd_ >= 0) {
    *error = "already started";
    return false;
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (address_text.size() >= sizeof(address.sun_path)) {
    *error = "socket address too long: " + address_text;
    return false;
  }
  std::memcpy(address.sun_path, address_text.data(), address_text.size());
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_text.size());
  if (address_text[0] == '@') {
    address.sun_path[0] = '\0';  // abstract: no trailing NUL counted
  } else {
    length += 1;
  }
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    *error = Errno("socket");
    return false;
  }
  const int on = 1;
  if (::setsockopt(fd_, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) != 0) {
    *error = Errno("setsockopt(SO_PASSCRED)");
    return false;
  }
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    *error = Errno(("bind " + address_text).c_str());
    return false;
  }
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
  if (stop_fd_ < 0) {
    *error = Errno("eventfd");
    return false;
  }
  socket_env_ = address_text;
  receiver_ = std::thread([this] { Receive(); });
  return true;
}

void NotifyListener::Receive() {
  std::vector<char> buffer(64 * 1024);
  // Credentials plus any fds a sender passes (FDSTORE=1), which we close.
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred)) + CMSG_SPACE(sizeof(int) * 253)];
  for (;;) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;

    iovec io{buffer.data(), buffer.size()};
    msghdr header{};
    header.msg_iov = &io;
    header.msg_iovlen = 1;
    header.msg_control = control;
    header.msg_controllen = sizeof(control);
    const ssize_t n = ::recvmsg(fd_, &header, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return;
    }
    Message message;
    for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
      if (c->cmsg_level != SOL_SOCKET) continue;
      if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(ucred))) {
        ucred credentials;
        std::memcpy(&credentials, CMSG_DATA(c), sizeof(credentials));
        message.pid = credentials.pid;
      } else if (c->cmsg_type == SCM_RIGHTS) {
        const size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < count; ++i) {
          int passed;
          std::memcpy(&passed, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
          ::close(passed);
        }
      }
    }
    message.datagram.assign(buffer.data(), static_cast<size_t>(n));
    std::istringstream lines(message.datagram);
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty()) message.assignments.push_back(line);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      assignments_.insert(assignments_.end(), message.assignments.begin(),
                          message.assignments.end());
      messages_.push_back(std::move(message));
    }
    arrived_.notify_all();
  }
}

std::vector<NotifyListener::Message> NotifyListener::messages() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return messages_;
}

std::vector<std::string> NotifyListener::assignments() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return assignments_;
}

size_t NotifyListener::assignment_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return assignments_.size();
}

long NotifyListener::IndexOfLocked(const std::string& pattern, size_t first) const {
  for (size_t i = first; i < assignments_.size(); ++i) {
    if (Matches(pattern, assignments_[i])) return static_cast<long>(i);
  }
  return -1;
}

long NotifyListener::IndexOf(const std::string& pattern, size_t first) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return IndexOfLocked(pattern, first);
}

bool NotifyListener::Has(const std::string& pattern, size_t first) const {
  return IndexOf(pattern, first) >= 0;
}

bool NotifyListener::WaitFor(const std::string& pattern, std::chrono::milliseconds timeout,
                             size_t first) {
  std::unique_lock<std::mutex> lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return IndexOfLocked(pattern, first) >= 0; });
}

void NotifyListener::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  messages_.clear();
  assignments_.clear();
}

}  // namespace jetsvc::testing
