// Instance: one ESE instance — its parameters, cache, log, version store,
// attached databases and sessions, and the background work that keeps the
// checkpoint near the log tip and the version store small.
//
// State machine (the function behind each transition):
//
//            Init() ok                   Term() (clean or dirty)
//  kCreated ─────────────► kRunning ─────────────────────────► kTerminated
//     │                      │  ▲                                  ▲
//     │ Init() fails         │  │ StopService(Resume) (issue 4)    │
//     ▼                      ▼  │                                  │
//  (freed by the API)      kRunning + stop flags                   │
//                            │                                     │
//                            │ fatal error (log write, apply)      │
//                            ▼                                     │
//                          kFailed ──────────── Term() ────────────┘
//
// In kFailed every call that would change data returns the sticky error;
// no dirty page is written any more (memory and log may disagree), so the
// next JetInit recovers from the log.
//
// Thread contract: thread-safe. Lock order (DESIGN.md D5): apply_mu_ ->
// tree latches -> frame latches -> cache -> log; dbs_mu_ and sessions_mu_
// are leaves taken for lookups only.

#ifndef JETSVC_ENGINE_INSTANCE_INSTANCE_H_
#define JETSVC_ENGINE_INSTANCE_INSTANCE_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/cache/buffer_cache.h"
#include "engine/checkpoint/checkpoint_file.h"
#include "engine/instance/database.h"
#include "engine/instance/instance_log.h"
#include "engine/instance/params.h"
#include "engine/util/mutex.h"
#include "engine/util/status.h"
#include "engine/version/committer.h"
#include "engine/version/version_store.h"
#include "platform/env.h"

namespace jetsvc {

class OnlineDefrag;
class Session;

enum class InstanceState { kCreated, kRunning, kFailed, kTerminated };

// Where a stop (JetStopServiceInstance2 and the jetsvc extension) stands.
struct StopProgress {
  bool stop_requested = false;    // the stop flag: most calls get -1329
  uint32_t stopped_bits = 0;      // recorded JET_bitStopService* bits (0x1 = All)
  bool quiescing = false;         // flushing toward checkpoint depth 0
  bool quiesced = false;          // nothing left to flush, defrag halted, cleanup done
  uint64_t dirty_pages = 0;
  uint64_t dirty_bytes = 0;
  uint64_t checkpoint_depth_bytes = 0;
  uint64_t version_store_bytes = 0;
  bool defrag_running = false;
  uint64_t bytes_flushed = 0;     // since the stop began
  uint64_t flush_micros = 0;      // time spent writing since the stop began
};

// Counters for tests, benchmarks and the host's progress reports.
struct InstanceStats {
  uint64_t dirty_pages = 0;
  uint64_t dirty_bytes = 0;
  uint64_t checkpoint_depth_bytes = 0;
  uint64_t log_tip = 0;
  uint64_t checkpoint_lsn = 0;
  uint64_t version_store_bytes = 0;
  uint64_t pages_flushed = 0;
  uint64_t bytes_flushed = 0;
  uint64_t records_replayed = 0;  // by the last recovery
  uint64_t commits = 0;
};

class Instance {
 public:
  // The engine's flags for Init (JET_bitReplay*/KeepDbAttached…) pass
  // through unchanged.
  Instance(Env* env, std::string name, std::string display_name, ParamValues params);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  const std::string& name() const { return name_; }
  const std::string& display_name() const { return display_name_; }
  Env* env() const { return env_; }
  InstanceState state() const { return state_.load(); }
  bool initialized() const { return state() == InstanceState::kRunning || state() == InstanceState::kFailed; }

  // Parameters, under the instance's parameter lock (background threads
  // read them while the application sets them). SetParam applies the
  // setting rules of params.h for `state` and, on a running instance, the
  // change itself (cache size, checkpoint depth, version store size,
  // extension size).
  Status SetParam(uint32_t id, uint64_t integer, const char* str, ParamState state);
  Status GetParam(uint32_t id, uint64_t* integer, char* buffer, unsigned long cb_max) const;
  uint64_t Param(uint32_t id) const;
  std::string ParamString(uint32_t id) const;

  // --- lifecycle ---
  // Recovers from the log (if any) and starts the background threads.
  Status Init(uint32_t grbit);
  // JetTerm2. Errors: JET_errTooManyActiveUsers if a session is in a
  // transaction (the instance stays alive); a dirty term returns
  // JET_errDirtyShutdown (-1116) after leaving databases DirtyShutdown.
  Status Term(uint32_t grbit);

  // The sticky error of a failed instance (OK otherwise).
  Status sticky_error();
  // Enters kFailed with `status` (first call wins). Returns `status`.
  Status Fail(const Status& status);
  // OK if the instance may change data; the sticky error otherwise.
  Status CheckWritable();

  // --- sessions ---
  Status BeginSession(Session** session);
  Status EndSession(Session* session);
  size_t session_count();

  // --- databases ---
  // JetCreateDatabase2: creates, attaches; *db_id identifies it.
  Status CreateDatabase(const std::string& path, uint32_t max_pages, uint32_t grbit,
                        uint32_t* db_id);
  // JetAttachDatabase2. JET_wrnDatabaseAttached if it already is.
  Status AttachDatabase(const std::string& path, uint32_t max_pages, uint32_t grbit,
                        uint32_t* db_id);
  // JetDetachDatabase2 for one path ("" = all).
  Status DetachDatabase(const std::string& path, uint32_t grbit);
  // The attached database with this id or path, or null.
  Database* FindDatabase(uint32_t db_id);
  Database* FindDatabaseByPath(const std::string& path);
  std::vector<uint32_t> AttachedDatabases();
  // JetOpenDatabase: finds the attached database and records `session` as
  // its user in one step, so a concurrent detach cannot free it in
  // between. Errors: JET_errDatabaseNotFound (not attached, or being
  // detached).
  Status OpenDatabase(Session* session, const std::string& path, uint32_t* db_id,
                      bool* read_only);
  // Sessions holding the database open (JetOpenDatabase), for detach.
  void AddDatabaseUser(uint32_t db_id, int delta);

  // --- transactions ---
  // Commits the session's level-1 transaction; grbit JET_bitCommitLazyFlush
  // skips the wait for the log.
  Status CommitLevel0(Session* session, uint32_t grbit);
  Status WaitDurable(uint64_t lsn);
  // Waits until every commit so far is durable (JET_bitWaitAllLevel0Commit).
  Status WaitAllCommitsDurable();

  // --- for the layers above ---
  BufferCache* cache() { return cache_.get(); }
  VersionStore* versions() { return &versions_; }
  InstanceLog* log() { return log_.get(); }
  Mutex* apply_mutex() { return &apply_mu_; }
  uint32_t page_size() const { return page_size_; }
  // Hands out object ids for new trees of `db` (not transactional).
  uint32_t NewObjid(uint32_t db_id);
  // Wakes the version cleanup now and waits for one pass (the stop
  // sequence needs that).
  Status RunVersionCleanup();
  // Writes dirty pages until the checkpoint depth is at most `depth`, and
  // updates the checkpoint file.
  Status FlushToDepth(uint64_t depth_bytes);
  InstanceStats Stats();

  // --- stop service (issue 4; reference §3) ---
  // JetStopServiceInstance2. grbit: 0 (All), JET_bitStopServiceBackground-
  // UserTasks, JET_bitStopServiceQuiesceCaches, JET_bitStopServiceStop-
  // AndEmitLog (alone), optionally with JET_bitStopServiceResume. Errors:
  // JET_errInvalidGrbit; JET_errClientRequestToStopJetService for a Resume
  // of an earlier All. On error nothing changes.
  Status StopService(uint32_t grbit);
  // JetStopService / JetStopServiceInstance: halts defrag, signals version
  // cleanup, sets JET_paramCheckpointDepthMax to 16 KiB and the stop flag;
  // records nothing, so a later Resume changes nothing.
  Status StopServiceLegacy();
  bool stop_requested() const { return stop_requested_.load(); }
  StopProgress GetStopProgress();
  // Waits until quiesced (see StopProgress) or `timeout_micros` passes.
  // *quiesced says which.
  Status WaitQuiesced(uint64_t timeout_micros, bool* quiesced);

  // --- online defragmentation (JetDefragment) ---
  // BatchStart / BatchStop on database `db_id`; warnings
  // JET_wrnDefragAlreadyRunning / JET_wrnDefragNotRunning as ESE.
  Status StartDefrag(uint32_t db_id, uint32_t max_passes, uint32_t max_seconds);
  Status StopDefrag(uint32_t db_id, uint32_t* passes, uint32_t* seconds);
  bool DefragRunning();
  // Stops every database's task (term, detach, stop service).
  void StopAllDefrag();

 private:
  class Resolver;
  friend class Resolver;

  void OnParamChanged(uint32_t id);
  Status OpenLog(uint32_t grbit);
  Status Recover(uint32_t grbit);
  Status StartBackground();
  void StopBackground();
  void FlusherLoop();
  // Writes every dirty page in file order and moves the checkpoint to the
  // log tip (the quiesce target).
  Status QuiesceFlush();
  void CleanupLoop();
  // One pass of version cleanup (purges, dropped trees).
  Status CleanupOnce();
  // Computes the checkpoint and writes the file if it moved (or `force`).
  Status UpdateCheckpoint(bool force);
  Lsn ComputeCheckpoint() EXCLUSIVE_LOCKS_REQUIRED(apply_mu_);
  Status AppendAndFlush(const std::string& record, uint64_t* end_lsn)
      EXCLUSIVE_LOCKS_REQUIRED(apply_mu_);
  Status DetachLocked(Database* db, bool clean) EXCLUSIVE_LOCKS_REQUIRED(apply_mu_);
  Status TermClean(bool abrupt);
  Status TermDirty();
  uint32_t FreeDatabaseId() EXCLUSIVE_LOCKS_REQUIRED(apply_mu_);
  std::string CheckpointPath() const;
  LogOptions MakeLogOptions() const;
  DatabaseOptions MakeDatabaseOptions(uint32_t max_pages, bool read_only) const;
  CheckpointData MakeCheckpointData(Lsn checkpoint, bool clean);

  Env* const env_;
  const std::string name_;
  const std::string display_name_;
  mutable Mutex params_mu_;
  ParamValues params_ GUARDED_BY(params_mu_);
  uint32_t page_size_ = 4096;
  std::atomic<InstanceState> state_{InstanceState::kCreated};

  Mutex fail_mu_;
  Status sticky_ GUARDED_BY(fail_mu_);

  std::unique_ptr<BufferCache> cache_;
  std::unique_ptr<InstanceLog> log_;
  VersionStore versions_;
  std::unique_ptr<TreeResolver> resolver_;
  std::unique_ptr<Committer> committer_;

  // The apply mutex: every page change happens under it (DESIGN.md D5).
  Mutex apply_mu_ ACQUIRED_BEFORE(dbs_mu_);
  uint64_t commit_in_progress_begin_ GUARDED_BY(apply_mu_) = 0;
  // Serializes writers of the checkpoint file; taken before apply_mu_, and
  // held (without apply_mu_) across the log wait and the file's sync, so
  // commits do not stall behind checkpoint I/O.
  Mutex checkpoint_mu_ ACQUIRED_BEFORE(apply_mu_);
  uint64_t checkpoint_sequence_ GUARDED_BY(checkpoint_mu_) = 0;
  std::vector<std::pair<uint64_t, TreeId>> pending_drops_ GUARDED_BY(apply_mu_);

  Mutex dbs_mu_;
  std::map<uint32_t, std::unique_ptr<Database>> dbs_ GUARDED_BY(dbs_mu_);
  std::map<uint32_t, int> db_users_ GUARDED_BY(dbs_mu_);
  std::set<uint32_t> detaching_ GUARDED_BY(dbs_mu_);
  std::map<uint32_t, uint32_t> next_objid_ GUARDED_BY(dbs_mu_);
  // Ids of attaches and creates that failed after their attach record was
  // appended: never handed out again by this instance (recovery maps the
  // log's ids to files).
  std::set<uint32_t> abandoned_ids_ GUARDED_BY(dbs_mu_);

  Mutex sessions_mu_;
  std::set<Session*> sessions_ GUARDED_BY(sessions_mu_);

  // Background threads.
  Mutex bg_mu_;
  CondVar bg_cv_{&bg_mu_};
  bool bg_stop_ GUARDED_BY(bg_mu_) = false;
  uint64_t cleanup_requests_ GUARDED_BY(bg_mu_) = 0;
  uint64_t cleanup_passes_ GUARDED_BY(bg_mu_) = 0;
  std::thread flusher_;
  std::thread cleaner_;

  // Stop service.
  Mutex stop_mu_;
  uint32_t stopped_bits_ GUARDED_BY(stop_mu_) = 0;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> quiesce_{false};
  std::atomic<uint64_t> stop_bytes_base_{0};
  std::atomic<uint64_t> stop_started_micros_{0};
  std::atomic<uint64_t> cleanup_passes_at_stop_{0};
  Mutex defrag_mu_ ACQUIRED_AFTER(stop_mu_);
  std::map<uint32_t, std::unique_ptr<OnlineDefrag>> defrag_ GUARDED_BY(defrag_mu_);
  bool defrag_paused_ GUARDED_BY(defrag_mu_) = false;

  std::atomic<uint64_t> checkpoint_lsn_{0};
  std::atomic<uint64_t> last_commit_lsn_{0};
  std::atomic<uint64_t> records_replayed_{0};
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> bytes_flushed_{0};
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_INSTANCE_INSTANCE_H_
