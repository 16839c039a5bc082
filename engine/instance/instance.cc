// Instance lifecycle: construction, Init, Term, sessions, commits.
// Databases are in instance_db.cc, recovery in recovery.cc, background
// work (checkpoint flusher, version cleanup) in background.cc.

#include "engine/instance/instance.h"

#include <algorithm>

#include "engine/defrag/online_defrag.h"
#include "engine/instance/log_records.h"
#include "engine/instance/session.h"
#include "esent.h"

namespace jetsvc {

// The committer's view of the instance's databases.
class Instance::Resolver final : public TreeResolver {
 public:
  explicit Resolver(Instance* instance) : instance_(instance) {}

  Status Resolve(TreeId id, std::shared_ptr<BTree>* tree, Space** space) override {
    Database* db = instance_->FindDatabase(id.db);
    if (db == nullptr) {
      return Status::FromCode(JET_errInvalidDatabaseId,
                              "database " + std::to_string(id.db) + " is not attached");
    }
    *tree = db->FindTree(id.objid);
    if (*tree == nullptr) {
      return Status::Corruption("object " + std::to_string(id.objid) + " of " + db->path() +
                                " has no B+tree");
    }
    *space = db->space();
    return Status::OK();
  }

  Status CreateTree(Mtr* mtr, TreeId id, uint8_t kind) override {
    Database* db = instance_->FindDatabase(id.db);
    if (db == nullptr) return Status::FromCode(JET_errInvalidDatabaseId, "database not attached");
    return db->CreateTree(mtr, id.objid, static_cast<TreeKind>(kind));
  }

  Status DropTree(Mtr* mtr, TreeId id, uint64_t commit_ts) override {
    Database* db = instance_->FindDatabase(id.db);
    if (db == nullptr) return Status::FromCode(JET_errInvalidDatabaseId, "database not attached");
    JET_RETURN_IF_ERROR(db->MarkTreeDropped(mtr, id.objid));
    instance_->apply_mu_.AssertHeld();
    instance_->pending_drops_.emplace_back(commit_ts, id);
    return Status::OK();
  }

  Space* SpaceOf(uint32_t db_id) override {
    Database* db = instance_->FindDatabase(db_id);
    return db == nullptr ? nullptr : db->space();
  }

 private:
  Instance* const instance_;
};

Instance::Instance(Env* env, std::string name, std::string display_name, ParamValues params)
    : env_(env),
      name_(std::move(name)),
      display_name_(std::move(display_name)),
      params_(std::move(params)),
      versions_(0) {}

Instance::~Instance() {
  StopAllDefrag();
  StopBackground();
  // Sessions left by a client that never called JetEndSession.
  std::set<Session*> sessions;
  {
    MutexLock lock(&sessions_mu_);
    sessions.swap(sessions_);
  }
  for (Session* session : sessions) delete session;
  MutexLock lock(&dbs_mu_);
  if (cache_ != nullptr) {
    for (auto& [id, db] : dbs_) cache_->ForgetFile(id, /*discard_dirty=*/true);
  }
  dbs_.clear();
}

uint64_t Instance::Param(uint32_t id) const {
  MutexLock lock(&params_mu_);
  return params_.Integer(id);
}

std::string Instance::ParamString(uint32_t id) const {
  MutexLock lock(&params_mu_);
  return params_.String(id);
}

Status Instance::SetParam(uint32_t id, uint64_t integer, const char* str, ParamState state) {
  {
    MutexLock lock(&params_mu_);
    JET_RETURN_IF_ERROR(params_.Set(id, integer, str, state));
  }
  OnParamChanged(id);
  return Status::OK();
}

Status Instance::GetParam(uint32_t id, uint64_t* integer, char* buffer,
                          unsigned long cb_max) const {
  MutexLock lock(&params_mu_);
  return params_.Get(id, integer, buffer, cb_max);
}

void Instance::OnParamChanged(uint32_t id) {
  if (!initialized()) return;
  switch (id) {
    case JET_paramCacheSizeMax:
      cache_->set_max_pages(Param(JET_paramCacheSizeMax));
      break;
    case JET_paramMaxVerPages:
    case JET_paramVerPageSize:
      versions_.set_max_bytes(Param(JET_paramMaxVerPages) * Param(JET_paramVerPageSize));
      break;
    case JET_paramDbExtensionSize: {
      const uint32_t pages = static_cast<uint32_t>(Param(JET_paramDbExtensionSize));
      MutexLock apply(&apply_mu_);
      MutexLock lock(&dbs_mu_);
      for (auto& [db_id, db] : dbs_) db->space()->set_extension_pages(pages);
      break;
    }
    case JET_paramCheckpointDepthMax: {
      MutexLock lock(&bg_mu_);
      bg_cv_.SignalAll();  // the flusher picks up the new target
      break;
    }
    default:
      break;
  }
}

Status Instance::sticky_error() {
  MutexLock lock(&fail_mu_);
  return sticky_;
}

Status Instance::Fail(const Status& status) {
  {
    MutexLock lock(&fail_mu_);
    if (sticky_.ok()) {
      sticky_ = status;
      // Pages in memory may no longer match the log: write none of them.
      if (cache_ != nullptr) cache_->DisableWrites();
      state_.store(InstanceState::kFailed);
    }
  }
  return status;
}

Status Instance::CheckWritable() {
  if (state() == InstanceState::kFailed) {
    Status sticky = sticky_error();
    return Status::FromCode(JET_errInstanceUnavailable,
                            "the instance failed earlier and takes no more writes: " +
                                sticky.ToString());
  }
  return Status::OK();
}

Status Instance::Init(uint32_t grbit) {
  if (state() != InstanceState::kCreated) {
    return Status::FromCode(JET_errAlreadyInitialized, "instance " + name_ + " is initialized");
  }
  page_size_ = static_cast<uint32_t>(Param(JET_paramDatabasePageSize));
  cache_ = std::make_unique<BufferCache>(env_, page_size_, Param(JET_paramCacheSizeMax));
  versions_.set_max_bytes(Param(JET_paramMaxVerPages) * Param(JET_paramVerPageSize));
  resolver_ = std::make_unique<Resolver>(this);
  if (Param(JET_paramCreatePathIfNotExist) != 0) {
    JET_RETURN_IF_ERROR(env_->CreateDirRecursive(DirName(CheckpointPath())));
    JET_RETURN_IF_ERROR(env_->CreateDirRecursive(MakeLogOptions().directory));
  }
  Status status = OpenLog(grbit);
  if (status.IsError()) {
    MutexLock lock(&dbs_mu_);
    for (auto& [id, db] : dbs_) cache_->ForgetFile(id, true);
    dbs_.clear();
    log_.reset();
    return status;
  }
  cache_->set_log(log_.get());
  state_.store(InstanceState::kRunning);
  return StartBackground();
}

Status Instance::Term(uint32_t grbit) {
  const InstanceState current = state();
  if (current == InstanceState::kCreated || current == InstanceState::kTerminated) {
    state_.store(InstanceState::kTerminated);
    return Status::OK();
  }
  const bool dirty = (grbit & JET_bitTermDirty) != 0 || current == InstanceState::kFailed;
  if (!dirty) {
    MutexLock lock(&sessions_mu_);
    for (Session* session : sessions_) {
      if (session->level() > 0) {
        return Status::FromCode(JET_errTooManyActiveUsers,
                                "a session still has an open transaction: roll it back first");
      }
    }
  }
  StopAllDefrag();
  StopBackground();
  // A background flush may have failed the instance meanwhile: that term
  // is dirty too (JET_errDirtyShutdown, like any term of a failed one).
  if (dirty || state() == InstanceState::kFailed) return TermDirty();
  Status status = TermClean((grbit & JET_bitTermAbrupt) != 0);
  if (status.IsError()) {
    // Past the point of no return a failed term is a crash: the next Init
    // recovers.
    Fail(status).PermitUnchecked();
    TermDirty().PermitUnchecked();
    return status;
  }
  return status;
}

Status Instance::TermClean(bool /*abrupt*/) {
  // Sessions end with the instance (ESE's PIBTerm).
  {
    std::set<Session*> sessions;
    {
      MutexLock lock(&sessions_mu_);
      sessions.swap(sessions_);
    }
    for (Session* session : sessions) delete session;
  }
  JET_RETURN_IF_ERROR(CleanupOnce());
  MutexLock checkpoint_writer(&checkpoint_mu_);
  MutexLock apply(&apply_mu_);
  uint64_t written = 0;
  JET_RETURN_IF_ERROR(cache_->FlushAll(BufferCache::kAllDatabases, &written));
  bytes_flushed_ += written;
  uint64_t term_lsn = 0;
  JET_RETURN_IF_ERROR(AppendAndFlush(EncodeMarkRecord(kLogTerm, env_->WallMicros()), &term_lsn));
  JET_RETURN_IF_ERROR(cache_->FlushAll(BufferCache::kAllDatabases, &written));
  std::vector<uint32_t> ids = AttachedDatabases();
  for (uint32_t id : ids) {
    Database* db = FindDatabase(id);
    if (db->read_only()) continue;
    DatabaseHeader header = db->header();
    header.state = JET_dbstateCleanShutdown;
    header.consistent_lsn = term_lsn;
    header.last_clean_micros = env_->WallMicros();
    JET_RETURN_IF_ERROR(db->WriteHeader(header));
  }
  if (log_->enabled()) {
    CheckpointData data = MakeCheckpointData(term_lsn, /*clean=*/true);
    data.databases.clear();  // term detaches everything
    data.sequence = checkpoint_sequence_;
    JET_RETURN_IF_ERROR(WriteCheckpointFile(env_, CheckpointPath(), &data));
    checkpoint_sequence_ = data.sequence;
    checkpoint_lsn_ = term_lsn;
  }
  JET_RETURN_IF_ERROR(log_->Close());
  {
    MutexLock lock(&dbs_mu_);
    for (auto& [id, db] : dbs_) cache_->ForgetFile(id);
    dbs_.clear();
  }
  state_.store(InstanceState::kTerminated);
  return Status::OK();
}

Status Instance::TermDirty() {
  {
    std::set<Session*> sessions;
    {
      MutexLock lock(&sessions_mu_);
      sessions.swap(sessions_);
    }
    for (Session* session : sessions) delete session;
  }
  if (cache_ != nullptr) cache_->DisableWrites();
  {
    MutexLock lock(&dbs_mu_);
    for (auto& [id, db] : dbs_) cache_->ForgetFile(id, /*discard_dirty=*/true);
    dbs_.clear();
  }
  // The log keeps what it has; nothing more is appended (no term record).
  log_.reset();
  state_.store(InstanceState::kTerminated);
  return Status::FromCode(JET_errDirtyShutdown,
                          "terminated without flushing: the next JetInit recovers");
}

Status Instance::BeginSession(Session** session) {
  const uint64_t max_sessions = Param(JET_paramMaxSessions);
  MutexLock lock(&sessions_mu_);
  if (sessions_.size() >= max_sessions) {
    return Status::FromCode(JET_errOutOfSessions,
                            "JET_paramMaxSessions (" + std::to_string(max_sessions) +
                                ") sessions are open");
  }
  auto* created = new Session(this);
  sessions_.insert(created);
  *session = created;
  return Status::OK();
}

Status Instance::EndSession(Session* session) {
  {
    MutexLock lock(&sessions_mu_);
    if (sessions_.erase(session) == 0) {
      return Status::FromCode(JET_errInvalidSesid, "no such session");
    }
  }
  delete session;  // rolls back an open transaction, closes its databases
  return Status::OK();
}

size_t Instance::session_count() {
  MutexLock lock(&sessions_mu_);
  return sessions_.size();
}

Status Instance::CommitLevel0(Session* session, uint32_t grbit) {
  Transaction* trx = session->trx();
  uint64_t intent_lsn = 0;
  // Databases whose catalog this commit changes (cursors re-read schemas).
  std::vector<uint32_t> ddl_dbs;
  for (const auto& [tree, writes] : trx->writes().trees()) {
    if (tree.objid == kCatalogObjid) ddl_dbs.push_back(tree.db);
  }
  if (!trx->writes().empty()) {
    JET_RETURN_IF_ERROR(CheckWritable());
    bool fatal = false;
    Status status;
    {
      MutexLock lock(&apply_mu_);
      commit_in_progress_begin_ = log_->tip();
      status = committer_->Apply(trx, &intent_lsn, &fatal);
      commit_in_progress_begin_ = 0;
      if (status.ok()) versions_.End(trx);  // releases its write locks
    }
    if (fatal) return Fail(status);
    JET_RETURN_IF_ERROR(status);
    ++commits_;
    for (uint32_t db_id : ddl_dbs) {
      if (Database* db = FindDatabase(db_id)) db->BumpSchemaEpoch();
    }
  } else {
    versions_.End(trx);
  }
  session->EndTransaction(intent_lsn);
  if (intent_lsn != 0) {
    uint64_t previous = last_commit_lsn_.load();
    while (intent_lsn > previous &&
           !last_commit_lsn_.compare_exchange_weak(previous, intent_lsn)) {
    }
    if ((grbit & JET_bitCommitLazyFlush) == 0) return WaitDurable(intent_lsn);
  }
  return Status::OK();
}

Status Instance::WaitDurable(uint64_t lsn) {
  if (lsn == 0) return Status::OK();
  Status status = log_->WaitDurable(lsn);
  if (status.IsError()) return Fail(status);
  return status;
}

Status Instance::WaitAllCommitsDurable() { return WaitDurable(last_commit_lsn_.load()); }

Status Instance::AppendAndFlush(const std::string& record, uint64_t* end_lsn) {
  uint64_t begin_lsn = 0;
  Status status = log_->AppendRecord(record, &begin_lsn, end_lsn);
  if (status.ok()) status = log_->WaitDurable(*end_lsn);
  if (status.IsError()) return Fail(status);
  return status;
}

InstanceStats Instance::Stats() {
  InstanceStats stats;
  if (cache_ == nullptr) return stats;
  const CacheStats cache = cache_->Stats();
  stats.dirty_pages = cache.dirty_pages;
  stats.dirty_bytes = cache.dirty_pages * page_size_;
  stats.pages_flushed = cache.writes;
  stats.bytes_flushed = cache.bytes_submitted;
  stats.version_store_bytes = versions_.bytes();
  stats.records_replayed = records_replayed_.load();
  stats.commits = commits_.load();
  if (log_ != nullptr) {
    stats.log_tip = log_->tip();
    stats.checkpoint_lsn = checkpoint_lsn_.load();
    if (log_->enabled()) {
      const uint64_t oldest = cache_->OldestDirtyLsn();
      const uint64_t from = std::min<uint64_t>(oldest, stats.log_tip);
      stats.checkpoint_depth_bytes = LogBytesBetween(log_->writer()->options(), from, stats.log_tip);
    }
  }
  return stats;
}

std::string Instance::CheckpointPath() const {
  return JoinPath(env_->NormalizePath(ParamString(JET_paramSystemPath)),
                  ParamString(JET_paramBaseName) + ".chk");
}

LogOptions Instance::MakeLogOptions() const {
  LogOptions options;
  options.directory = env_->NormalizePath(ParamString(JET_paramLogFilePath));
  options.base_name = ParamString(JET_paramBaseName);
  options.file_size = Param(JET_paramLogFileSize) * 1024;
  options.circular = Param(JET_paramCircularLog) != 0;
  options.buffer_bytes = Param(JET_paramLogBuffers) * 512;
  return options;
}

DatabaseOptions Instance::MakeDatabaseOptions(uint32_t max_pages, bool read_only) const {
  DatabaseOptions options;
  options.page_size = page_size_;
  options.extension_pages = static_cast<uint32_t>(Param(JET_paramDbExtensionSize));
  options.max_pages = max_pages;
  options.read_only = read_only;
  return options;
}

}  // namespace jetsvc
