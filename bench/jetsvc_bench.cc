// jetsvc_bench: db_bench-style comparison of jetsvc with SQLite, LMDB and
// RocksDB on the same data.
//
//   jetsvc_bench [--benchmarks=fillseq,fillrandom,...] [--engines=jetsvc,sqlite,lmdb,rocksdb]
//                [--num=1000000] [--dir=/tmp] [--cache_mb=256] [--seed=301]
//                [--commit_seconds=3] [--recovery_mib=1,20,200] [--recovery_records=200000]
//                [--stop_cache_mb=1024] [--child_timeout=3600] [--keep]
//
// Prints the machine, then one Markdown table per workload. Each engine's
// part of a workload runs in a child process of its own. The scratch
// directory (a new jetsvc_bench.XXXXXX under --dir) is removed at the end.
// Exits 0 if every part succeeded (or after --help), 1 if any failed, 2 on bad
// arguments.

#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_engine.h"
#include "bench/runner.h"
#include "bench/workloads.h"

namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

bool ParseUnsigned(const std::string& text, uint64_t* value) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long parsed = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0) return false;
  *value = parsed;
  return true;
}

void PrintUsage() {
  std::fprintf(
      stderr,
      "usage: jetsvc_bench [--benchmarks=a,b] [--engines=a,b] [--num=N] [--dir=DIR]\n"
      "                    [--cache_mb=N] [--seed=N] [--commit_seconds=S]\n"
      "                    [--recovery_mib=a,b] [--recovery_records=N] [--stop_cache_mb=N]\n"
      "                    [--child_timeout=S] [--keep]\n");
  std::string workloads;
  for (const std::string& name : bench::WorkloadNames()) workloads += " " + name;
  std::string engines;
  for (const std::string& name : bench::AvailableEngines()) engines += " " + name;
  std::fprintf(stderr, "workloads:%s\nengines built:%s\n", workloads.c_str(), engines.c_str());
}

// Fills *flags from argv; false (after a message) on a bad argument or
// --help (then *help is set).
bool ParseFlags(int argc, char** argv, bench::Flags* flags, std::string* parent_dir, bool* help) {
  flags->benchmarks = bench::WorkloadNames();
  flags->engines = bench::AvailableEngines();
  *parent_dir = "/tmp";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    uint64_t number = 0;
    bool ok = true;
    if (name == "--benchmarks") {
      flags->benchmarks = SplitList(value);
    } else if (name == "--engines") {
      flags->engines = SplitList(value);
    } else if (name == "--num") {
      ok = ParseUnsigned(value, &flags->num) && flags->num > 0;
    } else if (name == "--dir") {
      *parent_dir = value;
      ok = !value.empty();
    } else if (name == "--cache_mb") {
      ok = ParseUnsigned(value, &flags->cache_mb) && flags->cache_mb > 0;
    } else if (name == "--seed") {
      ok = ParseUnsigned(value, &flags->seed);
    } else if (name == "--commit_seconds") {
      flags->commit_seconds = std::strtod(value.c_str(), nullptr);
      ok = flags->commit_seconds > 0;
    } else if (name == "--recovery_mib") {
      flags->recovery_mib.clear();
      for (const std::string& item : SplitList(value)) {
        ok = ok && ParseUnsigned(item, &number) && number > 0;
        flags->recovery_mib.push_back(number);
      }
    } else if (name == "--recovery_records") {
      ok = ParseUnsigned(value, &flags->recovery_records) && flags->recovery_records > 0;
    } else if (name == "--stop_cache_mb") {
      ok = ParseUnsigned(value, &flags->stop_cache_mb) && flags->stop_cache_mb > 0;
    } else if (name == "--child_timeout") {
      flags->child_timeout = std::strtod(value.c_str(), nullptr);
      ok = flags->child_timeout > 0;
    } else if (name == "--keep") {
      flags->keep = true;
    } else if (name == "--help" || name == "-h") {
      PrintUsage();
      *help = true;
      return false;
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr, "jetsvc_bench: bad argument %s\n", arg.c_str());
      PrintUsage();
      return false;
    }
  }
  const std::vector<std::string> known = bench::WorkloadNames();
  for (const std::string& workload : flags->benchmarks) {
    if (std::find(known.begin(), known.end(), workload) == known.end()) {
      std::fprintf(stderr, "jetsvc_bench: unknown workload %s\n", workload.c_str());
      PrintUsage();
      return false;
    }
  }
  for (const std::string& engine : flags->engines) {
    if (bench::NewEngine(engine) == nullptr) {
      std::fprintf(stderr, "jetsvc_bench: engine %s is unknown or not built\n", engine.c_str());
      PrintUsage();
      return false;
    }
  }
  return true;
}

std::string FirstLineWith(const char* path, const std::string& prefix) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, prefix.size(), prefix) == 0) {
      const size_t value = line.find_first_not_of(" \t", line.find(':') + 1);
      return value == std::string::npos ? line : line.substr(value);
    }
  }
  return "?";
}

std::string FileSystemType(const std::string& dir) {
  struct statfs fs;
  if (::statfs(dir.c_str(), &fs) != 0) return "?";
  switch (static_cast<unsigned long>(fs.f_type)) {
    case 0xEF53:
      return "ext4 (ext2/3/4)";
    case 0x58465342:
      return "xfs";
    case 0x9123683E:
      return "btrfs";
    case 0x01021994:
      return "tmpfs";
    case 0x794C7630:
      return "overlayfs";
    case 0x2FC12FC1:
      return "zfs";
    default: {
      char buffer[32];
      std::snprintf(buffer, sizeof(buffer), "f_type 0x%lx", static_cast<unsigned long>(fs.f_type));
      return buffer;
    }
  }
}

// The mount holding `dir` and its device, from /proc/mounts.
std::string MountOf(const std::string& dir) {
  std::ifstream in("/proc/mounts");
  std::string device, mount_point, type, rest, best;
  size_t best_length = 0;
  const std::string canonical = std::filesystem::weakly_canonical(dir).string();
  while (in >> device >> mount_point >> type && std::getline(in, rest)) {
    if (canonical.compare(0, mount_point.size(), mount_point) == 0 &&
        mount_point.size() >= best_length) {
      best_length = mount_point.size();
      best = device + " on " + mount_point + " (" + type + ")";
    }
  }
  return best;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen + " (1, 5, 15 min)";
}

void PrintMachine(const bench::Flags& flags) {
  struct utsname uts;
  ::uname(&uts);
  const std::time_t now = std::time(nullptr);
  char date[64];
  std::strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S %Z", std::localtime(&now));
  std::printf("## jetsvc_bench %s\n\n", date);
  std::printf("- machine: %u cores (%s), memory %s, %s %s\n", std::thread::hardware_concurrency(),
              FirstLineWith("/proc/cpuinfo", "model name").c_str(),
              FirstLineWith("/proc/meminfo", "MemTotal").c_str(), uts.sysname, uts.release);
  std::printf("- scratch dir: %s: %s, %s\n", flags.dir.c_str(), FileSystemType(flags.dir).c_str(),
              MountOf(flags.dir).c_str());
  std::printf("- engines:");
  for (const std::string& name : flags.engines) {
    std::printf(" %s;", bench::NewEngine(name)->version().c_str());
  }
  std::printf("\n- records: %s x (16 B key + 100 B value), seed %llu, cache %llu MiB per engine\n",
              bench::FormatCount(static_cast<double>(flags.num)).c_str(),
              static_cast<unsigned long long>(flags.seed),
              static_cast<unsigned long long>(flags.cache_mb));
  std::printf("- load average at start: %s\n", LoadAverage().c_str());
  std::printf(
      "- every engine's part of a workload runs in a child process; peak RSS is its ru_maxrss\n");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bench::Flags flags;
  std::string parent_dir;
  bool help = false;
  if (!ParseFlags(argc, argv, &flags, &parent_dir, &help)) return help ? 0 : 2;
  std::error_code ec;
  std::filesystem::create_directories(parent_dir, ec);
  std::string pattern = parent_dir + "/jetsvc_bench.XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::fprintf(stderr, "jetsvc_bench: mkdtemp(%s): %s\n", pattern.c_str(), std::strerror(errno));
    return 2;
  }
  flags.dir = pattern;
  // jetsvc's rows come first in every table.
  std::stable_partition(flags.engines.begin(), flags.engines.end(),
                        [](const std::string& name) { return name == "jetsvc"; });
  PrintMachine(flags);
  bool all_ok = true;
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& workload : flags.benchmarks) {
    all_ok = bench::RunWorkload(workload, flags) && all_ok;
  }
  if (flags.keep) {
    std::printf("\n(scratch directory kept: %s)\n", flags.dir.c_str());
  } else {
    std::filesystem::remove_all(flags.dir, ec);
  }
  std::printf(
      "\n(load average at end: %s; total %s s%s)\n", LoadAverage().c_str(),
      bench::FormatFixed(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 0)
          .c_str(),
      all_ok ? "" : "; SOME PARTS FAILED, see the tables");
  return all_ok ? 0 : 1;
}
