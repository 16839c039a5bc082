// NotifyListener with real senders: libsystemd's sd_notify (through
// NOTIFY_SOCKET, path and abstract) and a raw datagram from a child.

#include "tests/testing/host/notify_listener.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace jetsvc::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::milliseconds kWait = 5s;

// sd_notify through NOTIFY_SOCKET = the listener's address.
int Notify(const NotifyListener& listener, const char* text) {
  if (::setenv("NOTIFY_SOCKET", listener.socket_env().c_str(), 1) != 0) return -1;
  const int r = sd_notify(0, text);
  (void)::unsetenv("NOTIFY_SOCKET");
  return r;
}

std::string UniqueName() {
  static int counter = 0;
  return "jetsvc-notify-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

TEST(NotifyListenerTest, RecordsSdNotifyWithTheSenderPid) {
  NotifyListener listener;
  std::string error;
  ASSERT_TRUE(listener.Start(&error)) << error;
  ASSERT_EQ('/', listener.socket_env()[0]) << listener.socket_env();
  ASSERT_GT(Notify(listener, "READY=1\nSTATUS=serving"), 0);
  ASSERT_TRUE(listener.WaitFor("READY=1", kWait));

  const std::vector<NotifyListener::Message> messages = listener.messages();
  ASSERT_EQ(1u, messages.size());
  EXPECT_EQ(::getpid(), messages[0].pid);
  EXPECT_EQ("READY=1\nSTATUS=serving", messages[0].datagram);
  EXPECT_EQ((std::vector<std::string>{"READY=1", "STATUS=serving"}), messages[0].assignments);
  EXPECT_EQ((std::vector<std::string>{"READY=1", "STATUS=serving"}), listener.assignments());
}

TEST(NotifyListenerTest, ListensOnAnAbstractAddress) {
  NotifyListener listener;
  std::string error;
  const std::string name = UniqueName();
  ASSERT_TRUE(listener.StartAbstract(name, &error)) << error;
  EXPECT_EQ("@" + name, listener.socket_env());
  ASSERT_GT(Notify(listener, "STOPPING=1"), 0);
  ASSERT_TRUE(listener.WaitFor("STOPPING=1", kWait));
  EXPECT_EQ(::getpid(), listener.messages().at(0).pid);
}

TEST(NotifyListenerTest, WaitForMatchesPrefixesAndStartsAtAnIndex) {
  NotifyListener listener;
  std::string error;
  ASSERT_TRUE(listener.Start(&error)) << error;
  ASSERT_GT(Notify(listener, "STATUS=recovering"), 0);
  ASSERT_GT(Notify(listener, "EXTEND_TIMEOUT_USEC=5000000"), 0);
  ASSERT_GT(Notify(listener, "READY=1"), 0);
  ASSERT_TRUE(listener.WaitFor("READY=1", kWait));

  EXPECT_TRUE(listener.WaitFor("STATUS=", kWait));             // any status
  EXPECT_TRUE(listener.WaitFor("EXTEND_TIMEOUT_USEC=", kWait));
  EXPECT_FALSE(listener.WaitFor("STATUS=recover", 50ms));      // exact, not a prefix
  EXPECT_FALSE(listener.Has("READY=0"));
  EXPECT_EQ(0, listener.IndexOf("STATUS="));
  EXPECT_EQ(2, listener.IndexOf("READY=1"));
  EXPECT_EQ(3u, listener.assignment_count());

  // A second READY=1 (after a reload) is found only past the first.
  const size_t after = listener.assignment_count();
  EXPECT_FALSE(listener.WaitFor("READY=1", 50ms, after));
  ASSERT_GT(Notify(listener, "RELOADING=1"), 0);
  ASSERT_GT(Notify(listener, "READY=1"), 0);
  EXPECT_TRUE(listener.WaitFor("READY=1", kWait, after));
  EXPECT_EQ(static_cast<long>(after), listener.IndexOf("RELOADING=1"));
  EXPECT_EQ(5u, listener.messages().size());
}

TEST(NotifyListenerTest, ClearForgetsEverything) {
  NotifyListener listener;
  std::string error;
  ASSERT_TRUE(listener.Start(&error)) << error;
  ASSERT_GT(Notify(listener, "WATCHDOG=1"), 0);
  ASSERT_TRUE(listener.WaitFor("WATCHDOG=1", kWait));
  listener.Clear();
  EXPECT_TRUE(listener.messages().empty());
  EXPECT_EQ(0u, listener.assignment_count());
  EXPECT_FALSE(listener.Has("WATCHDOG=1"));
  ASSERT_GT(Notify(listener, "WATCHDOG=1"), 0);
  EXPECT_TRUE(listener.WaitFor("WATCHDOG=1", kWait));
}

TEST(NotifyListenerTest, RecordsTheChildsPidForADatagramFromAChild) {
  NotifyListener listener;
  std::string error;
  ASSERT_TRUE(listener.Start(&error)) << error;
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = listener.socket_env();
  ASSERT_LT(path.size(), sizeof(address.sun_path));
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Only async-signal-safe calls here.
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    static const char kText[] = "STATUS=from child\n";
    const ssize_t n = ::sendto(fd, kText, sizeof(kText) - 1, 0,
                               reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    ::_exit(n == static_cast<ssize_t>(sizeof(kText) - 1) ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(child, ::waitpid(child, &status, 0));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ASSERT_TRUE(listener.WaitFor("STATUS=from child", kWait));
  const auto messages = listener.messages();
  ASSERT_EQ(1u, messages.size());
  EXPECT_EQ(child, messages[0].pid);
  EXPECT_EQ((std::vector<std::string>{"STATUS=from child"}), messages[0].assignments);
}

TEST(NotifyListenerTest, RejectsBadAddressesAndASecondStart) {
  NotifyListener listener;
  std::string error;
  EXPECT_FALSE(listener.StartAbstract("", &error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(listener.StartAbstract(std::string(200, 'x'), &error));
  EXPECT_NE(std::string::npos, error.find("too long")) << error;
  ASSERT_TRUE(listener.StartAbstract(UniqueName(), &error)) << error;
  EXPECT_FALSE(listener.Start(&error));
  EXPECT_NE(std::string::npos, error.find("already started")) << error;
}

TEST(NotifyListenerTest, TwoListenersCannotShareAnAbstractName) {
  const std::string name = UniqueName();
  NotifyListener first, second;
  std::string error;
  ASSERT_TRUE(first.StartAbstract(name, &error)) << error;
  EXPECT_FALSE(second.StartAbstract(name, &error));
  EXPECT_NE(std::string::npos, error.find("bind")) << error;
}

}  // namespace
}  // namespace jetsvc::testing
