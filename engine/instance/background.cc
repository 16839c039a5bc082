// Instance background work:
//  - the flusher writes the oldest dirty pages so the checkpoint depth (log
//    tip minus checkpoint) stays under JET_paramCheckpointDepthMax, and
//    moves the checkpoint file forward (deleting old generations when
//    circular logging is on);
//  - the cleaner drops versions no snapshot needs, removes flag-deleted
//    nodes behind them, and frees the pages of dropped trees.
// Both stop at Term. Neither runs on a failed instance.

#include <algorithm>
#include <chrono>

#include "engine/instance/instance.h"
#include "esent.h"

namespace jetsvc {

namespace {
constexpr auto kFlusherPeriod = std::chrono::milliseconds(100);
constexpr auto kQuiescePeriod = std::chrono::milliseconds(5);
constexpr auto kCleanerPeriod = std::chrono::milliseconds(50);
constexpr size_t kFlushBatchPages = 512;
}  // namespace

Status Instance::StartBackground() {
  {
    MutexLock lock(&bg_mu_);
    bg_stop_ = false;
  }
  flusher_ = env_->StartThread("jet-flush", [this] { FlusherLoop(); });
  cleaner_ = env_->StartThread("jet-cleanup", [this] { CleanupLoop(); });
  return Status::OK();
}

void Instance::StopBackground() {
  {
    MutexLock lock(&bg_mu_);
    bg_stop_ = true;
    bg_cv_.SignalAll();
  }
  if (flusher_.joinable()) flusher_.join();
  if (cleaner_.joinable()) cleaner_.join();
}

void Instance::FlusherLoop() {
  for (;;) {
    {
      MutexLock lock(&bg_mu_);
      if (bg_stop_) return;
      bg_cv_.WaitFor(quiesce_.load() || stop_requested_.load() ? kQuiescePeriod : kFlusherPeriod);
      if (bg_stop_) return;
    }
    if (state() != InstanceState::kRunning) continue;
    Status status;
    if (quiesce_.load() || stop_requested_.load()) {
      // Stopping: everything goes out, in file order, and the checkpoint
      // follows the log tip.
      status = QuiesceFlush();
      MutexLock lock(&bg_mu_);
      bg_cv_.SignalAll();  // WaitQuiesced looks again
    } else {
      // Start writing at half the allowed depth, so the limit is not
      // reached under a steady load.
      const uint64_t limit = Param(JET_paramCheckpointDepthMax);
      status = FlushToDepth(limit / 2);
    }
    if (status.IsError() && state() == InstanceState::kRunning) Fail(status).PermitUnchecked();
  }
}

Status Instance::QuiesceFlush() {
  for (int round = 0; round < 16; ++round) {
    // Sorted by database and page number, in one call: sequential writes of
    // coalesced runs and one sync per database at the end.
    auto pages = cache_->AllDirty(BufferCache::kAllDatabases);
    if (pages.empty()) break;
    uint64_t written = 0;
    JET_RETURN_IF_ERROR(cache_->WritePages(std::move(pages), &written));
    bytes_flushed_ += written;
  }
  return UpdateCheckpoint(/*force=*/false);
}

Lsn Instance::ComputeCheckpoint() {
  apply_mu_.AssertHeld();
  // Under the apply mutex no MTR sits between its log append and its
  // MarkDirty, and no commit is half applied.
  const Lsn tip = log_->tip();
  return std::min<Lsn>(tip, cache_->OldestDirtyLsn());
}

Status Instance::FlushToDepth(uint64_t depth_bytes) {
  if (!log_->enabled()) return Status::OK();
  for (int round = 0; round < 100000; ++round) {
    Lsn checkpoint;
    Lsn tip;
    {
      MutexLock apply(&apply_mu_);
      checkpoint = ComputeCheckpoint();
      tip = log_->tip();
    }
    const uint64_t depth = LogBytesBetween(log_->writer()->options(), checkpoint, tip);
    if (depth <= depth_bytes) break;
    auto pages = cache_->OldestDirty(UINT64_MAX, kFlushBatchPages);
    if (pages.empty()) break;
    uint64_t written = 0;
    JET_RETURN_IF_ERROR(cache_->WritePages(std::move(pages), &written));
    bytes_flushed_ += written;
  }
  return UpdateCheckpoint(/*force=*/false);
}

Status Instance::UpdateCheckpoint(bool force) {
  if (log_ == nullptr || !log_->enabled() || state() == InstanceState::kFailed) {
    return Status::OK();
  }
  MutexLock writer(&checkpoint_mu_);
  CheckpointData data;
  {
    // The position and the databases' dbtimes, taken together.
    MutexLock apply(&apply_mu_);
    const Lsn checkpoint = ComputeCheckpoint();
    if (!force && checkpoint == checkpoint_lsn_.load()) return Status::OK();
    data = MakeCheckpointData(checkpoint, false);
  }
  // The log must reach the checkpoint before the file names it.
  JET_RETURN_IF_ERROR(log_->WaitDurable(data.checkpoint));
  data.sequence = checkpoint_sequence_;
  JET_RETURN_IF_ERROR(WriteCheckpointFile(env_, CheckpointPath(), &data));
  checkpoint_sequence_ = data.sequence;
  if (log_->writer()->options().circular) {
    JET_RETURN_IF_ERROR(log_->writer()->DeleteGenerationsBelow(LsnGeneration(data.checkpoint)));
  }
  // Published only now, after the circular log's deletions: a stop counts
  // as quiesced once checkpoint_lsn_ reaches the tip (GetStopProgress), and
  // deleting a GiB of old generations takes a second that JetTerm would
  // otherwise pay.
  checkpoint_lsn_ = data.checkpoint;
  return Status::OK();
}

void Instance::CleanupLoop() {
  for (;;) {
    uint64_t requests = 0;
    {
      MutexLock lock(&bg_mu_);
      if (bg_stop_) return;
      if (cleanup_requests_ == cleanup_passes_) bg_cv_.WaitFor(kCleanerPeriod);
      if (bg_stop_) return;
      requests = cleanup_requests_;
    }
    if (state() == InstanceState::kRunning) {
      Status status = CleanupOnce();
      if (status.IsError() && state() == InstanceState::kRunning) Fail(status).PermitUnchecked();
    }
    MutexLock lock(&bg_mu_);
    cleanup_passes_ = std::max(cleanup_passes_, requests);
    bg_cv_.SignalAll();
  }
}

Status Instance::RunVersionCleanup() {
  MutexLock lock(&bg_mu_);
  const uint64_t target = ++cleanup_requests_;
  bg_cv_.SignalAll();
  while (cleanup_passes_ < target && !bg_stop_) bg_cv_.Wait();
  return Status::OK();
}

Status Instance::CleanupOnce() {
  if (state() != InstanceState::kRunning) return Status::OK();
  std::vector<PurgeItem> purge;
  versions_.Cleanup(&purge);
  const uint64_t oldest = versions_.OldestSnapshot();
  MutexLock apply(&apply_mu_);
  for (const PurgeItem& item : purge) {
    Database* db = FindDatabase(item.tree.db);
    if (db == nullptr) continue;
    std::shared_ptr<BTree> tree = db->FindTree(item.tree.objid);
    if (tree == nullptr) continue;
    // Still deleted and unclaimed? A new writer may have locked the key
    // since the version went away.
    if (versions_.IsVersioned(item.tree, item.key)) continue;
    uint8_t flags = 0;
    bool found = false;
    std::string value;
    {
      ReaderLock lock(tree->latch());
      JET_RETURN_IF_ERROR(tree->Get(item.key, &value, &flags, &found));
    }
    if (!found || (flags & kNodeDeleted) == 0) continue;
    Mtr mtr(cache_.get(), log_.get());
    JET_RETURN_IF_ERROR(tree->Remove(&mtr, db->space(), item.key, &found));
    JET_RETURN_IF_ERROR(mtr.Commit());
  }
  // Dropped trees whose drop every snapshot now sees.
  for (auto it = pending_drops_.begin(); it != pending_drops_.end();) {
    if (it->first > oldest) {
      ++it;
      continue;
    }
    Database* db = FindDatabase(it->second.db);
    bool freed = true;
    if (db != nullptr) {
      JET_RETURN_IF_ERROR(db->FreeDroppedTree(log_.get(), cache_.get(), it->second.objid, &freed));
    }
    it = freed ? pending_drops_.erase(it) : std::next(it);
  }
  return Status::OK();
}

}  // namespace jetsvc
