// DaemonTest: the fixture of the end-to-end suite. Each test gets a
// scratch directory (data dir, config file, logs), a private dbus-daemon,
// optionally a fake logind on it, and starts real jetsvc processes
// (DaemonProcess) with NOTIFY_SOCKET pointing at a NotifyListener of their
// own and DBUS_SYSTEM_BUS_ADDRESS at the private bus. The test talks to
// the daemon through an sdbus-c++ proxy (fast, for loads and properties)
// and through jetctl and busctl (what users run).
//
// Records written by the helpers are Key(i) -> Value(i), so any test can
// check what it finds after a restart.
//
// When a test fails, TearDown prints every daemon's log. Daemons still
// running at the end are killed (SIGKILL).
//
// Thread contract: test-thread only, except NewProxy(), whose result a
// test may use on another thread.

#ifndef JETSVC_TESTS_DAEMON_DAEMON_FIXTURE_H_
#define JETSVC_TESTS_DAEMON_DAEMON_FIXTURE_H_

#include <signal.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>

#include "esent.h"
#include "platform/dbus/names.h"
#include "tests/testing/host/daemon_process.h"
#include "tests/testing/host/fake_logind_process.h"
#include "tests/testing/host/notify_listener.h"
#include "tests/testing/host/private_bus.h"
#include "tests/testing/test_util.h"

namespace jetsvc::testing {

namespace names = platform::dbus_names;
using namespace std::chrono_literals;

// How long a daemon may take to become ready (a Debug build replaying a
// log on a loaded machine) and to exit after SIGTERM.
constexpr auto kReadyTimeout = std::chrono::seconds(30);
constexpr auto kExitTimeout = std::chrono::seconds(30);

// A config under which a lazy load stays in the cache: the engine's
// flusher starts writing at half the checkpoint depth, so with the default
// (20 MiB) a load of 100,000 records may be flushed, timing-dependent,
// before the test looks at DirtyPages.
inline constexpr char kKeepDirtyConfig[] = "[engine]\ncheckpoint-depth-max = 1073741824\n";

inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class DaemonTest : public ::testing::Test {
 protected:
  using Item = sdbus::Struct<std::string, std::vector<uint8_t>>;

  // One jetsvc process and the notify socket it reports to.
  struct Daemon {
    NotifyListener notify;
    DaemonProcess process;
  };

  struct LaunchOptions {
    std::vector<std::string> args;  // after the fixture's own
    std::chrono::microseconds watchdog{0};
    std::string data_dir;  // default: data_dir()
  };

  void SetUp() override {
    std::string error;
    ASSERT_TRUE(bus_.Start(&error)) << error;
    config_path_ = dir_.Join("jetsvc.conf");
    WriteConfig("# written by the test\n");
  }

  void TearDown() override {
    proxy_.reset();
    connection_.reset();
    for (auto& daemon : daemons_) {
      if (daemon->process.Running()) (void)daemon->process.Kill();
    }
    if (HasFailure()) {
      for (size_t i = 0; i < daemons_.size(); ++i) {
        std::fprintf(stderr, "---- log of jetsvc run %zu (pid %d, %s) ----\n%s---- end ----\n", i,
                     static_cast<int>(daemons_[i]->process.pid()),
                     daemons_[i]->process.log_path().c_str(), daemons_[i]->process.Log().c_str());
      }
    }
  }

  // Starts the fake logind on the bus; daemons launched afterwards use it
  // (--logind.enable=yes).
  void StartLogind(std::chrono::microseconds delay_max = std::chrono::seconds(10)) {
    FakeLogindProcess::Options options;
    options.delay_max = delay_max;
    std::string error;
    ASSERT_TRUE(logind_.Start(bus_.address(), options, &error)) << error;
    use_logind_ = true;
  }

  void WriteConfig(const std::string& text) {
    // Written to a new file and renamed over, so a reload never reads half.
    const std::string temp = config_path_ + ".new";
    {
      std::ofstream out(temp, std::ios::trunc);
      out << text;
      ASSERT_TRUE(out.good()) << "cannot write " << temp;
    }
    ASSERT_EQ(0, std::rename(temp.c_str(), config_path_.c_str())) << config_path_;
  }

  std::string data_dir() const { return dir_.Join("data"); }
  std::string database_path() const { return data_dir() + "/jetsvc.edb"; }

  // Starts a jetsvc process; does not wait for it. Null (with a test
  // failure) if it cannot start.
  Daemon* Launch() { return Launch(LaunchOptions()); }
  Daemon* Launch(const LaunchOptions& launch) {
    auto daemon = std::make_unique<Daemon>();
    std::string error;
    if (!daemon->notify.Start(&error)) {
      ADD_FAILURE() << "notify socket: " << error;
      return nullptr;
    }
    DaemonProcess::Options options;
    options.args = {
        "--config", config_path_,
        "--service.data-dir=" + (launch.data_dir.empty() ? data_dir() : launch.data_dir),
        "--dbus.bus=system", std::string("--logind.enable=") + (use_logind_ ? "yes" : "no")};
    options.args.insert(options.args.end(), launch.args.begin(), launch.args.end());
    options.env = {"DBUS_SYSTEM_BUS_ADDRESS=" + bus_.address()};
    options.notify_socket = daemon->notify.socket_env();
    options.watchdog = launch.watchdog;
    options.log_path = dir_.Join("jetsvc-" + std::to_string(daemons_.size()) + ".log");
    if (!daemon->process.Start(options, &error)) {
      ADD_FAILURE() << "cannot start jetsvc: " << error;
      return nullptr;
    }
    daemons_.push_back(std::move(daemon));
    return daemons_.back().get();
  }

  // Launch, then wait for READY=1. Null (with a test failure naming what
  // happened) if it does not come.
  Daemon* StartDaemon() { return StartDaemon(LaunchOptions()); }
  Daemon* StartDaemon(const LaunchOptions& launch) {
    Daemon* daemon = Launch(launch);
    if (daemon == nullptr) return nullptr;
    if (!daemon->notify.WaitFor("READY=1", kReadyTimeout)) {
      ADD_FAILURE() << "no READY=1 within " << kReadyTimeout.count() << " s; the daemon "
                    << (daemon->process.Running() ? "still runs"
                                                  : daemon->process.Wait(0ms).ToString());
      return nullptr;
    }
    return daemon;
  }

  // Writes kKeepDirtyConfig, starts a daemon and loads Key(i) -> Value(i)
  // for i < records with lazy commits, then checks that the cache is
  // dirty (else a test of the flush proves nothing). Null (with a test
  // failure) if a step fails.
  Daemon* StartWithDirtyCache(int records) {
    WriteConfig(kKeepDirtyConfig);
    if (HasFatalFailure()) return nullptr;
    Daemon* daemon = StartDaemon();
    if (daemon == nullptr) return nullptr;
    PutRecords(0, records, /*durable=*/false);
    if (HasFatalFailure()) return nullptr;
    if (DirtyPages() == 0) {
      ADD_FAILURE() << "loading " << records << " records left no dirty page";
      return nullptr;
    }
    return daemon;
  }

  // SIGTERM, then the exit status (SIGKILL after kExitTimeout).
  ExitStatus Stop(Daemon* daemon) {
    EXPECT_TRUE(daemon->process.Signal(SIGTERM)) << "the daemon is not running";
    return daemon->process.Wait(kExitTimeout);
  }

  // The proxy of the test thread (a connection of its own, no event loop:
  // calls are synchronous). It addresses the well-known name, so it
  // reaches whichever daemon owns it now.
  sdbus::IProxy& proxy() {
    if (proxy_ == nullptr) {
      connection_ = sdbus::createSessionBusConnectionWithAddress(bus_.address());
      proxy_ = sdbus::createProxy(*connection_, names::kBusName, names::kObjectPath);
    }
    return *proxy_;
  }

  // A proxy on a new connection, for another thread.
  struct OwnProxy {
    std::unique_ptr<sdbus::IConnection> connection;
    std::unique_ptr<sdbus::IProxy> proxy;
  };
  OwnProxy NewProxy() const {
    OwnProxy own;
    own.connection = sdbus::createSessionBusConnectionWithAddress(bus_.address());
    own.proxy = sdbus::createProxy(*own.connection, names::kBusName, names::kObjectPath);
    return own;
  }

  template <typename T>
  T ManagerProperty(const std::string& name) {
    return proxy().getProperty(name).onInterface(names::kManagerInterface).get<T>();
  }
  std::string State() { return ManagerProperty<std::string>("State"); }
  uint64_t DirtyPages() { return ManagerProperty<uint64_t>("DirtyPages"); }

  // Polls State until it is `state`; false (the last state seen in *last)
  // at the timeout.
  bool WaitForState(const std::string& state, std::chrono::milliseconds timeout,
                    std::string* last = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string seen;
    for (;;) {
      seen = State();
      if (seen == state || std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(10ms);
    }
    if (last != nullptr) *last = seen;
    return seen == state;
  }

  static std::string Key(int i) {
    char key[32];
    std::snprintf(key, sizeof(key), "key%08d", i);
    return key;
  }
  // About 100 bytes that differ from record to record.
  static std::vector<uint8_t> Value(int i) {
    const std::string head = "value " + std::to_string(i) + ":";
    std::vector<uint8_t> value(head.begin(), head.end());
    for (int j = 0; j < 88; ++j) value.push_back(static_cast<uint8_t>((i * 31 + j * 7) & 0xff));
    return value;
  }

  // Writes Key(i) -> Value(i) for i in [first, first + count) with
  // PutBatch, `batch` records per call.
  void PutRecords(int first, int count, bool durable, int batch = 5000) {
    for (int start = first; start < first + count; start += batch) {
      std::vector<Item> items;
      const int end = std::min(first + count, start + batch);
      for (int i = start; i < end; ++i) items.emplace_back(Key(i), Value(i));
      uint32_t written = 0;
      proxy()
          .callMethod("PutBatch")
          .onInterface(names::kStoreInterface)
          .withTimeout(60s)
          .withArguments(items, durable)
          .storeResultsTo(written);
      ASSERT_EQ(static_cast<uint32_t>(items.size()), written);
    }
  }

  // Put and Get of one record through the proxy.
  void Put(const std::string& key, const std::vector<uint8_t>& value) {
    proxy().callMethod("Put").onInterface(names::kStoreInterface).withArguments(key, value);
  }
  std::vector<uint8_t> Get(const std::string& key) {
    std::vector<uint8_t> value;
    proxy()
        .callMethod("Get")
        .onInterface(names::kStoreInterface)
        .withArguments(key)
        .storeResultsTo(value);
    return value;
  }

  // Every record, scanned in pages of 1000 (each page starts at the last
  // key of the one before, which it skips).
  std::vector<std::pair<std::string, std::vector<uint8_t>>> ScanAll() {
    std::vector<std::pair<std::string, std::vector<uint8_t>>> all;
    std::string start;
    for (;;) {
      std::vector<Item> items;
      proxy()
          .callMethod("Scan")
          .onInterface(names::kStoreInterface)
          .withArguments(start, uint32_t{1000})
          .storeResultsTo(items);
      bool progressed = false;
      for (const Item& item : items) {
        if (!all.empty() && std::get<0>(item) <= all.back().first) continue;
        all.emplace_back(std::get<0>(item), std::get<1>(item));
        progressed = true;
      }
      if (!progressed) return all;
      start = all.back().first;
    }
  }

  // Checks that the store holds exactly Key(i) -> Value(i) for i in
  // [0, count) (every value compared).
  void ExpectRecords(int count) {
    const auto all = ScanAll();
    ASSERT_EQ(static_cast<size_t>(count), all.size());
    for (int i = 0; i < count; ++i) {
      ASSERT_EQ(Key(i), all[static_cast<size_t>(i)].first);
      ASSERT_EQ(Value(i), all[static_cast<size_t>(i)].second) << Key(i);
    }
  }

  // The database header's state (JET_dbstate*) read from the file while no
  // daemon has it open; -1 (and a failure) if it cannot be read.
  long DatabaseState() {
    JET_DBINFOMISC misc{};
    const JET_ERR err =
        JetGetDatabaseFileInfo(database_path().c_str(), &misc, sizeof(misc), JET_DbInfoMisc);
    if (err < 0) {
      ADD_FAILURE() << "JetGetDatabaseFileInfo(" << database_path() << ") failed: " << err;
      return -1;
    }
    return static_cast<long>(misc.dbstate);
  }

  ScratchDir dir_;
  PrivateBus bus_;
  FakeLogindProcess logind_;
  bool use_logind_ = false;
  std::string config_path_;
  std::vector<std::unique_ptr<Daemon>> daemons_;
  std::unique_ptr<sdbus::IConnection> connection_;
  std::unique_ptr<sdbus::IProxy> proxy_;
};

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_DAEMON_DAEMON_FIXTURE_H_
