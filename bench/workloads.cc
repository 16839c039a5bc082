// The named workloads. Each runs every selected engine's part in a child
// process (runner.h), so the engine code below always runs in a child and
// the parent only collects rows and prints them.
//
// Timing is wall clock (steady_clock) around the engine calls only: making
// keys and values is left out of the load figures, and included (cheaply)
// in the read loops.

#include "bench/workloads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <thread>

#include "bench/bench_engine.h"
#include "bench/runner.h"
#include "bench/workload_util.h"

namespace bench {

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

EngineOptions Options(const Flags& flags, const std::string& dir, bool create) {
  EngineOptions options;
  options.dir = dir;
  options.cache_bytes = flags.cache_mb * kMiB;
  options.create = create;
  return options;
}

void MakeEmptyDir(const std::string& dir) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
}

uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  }
  return total;
}

std::vector<uint64_t> Order(uint64_t count, bool shuffled, uint64_t seed) {
  std::vector<uint64_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  if (shuffled) {
    Random random(seed);
    for (uint64_t i = count; i > 1; --i) std::swap(order[i - 1], order[random.Uniform(i)]);
  }
  return order;
}

double Load(Engine* engine, const std::vector<uint64_t>& order, uint64_t seed) {
  std::vector<Record> batch;
  double seconds = 0;
  for (size_t start = 0; start < order.size(); start += kBatchSize) {
    batch.resize(std::min<size_t>(kBatchSize, order.size() - start));
    for (size_t i = 0; i < batch.size(); ++i) {
      FormatKey(order[start + i], &batch[i].key);
      batch[i].value = MakeValue(seed, order[start + i]);
    }
    const auto t = Clock::now();
    engine->InsertBatch(batch);
    seconds += Since(t);
  }
  return seconds;
}

namespace {

constexpr uint64_t kVerifySample = 10000;  // keys checked after each load
// Keys of the commitN workloads: thread t's k-th key is kCommitKeyBase +
// t * kCommitKeyStride + k, far above any loaded key.
constexpr uint64_t kCommitKeyBase = 5000000000000000ULL;
constexpr uint64_t kCommitKeyStride = 1000000000000ULL;

std::string StoreDir(const Flags& flags, const std::string& engine) {
  return flags.dir + "/" + engine;
}

// The loaded store of an engine is marked with the record count and seed it
// holds, so the read workloads know whether they can use it.
std::string MarkerPath(const Flags& flags, const std::string& engine) {
  return flags.dir + "/" + engine + ".loaded";
}

std::string MarkerText(const Flags& flags) {
  return std::to_string(flags.num) + " " + std::to_string(flags.seed);
}

bool HasLoadedStore(const Flags& flags, const std::string& engine) {
  std::ifstream in(MarkerPath(flags, engine));
  std::string text;
  std::getline(in, text);
  return text == MarkerText(flags);
}

// Checks kVerifySample random keys of a store holding keys [0, num) and that
// key `num` is absent. Dies on the first wrong answer.
void VerifySample(Engine* engine, uint64_t num, uint64_t seed) {
  Random random(seed ^ 0x5eedf00dULL);
  std::string key;
  std::string value;
  for (uint64_t i = 0; i < std::min(kVerifySample, num); ++i) {
    const uint64_t index = random.Uniform(num);
    FormatKey(index, &key);
    if (!engine->Get(key, &value)) Die(engine->name(), "verify: key " + key + " is missing");
    if (value != MakeValue(seed, index))
      Die(engine->name(), "verify: key " + key + " has a wrong value");
  }
  FormatKey(num, &key);
  if (engine->Get(key, &value)) Die(engine->name(), "verify: key " + key + " should be absent");
}

// --- fillseq, fillrandom ---------------------------------------------------

void FillChild(const Flags& flags, const std::string& name, bool shuffled, Reporter& reporter) {
  const std::string dir = StoreDir(flags, name);
  std::unique_ptr<Engine> engine = NewEngine(name);
  engine->Open(Options(flags, dir, true));
  const double seconds = Load(engine.get(), Order(flags.num, shuffled, flags.seed), flags.seed);
  const auto closing = Clock::now();
  engine->Close();
  const double close_seconds = Since(closing);
  const uint64_t bytes = DirectoryBytes(dir);
  engine->Open(Options(flags, dir, false));
  VerifySample(engine.get(), flags.num, flags.seed);
  engine->Close();
  Measurement m;
  m.label = shuffled ? "fillrandom" : "fillseq";
  m.value = static_cast<double>(flags.num) / seconds;
  m.seconds = seconds;
  m.bytes = static_cast<double>(bytes);
  m.note = "close " + FormatFixed(close_seconds, 2) + " s; files " +
           FormatFixed(static_cast<double>(bytes) / kMiB, 0) + " MiB; " +
           FormatCount(static_cast<double>(std::min(kVerifySample, flags.num))) +
           " sampled keys verified after reopen";
  reporter.Report(m);
}

bool RunFill(const Flags& flags, bool shuffled) {
  std::vector<Row> rows;
  for (const std::string& name : flags.engines) {
    MakeEmptyDir(StoreDir(flags, name));
    std::filesystem::remove(MarkerPath(flags, name));
    const ChildOutcome outcome =
        RunInChild([&](Reporter& reporter) { FillChild(flags, name, shuffled, reporter); },
                   flags.child_timeout);
    if (outcome.ok) std::ofstream(MarkerPath(flags, name)) << MarkerText(flags) << "\n";
    for (const Row& row : RowsOf(name, outcome)) rows.push_back(row);
  }
  PrintTable(std::string(shuffled ? "fillrandom" : "fillseq") + ": load " +
                 FormatCount(static_cast<double>(flags.num)) + " records (16 B keys, 100 B values" +
                 (shuffled ? ", random order" : ", in key order") +
                 "), 1,000 per transaction, commits not synced",
             "records/s", rows);
  PrintMemoryBound(rows, flags.cache_mb);
  return std::all_of(rows.begin(), rows.end(), [](const Row& r) { return r.ok; });
}

// Loads the store of `name` (unmeasured) unless a fill of this run left one.
bool EnsureLoaded(const Flags& flags, const std::string& name) {
  if (HasLoadedStore(flags, name)) return true;
  std::printf("(loading %s for the read workloads: fillrandom, not measured)\n", name.c_str());
  MakeEmptyDir(StoreDir(flags, name));
  const ChildOutcome outcome = RunInChild(
      [&](Reporter& reporter) { FillChild(flags, name, true, reporter); }, flags.child_timeout);
  if (outcome.ok) std::ofstream(MarkerPath(flags, name)) << MarkerText(flags) << "\n";
  return outcome.ok;
}

// --- readrandom, readseq ----------------------------------------------------

void ReadRandomChild(const Flags& flags, const std::string& name, Reporter& reporter) {
  std::unique_ptr<Engine> engine = NewEngine(name);
  engine->Open(Options(flags, StoreDir(flags, name), false));
  Random random(flags.seed + 1);
  std::string key;
  std::string value;
  const auto start = Clock::now();
  for (uint64_t i = 0; i < flags.num; ++i) {
    const uint64_t index = random.Uniform(flags.num);
    FormatKey(index, &key);
    if (!engine->Get(key, &value)) Die(name.c_str(), "readrandom: key " + key + " is missing");
    if (value.size() != kValueSize || ((i & 63) == 0 && value != MakeValue(flags.seed, index))) {
      Die(name.c_str(), "readrandom: key " + key + " has a wrong value");
    }
  }
  const double seconds = Since(start);
  engine->Close();
  Measurement m;
  m.label = "readrandom";
  m.value = static_cast<double>(flags.num) / seconds;
  m.seconds = seconds;
  m.note = "every value's size and every 64th value's bytes checked";
  reporter.Report(m);
}

void ReadSeqChild(const Flags& flags, const std::string& name, Reporter& reporter) {
  std::unique_ptr<Engine> engine = NewEngine(name);
  engine->Open(Options(flags, StoreDir(flags, name), false));
  uint64_t expected = 0;
  std::string expected_key;
  const auto start = Clock::now();
  const uint64_t count = engine->Scan([&](std::string_view key, std::string_view value) {
    FormatKey(expected, &expected_key);
    if (key != expected_key)
      Die(name.c_str(), "readseq: key " + expected_key + " out of order or missing");
    if (value.size() != kValueSize ||
        ((expected & 1023) == 0 && value != MakeValue(flags.seed, expected))) {
      Die(name.c_str(), "readseq: key " + expected_key + " has a wrong value");
    }
    ++expected;
  });
  const double seconds = Since(start);
  engine->Close();
  if (count != flags.num) {
    Die(name.c_str(), "readseq: scanned " + std::to_string(count) + " records, expected " +
                          std::to_string(flags.num));
  }
  Measurement m;
  m.label = "readseq";
  m.value = static_cast<double>(count) / seconds;
  m.seconds = seconds;
  m.bytes = static_cast<double>(count * (kKeySize + kValueSize));
  m.note =
      FormatFixed(m.bytes / kMiB / seconds, 1) + " MiB/s of keys+values; order and count checked";
  reporter.Report(m);
}

bool RunRead(const Flags& flags, bool random) {
  std::vector<Row> rows;
  for (const std::string& name : flags.engines) {
    if (!EnsureLoaded(flags, name)) {
      Row row;
      row.engine = name;
      row.ok = false;
      row.failure = "could not load the store";
      rows.push_back(row);
      continue;
    }
    const ChildOutcome outcome = RunInChild(
        [&](Reporter& reporter) {
          if (random) {
            ReadRandomChild(flags, name, reporter);
          } else {
            ReadSeqChild(flags, name, reporter);
          }
        },
        flags.child_timeout);
    for (const Row& row : RowsOf(name, outcome)) rows.push_back(row);
  }
  if (random) {
    PrintTable(
        "readrandom: " + FormatCount(static_cast<double>(flags.num)) +
            " point lookups of existing keys, store reopened (engine cache cold, OS cache warm)",
        "lookups/s", rows);
  } else {
    PrintTable("readseq: one ordered scan of all records, key and value read", "records/s", rows);
  }
  PrintMemoryBound(rows, flags.cache_mb);
  return std::all_of(rows.begin(), rows.end(), [](const Row& r) { return r.ok; });
}

// --- commit1, commit2, commit8 ------------------------------------------------

void CommitChild(const Flags& flags, const std::string& name, int threads, Reporter& reporter) {
  const std::string dir = StoreDir(flags, name + "-commit");
  MakeEmptyDir(dir);
  std::unique_ptr<Engine> engine = NewEngine(name);
  engine->Open(Options(flags, dir, true));
  std::vector<std::unique_ptr<Committer>> committers;
  for (int t = 0; t < threads; ++t) committers.push_back(engine->NewCommitter());
  std::vector<uint64_t> counts(static_cast<size_t>(threads), 0);
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      std::string key;
      uint64_t k = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        const uint64_t index = kCommitKeyBase + static_cast<uint64_t>(t) * kCommitKeyStride + k;
        FormatKey(index, &key);
        committers[static_cast<size_t>(t)]->InsertDurable(key, MakeValue(flags.seed, index));
        ++k;
      }
      counts[static_cast<size_t>(t)] = k;
    });
  }
  const auto start = Clock::now();
  go.store(true);
  std::this_thread::sleep_for(std::chrono::duration<double>(flags.commit_seconds));
  stop.store(true);
  for (std::thread& worker : workers) worker.join();
  const double seconds = Since(start);
  committers.clear();

  // Every thread's first, last and 100 random commits must be there.
  Random random(flags.seed + 2);
  std::string value;
  for (int t = 0; t < threads; ++t) {
    const uint64_t count = counts[static_cast<size_t>(t)];
    for (int i = 0; i < 102 && count > 0; ++i) {
      const uint64_t k = i == 0 ? 0 : i == 1 ? count - 1 : random.Uniform(count);
      const uint64_t index = kCommitKeyBase + static_cast<uint64_t>(t) * kCommitKeyStride + k;
      if (!engine->Get(MakeKey(index), &value) || value != MakeValue(flags.seed, index)) {
        Die(name.c_str(), "commit: committed key " + MakeKey(index) + " missing or wrong");
      }
    }
  }
  engine->Close();
  uint64_t total = 0;
  std::string per_thread;
  for (uint64_t count : counts) {
    total += count;
    per_thread += (per_thread.empty() ? "" : "/") + FormatCount(static_cast<double>(count));
  }
  Measurement m;
  m.label = std::to_string(threads) + (threads == 1 ? " thread" : " threads");
  m.value = static_cast<double>(total) / seconds;
  m.seconds = seconds;
  m.note = FormatCount(static_cast<double>(total)) + " commits" +
           (threads > 1 ? " (per thread " + per_thread + ")" : "") + "; samples verified";
  reporter.Report(m);
}

bool RunCommit(const Flags& flags, int threads) {
  std::vector<Row> rows;
  for (const std::string& name : flags.engines) {
    const ChildOutcome outcome =
        RunInChild([&](Reporter& reporter) { CommitChild(flags, name, threads, reporter); },
                   flags.child_timeout);
    for (const Row& row : RowsOf(name, outcome)) rows.push_back(row);
    std::filesystem::remove_all(StoreDir(flags, name + "-commit"));
  }
  PrintTable("commit" + std::to_string(threads) +
                 ": durable single-record inserts (fsync'ed commit each), " +
                 std::to_string(threads) + (threads == 1 ? " thread" : " threads") + ", " +
                 FormatFixed(flags.commit_seconds, 1) + " s",
             "commits/s", rows);
  PrintMemoryBound(rows, flags.cache_mb);
  return std::all_of(rows.begin(), rows.end(), [](const Row& r) { return r.ok; });
}

}  // namespace

std::vector<std::string> WorkloadNames() {
  return {"fillseq", "fillrandom", "readrandom", "readseq", "commit1",
          "commit2", "commit8",    "recovery",   "stop"};
}

bool RunWorkload(const std::string& name, const Flags& flags) {
  if (name == "fillseq") return RunFill(flags, false);
  if (name == "fillrandom") return RunFill(flags, true);
  if (name == "readrandom") return RunRead(flags, true);
  if (name == "readseq") return RunRead(flags, false);
  if (name == "commit1") return RunCommit(flags, 1);
  if (name == "commit2") return RunCommit(flags, 2);
  if (name == "commit8") return RunCommit(flags, 8);
  const bool with_jetsvc =
      std::find(flags.engines.begin(), flags.engines.end(), "jetsvc") != flags.engines.end();
  if ((name == "recovery" || name == "stop") && !with_jetsvc) {
    std::printf("\n(%s: jetsvc only, and jetsvc is not among --engines; skipped)\n", name.c_str());
    return true;
  }
  if (name == "recovery") return RunRecovery(flags);
  if (name == "stop") return RunStop(flags);
  return false;
}

}  // namespace bench
