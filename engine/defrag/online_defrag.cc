#include "engine/defrag/online_defrag.h"

#include <algorithm>

#include "engine/btree/btree.h"
#include "engine/btree/mtr.h"
#include "engine/instance/database.h"
#include "engine/instance/instance.h"
#include "esent.h"

namespace jetsvc {

OnlineDefrag::OnlineDefrag(Instance* instance, uint32_t db_id)
    : instance_(instance), db_id_(db_id) {}

OnlineDefrag::~OnlineDefrag() {
  uint32_t passes = 0;
  uint32_t seconds = 0;
  bool was_running = false;
  Stop(&passes, &seconds, &was_running);
}

void OnlineDefrag::Start(uint32_t max_passes, uint32_t max_seconds, bool* already_running) {
  MutexLock lock(&mu_);
  *already_running = running_.load();
  if (*already_running) return;
  if (thread_.joinable()) {
    // A finished task: reap it before starting the next.
    mu_.Unlock();
    thread_.join();
    mu_.Lock();
  }
  stop_ = false;
  running_ = true;
  stats_ = DefragStats();
  error_ = Status::OK();
  started_micros_ = instance_->env()->NowMicros();
  finished_micros_ = 0;
  thread_ = instance_->env()->StartThread(
      "jet-defrag", [this, max_passes, max_seconds] { Run(max_passes, max_seconds); });
}

void OnlineDefrag::Stop(uint32_t* passes, uint32_t* seconds, bool* was_running) {
  {
    MutexLock lock(&mu_);
    *was_running = running_.load();
    stop_ = true;
    cv_.SignalAll();
  }
  if (thread_.joinable()) thread_.join();
  MutexLock lock(&mu_);
  *passes = static_cast<uint32_t>(stats_.passes);
  const uint64_t end = finished_micros_ != 0 ? finished_micros_ : instance_->env()->NowMicros();
  *seconds = started_micros_ == 0 ? 0 : static_cast<uint32_t>((end - started_micros_) / 1000000);
}

void OnlineDefrag::Pause(bool paused) {
  MutexLock lock(&mu_);
  paused_ = paused;
  cv_.SignalAll();
}

DefragStats OnlineDefrag::stats() const {
  MutexLock lock(&mu_);
  return stats_;
}

Status OnlineDefrag::error() const {
  MutexLock lock(&mu_);
  return error_;
}

bool OnlineDefrag::Continue() {
  MutexLock lock(&mu_);
  while (paused_.load() && !stop_.load()) cv_.Wait();
  return !stop_.load() && instance_->state() == InstanceState::kRunning;
}

void OnlineDefrag::Run(uint32_t max_passes, uint32_t max_seconds) {
  Env* env = instance_->env();
  const uint64_t deadline =
      max_seconds == 0 ? UINT64_MAX : env->NowMicros() + uint64_t{max_seconds} * 1000000;
  Status status;
  for (uint32_t pass = 0; max_passes == 0 || pass < max_passes; ++pass) {
    bool changed = false;
    status = Pass(&changed);
    if (status.IsError() || !Continue() || env->NowMicros() >= deadline) break;
    {
      MutexLock lock(&mu_);
      ++stats_.passes;
    }
    if (!changed) break;  // compact: nothing left to do
  }
  MutexLock lock(&mu_);
  if (status.IsError()) error_ = status;
  finished_micros_ = env->NowMicros();
  running_ = false;
}

Status OnlineDefrag::Pass(bool* changed) {
  *changed = false;
  Database* db = instance_->FindDatabase(db_id_);
  if (db == nullptr) return Status::OK();
  // Every user tree, then the catalog.
  std::vector<uint32_t> objids;
  for (uint32_t objid = kFirstUserObjid; objid <= db->MaxObjid(); ++objid) objids.push_back(objid);
  objids.push_back(kCatalogObjid);
  for (uint32_t objid : objids) {
    if (!Continue()) return Status::OK();
    std::shared_ptr<BTree> tree = db->FindTree(objid);
    if (tree == nullptr) continue;
    JET_RETURN_IF_ERROR(DefragTree(db, tree.get(), changed));
  }
  return Status::OK();
}

Status OnlineDefrag::DefragTree(Database* db, BTree* tree, bool* changed) {
  const uint32_t capacity = Page::Capacity(instance_->page_size());
  const TreeId tree_id{db_id_, tree->objid()};
  VersionStore* versions = instance_->versions();
  std::string next;  // the smallest key not visited yet
  while (Continue()) {
    LeafInfo leaf;
    {
      ReaderLock lock(tree->latch());
      JET_RETURN_IF_ERROR(tree->LeafAt(next, &leaf));
    }
    if (!leaf.valid) break;
    {
      MutexLock lock(&mu_);
      ++stats_.leaves_visited;
    }
    MutexLock apply(instance_->apply_mutex());
    JET_RETURN_IF_ERROR(instance_->CheckWritable());
    // Deleted nodes nobody can see any more (a crash lost their cleanup).
    for (const std::string& key : leaf.deleted_keys) {
      if (versions->IsVersioned(tree_id, key)) continue;
      uint8_t flags = 0;
      bool found = false;
      std::string value;
      {
        ReaderLock lock(tree->latch());
        JET_RETURN_IF_ERROR(tree->Get(key, &value, &flags, &found));
      }
      if (!found || (flags & kNodeDeleted) == 0) continue;
      Mtr mtr(instance_->cache(), instance_->log());
      JET_RETURN_IF_ERROR(tree->Remove(&mtr, db->space(), key, &found));
      JET_RETURN_IF_ERROR(mtr.Commit());
      *changed = true;
      MutexLock lock(&mu_);
      ++stats_.purged_nodes;
    }
    if (!leaf.is_root && leaf.used_bytes < capacity / 2) {
      Mtr mtr(instance_->cache(), instance_->log());
      bool merged = false;
      JET_RETURN_IF_ERROR(tree->TryMergeLeaf(&mtr, db->space(), leaf.pgno, &merged));
      JET_RETURN_IF_ERROR(mtr.Commit());
      if (merged) {
        *changed = true;
        MutexLock lock(&mu_);
        ++stats_.merges;
      }
    }
    next = leaf.last_key;
    next.push_back('\0');  // the smallest key after the leaf's last one
  }
  return Status::OK();
}

}  // namespace jetsvc
