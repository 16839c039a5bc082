// engine_jetsvc.h: the jetsvc adapter, written against the public JET API
// (esent.h) only, as an application would use esent.dll. Besides the common
// Engine interface it exposes the lifecycle steps that the jetsvc-only
// workloads (recovery, stop) time one by one.
//
// Thread contract: as Engine. One JetsvcEngine per process (it owns a JET
// instance).

#ifndef JETSVC_BENCH_ENGINE_JETSVC_H_
#define JETSVC_BENCH_ENGINE_JETSVC_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench/bench_engine.h"
#include "esent.h"

namespace bench {

// Instance parameters the jetsvc-only workloads change; 0 keeps jetsvc's
// default.
struct JetsvcSettings {
  uint64_t log_file_kib = 0;            // JET_paramLogFileSize
  uint64_t checkpoint_depth_bytes = 0;  // JET_paramCheckpointDepthMax
};

// A snapshot of the extension's progress counters (JetsvcGetStopProgress).
struct StopProgress {
  uint64_t dirty_pages = 0;
  uint64_t dirty_bytes = 0;
  uint64_t checkpoint_depth_bytes = 0;  // log bytes recovery would replay now
  uint64_t flushed_since_stop = 0;      // page bytes written since the stop began
};

// What StopAndQuiesce measured.
struct StopTimes {
  bool supported = false;  // false: `note` says why nothing was measured
  std::string note;
  double stop_call_seconds = 0;  // JetStopServiceInstance2 itself
  double quiesce_seconds = 0;    // from the stop call's return until quiesced
  StopProgress after;            // the snapshot once quiesced
};

class JetsvcEngine : public Engine {
 public:
  explicit JetsvcEngine(JetsvcSettings settings = {});
  ~JetsvcEngine() override;

  const char* name() const override { return "jetsvc"; }
  std::string version() const override;
  void Open(const EngineOptions& options) override;
  void Close() override;
  void InsertBatch(const std::vector<Record>& records) override;
  bool Get(const std::string& key, std::string* value) override;
  uint64_t Scan(const std::function<void(std::string_view, std::string_view)>& visit) override;
  std::unique_ptr<Committer> NewCommitter() override;

  // --- lifecycle steps (Open() = Init() + OpenDatabase()) ---------------

  // Creates the instance, sets its parameters and calls JetInit, which runs
  // recovery if the log in options.dir needs it.
  void Init(const EngineOptions& options);
  // Creates or attaches the database, opens it and its table.
  void OpenDatabase(bool create);
  // Replaces the value of an existing key in a transaction of its own;
  // `durable` chooses a full-sync commit over JET_bitCommitLazyFlush.
  void Update(const std::string& key, const std::string& value, bool durable);
  // JetTerm (ESE's default: JetTerm2 with JET_bitTermAbrupt, still clean).
  void Term();
  // JetStopServiceInstance2(All), then JetsvcWaitForQuiesce (up to 10 min).
  StopTimes StopAndQuiesce();
  // JetsvcGetStopProgress; false (and *progress untouched) without the
  // extension.
  bool Progress(StopProgress* progress);
  // Whether this build has the stop extension (jetsvc_ext.h).
  static bool HasStopExtension();

  // The database file and the directory of the log files.
  std::string database_path() const { return dir_ + "/bench.edb"; }
  std::string log_dir() const { return dir_; }

 private:
  JetsvcSettings settings_;
  std::string dir_;
  uint64_t cache_bytes_ = 0;
  JET_INSTANCE instance_ = JET_instanceNil;
  bool initialized_ = false;
  JET_SESID session_ = JET_sesidNil;
  JET_DBID database_ = JET_dbidNil;
  JET_TABLEID table_ = JET_tableidNil;
  JET_COLUMNID key_column_ = 0;
  JET_COLUMNID value_column_ = 0;
};

}  // namespace bench

#endif  // JETSVC_BENCH_ENGINE_JETSVC_H_
