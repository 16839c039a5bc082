// Instance: attaching, creating and detaching databases.

#include <algorithm>

#include "engine/defrag/online_defrag.h"
#include "engine/instance/instance.h"
#include "engine/instance/log_records.h"
#include "engine/instance/session.h"
#include "esent.h"

namespace jetsvc {

Database* Instance::FindDatabase(uint32_t db_id) {
  MutexLock lock(&dbs_mu_);
  auto it = dbs_.find(db_id);
  return it == dbs_.end() ? nullptr : it->second.get();
}

Database* Instance::FindDatabaseByPath(const std::string& path) {
  const std::string normalized = env_->NormalizePath(path);
  MutexLock lock(&dbs_mu_);
  for (auto& [id, db] : dbs_) {
    if (db->path() == normalized) return db.get();
  }
  return nullptr;
}

std::vector<uint32_t> Instance::AttachedDatabases() {
  MutexLock lock(&dbs_mu_);
  std::vector<uint32_t> ids;
  for (const auto& [id, db] : dbs_) ids.push_back(id);
  return ids;
}

Status Instance::OpenDatabase(Session* session, const std::string& path, uint32_t* db_id,
                              bool* read_only) {
  const std::string normalized = env_->NormalizePath(path);
  MutexLock lock(&dbs_mu_);
  for (auto& [id, db] : dbs_) {
    if (db->path() != normalized || detaching_.count(id) != 0) continue;
    ++db_users_[id];
    session->RecordOpen(id);
    *db_id = id;
    *read_only = db->read_only();
    return Status::OK();
  }
  return Status::FromCode(JET_errDatabaseNotFound, path + " is not attached");
}

void Instance::AddDatabaseUser(uint32_t db_id, int delta) {
  MutexLock lock(&dbs_mu_);
  db_users_[db_id] += delta;
  if (db_users_[db_id] <= 0) db_users_.erase(db_id);
}

uint32_t Instance::NewObjid(uint32_t db_id) {
  MutexLock lock(&dbs_mu_);
  uint32_t& next = next_objid_[db_id];
  if (next == 0) {
    auto it = dbs_.find(db_id);
    next = it == dbs_.end() ? kFirstUserObjid : it->second->MaxObjid() + 1;
  }
  return next++;
}

uint32_t Instance::FreeDatabaseId() {
  MutexLock lock(&dbs_mu_);
  uint32_t id = 1;
  while (dbs_.count(id) != 0 || abandoned_ids_.count(id) != 0) ++id;
  return id;
}

Status Instance::CreateDatabase(const std::string& raw_path, uint32_t max_pages, uint32_t grbit,
                                uint32_t* db_id) {
  JET_RETURN_IF_ERROR(CheckWritable());
  const std::string path = env_->NormalizePath(raw_path);
  if (path.empty()) return Status::FromCode(JET_errInvalidPath, "empty database path");
  MutexLock apply(&apply_mu_);
  if (FindDatabaseByPath(path) != nullptr) {
    return Status::FromCode(JET_errDatabaseDuplicate, path + " is already attached");
  }
  if (Param(JET_paramCreatePathIfNotExist) != 0) {
    JET_RETURN_IF_ERROR(env_->CreateDirRecursive(DirName(path)));
  }
  const uint32_t id = FreeDatabaseId();
  const DatabaseSignature signature = Database::NewSignature(env_);
  if (!(grbit & JET_bitDbOverwriteExisting) && env_->FileExists(path)) {
    return Status::FromCode(JET_errDatabaseDuplicate, path + " already exists");
  }
  // ESE's ErrDBCreateDatabase, ordered so that a crash or a failure at any
  // step leaves something recovery can finish:
  //  1. the file with its header, synced (a failure removes it);
  //  2. the attach record, durable: from here on the log names the file;
  //  3. the formatting MTR, durable before the call returns, so a created
  //     database survives any later failure (recovery formats a created
  //     file whose formatting record never reached the log);
  //  4. the header DirtyShutdown: an attached database a crash leaves dirty.
  std::unique_ptr<Database> db;
  const LogSignature log_signature =
      log_->enabled() ? log_->writer()->signature() : LogSignature();
  JET_RETURN_IF_ERROR(Database::Create(env_, cache_.get(), id, path,
                                       MakeDatabaseOptions(max_pages, false), signature,
                                       log_signature, (grbit & JET_bitDbOverwriteExisting) != 0,
                                       &db));
  AttachRecord attach{id, path, signature, /*created=*/true, max_pages};
  uint64_t attach_lsn = 0;
  Status status = AppendAndFlush(EncodeAttachRecord(attach), &attach_lsn);
  if (status.ok()) {
    status = db->Format(log_.get(), max_pages);
    // An MTR the log refused leaves pages that disagree with it.
    if (status.IsError() && log_->enabled() && log_->writer()->sticky_error().IsError()) {
      Fail(status).PermitUnchecked();
    }
  }
  if (status.ok()) status = WaitDurable(log_->tip());
  if (status.ok()) {
    DatabaseHeader header = db->header();
    header.attach_lsn = attach_lsn;
    header.state = JET_dbstateDirtyShutdown;
    status = db->WriteHeader(header);
  }
  if (status.ok()) status = db->LoadDirectory();
  if (status.IsError()) {
    // The attach record may be in the log: the file stays for recovery,
    // and the id is not given to another database, so the log never
    // attaches two files under one id without a detach between them.
    cache_->ForgetFile(id, /*discard_dirty=*/true);
    MutexLock lock(&dbs_mu_);
    abandoned_ids_.insert(id);
    return status;
  }
  {
    MutexLock lock(&dbs_mu_);
    dbs_[id] = std::move(db);
  }
  *db_id = id;
  return Status::OK();
}

Status Instance::AttachDatabase(const std::string& raw_path, uint32_t max_pages, uint32_t grbit,
                                uint32_t* db_id) {
  const std::string path = env_->NormalizePath(raw_path);
  if (path.empty()) return Status::FromCode(JET_errInvalidPath, "empty database path");
  const bool read_only = (grbit & JET_bitDbReadOnly) != 0;
  if (!read_only) JET_RETURN_IF_ERROR(CheckWritable());
  MutexLock apply(&apply_mu_);
  if (Database* existing = FindDatabaseByPath(path)) {
    *db_id = existing->id();
    return Status::Warning(JET_wrnDatabaseAttached);
  }
  DatabaseHeader header;
  JET_RETURN_IF_ERROR(Database::ReadHeader(env_, path, &header));
  if (header.state != JET_dbstateCleanShutdown) {
    return Status::FromCode(JET_errDatabaseDirtyShutdown,
                            path + " was not shut down cleanly: run recovery (JetInit with "
                                   "its log files) before attaching it");
  }
  const uint32_t id = FreeDatabaseId();
  std::unique_ptr<Database> db;
  JET_RETURN_IF_ERROR(Database::Open(env_, cache_.get(), id, path,
                                     MakeDatabaseOptions(max_pages, read_only), &db));
  Status status;
  if (!read_only) {
    AttachRecord attach{id, path, header.signature, false};
    uint64_t attach_lsn = 0;
    status = AppendAndFlush(EncodeAttachRecord(attach), &attach_lsn);
    if (status.ok()) {
      header.state = JET_dbstateDirtyShutdown;
      header.attach_lsn = attach_lsn;
      header.log_signature = log_->enabled() ? log_->writer()->signature() : LogSignature();
      status = db->WriteHeader(header);
    }
  }
  if (status.ok()) status = db->LoadDirectory();
  if (status.IsError()) {
    cache_->ForgetFile(id, true);
    // As in CreateDatabase: an attach record may name this id.
    MutexLock lock(&dbs_mu_);
    if (!read_only) abandoned_ids_.insert(id);
    return status;
  }
  {
    MutexLock lock(&dbs_mu_);
    dbs_[id] = std::move(db);
  }
  *db_id = id;
  return Status::OK();
}

Status Instance::DetachDatabase(const std::string& raw_path, uint32_t /*grbit*/) {
  std::vector<uint32_t> targets;
  if (raw_path.empty()) {
    targets = AttachedDatabases();
  } else {
    Database* db = FindDatabaseByPath(raw_path);
    if (db == nullptr) {
      return Status::FromCode(JET_errDatabaseNotFound, raw_path + " is not attached");
    }
    targets.push_back(db->id());
  }
  {
    // No user, and none can come: opens skip a database being detached.
    MutexLock lock(&dbs_mu_);
    for (uint32_t id : targets) {
      if (db_users_.count(id) != 0) {
        return Status::FromCode(JET_errDatabaseInUse,
                                dbs_[id]->path() + " is open in a session: close it first");
      }
    }
    for (uint32_t id : targets) detaching_.insert(id);
  }
  struct DetachingGuard {
    Instance* instance;
    const std::vector<uint32_t>& ids;
    ~DetachingGuard() {
      MutexLock lock(&instance->dbs_mu_);
      for (uint32_t id : ids) instance->detaching_.erase(id);
    }
  } guard{this, targets};
  // Defrag tasks end first (they take the apply mutex).
  for (uint32_t id : targets) {
    uint32_t passes = 0;
    uint32_t seconds = 0;
    StopDefrag(id, &passes, &seconds).PermitUnchecked();
    MutexLock lock(&defrag_mu_);
    defrag_.erase(id);
  }
  {
    MutexLock apply(&apply_mu_);
    for (uint32_t id : targets) {
      Database* db = FindDatabase(id);
      if (db != nullptr) JET_RETURN_IF_ERROR(DetachLocked(db, /*clean=*/true));
    }
  }
  return UpdateCheckpoint(/*force=*/true);
}

Status Instance::DetachLocked(Database* db, bool clean) {
  apply_mu_.AssertHeld();
  const uint32_t id = db->id();
  if (clean && !db->read_only()) {
    JET_RETURN_IF_ERROR(CheckWritable());
    // Trees dropped but not yet freed are freed now: nobody can read them
    // once the database is gone.
    for (uint32_t objid : db->DroppedTrees()) {
      bool freed = false;
      JET_RETURN_IF_ERROR(db->FreeDroppedTree(log_.get(), cache_.get(), objid, &freed));
    }
    uint64_t written = 0;
    JET_RETURN_IF_ERROR(cache_->FlushAll(id, &written));
    bytes_flushed_ += written;
    uint64_t detach_lsn = 0;
    JET_RETURN_IF_ERROR(AppendAndFlush(EncodeDetachRecord(id), &detach_lsn));
    DatabaseHeader header = db->header();
    header.state = JET_dbstateCleanShutdown;
    header.consistent_lsn = detach_lsn;
    header.last_clean_micros = env_->WallMicros();
    JET_RETURN_IF_ERROR(db->WriteHeader(header));
  }
  cache_->ForgetFile(id, /*discard_dirty=*/!clean);
  pending_drops_.erase(std::remove_if(pending_drops_.begin(), pending_drops_.end(),
                                      [id](const auto& drop) { return drop.second.db == id; }),
                       pending_drops_.end());
  MutexLock lock(&dbs_mu_);
  dbs_.erase(id);
  next_objid_.erase(id);
  return Status::OK();
}

}  // namespace jetsvc
