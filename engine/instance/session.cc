#include "engine/instance/session.h"

#include <vector>

#include "engine/instance/instance.h"
#include "esent.h"

namespace jetsvc {

Session::Session(Instance* instance) : instance_(instance) {}

Session::~Session() {
  if (trx_ != nullptr) Rollback(JET_bitRollbackAll).PermitUnchecked();
  for (const auto& [db_id, count] : open_dbs_) instance_->AddDatabaseUser(db_id, -count);
}

Status Session::Begin() {
  VersionStore* versions = instance_->versions();
  if (trx_ == nullptr) {
    trx_ = std::make_unique<Transaction>();
    versions->Begin(trx_.get());
    return Status::OK();
  }
  if (trx_->level() >= kMaxTransactionLevels) {
    return Status::FromCode(JET_errTransTooDeep,
                            "transactions nest at most " +
                                std::to_string(kMaxTransactionLevels) + " levels");
  }
  versions->BeginNested(trx_.get());
  return Status::OK();
}

Status Session::BeginSavepoint() {
  if (trx_ != nullptr && trx_->level() >= kMaxTransactionLevels) {
    instance_->versions()->BeginNested(trx_.get());
    return Status::OK();
  }
  return Begin();
}

Status Session::Commit(uint32_t grbit) {
  if (trx_ == nullptr) {
    // Outside a transaction the wait flags still mean "wait for earlier
    // commits" (ESE allows that).
    if (grbit & JET_bitWaitAllLevel0Commit) return instance_->WaitAllCommitsDurable();
    if (grbit & JET_bitWaitLastLevel0Commit) return instance_->WaitDurable(last_commit_lsn_);
    return Status::FromCode(JET_errNotInTransaction, "the session is not in a transaction");
  }
  if (trx_->level() > 1) {
    instance_->versions()->CommitNestedLevel(trx_.get());
    return Status::OK();
  }
  JET_RETURN_IF_ERROR(instance_->CommitLevel0(this, grbit));
  if (grbit & JET_bitWaitAllLevel0Commit) return instance_->WaitAllCommitsDurable();
  return Status::OK();
}

void Session::EndTransaction(uint64_t commit_lsn) {
  if (commit_lsn != 0) last_commit_lsn_ = commit_lsn;
  trx_.reset();
}

Status Session::Rollback(uint32_t grbit) {
  if (trx_ == nullptr) {
    return Status::FromCode(JET_errNotInTransaction, "the session is not in a transaction");
  }
  VersionStore* versions = instance_->versions();
  do {
    const int level = trx_->level();
    // Listeners may be removed while notified (a cursor closing).
    const std::vector<TransactionListener*> listeners(listeners_.begin(), listeners_.end());
    for (TransactionListener* listener : listeners) listener->OnRollback(level);
    if (level == 1) {
      versions->End(trx_.get());
      trx_.reset();
    } else {
      versions->RollbackLevel(trx_.get());
    }
  } while (trx_ != nullptr && (grbit & JET_bitRollbackAll) != 0);
  return Status::OK();
}

ReadView Session::View(uint64_t fallback_snapshot) const {
  ReadView view;
  if (trx_ != nullptr) {
    view.writes = &trx_->writes();
    view.snapshot = trx_->snapshot();
  } else {
    view.snapshot = fallback_snapshot;
  }
  return view;
}

void Session::OpenDatabase(uint32_t db_id) {
  ++open_dbs_[db_id];
  instance_->AddDatabaseUser(db_id, 1);
}

Status Session::CloseDatabase(uint32_t db_id) {
  auto it = open_dbs_.find(db_id);
  if (it == open_dbs_.end()) {
    return Status::FromCode(JET_errInvalidDatabaseId, "the session has not opened that database");
  }
  if (--it->second == 0) open_dbs_.erase(it);
  instance_->AddDatabaseUser(db_id, -1);
  return Status::OK();
}

}  // namespace jetsvc
