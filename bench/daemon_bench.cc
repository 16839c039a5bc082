// daemon_bench: the two-phase stop end to end through the jetsvc daemon
// (issue 5's benchmark). Real processes: a private dbus-daemon, the fake
// logind (tests/tools/fake_logind), the built jetsvc, and this program as
// the client, loading the daemon's Store over D-Bus with lazy commits until
// the cache holds about --dirty_mb of dirty pages. Then it measures:
//   prepare   logind PrepareForShutdown(true) -> the delay locks released
//             (timed by the fake logind, as logind would see it);
//   term      SIGTERM -> exit, after that prepare and without one;
//   ready     exec -> READY=1 after a clean stop and after a SIGKILL.
// Targets (issue 5): SIGTERM-to-exit after a prepare < 100 ms; READY after
// a clean stop < 200 ms. The disk's own sequential write rate is measured
// in the same run (the ceiling for the prepare's flush).
//
// Usage: daemon_bench [--dirty_mb=1024] [--dir=/var/tmp/jetsvc-daemon-bench]

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "tests/testing/host/daemon_process.h"
#include "tests/testing/host/fake_logind_process.h"
#include "tests/testing/host/notify_listener.h"
#include "tests/testing/host/private_bus.h"

namespace {

using Clock = std::chrono::steady_clock;
using jetsvc::testing::DaemonProcess;
using jetsvc::testing::ExitStatus;
using jetsvc::testing::FakeLogindProcess;
using jetsvc::testing::NotifyListener;
using jetsvc::testing::PrivateBus;

constexpr char kService[] = "org.jetsvc.Jetsvc1";
constexpr char kObject[] = "/org/jetsvc/Jetsvc1";
constexpr char kManager[] = "org.jetsvc.Jetsvc1.Manager";
constexpr char kStore[] = "org.jetsvc.Jetsvc1.Store";
constexpr uint32_t kPageSize = 8192;
constexpr size_t kValueBytes = 4000;
constexpr size_t kBatch = 1000;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "daemon_bench: %s\n", what.c_str());
  std::exit(1);
}

struct Options {
  uint64_t dirty_mb = 1024;
  std::string dir = "/var/tmp/jetsvc-daemon-bench";
};

class Bench {
 public:
  explicit Bench(Options options) : options_(std::move(options)) {}

  void Run() {
    std::error_code ec;
    std::filesystem::remove_all(options_.dir, ec);
    std::filesystem::create_directories(options_.dir);
    std::string error;
    if (!bus_.Start(&error)) Die(error);
    FakeLogindProcess::Options logind;
    logind.delay_max = std::chrono::seconds(60);  // logind's is 5 s; time the flush, not the cap
    if (!fake_logind_.Start(bus_.address(), logind, &error)) Die(error);
    std::printf("jetsvc daemon stop benchmark: %llu MiB dirty cache, data in %s\n",
                static_cast<unsigned long long>(options_.dirty_mb), options_.dir.c_str());
    const double disk = DiskMiBps();
    std::printf("disk sequential write (O_DIRECT off, fdatasync): %.0f MiB/s\n\n", disk);

    // 1. Prepare (logind), then SIGTERM.
    Start("first start");
    const uint64_t pages = Load();
    const auto released = PowerOff();
    const double prepare_ms = static_cast<double>(released.count()) / 1000.0;
    const double term_after_prepare = Term("after prepare");
    // 2. READY after a clean stop.
    const double ready_clean = Start("after a clean stop");
    // 3. SIGTERM with no prepare.
    const uint64_t pages2 = Load();
    const double term_alone = Term("without prepare");
    (void)Start("after a clean stop (2)");
    // 4. READY after a SIGKILL with a dirty cache.
    (void)Load();
    daemon_->Kill();
    daemon_.reset();
    const double ready_killed = Start("after SIGKILL");
    (void)Term("final");

    const double prepare_mib = static_cast<double>(pages) * kPageSize / (1 << 20);
    std::printf("\n%-52s %10s\n", "measure", "value");
    std::printf("%-52s %7.1f ms  (%llu dirty pages, %.0f MiB/s, disk %.0f MiB/s)\n",
                "PrepareForShutdown -> lock released", prepare_ms,
                static_cast<unsigned long long>(pages), prepare_mib / (prepare_ms / 1000.0), disk);
    std::printf("%-52s %7.1f ms  (target < 100 ms: %s)\n", "SIGTERM -> exit, after the prepare",
                term_after_prepare, term_after_prepare < 100 ? "met" : "MISSED");
    std::printf("%-52s %7.1f ms  (%llu dirty pages)\n", "SIGTERM -> exit, without a prepare",
                term_alone, static_cast<unsigned long long>(pages2));
    std::printf("%-52s %7.1f ms  (target < 200 ms: %s)\n", "exec -> READY=1 after a clean stop",
                ready_clean, ready_clean < 200 ? "met" : "MISSED");
    std::printf("%-52s %7.1f ms  (log replay)\n", "exec -> READY=1 after SIGKILL", ready_killed);
  }

 private:
  // Starts the daemon; returns ms from exec to READY=1.
  double Start(const char* what) {
    listener_ = std::make_unique<NotifyListener>();
    std::string error;
    if (!listener_->Start(&error)) Die(error);
    DaemonProcess::Options options;
    // JETSVC_BENCH_DAEMON: run the daemon through a wrapper (perf, strace).
    if (const char* wrapper = std::getenv("JETSVC_BENCH_DAEMON")) options.binary = wrapper;
    const uint64_t cache_pages = (options_.dirty_mb << 20) / kPageSize * 5 / 4 + 4096;
    options.args = {"--config", "/dev/null", "--service.data-dir=" + options_.dir,
                    "--dbus.bus=system", "--logind.enable=yes", "--logind.inhibit-margin-ms=0",
                    "--engine.cache-size-max=" + std::to_string(cache_pages),
                    // The flusher leaves the load's pages dirty.
                    "--engine.checkpoint-depth-max=" + std::to_string(8ull << 30),
                    "--engine.log-file-size=32768", "--store.max-batch-items=10000"};
    // JETSVC_BENCH_DAEMON_ARG: one more daemon option, for experiments.
    if (const char* extra = std::getenv("JETSVC_BENCH_DAEMON_ARG")) options.args.push_back(extra);
    options.env = {"DBUS_SYSTEM_BUS_ADDRESS=" + bus_.address()};
    options.notify_socket = listener_->socket_env();
    options.log_path = options_.dir + "/jetsvc-" + std::to_string(++starts_) + ".log";
    daemon_ = std::make_unique<DaemonProcess>();
    const Clock::time_point started = Clock::now();
    if (!daemon_->Start(options, &error)) Die(error);
    if (!listener_->WaitFor("READY=1", std::chrono::minutes(5))) {
      Die(std::string("no READY=1 ") + what + ":\n" + daemon_->Log());
    }
    const double ms = Ms(Clock::now() - started);
    std::printf("  start %-28s READY after %8.1f ms\n", what, ms);
    connection_ = sdbus::createSessionBusConnectionWithAddress(bus_.address());
    proxy_ = sdbus::createProxy(*connection_, kService, kObject);
    return ms;
  }

  // Loads values with lazy commits until the dirty pages reach the target;
  // returns the dirty pages.
  uint64_t Load() {
    const uint64_t target_pages = (options_.dirty_mb << 20) / kPageSize;
    const Clock::time_point started = Clock::now();
    uint64_t dirty = 0, bytes = 0;
    std::vector<sdbus::Struct<std::string, std::vector<uint8_t>>> batch;
    while (dirty < target_pages) {
      batch.clear();
      for (size_t i = 0; i < kBatch; ++i) {
        char key[32];
        std::snprintf(key, sizeof(key), "k%012llu", static_cast<unsigned long long>(next_key_++));
        batch.push_back({key, std::vector<uint8_t>(kValueBytes, static_cast<uint8_t>(next_key_))});
      }
      uint32_t count = 0;
      proxy_->callMethod("PutBatch").onInterface(kStore).withArguments(batch, false).storeResultsTo(count);
      bytes += kBatch * kValueBytes;
      dirty = proxy_->getProperty("DirtyPages").onInterface(kManager).get<uint64_t>();
    }
    const double seconds = Ms(Clock::now() - started) / 1000;
    std::printf("  loaded %.0f MiB over D-Bus in %.1f s (%.0f MiB/s): %llu dirty pages\n",
                static_cast<double>(bytes) / (1 << 20), seconds,
                static_cast<double>(bytes) / (1 << 20) / seconds,
                static_cast<unsigned long long>(dirty));
    return dirty;
  }

  std::chrono::microseconds PowerOff() {
    auto logind = sdbus::createProxy(*connection_, "org.freedesktop.login1", "/org/freedesktop/login1");
    uint64_t usec = 0;
    logind->callMethod("PowerOff")
        .onInterface("org.jetsvc.test.FakeLogind")
        .withTimeout(std::chrono::minutes(2))
        .withArguments(false)
        .storeResultsTo(usec);
    return std::chrono::microseconds(usec);
  }

  // SIGTERM -> exit, in ms.
  double Term(const char* what) {
    proxy_.reset();
    connection_.reset();
    const Clock::time_point started = Clock::now();
    daemon_->Signal(SIGTERM);
    const ExitStatus status = daemon_->Wait(std::chrono::minutes(5));
    const double ms = Ms(Clock::now() - started);
    if (status.ToString() != "exit code 0") Die("stop " + std::string(what) + ": " + status.ToString() + "\n" + daemon_->Log());
    std::printf("  SIGTERM %-26s exit after %8.1f ms\n", what, ms);
    daemon_.reset();
    return ms;
  }

  // Sequential 256 MiB write + fdatasync, as the daemon's disk sees it.
  double DiskMiBps() {
    const std::string path = options_.dir + "/disk-probe";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) Die("cannot write " + path);
    std::vector<char> block(1 << 20, 'x');
    const Clock::time_point started = Clock::now();
    for (int i = 0; i < 256; ++i) {
      if (::write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) Die("disk probe write");
    }
    (void)::fdatasync(fd);
    const double seconds = Ms(Clock::now() - started) / 1000;
    ::close(fd);
    ::unlink(path.c_str());
    return 256 / seconds;
  }

  const Options options_;
  PrivateBus bus_;
  FakeLogindProcess fake_logind_;
  std::unique_ptr<NotifyListener> listener_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::unique_ptr<sdbus::IConnection> connection_;
  std::unique_ptr<sdbus::IProxy> proxy_;
  uint64_t next_key_ = 0;
  int starts_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--dirty_mb=", 0) == 0) {
      options.dirty_mb = std::strtoull(arg.c_str() + 11, nullptr, 10);
    } else if (arg.rfind("--dir=", 0) == 0) {
      options.dir = arg.substr(6);
    } else {
      std::fprintf(stderr, "usage: daemon_bench [--dirty_mb=1024] [--dir=PATH]\n");
      return arg == "--help" ? 0 : 1;
    }
  }
  try {
    Bench(options).Run();
  } catch (const std::exception& e) {
    Die(e.what());
  }
  return 0;
}
