// The jetsvc-only workloads: recovery after a SIGKILL as a function of
// checkpoint depth (issue 3), and the stop workload (issue 4).
//
// Both measure how much log or how many dirty pages there are from the
// files on disk, as an outside observer would: jetsvc preallocates each log
// file and never writes a zero fragment header, so the written part of
// <base>.log is the prefix of blocks that do not start with zeros.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "bench/engine_jetsvc.h"
#include "bench/runner.h"
#include "bench/workload_util.h"
#include "bench/workloads.h"

namespace bench {
namespace {

constexpr uint64_t kLogFileKib = 16 * 1024;                  // JET_paramLogFileSize: 16 MiB
constexpr uint64_t kNoCheckpointFlush = uint64_t{64} << 30;  // CheckpointDepthMax: 64 GiB
constexpr uint64_t kLogBlock = 4096;

JetsvcSettings LaggingCheckpoint() {
  JetsvcSettings settings;
  settings.log_file_kib = kLogFileKib;
  settings.checkpoint_depth_bytes = kNoCheckpointFlush;
  return settings;
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// Bytes written into the current log file: the end of its last non-zero
// byte (blocks are written in order, each starting with a fragment header).
uint64_t UsedBytesOfCurrentLog(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return 0;
  const uint64_t blocks = FileSize(path) / kLogBlock;
  auto block_written = [&](uint64_t block) {
    uint64_t head = 0;
    return ::pread(fd, &head, sizeof(head), static_cast<off_t>(block * kLogBlock)) ==
               static_cast<ssize_t>(sizeof(head)) &&
           head != 0;
  };
  // Binary search for the last written block; block 0 is the header.
  uint64_t low = 0;
  uint64_t high = blocks;  // first block known unwritten (or the end)
  while (high - low > 1) {
    const uint64_t mid = low + (high - low) / 2;
    if (block_written(mid)) {
      low = mid;
    } else {
      high = mid;
    }
  }
  char block[kLogBlock];
  const ssize_t n = ::pread(fd, block, sizeof(block), static_cast<off_t>(low * kLogBlock));
  ::close(fd);
  uint64_t end = n > 0 ? static_cast<uint64_t>(n) : 0;
  while (end > 0 && block[end - 1] == 0) --end;
  return low * kLogBlock + end;
}

// All the log on disk: archived generations (full) plus what the current
// file holds. Differences of this are log bytes written in between.
uint64_t LogBytesOnDisk(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 7 || name.compare(0, 3, "edb") != 0 ||
        name.compare(name.size() - 4, 4, ".log") != 0 || name == "edbtmp.log") {
      continue;
    }
    total += name == "edb.log" ? UsedBytesOfCurrentLog(entry.path().string())
                               : FileSize(entry.path().string());
  }
  return total;
}

// --- recovery ----------------------------------------------------------------

// The writer: loads `records`, terminates cleanly (the checkpoint is then at
// the log's end), starts again and makes lazily committed random updates
// until `target_bytes` of log lie past the checkpoint; ends with one durable
// commit so all of it is on disk; reports "ready" and waits to be killed.
void RecoveryWriter(const Flags& flags, const std::string& dir, uint64_t records,
                    uint64_t target_bytes, Reporter& reporter) {
  JetsvcEngine engine(LaggingCheckpoint());
  engine.Open(Options(flags, dir, true));
  (void)Load(&engine, Order(records, false, 0), flags.seed);
  engine.Close();
  engine.Init(Options(flags, dir, false));
  engine.OpenDatabase(false);
  const uint64_t start_bytes = LogBytesOnDisk(dir);
  Random random(flags.seed + 17);
  uint64_t updates = 0;
  const auto start = Clock::now();
  if (target_bytes == 0) {
    engine.Close();  // a clean term: the next JetInit replays nothing
  } else {
    auto last_check = Clock::now();
    for (;;) {
      const uint64_t index = random.Uniform(records);
      engine.Update(MakeKey(index), MakeValue(flags.seed + 1, updates), false);
      ++updates;
      if ((updates & 63) == 0 && Since(last_check) > 0.02) {
        last_check = Clock::now();
        if (LogBytesOnDisk(dir) - start_bytes >= target_bytes) break;
      }
    }
    const uint64_t index = random.Uniform(records);
    engine.Update(MakeKey(index), MakeValue(flags.seed + 1, updates), true);
    ++updates;
  }
  Measurement ready;
  ready.label = "ready";
  ready.value = static_cast<double>(updates);
  ready.seconds = Since(start);
  ready.bytes = static_cast<double>(start_bytes);
  StopProgress progress;
  if (target_bytes != 0 && engine.Progress(&progress)) {
    ready.note = "; engine reports checkpoint depth " +
                 FormatFixed(static_cast<double>(progress.checkpoint_depth_bytes) / kMiB, 1) +
                 " MiB";
  }
  reporter.Report(ready);
  for (;;) ::pause();
}

// Times JetInit (the recovery), then checks every record against the
// updates the writer made.
void RecoveryReader(const Flags& flags, const std::string& dir, uint64_t records, uint64_t updates,
                    uint64_t replay_bytes, const std::string& label, Reporter& reporter) {
  JetsvcEngine engine(LaggingCheckpoint());
  const auto start = Clock::now();
  engine.Init(Options(flags, dir, false));
  const double seconds = Since(start);
  engine.OpenDatabase(false);
  std::vector<int64_t> last_update(records, -1);
  Random random(flags.seed + 17);
  for (uint64_t j = 0; j < updates; ++j)
    last_update[random.Uniform(records)] = static_cast<int64_t>(j);
  uint64_t expected = 0;
  std::string expected_key;
  const uint64_t count = engine.Scan([&](std::string_view key, std::string_view value) {
    FormatKey(expected, &expected_key);
    const int64_t j = expected < records ? last_update[expected] : -1;
    const std::string expected_value = j < 0 ? MakeValue(flags.seed, expected)
                                             : MakeValue(flags.seed + 1, static_cast<uint64_t>(j));
    if (key != expected_key || value != expected_value) {
      Die("jetsvc", "recovery: record " + expected_key + " wrong after recovery");
    }
    ++expected;
  });
  if (count != records)
    Die("jetsvc", "recovery: " + std::to_string(count) + " records after recovery");
  engine.Close();
  Measurement m;
  m.label = label;
  m.value = replay_bytes > 0 ? static_cast<double>(replay_bytes) / kMiB / seconds : 0;
  m.seconds = seconds;
  m.bytes = static_cast<double>(replay_bytes);
  m.note = FormatFixed(static_cast<double>(replay_bytes) / kMiB, 1) +
           " MiB of log past the checkpoint; " + FormatCount(static_cast<double>(updates)) +
           " updates; all " + FormatCount(static_cast<double>(records)) + " records verified";
  reporter.Report(m);
}

}  // namespace

bool RunRecovery(const Flags& flags) {
  std::vector<Row> rows;
  const std::string dir = flags.dir + "/jetsvc-recovery";
  const uint64_t records = std::min(flags.num, flags.recovery_records);
  std::vector<uint64_t> targets = {0};
  targets.insert(targets.end(), flags.recovery_mib.begin(), flags.recovery_mib.end());
  for (uint64_t target_mib : targets) {
    MakeEmptyDir(dir);
    const std::string label =
        target_mib == 0 ? "clean (no replay)" : "~" + std::to_string(target_mib) + " MiB";
    const ChildOutcome writer = RunInChild(
        [&](Reporter& reporter) {
          RecoveryWriter(flags, dir, records, target_mib * kMiB, reporter);
        },
        flags.child_timeout, "ready");
    const Measurement* ready = nullptr;
    for (const Measurement& m : writer.measurements) {
      if (m.label == "ready") ready = &m;
    }
    if (!writer.ok || ready == nullptr) {
      for (Row row : RowsOf("jetsvc", writer)) {
        row.m.label = label + " (writer)";
        rows.push_back(row);
      }
      continue;
    }
    const uint64_t updates = static_cast<uint64_t>(ready->value);
    const uint64_t end_bytes = LogBytesOnDisk(dir);
    const uint64_t start_bytes = static_cast<uint64_t>(ready->bytes);
    const uint64_t replay_bytes = end_bytes > start_bytes ? end_bytes - start_bytes : 0;
    std::printf(
        "(recovery %s: writer made %s updates in %s s, %s MiB log by the files%s, peak RSS %s "
        "MiB; SIGKILLed)\n",
        label.c_str(), FormatCount(static_cast<double>(updates)).c_str(),
        FormatFixed(ready->seconds, 1).c_str(),
        FormatFixed(static_cast<double>(replay_bytes) / kMiB, 1).c_str(), ready->note.c_str(),
        FormatFixed(static_cast<double>(writer.peak_rss_kib) / 1024.0, 0).c_str());
    const ChildOutcome reader = RunInChild(
        [&](Reporter& reporter) {
          RecoveryReader(flags, dir, records, updates, replay_bytes, label, reporter);
        },
        flags.child_timeout);
    for (const Row& row : RowsOf("jetsvc", reader)) rows.push_back(row);
  }
  std::filesystem::remove_all(dir);
  PrintTable("recovery: JetInit after SIGKILL, " + FormatCount(static_cast<double>(records)) +
                 "-record table, lazily committed random updates past the checkpoint "
                 "(16 MiB log files, CheckpointDepthMax 64 GiB); target >= 100 MiB/s",
             "replay MiB/s", rows);
  PrintMemoryBound(rows, flags.cache_mb);
  return std::all_of(rows.begin(), rows.end(), [](const Row& r) { return r.ok; });
}

// --- stop ----------------------------------------------------------------------

namespace {

// Writes and fsyncs a file of `bytes` in 1 MiB writes: the disk's own
// sequential write bandwidth, for comparison with jetsvc's flush rate.
// `direct` writes with O_DIRECT (as jetsvc writes pages where the file
// system allows it), else through the OS cache; a file system without
// O_DIRECT reports nothing for that case.
void DiskChild(const std::string& path, uint64_t bytes, bool direct, Reporter& reporter) {
  void* memory = nullptr;
  if (::posix_memalign(&memory, 4096, kMiB) != 0) Die("disk", "posix_memalign failed");
  std::unique_ptr<char, decltype(&std::free)> buffer(static_cast<char*>(memory), &std::free);
  Random random(42);
  for (size_t i = 0; i + 8 <= kMiB; i += 8) {
    const uint64_t word = random.Next();
    std::memcpy(buffer.get() + i, &word, 8);
  }
  int flags = O_WRONLY | O_CREAT | O_TRUNC;
  if (direct) flags |= O_DIRECT;
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0 && direct && errno == EINVAL) return;  // no O_DIRECT here
  if (fd < 0) Die("disk", "open(" + path + "): " + std::strerror(errno));
  const auto start = Clock::now();
  for (uint64_t done = 0; done < bytes; done += kMiB) {
    if (::write(fd, buffer.get(), kMiB) != static_cast<ssize_t>(kMiB)) {
      Die("disk", std::string("write: ") + std::strerror(errno));
    }
  }
  if (::fdatasync(fd) != 0) Die("disk", std::string("fdatasync: ") + std::strerror(errno));
  const double seconds = Since(start);
  ::close(fd);
  ::unlink(path.c_str());
  Measurement m;
  m.label = direct ? "sequential O_DIRECT write + fdatasync" : "sequential write + fdatasync";
  m.value = static_cast<double>(bytes) / kMiB / seconds;
  m.seconds = seconds;
  m.bytes = static_cast<double>(bytes);
  m.note = FormatFixed(static_cast<double>(bytes) / kMiB, 0) + " MiB in 1 MiB writes";
  reporter.Report(m);
}

// What FillDirtyCache did.
struct Fill {
  uint64_t records = 0;
  uint64_t updates = 0;
  uint64_t dirty_bytes = 0;
  std::string note;
};

// Fills jetsvc's cache with dirty pages: loads records in key order (lazy
// commits) until the database file is about 85% of the cache, then makes
// records/8 lazily committed random updates over them. With the checkpoint
// depth at 64 GiB the flusher writes nothing. The dirty size is what
// JetsvcGetStopProgress reports, or the database file size without it.
Fill FillDirtyCache(JetsvcEngine* engine, const Flags& flags, uint64_t cache_bytes) {
  Fill fill;
  const uint64_t target = cache_bytes / 100 * 85;
  std::vector<Record> batch(kBatchSize);
  const auto start = Clock::now();
  while (FileSize(engine->database_path()) < target) {
    for (Record& record : batch) {
      FormatKey(fill.records, &record.key);
      record.value = MakeValue(flags.seed, fill.records);
      ++fill.records;
    }
    engine->InsertBatch(batch);
  }
  const double load_seconds = Since(start);
  Random random(flags.seed + 23);
  fill.updates = fill.records / 8;
  const auto updating = Clock::now();
  for (uint64_t j = 0; j < fill.updates; ++j) {
    const uint64_t index = random.Uniform(fill.records);
    engine->Update(MakeKey(index), MakeValue(flags.seed + 1, j), false);
  }
  const double update_seconds = Since(updating);
  StopProgress progress;
  const bool reported = engine->Progress(&progress);
  fill.dirty_bytes = reported ? progress.dirty_bytes : FileSize(engine->database_path());
  fill.note = "fill: " + FormatCount(static_cast<double>(fill.records)) + " records in " +
              FormatFixed(load_seconds, 1) + " s + " +
              FormatCount(static_cast<double>(fill.updates)) + " random updates in " +
              FormatFixed(update_seconds, 1) + " s; dirty " +
              FormatFixed(static_cast<double>(fill.dirty_bytes) / kMiB, 0) + " MiB" +
              (reported ? " (JetsvcGetStopProgress)" : " (~ database file size)");
  return fill;
}

EngineOptions StopOptions(const Flags& flags, const std::string& dir, bool create) {
  EngineOptions options = Options(flags, dir, create);
  options.cache_bytes = flags.stop_cache_mb * kMiB;
  return options;
}

// (a): JetTerm on a full dirty cache.
void TermAloneChild(const Flags& flags, const std::string& dir, Reporter& reporter) {
  JetsvcEngine engine(LaggingCheckpoint());
  const EngineOptions options = StopOptions(flags, dir, true);
  engine.Open(options);
  const Fill fill = FillDirtyCache(&engine, flags, options.cache_bytes);
  const auto start = Clock::now();
  engine.Term();
  const double seconds = Since(start);
  Measurement m;
  m.label = "(a) JetTerm alone";
  m.value = static_cast<double>(fill.dirty_bytes) / kMiB / seconds;
  m.seconds = seconds;
  m.bytes = static_cast<double>(fill.dirty_bytes);
  m.note = fill.note;
  reporter.Report(m);
}

// (b): the stop, the wait until quiesced, then JetTerm.
void StopThenTermChild(const Flags& flags, const std::string& dir, Reporter& reporter) {
  JetsvcEngine engine(LaggingCheckpoint());
  const EngineOptions options = StopOptions(flags, dir, true);
  engine.Open(options);
  const Fill fill = FillDirtyCache(&engine, flags, options.cache_bytes);
  const StopTimes stop = engine.StopAndQuiesce();
  if (!stop.supported) {
    Measurement m;
    m.label = "(b) stop";
    m.seconds = stop.stop_call_seconds;
    m.note = "not measured: " + stop.note;
    reporter.Report(m);
    engine.Term();
    return;
  }
  const auto start = Clock::now();
  engine.Term();
  const double term_seconds = Since(start);
  const double flushed = static_cast<double>(stop.after.flushed_since_stop);
  const double stop_seconds = stop.stop_call_seconds + stop.quiesce_seconds;
  reporter.Report({"(b) stop call", 0, stop.stop_call_seconds, 0,
                   "JetStopServiceInstance2(JET_bitStopServiceAll)"});
  reporter.Report({"(b) stop until quiesced", flushed / kMiB / stop_seconds, stop_seconds, flushed,
                   "stop call + JetsvcWaitForQuiesce; " + FormatFixed(flushed / kMiB, 0) +
                       " MiB flushed (cbFlushedSinceStop); " +
                       "after: " + FormatCount(static_cast<double>(stop.after.dirty_pages)) +
                       " dirty pages, checkpoint depth " +
                       FormatCount(static_cast<double>(stop.after.checkpoint_depth_bytes)) +
                       " B; " + fill.note});
  reporter.Report({"(b) JetTerm after stop", 0, term_seconds, 0, "target < 50 ms"});
}

// (c), first half: fill, stop, wait until quiesced, report "ready" and wait
// for the SIGKILL.
void StopThenKillWriter(const Flags& flags, const std::string& dir, Reporter& reporter) {
  JetsvcEngine engine(LaggingCheckpoint());
  const EngineOptions options = StopOptions(flags, dir, true);
  engine.Open(options);
  const Fill fill = FillDirtyCache(&engine, flags, options.cache_bytes);
  const StopTimes stop = engine.StopAndQuiesce();
  if (!stop.supported) Die("jetsvc", "stop: " + stop.note);
  reporter.Report({"ready", static_cast<double>(fill.records), static_cast<double>(fill.updates),
                   static_cast<double>(stop.after.checkpoint_depth_bytes), ""});
  for (;;) ::pause();
}

// (c), second half: JetInit (recovery) after the SIGKILL, then every record
// checked against the fill.
void RecoverAfterStopChild(const Flags& flags, const std::string& dir, uint64_t records,
                           uint64_t updates, uint64_t reported_depth, Reporter& reporter) {
  JetsvcEngine engine(LaggingCheckpoint());
  const auto start = Clock::now();
  engine.Init(StopOptions(flags, dir, false));
  const double seconds = Since(start);
  engine.OpenDatabase(false);
  std::vector<int64_t> last_update(records, -1);
  Random random(flags.seed + 23);
  for (uint64_t j = 0; j < updates; ++j) {
    last_update[random.Uniform(records)] = static_cast<int64_t>(j);
  }
  uint64_t expected = 0;
  std::string expected_key;
  const uint64_t count = engine.Scan([&](std::string_view key, std::string_view value) {
    FormatKey(expected, &expected_key);
    const int64_t j = expected < records ? last_update[expected] : -1;
    const std::string expected_value = j < 0 ? MakeValue(flags.seed, expected)
                                             : MakeValue(flags.seed + 1, static_cast<uint64_t>(j));
    if (key != expected_key || value != expected_value) {
      Die("jetsvc", "stop: record " + expected_key + " wrong after recovery");
    }
    ++expected;
  });
  if (count != records) Die("jetsvc", "stop: " + std::to_string(count) + " records after recovery");
  engine.Close();
  reporter.Report({"(c) JetInit after stop + SIGKILL", 0, seconds, 0,
                   "checkpoint depth reported before the kill: " +
                       FormatCount(static_cast<double>(reported_depth)) +
                       " B (target: < one 16 MiB log file); all " +
                       FormatCount(static_cast<double>(records)) + " records verified"});
}

}  // namespace

bool RunStop(const Flags& flags) {
  std::vector<Row> rows;
  const std::string dir = flags.dir + "/jetsvc-stop";
  // The disk is measured before and after jetsvc, to show its variance.
  auto measure_disk = [&](const char* when) {
    const ChildOutcome disk = RunInChild(
        [&](Reporter& reporter) {
          DiskChild(flags.dir + "/seqwrite.tmp", uint64_t{1} << 30, false, reporter);
          DiskChild(flags.dir + "/seqwrite.tmp", uint64_t{1} << 30, true, reporter);
        },
        flags.child_timeout);
    for (Row row : RowsOf("disk", disk)) {
      row.m.label += when;
      rows.push_back(row);
    }
  };
  measure_disk(" (before)");

  MakeEmptyDir(dir);
  const ChildOutcome alone = RunInChild(
      [&](Reporter& reporter) { TermAloneChild(flags, dir, reporter); }, flags.child_timeout);
  for (const Row& row : RowsOf("jetsvc", alone)) rows.push_back(row);

  if (JetsvcEngine::HasStopExtension()) {
    MakeEmptyDir(dir);
    const ChildOutcome stopped = RunInChild(
        [&](Reporter& reporter) { StopThenTermChild(flags, dir, reporter); }, flags.child_timeout);
    for (const Row& row : RowsOf("jetsvc", stopped)) rows.push_back(row);

    MakeEmptyDir(dir);
    const ChildOutcome writer =
        RunInChild([&](Reporter& reporter) { StopThenKillWriter(flags, dir, reporter); },
                   flags.child_timeout, "ready");
    const Measurement* ready = nullptr;
    for (const Measurement& m : writer.measurements) {
      if (m.label == "ready") ready = &m;
    }
    if (writer.ok && ready != nullptr) {
      const uint64_t records = static_cast<uint64_t>(ready->value);
      const uint64_t updates = static_cast<uint64_t>(ready->seconds);
      const uint64_t depth = static_cast<uint64_t>(ready->bytes);
      const ChildOutcome recovered = RunInChild(
          [&](Reporter& reporter) {
            RecoverAfterStopChild(flags, dir, records, updates, depth, reporter);
          },
          flags.child_timeout);
      for (const Row& row : RowsOf("jetsvc", recovered)) rows.push_back(row);
    } else {
      for (Row row : RowsOf("jetsvc", writer)) {
        row.m.label = "(c) stop + SIGKILL (writer)";
        rows.push_back(row);
      }
    }
  } else {
    std::printf(
        "(stop: part (b) skipped: this build has no jetsvc_ext.h with the stop extension)\n");
  }
  std::filesystem::remove_all(dir);
  measure_disk(" (after)");
  PrintTable("stop: " + FormatCount(static_cast<double>(flags.stop_cache_mb)) +
                 " MiB cache filled with dirty pages; MiB/s = dirty bytes flushed per second",
             "MiB/s", rows);
  double bandwidth = 0;  // the best of the disk measurements
  for (const Row& row : rows) {
    if (row.engine == "disk" && row.ok) bandwidth = std::max(bandwidth, row.m.value);
  }
  for (const Row& row : rows) {
    if (row.engine == "jetsvc" && row.ok && row.m.value > 0 && bandwidth > 0) {
      std::printf(
          "%s: %s MiB/s = %s%% of the disk's sequential write bandwidth (best of the disk rows, %s "
          "MiB/s; target for the stop: >= 70%%)\n",
          row.m.label.c_str(), FormatFixed(row.m.value, 1).c_str(),
          FormatFixed(100.0 * row.m.value / bandwidth, 0).c_str(),
          FormatFixed(bandwidth, 1).c_str());
    }
  }
  PrintMemoryBound(rows, flags.stop_cache_mb);
  return std::all_of(rows.begin(), rows.end(), [](const Row& r) { return r.ok; });
}

}  // namespace bench
