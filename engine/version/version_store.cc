#include "engine/version/version_store.h"

#include <cassert>

#include "engine/util/coding.h"
#include "esent.h"

namespace jetsvc {

namespace {
constexpr int64_t kVersionOverhead = 64;
}  // namespace

VersionStore::VersionStore(uint64_t max_bytes) : max_bytes_(max_bytes) {}

void VersionStore::set_max_bytes(uint64_t max_bytes) { max_bytes_.store(max_bytes); }

std::string VersionStore::ChainKey(TreeId tree, std::string_view key) {
  std::string chain_key;
  chain_key.reserve(8 + key.size());
  PutFixed32(&chain_key, tree.db);
  PutFixed32(&chain_key, tree.objid);
  chain_key.append(key.data(), key.size());
  return chain_key;
}

void VersionStore::Begin(Transaction* trx) {
  MutexLock lock(&mu_);
  assert(!trx->registered_);
  trx->id_ = next_trx_id_++;
  trx->snapshot_ = published_ts();
  trx->level_ = 1;
  trx->locks_.assign(kMaxTransactionLevels + 2, {});
  trx->charged_ = 0;
  trx->registered_ = true;
  snapshots_.insert(trx->snapshot_);
  ++active_;
}

void VersionStore::BeginNested(Transaction* trx) {
  assert(trx->level_ >= 1 && trx->level_ <= kMaxTransactionLevels);
  ++trx->level_;
}

void VersionStore::ReleaseLocksFrom(Transaction* trx, int level) {
  mu_.AssertHeld();
  for (int l = level; l <= kMaxTransactionLevels + 1; ++l) {
    for (const std::string& chain_key : trx->locks_[l]) {
      auto it = chains_.find(chain_key);
      if (it == chains_.end() || it->second.owner != trx) continue;
      it->second.owner = nullptr;
      if (it->second.versions.empty()) chains_.erase(it);
    }
    trx->locks_[l].clear();
  }
}

void VersionStore::RollbackLevel(Transaction* trx) {
  const int level = trx->level_;
  const int64_t freed = trx->writes_.RollbackTo(level);
  MutexLock lock(&mu_);
  ReleaseLocksFrom(trx, level);
  trx->charged_ -= freed;
  ChangeBytes(-freed);
  --trx->level_;
}

void VersionStore::CommitNestedLevel(Transaction* trx) {
  const int level = trx->level_;
  assert(level > 1);
  const int64_t freed = trx->writes_.CommitLevel(level);
  MutexLock lock(&mu_);
  auto& from = trx->locks_[level];
  auto& to = trx->locks_[level - 1];
  for (std::string& chain_key : from) {
    auto it = chains_.find(chain_key);
    if (it != chains_.end() && it->second.owner == trx) it->second.owner_level = level - 1;
    to.push_back(std::move(chain_key));
  }
  from.clear();
  trx->charged_ -= freed;
  ChangeBytes(-freed);
  --trx->level_;
}

void VersionStore::End(Transaction* trx) {
  MutexLock lock(&mu_);
  if (!trx->registered_) return;
  ReleaseLocksFrom(trx, 0);
  ChangeBytes(-trx->charged_);
  trx->charged_ = 0;
  trx->writes_.Clear();
  auto it = snapshots_.find(trx->snapshot_);
  if (it != snapshots_.end()) snapshots_.erase(it);
  --active_;
  trx->registered_ = false;
  trx->level_ = 0;
}

uint64_t VersionStore::AcquireSnapshot() {
  MutexLock lock(&mu_);
  const uint64_t snapshot = published_ts();
  snapshots_.insert(snapshot);
  return snapshot;
}

void VersionStore::ReleaseSnapshot(uint64_t snapshot) {
  MutexLock lock(&mu_);
  auto it = snapshots_.find(snapshot);
  if (it != snapshots_.end()) snapshots_.erase(it);
}

Status VersionStore::CheckConflict(Transaction* trx, TreeId tree, std::string_view key) {
  MutexLock lock(&mu_);
  auto it = chains_.find(ChainKey(tree, key));
  if (it == chains_.end()) return Status::OK();
  const Chain& chain = it->second;
  if ((chain.owner != nullptr && chain.owner != trx) ||
      (!chain.versions.empty() && chain.versions.back().commit_ts > trx->snapshot_)) {
    return Status::FromCode(JET_errWriteConflict, "the record is being changed by another session");
  }
  return Status::OK();
}

Status VersionStore::Write(Transaction* trx, TreeId tree, std::string_view key,
                           const std::string_view* value) {
  assert(trx->registered_ && trx->level_ >= 1);
  std::string chain_key = ChainKey(tree, key);
  {
    MutexLock lock(&mu_);
    auto it = chains_.find(chain_key);
    if (it != chains_.end()) {
      const Chain& chain = it->second;
      if (chain.owner != nullptr && chain.owner != trx) {
        return Status::FromCode(JET_errWriteConflict,
                                "the record is being changed by another session");
      }
      if (!chain.versions.empty() && chain.versions.back().commit_ts > trx->snapshot_) {
        return Status::FromCode(JET_errWriteConflict,
                                "the record was changed by a transaction that committed "
                                "after this one began");
      }
    }
    // Budget check before anything changes.
    const int64_t estimate = static_cast<int64_t>(key.size() + (value ? value->size() : 0) + 48);
    if (bytes_.load() + static_cast<uint64_t>(estimate) > max_bytes_.load()) {
      return Status::FromCode(JET_errVersionStoreOutOfMemory,
                              "the version store is full (" + std::to_string(bytes_.load()) +
                                  " of " + std::to_string(max_bytes_.load()) +
                                  " bytes); commit or roll back long transactions, or "
                                  "raise JET_paramMaxVerPages");
    }
    Chain& chain = chains_[chain_key];
    if (chain.owner == nullptr) {
      chain.owner = trx;
      chain.owner_level = trx->level_;
      trx->locks_[trx->level_].push_back(std::move(chain_key));
    }
  }
  const int64_t delta = value != nullptr ? trx->writes_.Put(tree, key, *value, trx->level_)
                                         : trx->writes_.Delete(tree, key, trx->level_);
  trx->charged_ += delta;
  ChangeBytes(delta);
  return Status::OK();
}

void VersionStore::AddVersion(TreeId tree, std::string_view key, uint64_t commit_ts,
                              const std::string* before, bool is_delete) {
  MutexLock lock(&mu_);
  Chain& chain = chains_[ChainKey(tree, key)];
  assert(chain.versions.empty() || chain.versions.back().commit_ts < commit_ts);
  Version version{commit_ts, before != nullptr, before != nullptr ? *before : std::string()};
  ChangeBytes(kVersionOverhead + static_cast<int64_t>(key.size() + version.before.size()));
  chain.versions.push_back(std::move(version));
  ++version_count_;
  uint64_t& last = last_commit_ts_[TreeKey(tree)];
  if (commit_ts > last) last = commit_ts;
  if (is_delete) purges_.push_back(Purge{commit_ts, PurgeItem{tree, std::string(key)}});
}

void VersionStore::Publish(uint64_t commit_ts) {
  assert(commit_ts > published_ts());
  published_ts_.store(commit_ts, std::memory_order_release);
}

uint64_t VersionStore::LastCommitTs(TreeId tree) {
  MutexLock lock(&mu_);
  auto it = last_commit_ts_.find(TreeKey(tree));
  return it == last_commit_ts_.end() ? 0 : it->second;
}

bool VersionStore::BeforeImage(TreeId tree, std::string_view key, uint64_t snapshot,
                               std::string* value, bool* exists) {
  MutexLock lock(&mu_);
  auto it = chains_.find(ChainKey(tree, key));
  if (it == chains_.end()) return false;
  for (const Version& version : it->second.versions) {
    if (version.commit_ts > snapshot) {
      *exists = version.existed;
      if (version.existed) value->assign(version.before);
      return true;
    }
  }
  return false;
}

bool VersionStore::IsVersioned(TreeId tree, std::string_view key) {
  MutexLock lock(&mu_);
  return chains_.count(ChainKey(tree, key)) != 0;
}

uint64_t VersionStore::OldestSnapshotLocked() {
  mu_.AssertHeld();
  return snapshots_.empty() ? published_ts() : *snapshots_.begin();
}

uint64_t VersionStore::OldestSnapshot() {
  MutexLock lock(&mu_);
  return OldestSnapshotLocked();
}

uint64_t VersionStore::Cleanup(std::vector<PurgeItem>* purge) {
  MutexLock lock(&mu_);
  const uint64_t oldest = OldestSnapshotLocked();
  uint64_t dropped = 0;
  for (auto it = chains_.begin(); it != chains_.end();) {
    Chain& chain = it->second;
    size_t drop = 0;
    while (drop < chain.versions.size() && chain.versions[drop].commit_ts <= oldest) {
      const Version& version = chain.versions[drop];
      ChangeBytes(-(kVersionOverhead +
                    static_cast<int64_t>(it->first.size() - 8 + version.before.size())));
      ++drop;
    }
    if (drop > 0) {
      chain.versions.erase(chain.versions.begin(), chain.versions.begin() + drop);
      version_count_ -= drop;
      dropped += drop;
    }
    if (chain.versions.empty() && chain.owner == nullptr) {
      it = chains_.erase(it);
    } else {
      ++it;
    }
  }
  // A deleted key still locked by a writer waits for the writer to finish.
  std::vector<Purge> still_locked;
  while (!purges_.empty() && purges_.front().commit_ts <= oldest) {
    Purge& entry = purges_.front();
    auto chain = chains_.find(ChainKey(entry.item.tree, entry.item.key));
    if (chain == chains_.end()) {
      purge->push_back(std::move(entry.item));
    } else if (chain->second.versions.empty()) {
      still_locked.push_back(std::move(entry));
    }
    purges_.pop_front();
  }
  for (Purge& entry : still_locked) purges_.push_back(std::move(entry));
  return dropped;
}

VersionStats VersionStore::Stats() {
  MutexLock lock(&mu_);
  VersionStats stats;
  stats.bytes = bytes_.load();
  stats.max_bytes = max_bytes_.load();
  stats.versions = version_count_;
  stats.chains = chains_.size();
  stats.active_transactions = active_;
  stats.pending_purges = purges_.size();
  stats.oldest_snapshot = OldestSnapshotLocked();
  stats.published_ts = published_ts();
  return stats;
}

}  // namespace jetsvc
