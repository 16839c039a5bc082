// The fake logind (tests/tools/fake_logind) itself, driven by a plain
// sdbus-c++ client: the other host tests trust what it reports, so check
// that a lock counts as released only when every copy of its fd is closed,
// and that it rejects what logind rejects.

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>

#include "tests/testing/host/fake_logind_process.h"
#include "tests/testing/host/private_bus.h"

namespace jetsvc::testing {
namespace {

using namespace std::chrono_literals;

const char kManager[] = "org.freedesktop.login1.Manager";

class FakeLogindTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(bus_.Start(&error)) << error;
    FakeLogindProcess::Options options;
    options.delay_max = 1234567us;
    ASSERT_TRUE(fake_.Start(bus_.address(), options, &error)) << error;
    proxy_ = sdbus::createProxy(sdbus::createSessionBusConnectionWithAddress(bus_.address()),
                                "org.freedesktop.login1", "/org/freedesktop/login1");
  }

  sdbus::UnixFd Inhibit(const std::string& what, const std::string& mode) {
    sdbus::UnixFd fd;
    proxy_->callMethod("Inhibit")
        .onInterface(kManager)
        .withArguments(what, std::string("test"), std::string("testing"), mode)
        .storeResultsTo(fd);
    return fd;
  }
  std::string InhibitError(const std::string& what, const std::string& mode) {
    try {
      Inhibit(what, mode);
    } catch (const sdbus::Error& e) {
      return e.getName() + ": " + e.getMessage();
    }
    return "no error";
  }

  PrivateBus bus_;
  FakeLogindProcess fake_;
  std::unique_ptr<sdbus::IProxy> proxy_;
};

TEST_F(FakeLogindTest, ReportsTheConfiguredDelayMax) {
  EXPECT_EQ(1234567u, fake_.InhibitDelayMaxUSec().value_or(0));
}

TEST_F(FakeLogindTest, LockIsReleasedOnlyWhenEveryCopyOfTheFdIsClosed) {
  sdbus::UnixFd lock = Inhibit("shutdown", "delay");
  ASSERT_TRUE(lock.isValid());
  ASSERT_TRUE(fake_.WaitLockHeld(5s));
  const int copy = ::dup(lock.get());
  ASSERT_GE(copy, 0);
  lock.reset();
  uint32_t held = 0;
  EXPECT_FALSE(fake_.WaitLocksReleased(200ms, &held));
  EXPECT_EQ(1u, held);
  ::close(copy);
  EXPECT_TRUE(fake_.WaitLocksReleased(5s));
  const FakeLogindProcess::LockCounts counts = fake_.LockCount();
  EXPECT_EQ(0u, counts.held);
  EXPECT_EQ(1u, counts.total_taken);
  EXPECT_TRUE(fake_.ListInhibitors().empty());
}

TEST_F(FakeLogindTest, ListsBlockLocksButCountsOnlyDelayLocks) {
  sdbus::UnixFd block = Inhibit("idle:handle-lid-switch", "block");
  sdbus::UnixFd delay = Inhibit("sleep", "delay");
  const auto locks = fake_.ListInhibitors();
  ASSERT_EQ(2u, locks.size());
  EXPECT_EQ("idle:handle-lid-switch", locks[0].what);
  EXPECT_EQ("block", locks[0].mode);
  EXPECT_EQ("sleep", locks[1].what);
  EXPECT_EQ(static_cast<uint32_t>(::getpid()), locks[1].pid);
  EXPECT_EQ(1u, fake_.LockCount().held);
  delay.reset();
  EXPECT_TRUE(fake_.WaitLocksReleased(5s));  // the block lock does not count
  EXPECT_EQ(1u, fake_.ListInhibitors().size());
}

TEST_F(FakeLogindTest, RejectsWhatLogindRejects) {
  EXPECT_NE(std::string::npos, InhibitError("idle", "delay").find("InvalidArgs"));
  EXPECT_NE(std::string::npos, InhibitError("shutdown", "sometimes").find("InvalidArgs"));
  EXPECT_NE(std::string::npos, InhibitError("reboot", "block").find("InvalidArgs"));
  EXPECT_NE(std::string::npos, InhibitError("", "block").find("InvalidArgs"));
  ASSERT_TRUE(fake_.SetDenyInhibit(true));
  EXPECT_EQ("org.freedesktop.DBus.Error.AccessDenied: Access denied",
            InhibitError("shutdown:sleep", "delay"));
  EXPECT_EQ(0u, fake_.LockCount().total_taken);
}

TEST_F(FakeLogindTest, PowerOffWithNoLockDoesNotWait) {
  const auto waited = fake_.PowerOff(false);
  ASSERT_TRUE(waited.has_value());
  EXPECT_LT(*waited, std::chrono::microseconds(1234567));
}

TEST_F(FakeLogindTest, ExitsOnSigterm) {
  const int status = fake_.Stop();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(FakeLogindProcessTest, StartFailsCleanlyWithoutABus) {
  FakeLogindProcess fake;
  std::string error;
  EXPECT_FALSE(fake.Start("unix:path=/nonexistent/jetsvc-bus", {}, &error));
  EXPECT_NE(std::string::npos, error.find("exited before it was ready")) << error;
  EXPECT_EQ(-1, fake.Stop());
}

}  // namespace
}  // namespace jetsvc::testing
