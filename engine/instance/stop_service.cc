// Instance: the stop service (JetStopServiceInstance2, reference §3) and
// online defragmentation control.
//
// Bits recorded in stopped_bits_ (ESE's m_grbitStopped):
//   0x1  the internal "All" marker: the stop flag is set, a Resume fails
//   0x2  background user tasks (defrag) paused
//   0x4  caches quiescing: the flusher writes every dirty page, in file
//        order, and keeps the checkpoint at the log tip
// jetsvc extension: where ESE only lowers the checkpoint target to 16 KiB
// and waits for nothing, quiescing flushes toward depth 0 and
// GetStopProgress/WaitQuiesced let a host report progress and wait.

#include <algorithm>
#include <chrono>

#include "engine/defrag/online_defrag.h"
#include "engine/instance/instance.h"
#include "esent.h"

namespace jetsvc {

namespace {
constexpr uint32_t kStopAllMarker = 0x1;
constexpr uint64_t kLegacyStopDepth = 16384;
}  // namespace

Status Instance::StopService(uint32_t grbit) {
  const uint32_t known = JET_bitStopServiceBackgroundUserTasks |
                         JET_bitStopServiceQuiesceCaches | JET_bitStopServiceResume;
  if (grbit & ~known) {
    return Status::FromCode(JET_errInvalidGrbit,
                            "JetStopServiceInstance2 takes JET_bitStopServiceAll, "
                            "BackgroundUserTasks, QuiesceCaches and Resume");
  }
  if (!initialized()) return Status::FromCode(JET_errNotInitialized, "the instance is not initialized");
  MutexLock lock(&stop_mu_);
  if (grbit & JET_bitStopServiceResume) {
    const uint32_t bits = grbit & ~static_cast<uint32_t>(JET_bitStopServiceResume);
    const uint32_t target = bits == 0 ? stopped_bits_ : bits;
    if (target & kStopAllMarker) {
      return Status::FromCode(JET_errClientRequestToStopJetService,
                              "the instance was stopped with JET_bitStopServiceAll and cannot "
                              "resume: terminate it");
    }
    if (target & JET_bitStopServiceQuiesceCaches) quiesce_ = false;
    if (target & JET_bitStopServiceBackgroundUserTasks) {
      MutexLock defrag(&defrag_mu_);
      defrag_paused_ = false;
      for (auto& [db_id, task] : defrag_) task->Pause(false);
    }
    stopped_bits_ &= ~target;
    return Status::OK();
  }
  const bool all = grbit == 0;
  const uint32_t bits = all ? (kStopAllMarker | JET_bitStopServiceBackgroundUserTasks |
                               JET_bitStopServiceQuiesceCaches)
                            : grbit;
  if (all) StopAllDefrag();  // ESE's legacy step 1: the defrag threads end
  bool paused_now = false;
  if (bits & JET_bitStopServiceBackgroundUserTasks) {
    MutexLock defrag(&defrag_mu_);
    paused_now = !defrag_paused_;
    defrag_paused_ = true;
    for (auto& [db_id, task] : defrag_) task->Pause(true);
  }
  if (bits & JET_bitStopServiceQuiesceCaches) {
    // Version cleanup now; the log written to its tip before the quiesce.
    {
      MutexLock bg(&bg_mu_);
      cleanup_passes_at_stop_ = cleanup_passes_;
      ++cleanup_requests_;
      bg_cv_.SignalAll();
    }
    Status flushed = log_->WaitDurable(log_->tip());
    if (flushed.IsError()) {
      if (paused_now) {  // nothing changes when the stop fails
        MutexLock defrag(&defrag_mu_);
        defrag_paused_ = false;
        for (auto& [db_id, task] : defrag_) task->Pause(false);
      }
      return Fail(flushed);
    }
    if (!quiesce_.exchange(true)) {
      stop_bytes_base_ = cache_->Stats().bytes_submitted;
      stop_started_micros_ = env_->NowMicros();
    }
    MutexLock bg(&bg_mu_);
    bg_cv_.SignalAll();  // the flusher starts at once
  }
  stopped_bits_ |= bits;
  if (all) stop_requested_ = true;
  return Status::OK();
}

Status Instance::StopServiceLegacy() {
  if (!initialized()) return Status::FromCode(JET_errNotInitialized, "the instance is not initialized");
  StopAllDefrag();
  {
    MutexLock params(&params_mu_);
    params_.Set(JET_paramCheckpointDepthMax, kLegacyStopDepth, nullptr,
                ParamState::kInstanceInitialized)
        .PermitUnchecked();  // ESE ignores errors here too
  }
  MutexLock bg(&bg_mu_);
  ++cleanup_requests_;
  stop_requested_ = true;
  if (stop_started_micros_.load() == 0) {
    stop_bytes_base_ = cache_->Stats().bytes_submitted;
    stop_started_micros_ = env_->NowMicros();
  }
  bg_cv_.SignalAll();
  return Status::OK();
}

StopProgress Instance::GetStopProgress() {
  StopProgress progress;
  {
    MutexLock lock(&stop_mu_);
    progress.stopped_bits = stopped_bits_;
  }
  progress.stop_requested = stop_requested_.load();
  progress.quiescing = quiesce_.load();
  const InstanceStats stats = Stats();
  progress.dirty_pages = stats.dirty_pages;
  progress.dirty_bytes = stats.dirty_bytes;
  progress.checkpoint_depth_bytes = stats.checkpoint_depth_bytes;
  progress.version_store_bytes = stats.version_store_bytes;
  progress.defrag_running = DefragRunning();
  progress.bytes_flushed = stats.bytes_flushed - std::min(stats.bytes_flushed, stop_bytes_base_.load());
  const uint64_t started = stop_started_micros_.load();
  progress.flush_micros = started == 0 ? 0 : env_->NowMicros() - started;
  bool cleaned = false;
  {
    MutexLock bg(&bg_mu_);
    cleaned = cleanup_passes_ > cleanup_passes_at_stop_.load();
  }
  const bool at_tip = !log_->enabled() || checkpoint_lsn_.load() == log_->tip();
  progress.quiesced = (progress.quiescing || progress.stop_requested) &&
                      progress.dirty_pages == 0 && at_tip && !progress.defrag_running && cleaned;
  return progress;
}

Status Instance::WaitQuiesced(uint64_t timeout_micros, bool* quiesced) {
  *quiesced = false;
  if (!quiesce_.load() && !stop_requested_.load()) {
    return Status::FromCode(JET_errInvalidOperation,
                            "no stop is in progress: call JetStopServiceInstance2 first");
  }
  const uint64_t deadline = env_->NowMicros() + timeout_micros;
  for (;;) {
    JET_RETURN_IF_ERROR(sticky_error());
    if (GetStopProgress().quiesced) {
      *quiesced = true;
      return Status::OK();
    }
    const uint64_t now = env_->NowMicros();
    if (now >= deadline) return Status::OK();
    MutexLock bg(&bg_mu_);
    bg_cv_.WaitFor(std::chrono::microseconds(std::min<uint64_t>(deadline - now, 5000)));
  }
}

// --- online defragmentation ---

Status Instance::StartDefrag(uint32_t db_id, uint32_t max_passes, uint32_t max_seconds) {
  if (Param(JET_paramEnableOnlineDefrag) == JET_OnlineDefragDisable) return Status::OK();
  if (FindDatabase(db_id) == nullptr) {
    return Status::FromCode(JET_errInvalidDatabaseId, "the database is not attached");
  }
  JET_RETURN_IF_ERROR(CheckWritable());
  MutexLock lock(&defrag_mu_);
  auto& task = defrag_[db_id];
  if (task == nullptr) task = std::make_unique<OnlineDefrag>(this, db_id);
  bool already = false;
  task->Start(max_passes, max_seconds, &already);
  if (defrag_paused_) task->Pause(true);
  return already ? Status::Warning(JET_wrnDefragAlreadyRunning) : Status::OK();
}

Status Instance::StopDefrag(uint32_t db_id, uint32_t* passes, uint32_t* seconds) {
  *passes = 0;
  *seconds = 0;
  OnlineDefrag* task = nullptr;
  {
    MutexLock lock(&defrag_mu_);
    auto it = defrag_.find(db_id);
    if (it != defrag_.end()) task = it->second.get();
  }
  bool was_running = false;
  if (task != nullptr) task->Stop(passes, seconds, &was_running);
  return was_running ? Status::OK() : Status::Warning(JET_wrnDefragNotRunning);
}

bool Instance::DefragRunning() {
  MutexLock lock(&defrag_mu_);
  for (const auto& [db_id, task] : defrag_) {
    if (task->running()) return true;
  }
  return false;
}

void Instance::StopAllDefrag() {
  std::map<uint32_t, std::unique_ptr<OnlineDefrag>> tasks;
  {
    MutexLock lock(&defrag_mu_);
    tasks.swap(defrag_);
  }
  // Joined without locks held: a task step takes the apply mutex.
  tasks.clear();
}

}  // namespace jetsvc
