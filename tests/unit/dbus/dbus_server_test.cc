// DbusServer with the Manager and Store adaptors, driven through a client
// proxy on a private dbus-daemon, over a FakeController.

#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>

#include "platform/controller.h"
#include "platform/dbus/dbus_server.h"
#include "tests/testing/test_util.h"
#include "tests/unit/dbus/dbus_test_util.h"

// sdbus-c++ 1.2 leaks the sd_bus of an address it cannot connect to
// (SdBus::sd_bus_open_user_with_address returns without freeing it); the
// tests of that failure must not fail a sanitizer build's leak check.
extern "C" const char* __lsan_default_suppressions() { return "leak:sd_bus_new\n"; }

namespace jetsvc::testing {
namespace {

using platform::ErrorKind;
using platform::ManagerSnapshot;
using platform::PrepareOutcome;
using platform::StoreLimits;
using Bytes = std::vector<uint8_t>;
using Item = sdbus::Struct<std::string, Bytes>;

constexpr auto kWait = std::chrono::seconds(10);

class DbusServerTest : public ServerFixture {
 protected:
  void Put(const std::string& key, const Bytes& value) {
    proxy_->callMethod("Put").onInterface(names::kStoreInterface).withArguments(key, value);
  }
  Bytes Get(const std::string& key) {
    Bytes value;
    proxy_->callMethod("Get")
        .onInterface(names::kStoreInterface)
        .withArguments(key)
        .storeResultsTo(value);
    return value;
  }
  bool Delete(const std::string& key) {
    bool existed = false;
    proxy_->callMethod("Delete")
        .onInterface(names::kStoreInterface)
        .withArguments(key)
        .storeResultsTo(existed);
    return existed;
  }
  std::vector<Item> Scan(const std::string& start, uint32_t limit) {
    std::vector<Item> items;
    proxy_->callMethod("Scan")
        .onInterface(names::kStoreInterface)
        .withArguments(start, limit)
        .storeResultsTo(items);
    return items;
  }
  uint32_t PutBatch(const std::vector<Item>& items, bool durable) {
    uint32_t count = 0;
    proxy_->callMethod("PutBatch")
        .onInterface(names::kStoreInterface)
        .withArguments(items, durable)
        .storeResultsTo(count);
    return count;
  }
};

TEST_F(DbusServerTest, ManagerPropertiesComeFromTheSnapshot) {
  ManagerSnapshot snapshot;
  snapshot.state = "prepared";
  snapshot.checkpoint_depth_bytes = 1ull << 40;
  snapshot.dirty_pages = 17;
  snapshot.version_store_bytes = 4096;
  snapshot.defrag_running = true;
  snapshot.last_prepare_usec = 250000;
  snapshot.last_term_usec = 31337;
  controller_.SetSnapshot(snapshot);

  EXPECT_EQ("prepared", GetManagerProperty<std::string>("State"));
  EXPECT_EQ(1ull << 40, GetManagerProperty<uint64_t>("CheckpointDepthBytes"));
  EXPECT_EQ(17u, GetManagerProperty<uint64_t>("DirtyPages"));
  EXPECT_EQ(4096u, GetManagerProperty<uint64_t>("VersionStoreBytes"));
  EXPECT_TRUE(GetManagerProperty<bool>("DefragRunning"));
  EXPECT_EQ(250000u, GetManagerProperty<uint64_t>("LastPrepareDurationUsec"));
  EXPECT_EQ(31337u, GetManagerProperty<uint64_t>("LastTermDurationUsec"));

  std::map<std::string, sdbus::Variant> all;
  proxy_->callMethod("GetAll")
      .onInterface(names::kPropertiesInterface)
      .withArguments(std::string(names::kManagerInterface))
      .storeResultsTo(all);
  EXPECT_EQ(7u, all.size());
  EXPECT_EQ(17u, all.at("DirtyPages").get<uint64_t>());
}

TEST_F(DbusServerTest, PropertiesAreReadOnly) {
  EXPECT_TRUE(ThrowsDbusError(
      [&] {
        proxy_->setProperty("State")
            .onInterface(names::kManagerInterface)
            .toValue(std::string("x"));
      },
      "org.freedesktop.DBus.Error.PropertyReadOnly", "State"));
}

TEST_F(DbusServerTest, ResumeCallsTheControllerAndReportsItsRefusal) {
  proxy_->callMethod("Resume").onInterface(names::kManagerInterface);
  EXPECT_EQ(1, controller_.resume_calls());

  controller_.SetRefusal(ErrorKind::kInvalidArgument, "cannot resume after PrepareStop");
  EXPECT_TRUE(
      ThrowsDbusError([&] { proxy_->callMethod("Resume").onInterface(names::kManagerInterface); },
                      JetsvcError("InvalidArgument"), "cannot resume after PrepareStop"));
}

TEST_F(DbusServerTest, DefragmentStartsAndStops) {
  controller_.SetDefragWork(3, 12);
  bool was_running = true;
  proxy_->callMethod("StartDefragment")
      .onInterface(names::kManagerInterface)
      .storeResultsTo(was_running);
  EXPECT_FALSE(was_running);
  EXPECT_TRUE(GetManagerProperty<bool>("DefragRunning"));
  proxy_->callMethod("StartDefragment")
      .onInterface(names::kManagerInterface)
      .storeResultsTo(was_running);
  EXPECT_TRUE(was_running);

  uint32_t passes = 0;
  uint32_t seconds = 0;
  proxy_->callMethod("StopDefragment")
      .onInterface(names::kManagerInterface)
      .storeResultsTo(was_running, passes, seconds);
  EXPECT_TRUE(was_running);
  EXPECT_EQ(3u, passes);
  EXPECT_EQ(12u, seconds);
  proxy_->callMethod("StopDefragment")
      .onInterface(names::kManagerInterface)
      .storeResultsTo(was_running, passes, seconds);
  EXPECT_FALSE(was_running);
  EXPECT_EQ(0u, passes);
}

TEST_F(DbusServerTest, StoreRoundTripsBinaryValues) {
  const Bytes binary = {0, 1, 0xff, '\n', 0x80, 0};
  Put("alpha", binary);
  Put("empty", {});
  Put("\xc3\xa9t\xc3\xa9", {'u', 't', 'f'});  // "été"
  EXPECT_EQ(binary, Get("alpha"));
  EXPECT_EQ(Bytes{}, Get("empty"));
  EXPECT_EQ((Bytes{'u', 't', 'f'}), Get("\xc3\xa9t\xc3\xa9"));

  Put("alpha", {'2'});
  EXPECT_EQ(Bytes{'2'}, Get("alpha"));

  EXPECT_TRUE(Delete("alpha"));
  EXPECT_FALSE(Delete("alpha"));
  EXPECT_TRUE(ThrowsDbusError([&] { Get("alpha"); }, JetsvcError("NotFound"), "alpha"));
}

TEST_F(DbusServerTest, ScanReturnsPairsInByteOrderFromStart) {
  for (const char* key : {"b", "a", "c", "\xc3\xa9", "d"}) Put(key, {static_cast<uint8_t>(key[0])});
  std::vector<Item> items = Scan("", 10);
  ASSERT_EQ(5u, items.size());
  EXPECT_EQ("a", std::get<0>(items[0]));
  EXPECT_EQ("\xc3\xa9", std::get<0>(items[4]));  // 0xc3 sorts after ASCII
  EXPECT_EQ(Bytes{'a'}, std::get<1>(items[0]));

  items = Scan("b", 2);
  ASSERT_EQ(2u, items.size());
  EXPECT_EQ("b", std::get<0>(items[0]));
  EXPECT_EQ("c", std::get<0>(items[1]));
  EXPECT_TRUE(Scan("\xc3\xa9z", 10).empty());
}

TEST_F(DbusServerTest, ScanReplyStopsBeforeItGetsTooLargeButAlwaysMovesOn) {
  StoreLimits limits;
  limits.max_value_bytes = 8u << 20;
  controller_.SetLimits(limits);
  const Bytes big(5u << 20, 'x');  // two of these pass kMaxScanReplyBytes (8 MiB)
  Put("k1", big);
  Put("k2", big);
  Put("k3", {'s'});
  std::vector<Item> items = Scan("", 10);
  ASSERT_EQ(1u, items.size());
  EXPECT_EQ("k1", std::get<0>(items[0]));
  // Paging from the last key: k1 again, and k2 although the two pass the
  // cap, so that the client moves on.
  items = Scan("k1", 10);
  ASSERT_EQ(2u, items.size());
  EXPECT_EQ("k2", std::get<0>(items[1]));
  EXPECT_EQ(big, std::get<1>(items[1]));
}

TEST_F(DbusServerTest, PutBatchWritesEveryPairAndPassesDurability) {
  std::vector<Item> batch = {Item{"x", Bytes{1}}, Item{"y", Bytes{2}}, Item{"x", Bytes{3}}};
  EXPECT_EQ(3u, PutBatch(batch, false));
  EXPECT_EQ(std::optional<bool>(false), controller_.last_batch_durable());
  EXPECT_EQ(Bytes{3}, Get("x"));  // the last value of a key wins
  EXPECT_EQ(Bytes{2}, Get("y"));
  EXPECT_EQ(0u, PutBatch({}, true));
  EXPECT_EQ(std::optional<bool>(true), controller_.last_batch_durable());
}

TEST_F(DbusServerTest, ArgumentsOverTheLimitsAreRefusedBeforeTheController) {
  StoreLimits limits;
  limits.max_key_bytes = 8;
  limits.max_value_bytes = 16;
  limits.max_scan_items = 5;
  limits.max_batch_items = 3;
  controller_.SetLimits(limits);
  const std::string too_long_key(9, 'k');
  const Bytes too_large_value(17, 'v');

  EXPECT_TRUE(ThrowsDbusError([&] { Put(too_long_key, {}); }, JetsvcError("TooLarge"),
                              "key is 9 bytes; the limit is 8"));
  EXPECT_TRUE(
      ThrowsDbusError([&] { Put("", {}); }, JetsvcError("InvalidArgument"), "key is empty"));
  EXPECT_TRUE(ThrowsDbusError([&] { Put("k", too_large_value); }, JetsvcError("TooLarge"),
                              "value is 17 bytes; the limit is 16"));
  EXPECT_TRUE(ThrowsDbusError([&] { Get(""); }, JetsvcError("InvalidArgument"), "key is empty"));
  EXPECT_TRUE(ThrowsDbusError([&] { Get(too_long_key); }, JetsvcError("TooLarge"), "9 bytes"));
  EXPECT_TRUE(ThrowsDbusError([&] { Delete(""); }, JetsvcError("InvalidArgument"), "key is empty"));
  EXPECT_TRUE(ThrowsDbusError([&] { Scan("", 6); }, JetsvcError("TooLarge"),
                              "scan limit 6 is over the maximum of 5"));
  EXPECT_TRUE(
      ThrowsDbusError([&] { Scan("", 0); }, JetsvcError("InvalidArgument"), "scan limit is 0"));
  EXPECT_TRUE(
      ThrowsDbusError([&] { Scan(too_long_key, 1); }, JetsvcError("TooLarge"), "start key"));
  std::vector<Item> four(4, Item{"k", Bytes{}});
  EXPECT_TRUE(ThrowsDbusError([&] { PutBatch(four, true); }, JetsvcError("TooLarge"),
                              "batch has 4 items; the limit is 3"));
  EXPECT_TRUE(ThrowsDbusError(
      [&] {
        PutBatch({Item{"a", Bytes{}}, Item{"", Bytes{}}}, true);
      },
      JetsvcError("InvalidArgument"), "item 1 key is empty"));
  EXPECT_TRUE(ThrowsDbusError(
      [&] {
        PutBatch({Item{"a", too_large_value}}, true);
      },
      JetsvcError("TooLarge"), "item 0 value is 17 bytes"));
  EXPECT_TRUE(controller_.Contents().empty());

  // At the limits everything goes through.
  Put(std::string(8, 'k'), Bytes(16, 'v'));
  EXPECT_EQ(1u, Scan("", 5).size());
  EXPECT_EQ(3u, PutBatch(std::vector<Item>(3, Item{"b", Bytes{}}), true));
}

TEST_F(DbusServerTest, EveryControllerErrorArrivesAsItsNamedError) {
  for (ErrorKind kind : {ErrorKind::kInvalidArgument, ErrorKind::kNotFound, ErrorKind::kTooLarge,
                         ErrorKind::kStopping, ErrorKind::kWriteConflict, ErrorKind::kNotReady,
                         ErrorKind::kDiskFull, ErrorKind::kFailed, ErrorKind::kEngine}) {
    const std::string message = std::string("refused as ") + platform::ErrorKindName(kind);
    controller_.SetRefusal(kind, message);
    const std::string name = JetsvcError(platform::ErrorKindName(kind));
    EXPECT_TRUE(ThrowsDbusError([&] { Put("k", {}); }, name, message));
    EXPECT_TRUE(ThrowsDbusError([&] { Scan("", 1); }, name, message));
    EXPECT_TRUE(ThrowsDbusError(
        [&] { proxy_->callMethod("StartDefragment").onInterface(names::kManagerInterface); }, name,
        message));
  }
  controller_.ClearRefusal();
  Put("k", {});
}

TEST_F(DbusServerTest, ErrorKindNamesAreDistinctDbusNameElements) {
  std::set<std::string> seen;
  for (int i = static_cast<int>(ErrorKind::kNone); i <= static_cast<int>(ErrorKind::kEngine); ++i) {
    const std::string name = platform::ErrorKindName(static_cast<ErrorKind>(i));
    EXPECT_TRUE(seen.insert(name).second) << name;
    ASSERT_FALSE(name.empty());
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(name[0]))) << name;
    for (char c : name) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << name;
  }
}

TEST_F(DbusServerTest, ControllerExceptionsBecomeEngineErrors) {
  controller_.ThrowOnNextCall("disk on fire");
  EXPECT_TRUE(ThrowsDbusError([&] { Put("k", {}); }, JetsvcError("Engine"), "disk on fire"));
  controller_.ThrowOnNextSnapshot("snapshot exploded");
  EXPECT_TRUE(ThrowsDbusError([&] { GetManagerProperty<std::string>("State"); },
                              JetsvcError("Engine"), "snapshot exploded"));
  controller_.ThrowOnNextCall("prepare exploded");
  EXPECT_TRUE(ThrowsDbusError(
      [&] {
        proxy_->callMethod("PrepareStop")
            .onInterface(names::kManagerInterface)
            .withArguments(uint32_t{5});
      },
      JetsvcError("Engine"), "prepare exploded"));
  // The server lives on.
  Put("k", {7});
  EXPECT_EQ(Bytes{7}, Get("k"));
}

TEST_F(DbusServerTest, PrepareStopIsAnsweredLaterAndDoesNotBlockTheBus) {
  auto caller = std::async(std::launch::async, [own = NewProxy()] {
    bool quiesced = false;
    uint64_t elapsed = 0;
    own.proxy->callMethod("PrepareStop")
        .onInterface(names::kManagerInterface)
        .withTimeout(std::chrono::seconds(30))
        .withArguments(uint32_t{90000})
        .storeResultsTo(quiesced, elapsed);
    return std::make_pair(quiesced, elapsed);
  });
  ASSERT_TRUE(controller_.WaitForPendingPrepares(1, kWait));
  EXPECT_EQ(90000u, controller_.last_prepare_timeout_ms());

  // While the prepare runs, the bus answers properties and Store calls.
  controller_.SetState("preparing");
  EXPECT_EQ("preparing", GetManagerProperty<std::string>("State"));
  Put("during", {1});
  EXPECT_EQ(Bytes{1}, Get("during"));
  EXPECT_EQ(std::future_status::timeout, caller.wait_for(std::chrono::milliseconds(0)));

  PrepareOutcome outcome;
  outcome.quiesced = true;
  outcome.elapsed_usec = 4242;
  EXPECT_EQ(1u, controller_.CompletePrepares(outcome));
  ASSERT_EQ(std::future_status::ready, caller.wait_for(kWait));
  const auto reply = caller.get();
  EXPECT_TRUE(reply.first);
  EXPECT_EQ(4242u, reply.second);
}

TEST_F(DbusServerTest, PrepareStopReportsTimeoutAndErrors) {
  PrepareOutcome timed_out;
  timed_out.quiesced = false;
  timed_out.elapsed_usec = 1000;
  controller_.CompletePreparesImmediately(timed_out);  // `done` on the bus thread
  bool quiesced = true;
  uint64_t elapsed = 0;
  proxy_->callMethod("PrepareStop")
      .onInterface(names::kManagerInterface)
      .withArguments(uint32_t{1})
      .storeResultsTo(quiesced, elapsed);
  EXPECT_FALSE(quiesced);
  EXPECT_EQ(1000u, elapsed);

  controller_.SetRefusal(ErrorKind::kNotReady, "the service is still starting");
  EXPECT_TRUE(ThrowsDbusError(
      [&] {
        proxy_->callMethod("PrepareStop")
            .onInterface(names::kManagerInterface)
            .withArguments(uint32_t{1});
      },
      JetsvcError("NotReady"), "the service is still starting"));
}

TEST_F(DbusServerTest, ConcurrentPrepareStopsAreAllAnswered) {
  std::vector<std::future<bool>> callers;
  for (int i = 0; i < 3; ++i) {
    callers.push_back(std::async(std::launch::async, [own = NewProxy()] {
      bool quiesced = false;
      uint64_t elapsed = 0;
      own.proxy->callMethod("PrepareStop")
          .onInterface(names::kManagerInterface)
          .withTimeout(std::chrono::seconds(30))
          .withArguments(uint32_t{1000})
          .storeResultsTo(quiesced, elapsed);
      return quiesced;
    }));
  }
  ASSERT_TRUE(controller_.WaitForPendingPrepares(3, kWait));
  PrepareOutcome outcome;
  outcome.quiesced = true;
  EXPECT_EQ(3u, controller_.CompletePrepares(outcome));
  for (auto& caller : callers) {
    ASSERT_EQ(std::future_status::ready, caller.wait_for(kWait));
    EXPECT_TRUE(caller.get());
  }
}

TEST_F(DbusServerTest, StoppingTheServerAnswersAPendingPrepareStop) {
  auto caller = std::async(std::launch::async, [own = NewProxy()] {
    return ThrowsDbusError(
        [&] {
          own.proxy->callMethod("PrepareStop")
              .onInterface(names::kManagerInterface)
              .withTimeout(std::chrono::seconds(30))
              .withArguments(uint32_t{90000});
        },
        JetsvcError("NotReady"), "shutting down");
  });
  ASSERT_TRUE(controller_.WaitForPendingPrepares(1, kWait));
  server_.reset();
  ASSERT_EQ(std::future_status::ready, caller.wait_for(kWait));
  EXPECT_TRUE(caller.get());
  // A `done` or an observer call after the server is gone does nothing.
  PrepareOutcome outcome;
  outcome.quiesced = true;
  EXPECT_EQ(1u, controller_.CompletePrepares(outcome));
  EXPECT_TRUE(controller_.Notify({"State"}));
}

TEST_F(DbusServerTest, ObserverCallsBecomePropertiesChangedAndStateChanged) {
  // A client with an event loop, to receive signals.
  auto listener_connection = sdbus::createSessionBusConnectionWithAddress(bus_.address());
  auto listener = sdbus::createProxy(*listener_connection, names::kBusName, names::kObjectPath);
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> states;
  std::vector<std::map<std::string, sdbus::Variant>> property_changes;
  listener->uponSignal("StateChanged")
      .onInterface(names::kManagerInterface)
      .call([&](const std::string& state) {
        std::lock_guard<std::mutex> lock(mutex);
        states.push_back(state);
        changed.notify_all();
      });
  listener->uponSignal("PropertiesChanged")
      .onInterface(names::kPropertiesInterface)
      .call([&](const std::string& interface, const std::map<std::string, sdbus::Variant>& values,
                const std::vector<std::string>& /*invalidated*/) {
        if (interface != names::kManagerInterface) return;
        std::lock_guard<std::mutex> lock(mutex);
        property_changes.push_back(values);
        changed.notify_all();
      });
  listener->finishRegistration();
  listener_connection->enterEventLoopAsync();
  ASSERT_TRUE(controller_.has_observer());

  // The observer is called from this thread, not the bus loop's.
  controller_.SetState("preparing");
  {
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, kWait,
                                 [&] { return !states.empty() && !property_changes.empty(); }));
    EXPECT_EQ(std::vector<std::string>{"preparing"}, states);
    EXPECT_EQ("preparing", property_changes[0].at("State").get<std::string>());
  }

  // Other properties: PropertiesChanged with the new values, no StateChanged;
  // unknown names are dropped.
  ManagerSnapshot snapshot = controller_.Snapshot();
  snapshot.dirty_pages = 99;
  snapshot.checkpoint_depth_bytes = 12345;
  controller_.SetSnapshot(snapshot);
  controller_.Notify({"DirtyPages", "NoSuchProperty", "CheckpointDepthBytes"});
  controller_.Notify({"NoSuchProperty"});
  controller_.SetState("prepared");
  std::unique_lock<std::mutex> lock(mutex);
  ASSERT_TRUE(changed.wait_for(lock, kWait,
                               [&] { return states.size() == 2 && property_changes.size() == 3; }));
  EXPECT_EQ(2u, property_changes[1].size());
  EXPECT_EQ(99u, property_changes[1].at("DirtyPages").get<uint64_t>());
  EXPECT_EQ(12345u, property_changes[1].at("CheckpointDepthBytes").get<uint64_t>());
  EXPECT_EQ("prepared", states[1]);
  EXPECT_EQ("prepared", property_changes[2].at("State").get<std::string>());
  lock.unlock();
  listener_connection->leaveEventLoop();
}

TEST_F(DbusServerTest, UniqueNameIsTheOwnerOfTheBusName) {
  std::string owner;
  auto bus = sdbus::createProxy(*client_, "org.freedesktop.DBus", "/org/freedesktop/DBus");
  bus->callMethod("GetNameOwner")
      .onInterface("org.freedesktop.DBus")
      .withArguments(std::string(names::kBusName))
      .storeResultsTo(owner);
  EXPECT_EQ(owner, server_->UniqueName());
  EXPECT_EQ("the bus at " + bus_.address(), server_->BusDescription());
}

TEST_F(DbusServerTest, ASecondServerOnTheSameBusFailsAndSaysWhoOwnsTheName) {
  FakeController other;
  std::string error;
  EXPECT_EQ(nullptr, platform::DbusServer::Start(Options(), &other, &error));
  EXPECT_NE(
      std::string::npos,
      error.find("name org.jetsvc.Jetsvc1 is already owned on the bus at " + bus_.address() +
                 " by " + server_->UniqueName() + " (pid " + std::to_string(::getpid()) + ")"))
      << error;
  EXPECT_NE(std::string::npos, error.find("is another jetsvc running?")) << error;
  // The first server is unharmed.
  Put("k", {1});
}

TEST_F(DbusServerTest, StoppedServerReleasesTheNameForTheNextOne) {
  server_.reset();
  FakeController next;
  std::string error;
  auto again = platform::DbusServer::Start(Options(), &next, &error);
  ASSERT_NE(nullptr, again) << error;
  Put("k", {1});
  EXPECT_EQ(1u, next.Contents().size());
  EXPECT_TRUE(controller_.Contents().empty());
}

// Sets an environment variable for the scope of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    const char* old = std::getenv(name);
    if (old != nullptr) old_ = old;
    had_ = old != nullptr;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (had_) {
      ::setenv(name_, old_.c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

TEST(DbusServerStartTest, SystemBusHonoursDbusSystemBusAddress) {
  PrivateBus bus;
  std::string error;
  ASSERT_TRUE(bus.Start(&error)) << error;
  ScopedEnv env("DBUS_SYSTEM_BUS_ADDRESS", bus.address());
  FakeController controller;
  auto server = platform::DbusServer::Start(platform::BusOptions{}, &controller, &error);
  ASSERT_NE(nullptr, server) << error;
  EXPECT_EQ("the system bus (" + bus.address() + ")", server->BusDescription());
  EXPECT_EQ(':', server->UniqueName()[0]);
}

TEST(DbusServerStartTest, UnreachableBusFailsNamingTheBusAndTheFix) {
  FakeController controller;
  std::string error;
  {
    ScopedEnv env("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/system_bus_socket");
    EXPECT_EQ(nullptr, platform::DbusServer::Start(platform::BusOptions{}, &controller, &error));
  }
  EXPECT_EQ(
      "cannot connect to the system bus (unix:path=/nonexistent/system_bus_socket): No such file "
      "or "
      "directory; set [dbus] bus=session, or bus=address and address=...",
      error);

  platform::BusOptions at_address;
  at_address.bus = "address";
  at_address.address = "unix:path=/nonexistent/bus";
  EXPECT_EQ(nullptr, platform::DbusServer::Start(at_address, &controller, &error));
  EXPECT_NE(
      std::string::npos,
      error.find(
          "cannot connect to the bus at unix:path=/nonexistent/bus: No such file or directory"))
      << error;
}

TEST(DbusServerStartTest, BadOptionsAreRejected) {
  FakeController controller;
  std::string error;
  platform::BusOptions options;
  options.bus = "sytem";
  EXPECT_EQ(nullptr, platform::DbusServer::Start(options, &controller, &error));
  EXPECT_EQ("bad [dbus] options: unknown bus \"sytem\" (allowed: system, session, address)", error);
  options.bus = "address";
  EXPECT_EQ(nullptr, platform::DbusServer::Start(options, &controller, &error));
  EXPECT_NE(std::string::npos, error.find("bus=address needs an address")) << error;
  options.bus = "session";
  options.address = "unix:path=/tmp/x";
  EXPECT_EQ(nullptr, platform::DbusServer::Start(options, &controller, &error));
  EXPECT_NE(std::string::npos, error.find("use bus=address")) << error;
}

TEST(DbusServerStartTest, MissingSessionBusSaysWhichVariablesAreUnset) {
  ScopedEnv session("DBUS_SESSION_BUS_ADDRESS", "");
  ScopedEnv runtime("XDG_RUNTIME_DIR", "");
  ::unsetenv("DBUS_SESSION_BUS_ADDRESS");
  ::unsetenv("XDG_RUNTIME_DIR");
  FakeController controller;
  std::string error;
  platform::BusOptions options;
  options.bus = "session";
  EXPECT_EQ(nullptr, platform::DbusServer::Start(options, &controller, &error));
  EXPECT_NE(std::string::npos, error.find("cannot connect to the session bus (no address): neither "
                                          "DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set"))
      << error;
}

TEST(DbusServerStartTest, PolicyThatForbidsTheNameGivesAClearError) {
  // A bus of our own whose policy lets nobody own our name.
  char dir_template[] = "/tmp/dbus_test_policy_XXXXXX";
  ASSERT_NE(nullptr, ::mkdtemp(dir_template));
  const std::string dir = dir_template;
  const std::string config = dir + "/bus.conf";
  {
    std::ofstream out(config);
    out << "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
           " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
           "<busconfig><type>session</type><listen>unix:dir="
        << dir
        << "</listen><auth>EXTERNAL</auth>\n"
           "<policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>"
           "<allow eavesdrop=\"true\"/><allow own=\"*\"/>"
           "<deny own=\"org.jetsvc.Jetsvc1\"/></policy></busconfig>\n";
  }
  ProcessResult started = RunProcess(
      {"dbus-daemon", "--config-file=" + config, "--fork", "--print-address=1", "--print-pid=1"});
  ASSERT_EQ(0, started.exit_code) << started.err;
  std::istringstream lines(started.out);
  std::string address;
  pid_t pid = 0;
  lines >> address >> pid;
  ASSERT_GT(pid, 0) << started.out;
  // The daemon forked away from us: end it and its directory whatever
  // happens below.
  struct Cleanup {
    pid_t pid;
    std::string dir;
    ~Cleanup() {
      (void)::kill(pid, SIGTERM);
      // Not our child: poll until it is gone (it removes its socket).
      for (int i = 0; i < 200 && ::kill(pid, 0) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      RemoveTree(dir);
    }
  } cleanup{pid, dir};

  FakeController controller;
  std::string error;
  platform::BusOptions options;
  options.bus = "address";
  options.address = address;
  EXPECT_EQ(nullptr, platform::DbusServer::Start(options, &controller, &error));
  EXPECT_NE(std::string::npos,
            error.find("not allowed to own org.jetsvc.Jetsvc1 on the bus at " + address))
      << error;
  EXPECT_NE(std::string::npos, error.find("check the D-Bus policy")) << error;
}

}  // namespace
}  // namespace jetsvc::testing
