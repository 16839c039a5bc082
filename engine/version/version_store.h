// VersionStore: snapshots, write locks and before-images (DESIGN.md D2).
//
// Visibility rule: a reader at snapshot S sees, for key K of tree T, the
// before-image of the oldest version of (T, K) whose commit_ts > S; if there
// is none, the B+tree node (absent if flag-deleted). Its own uncommitted
// writes (its WriteSet) come first.
//
// Invariants:
//  1. Versions of one key are kept in increasing commit_ts order.
//  2. A version is dropped only when commit_ts <= the oldest registered
//     snapshot, so every registered reader still finds what it needs.
//  3. A key has at most one lock owner, an active transaction; the owner is
//     the only one that may write the key until it commits or rolls back the
//     level that first wrote it.
//  4. A writer's snapshot must be >= the newest version of every key it
//     locks; otherwise it gets JET_errWriteConflict (first committer wins).
//  5. Commits publish timestamps in increasing order, after their changes
//     are on the pages; AddVersion runs before the page change, so a reader
//     holding the tree latch either sees the version or the old page.
//
// The budget (JET_paramMaxVerPages x JET_paramVerPageSize) limits the bytes
// of write sets and versions: a write that would pass it gets
// JET_errVersionStoreOutOfMemory and its transaction can still roll back.
// Versions made by a commit are never refused.
//
// Thread contract: thread-safe (one mutex).

#ifndef JETSVC_ENGINE_VERSION_VERSION_STORE_H_
#define JETSVC_ENGINE_VERSION_VERSION_STORE_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/util/mutex.h"
#include "engine/util/status.h"
#include "engine/version/write_set.h"

namespace jetsvc {

constexpr int kMaxTransactionLevels = 7;

// A level-0 transaction of one session and everything it holds.
class Transaction {
 public:
  Transaction() = default;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  uint64_t id() const { return id_; }
  uint64_t snapshot() const { return snapshot_; }
  int level() const { return level_; }
  WriteSet& writes() { return writes_; }
  const WriteSet& writes() const { return writes_; }

 private:
  friend class VersionStore;
  uint64_t id_ = 0;
  uint64_t snapshot_ = 0;
  int level_ = 0;  // 1..7 while active
  WriteSet writes_;
  // Version keys first locked at each level (index = level).
  std::vector<std::vector<std::string>> locks_;
  int64_t charged_ = 0;
  bool registered_ = false;
};

struct VersionStats {
  uint64_t bytes = 0;          // write sets + versions
  uint64_t max_bytes = 0;
  uint64_t versions = 0;
  uint64_t chains = 0;
  uint64_t active_transactions = 0;
  uint64_t pending_purges = 0;
  uint64_t oldest_snapshot = 0;
  uint64_t published_ts = 0;
};

// A flag-deleted node whose versions are gone: cleanup removes it.
struct PurgeItem {
  TreeId tree;
  std::string key;
};

class VersionStore {
 public:
  explicit VersionStore(uint64_t max_bytes);
  VersionStore(const VersionStore&) = delete;
  VersionStore& operator=(const VersionStore&) = delete;

  void set_max_bytes(uint64_t max_bytes);

  // --- transactions and snapshots ---
  // Starts `trx` at level 1 with the current snapshot.
  void Begin(Transaction* trx);
  // Nesting: level + 1. REQUIRES: level <= kMaxTransactionLevels (the
  // engine may use one level past the client's limit for its own
  // savepoints).
  void BeginNested(Transaction* trx);
  // Undoes the newest level: its writes and the locks it took.
  void RollbackLevel(Transaction* trx);
  // Folds the newest level (> 1) into the one below.
  void CommitNestedLevel(Transaction* trx);
  // Ends the transaction: releases its locks, budget and snapshot. Used
  // after a level-0 commit is applied, or to roll back everything.
  void End(Transaction* trx);

  // A snapshot for a read outside any transaction, registered while the
  // returned token lives (see SnapshotGuard).
  uint64_t AcquireSnapshot();
  void ReleaseSnapshot(uint64_t snapshot);
  uint64_t published_ts() const { return published_ts_.load(std::memory_order_acquire); }

  // --- writes ---
  // JET_errWriteConflict if `trx` could not write key now (another
  // transaction holds it, or it changed after trx's snapshot).
  Status CheckConflict(Transaction* trx, TreeId tree, std::string_view key);
  // Locks key for trx (invariants 3 and 4), then records the write in
  // trx's write set and charges the budget. `value` null = delete.
  Status Write(Transaction* trx, TreeId tree, std::string_view key,
               const std::string_view* value);

  // --- commit (the caller holds the apply mutex) ---
  uint64_t NextCommitTs() const { return published_ts() + 1; }
  // Records the before-image of key before a commit changes it (null =
  // absent before). Also remembers deletes for cleanup.
  void AddVersion(TreeId tree, std::string_view key, uint64_t commit_ts,
                  const std::string* before, bool is_delete);
  void Publish(uint64_t commit_ts);

  // --- reads ---
  // The newest commit_ts that changed `tree`; readers whose snapshot is at
  // or past it can use the page as is. Call with the tree latch held.
  uint64_t LastCommitTs(TreeId tree);
  // If a version of key newer than `snapshot` exists, sets *value/*exists
  // to its before-image and returns true.
  bool BeforeImage(TreeId tree, std::string_view key, uint64_t snapshot, std::string* value,
                   bool* exists);
  // True if the key has versions or a lock (cleanup must leave it alone).
  bool IsVersioned(TreeId tree, std::string_view key);

  // --- cleanup ---
  // Drops versions no snapshot needs (invariant 2) and returns the deleted
  // keys whose node can now be removed. Returns the number of versions
  // dropped.
  uint64_t Cleanup(std::vector<PurgeItem>* purge);
  uint64_t OldestSnapshot();
  VersionStats Stats();
  uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  struct Version {
    uint64_t commit_ts;
    bool existed;
    std::string before;
  };
  struct Chain {
    Transaction* owner = nullptr;
    int owner_level = 0;
    // Oldest first; usually one (a vector: a deque allocates a whole block
    // per key).
    std::vector<Version> versions;
  };
  struct Purge {
    uint64_t commit_ts;
    PurgeItem item;
  };

  static std::string ChainKey(TreeId tree, std::string_view key);
  static uint64_t TreeKey(TreeId tree) {
    return (static_cast<uint64_t>(tree.db) << 32) | tree.objid;
  }
  uint64_t OldestSnapshotLocked() EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ReleaseLocksFrom(Transaction* trx, int level) EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ChangeBytes(int64_t delta) {
    bytes_.fetch_add(static_cast<uint64_t>(delta), std::memory_order_relaxed);
  }

  Mutex mu_;
  std::atomic<uint64_t> max_bytes_;
  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint64_t> published_ts_{0};
  uint64_t next_trx_id_ GUARDED_BY(mu_) = 1;
  std::multiset<uint64_t> snapshots_ GUARDED_BY(mu_);
  uint64_t active_ GUARDED_BY(mu_) = 0;
  std::unordered_map<std::string, Chain> chains_ GUARDED_BY(mu_);
  std::unordered_map<uint64_t, uint64_t> last_commit_ts_ GUARDED_BY(mu_);
  std::deque<Purge> purges_ GUARDED_BY(mu_);
  uint64_t version_count_ GUARDED_BY(mu_) = 0;
};

// Registers a snapshot for one read outside a transaction.
class SnapshotGuard {
 public:
  explicit SnapshotGuard(VersionStore* store)
      : store_(store), snapshot_(store->AcquireSnapshot()) {}
  ~SnapshotGuard() { store_->ReleaseSnapshot(snapshot_); }
  SnapshotGuard(const SnapshotGuard&) = delete;
  SnapshotGuard& operator=(const SnapshotGuard&) = delete;
  uint64_t snapshot() const { return snapshot_; }

 private:
  VersionStore* const store_;
  const uint64_t snapshot_;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_VERSION_VERSION_STORE_H_
