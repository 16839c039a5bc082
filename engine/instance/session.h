// Session: one JET_SESID — its transaction, open databases and cursors.
//
// Transaction levels follow ESE: JetBeginTransaction nests up to 7 levels
// (JET_errTransTooDeep beyond); committing or rolling back a nested level
// affects only that level; the level-0 commit applies the write set.
//
// Thread contract: a session is used by one thread at a time; the API layer
// detects concurrent use (JET_errSessionSharingViolation).

#ifndef JETSVC_ENGINE_INSTANCE_SESSION_H_
#define JETSVC_ENGINE_INSTANCE_SESSION_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "engine/util/status.h"
#include "engine/version/version_store.h"
#include "engine/version/versioned_cursor.h"

namespace jetsvc {

class Instance;

// Something that must hear about transaction ends (table cursors cancel
// updates prepared inside a rolled-back level).
class TransactionListener {
 public:
  virtual ~TransactionListener() = default;
  // `level` was rolled back (the session is now at level - 1).
  virtual void OnRollback(int level) = 0;
};

class Session {
 public:
  explicit Session(Instance* instance);
  // Rolls back an open transaction and closes the session's databases.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Instance* instance() const { return instance_; }
  int level() const { return trx_ != nullptr ? trx_->level() : 0; }
  // The level-0 transaction, or null outside a transaction.
  Transaction* trx() { return trx_.get(); }

  // JetBeginTransaction. Errors: JET_errTransTooDeep.
  Status Begin();
  // One more level for the engine's own atomic steps (a JetUpdate's
  // savepoint); may go one level past the client's limit of 7.
  Status BeginSavepoint();
  // Undoes the newest level (the savepoint).
  void RollbackSavepoint() { Rollback(0).PermitUnchecked(); }
  // JetCommitTransaction (grbit: JET_bitCommitLazyFlush,
  // JET_bitWaitLastLevel0Commit, JET_bitWaitAllLevel0Commit). Errors:
  // JET_errNotInTransaction (unless only waiting).
  Status Commit(uint32_t grbit);
  // JetRollback (JET_bitRollbackAll). Errors: JET_errNotInTransaction.
  Status Rollback(uint32_t grbit);
  // Called by Instance::CommitLevel0 when the level-0 commit is done.
  void EndTransaction(uint64_t commit_lsn);

  // What this session reads: its write set and snapshot, or, outside a
  // transaction, `fallback_snapshot` (from a SnapshotGuard).
  ReadView View(uint64_t fallback_snapshot) const;

  // JetOpenDatabase / JetCloseDatabase bookkeeping. OpenDatabase also
  // counts the session as a user of the database; RecordOpen only notes it
  // (Instance::OpenDatabase has counted it already).
  void OpenDatabase(uint32_t db_id);
  void RecordOpen(uint32_t db_id) { ++open_dbs_[db_id]; }
  Status CloseDatabase(uint32_t db_id);
  bool HasDatabaseOpen(uint32_t db_id) const { return open_dbs_.count(db_id) != 0; }
  const std::map<uint32_t, int>& open_databases() const { return open_dbs_; }

  void AddListener(TransactionListener* listener) { listeners_.insert(listener); }
  void RemoveListener(TransactionListener* listener) { listeners_.erase(listener); }

  // Counts this session's writes (cursors use it to know a cached record
  // may have changed).
  uint64_t write_count() const { return write_count_; }
  void NoteWrite() { ++write_count_; }

  uint64_t last_commit_lsn() const { return last_commit_lsn_; }
  uint64_t context() const { return context_; }
  void set_context(uint64_t context) { context_ = context; }
  bool has_context() const { return has_context_; }
  void set_has_context(bool has) { has_context_ = has; }

 private:
  Instance* const instance_;
  std::unique_ptr<Transaction> trx_;
  std::map<uint32_t, int> open_dbs_;
  std::set<TransactionListener*> listeners_;
  uint64_t last_commit_lsn_ = 0;
  uint64_t write_count_ = 0;
  uint64_t context_ = 0;
  bool has_context_ = false;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_INSTANCE_SESSION_H_
