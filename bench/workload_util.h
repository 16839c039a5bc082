// workload_util.h: helpers shared by workloads.cc and workloads_jetsvc.cc
// (defined in workloads.cc). Used in child processes and the parent alike.

#ifndef JETSVC_BENCH_WORKLOAD_UTIL_H_
#define JETSVC_BENCH_WORKLOAD_UTIL_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_engine.h"
#include "bench/workloads.h"

namespace bench {

using Clock = std::chrono::steady_clock;
constexpr uint64_t kBatchSize = 1000;  // records per load transaction
constexpr uint64_t kMiB = uint64_t{1} << 20;

// Seconds of wall clock since `start`.
double Since(Clock::time_point start);
// The options of a store in `dir` with the run's cache size.
EngineOptions Options(const Flags& flags, const std::string& dir, bool create);
// Removes `dir` with its contents and makes it again, empty.
void MakeEmptyDir(const std::string& dir);
// The sum of the sizes of the regular files under `dir`.
uint64_t DirectoryBytes(const std::string& dir);
// 0 .. count-1, shuffled by `seed` if `shuffled`.
std::vector<uint64_t> Order(uint64_t count, bool shuffled, uint64_t seed);
// Inserts keys order[0..] with MakeValue(seed, key) values, kBatchSize per
// transaction; returns the seconds spent inside InsertBatch.
double Load(Engine* engine, const std::vector<uint64_t>& order, uint64_t seed);

}  // namespace bench

#endif  // JETSVC_BENCH_WORKLOAD_UTIL_H_
