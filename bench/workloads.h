// workloads.h: the named workloads of jetsvc_bench and their settings.
//
// Each workload runs every selected engine's part in a child process of its
// own (runner.h) and prints one table. Thread contract: single-threaded.

#ifndef JETSVC_BENCH_WORKLOADS_H_
#define JETSVC_BENCH_WORKLOADS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace bench {

struct Flags {
  std::vector<std::string> benchmarks;  // Default: every workload, in WorkloadNames() order
  std::vector<std::string> engines;     // Default: every engine built
  uint64_t num = 1000000;               // records loaded and lookups made. Default: 1,000,000
  std::string dir;                      // scratch directory of this run (made by main)
  uint64_t cache_mb = 256;              // every engine's cache. Default: 256 MiB
  uint64_t seed = 301;                  // data and key order. Default: 301
  double commit_seconds = 3;            // length of each commitN run. Default: 3 s
  std::vector<uint64_t> recovery_mib = {1, 20, 200};  // checkpoint depths to recover from
  uint64_t recovery_records = 200000;                 // table size of the recovery workload
  uint64_t stop_cache_mb = 1024;  // jetsvc's cache in the stop workload. Default: 1 GiB
  double child_timeout = 3600;    // seconds before a child is killed. Default: 1 h
  bool keep = false;              // keep the scratch directory. Default: removed
};

// fillseq, fillrandom, readrandom, readseq, commit1, commit2, commit8,
// recovery, stop.
std::vector<std::string> WorkloadNames();

// Runs one workload and prints its table. Returns false if any engine's
// part failed (the table says which and how).
bool RunWorkload(const std::string& name, const Flags& flags);

// The jetsvc-only workloads, "recovery" and "stop" (workloads_jetsvc.cc).
bool RunRecovery(const Flags& flags);
bool RunStop(const Flags& flags);

}  // namespace bench

#endif  // JETSVC_BENCH_WORKLOADS_H_
