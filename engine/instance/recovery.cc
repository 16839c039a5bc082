// Instance: opening the log at JetInit, and soft recovery (redo, then the
// completion of a partly applied commit; DESIGN.md D3).
//
// Steps (ESE's ErrLGSoftStart, adapted):
//  1. No log files: start generation 1, delete a stale checkpoint.
//  2. Read the checkpoint; open the databases it lists.
//  3. Redo every record from the checkpoint: page diffs where the page's
//     dbtime is older than the record's, attaches and detaches as they come.
//  4. Format a database created in the replayed log whose formatting
//     record is missing (JetCreateDatabase cut short). If the log ends
//     inside a commit (intent logged, applied-record not), apply the rest
//     of it from the intent.
//  5. Flush, mark headers clean, log RecoveryQuit, write the checkpoint.
//  6. Databases end detached unless JET_bitKeepDbAttachedAtEndOfRecovery.

#include <map>
#include <optional>

#include "engine/instance/instance.h"
#include "engine/instance/log_records.h"
#include "esent.h"

namespace jetsvc {

Status Instance::OpenLog(uint32_t grbit) {
  const auto make_log = [this](std::unique_ptr<LogWriter> writer) {
    log_ = std::make_unique<InstanceLog>(std::move(writer), [this](uint32_t db_id) {
      Database* db = FindDatabase(db_id);
      return db != nullptr ? db->NextDbtime() : 1;
    });
    committer_ = std::make_unique<Committer>(&versions_, cache_.get(), log_.get(),
                                             resolver_.get());
  };
  bool logging = false;
  {
    MutexLock lock(&params_mu_);
    logging = params_.LoggingEnabled();
  }
  if (!logging) {
    make_log(nullptr);
    return Status::OK();
  }
  const LogOptions options = MakeLogOptions();
  std::vector<uint32_t> generations;
  JET_RETURN_IF_ERROR(ListLogGenerations(env_, options, &generations));
  if (generations.empty()) {
    // A checkpoint without logs belongs to logs that are gone.
    if (env_->FileExists(CheckpointPath())) JET_RETURN_IF_ERROR(env_->RemoveFile(CheckpointPath()));
    std::unique_ptr<LogWriter> writer;
    JET_RETURN_IF_ERROR(LogWriter::Create(env_, options, &writer));
    make_log(std::move(writer));
    MutexLock checkpoint_writer(&checkpoint_mu_);
    MutexLock apply(&apply_mu_);
    uint64_t lsn = 0;
    JET_RETURN_IF_ERROR(AppendAndFlush(EncodeMarkRecord(kLogInit, env_->WallMicros()), &lsn));
    CheckpointData data = MakeCheckpointData(lsn, false);
    JET_RETURN_IF_ERROR(WriteCheckpointFile(env_, CheckpointPath(), &data));
    checkpoint_sequence_ = data.sequence;
    checkpoint_lsn_ = lsn;
    return Status::OK();
  }
  return Recover(grbit);
}

Status Instance::Recover(uint32_t grbit) {
  const LogOptions options = MakeLogOptions();
  std::vector<uint32_t> generations;
  JET_RETURN_IF_ERROR(ListLogGenerations(env_, options, &generations));

  CheckpointData checkpoint;
  Lsn start = 0;
  Status status = ReadCheckpointFile(env_, CheckpointPath(), &checkpoint);
  if (status.IsCode(JET_errCheckpointFileNotFound)) {
    // Without a checkpoint, redo must start at the very first record ever
    // written; if generation 1 is gone we cannot know what is missing.
    if (generations.front() != 1) {
      return Status::FromCode(JET_errCheckpointFileNotFound,
                              CheckpointPath() + " is missing and the log does not start at "
                                                 "generation 1: recovery cannot find its start");
    }
    checkpoint = CheckpointData();
  } else {
    JET_RETURN_IF_ERROR(status);
    start = checkpoint.checkpoint;
    if (checkpoint.log_file_size != 0 && checkpoint.log_file_size != options.file_size) {
      return Status::FromCode(JET_errLogFileSizeMismatch,
                              "the log files are " + std::to_string(checkpoint.log_file_size / 1024) +
                                  " KiB; JET_paramLogFileSize is " +
                                  std::to_string(options.file_size / 1024) + " KiB");
    }
  }
  std::unique_ptr<LogReader> reader;
  JET_RETURN_IF_ERROR(LogReader::Open(env_, options, start, &reader));
  if (!checkpoint.log_signature.empty() && checkpoint.log_signature != reader->signature()) {
    return Status::FromCode(JET_errBadCheckpointSignature,
                            CheckpointPath() + " belongs to another log stream");
  }
  {
    MutexLock checkpoint_writer(&checkpoint_mu_);
    checkpoint_sequence_ = checkpoint.sequence;
  }

  const bool ignore_missing = (grbit & JET_bitReplayIgnoreMissingDB) != 0;
  std::set<uint32_t> ignored;  // databases whose records are skipped
  // Databases created inside the replayed log (id -> max_pages): if the
  // formatting record of one never reached the log, redo leaves its pages
  // unformatted and step 4 formats them.
  std::map<uint32_t, uint32_t> created;
  // Opens (for redo) a database named by the checkpoint or an attach record.
  const auto open_for_redo = [&](uint32_t db_id, const std::string& path,
                                 const DatabaseSignature& signature) -> Status {
    if (FindDatabase(db_id) != nullptr) return Status::OK();
    ignored.erase(db_id);
    if (!env_->FileExists(path)) {
      if (ignore_missing) {
        ignored.insert(db_id);
        return Status::OK();
      }
      return Status::FromCode(JET_errFileNotFound,
                              "recovery needs " + path + ", which is missing (pass "
                              "JET_bitReplayIgnoreMissingDB to skip it)");
    }
    std::unique_ptr<Database> db;
    JET_RETURN_IF_ERROR(Database::Open(env_, cache_.get(), db_id, path,
                                       MakeDatabaseOptions(0, false), &db));
    if (!(db->header().signature == signature)) {
      // A different database now sits at that path: the logged changes
      // belong to a file that no longer exists.
      cache_->ForgetFile(db_id, true);
      if (ignore_missing) {
        ignored.insert(db_id);
        return Status::OK();
      }
      return Status::FromCode(JET_errBadDbSignature,
                              path + " is not the database the log refers to");
    }
    MutexLock lock(&dbs_mu_);
    dbs_[db_id] = std::move(db);
    return Status::OK();
  };

  // The log's own dbtimes are used until the databases are open.
  log_ = std::make_unique<InstanceLog>(nullptr, [this](uint32_t db_id) {
    Database* db = FindDatabase(db_id);
    return db != nullptr ? db->NextDbtime() : 1;
  });
  for (const CheckpointDatabase& entry : checkpoint.databases) {
    DatabaseSignature signature{entry.db_signature_random, entry.db_signature_created};
    JET_RETURN_IF_ERROR(open_for_redo(entry.db_id, entry.path, signature));
    if (Database* db = FindDatabase(entry.db_id)) db->RaiseDbtime(entry.dbtime);
  }

  // Redo.
  std::optional<CommitIntent> pending;
  uint64_t last_seq = 0;
  uint64_t replayed = 0;
  std::string record;
  for (;;) {
    Lsn begin_lsn = 0;
    Lsn end_lsn = 0;
    bool eof = false;
    JET_RETURN_IF_ERROR(reader->Next(&record, &begin_lsn, &end_lsn, &eof));
    if (eof) break;
    if (record.empty()) return Status::FromCode(JET_errLogCorrupted, "empty log record");
    ++replayed;
    switch (static_cast<uint8_t>(record[0])) {
      case kLogMtr: {
        MtrRecord mtr;
        JET_RETURN_IF_ERROR(DecodeMtrRecord(record, page_size_, &mtr));
        if (mtr.commit_seq > last_seq) last_seq = mtr.commit_seq;
        for (const MtrPageDiff& diff : mtr.pages) {
          if (ignored.count(diff.db) != 0) continue;
          Database* db = FindDatabase(diff.db);
          if (db == nullptr) {
            return Status::FromCode(JET_errLogCorrupted,
                                    "the log changes database " + std::to_string(diff.db) +
                                        " before attaching it");
          }
          db->RaiseDbtime(diff.dbtime);
          PageRef ref;
          JET_RETURN_IF_ERROR(cache_->FetchForWrite(diff.db, diff.pgno, &ref));
          Page page(ref.data(), page_size_);
          if (page.dbtime() < diff.dbtime) {
            ApplyPageDiff(diff, &page);
            cache_->MarkDirty(ref, begin_lsn, end_lsn);
          }
        }
        break;
      }
      case kLogCommitIntent: {
        CommitIntent intent;
        JET_RETURN_IF_ERROR(DecodeCommitIntent(record, &intent));
        if (intent.seq > last_seq) last_seq = intent.seq;
        pending = std::move(intent);
        break;
      }
      case kLogCommitApplied: {
        uint64_t seq = 0;
        JET_RETURN_IF_ERROR(DecodeCommitApplied(record, &seq));
        if (pending && pending->seq == seq) pending.reset();
        break;
      }
      case kLogAttach: {
        AttachRecord attach;
        JET_RETURN_IF_ERROR(DecodeAttachRecord(record, &attach));
        JET_RETURN_IF_ERROR(open_for_redo(attach.db_id, attach.path, attach.signature));
        if (attach.created) created[attach.db_id] = attach.max_pages;
        break;
      }
      case kLogDetach: {
        uint32_t db_id = 0;
        JET_RETURN_IF_ERROR(DecodeDetachRecord(record, &db_id));
        if (Database* db = FindDatabase(db_id)) {
          // Everything up to the detach is now redone: write it and close.
          uint64_t written = 0;
          JET_RETURN_IF_ERROR(cache_->FlushAll(db_id, &written));
          DatabaseHeader header = db->header();
          header.state = JET_dbstateCleanShutdown;
          header.consistent_lsn = end_lsn;
          JET_RETURN_IF_ERROR(db->WriteHeader(header));
          cache_->ForgetFile(db_id);
          MutexLock lock(&dbs_mu_);
          dbs_.erase(db_id);
        }
        ignored.erase(db_id);
        created.erase(db_id);
        break;
      }
      case kLogTerm:
      case kLogInit:
      case kLogRecoveryQuit:
        break;
      default:
        return Status::FromCode(JET_errLogCorrupted,
                                "unknown log record type " +
                                    std::to_string(static_cast<uint8_t>(record[0])));
    }
  }
  records_replayed_ = replayed;

  // From here on the log is written again, after the last whole record.
  std::unique_ptr<LogWriter> writer;
  JET_RETURN_IF_ERROR(LogWriter::Resume(env_, options, reader->end(), &writer));
  reader.reset();
  log_ = std::make_unique<InstanceLog>(std::move(writer), [this](uint32_t db_id) {
    Database* db = FindDatabase(db_id);
    return db != nullptr ? db->NextDbtime() : 1;
  });
  committer_ = std::make_unique<Committer>(&versions_, cache_.get(), log_.get(), resolver_.get());
  committer_->set_last_seq(last_seq);
  cache_->set_log(log_.get());

  MutexLock checkpoint_writer(&checkpoint_mu_);
  MutexLock apply(&apply_mu_);
  // A JetCreateDatabase cut short between its attach record and its
  // formatting record (which it waits for before returning): finish it.
  for (const auto& [id, max_pages] : created) {
    Database* db = FindDatabase(id);
    if (db == nullptr) continue;  // ignored (missing) or detached
    bool formatted = false;
    JET_RETURN_IF_ERROR(db->IsFormatted(&formatted));
    if (!formatted) JET_RETURN_IF_ERROR(db->Format(log_.get(), max_pages));
  }
  for (uint32_t id : AttachedDatabases()) JET_RETURN_IF_ERROR(FindDatabase(id)->LoadDirectory());
  if (pending) {
    bool skip = false;
    for (const IntentOp& op : pending->ops) {
      if (ignored.count(op.tree.db) != 0) skip = true;
    }
    if (!skip) JET_RETURN_IF_ERROR(committer_->Replay(*pending));
  }
  // Drops whose pages were not freed before the crash: no reader is left.
  for (uint32_t id : AttachedDatabases()) {
    Database* db = FindDatabase(id);
    for (uint32_t objid : db->DroppedTrees()) {
      bool freed = false;
      JET_RETURN_IF_ERROR(db->FreeDroppedTree(log_.get(), cache_.get(), objid, &freed));
    }
  }
  uint64_t written = 0;
  JET_RETURN_IF_ERROR(cache_->FlushAll(BufferCache::kAllDatabases, &written));
  uint64_t quit_lsn = 0;
  JET_RETURN_IF_ERROR(
      AppendAndFlush(EncodeMarkRecord(kLogRecoveryQuit, env_->WallMicros()), &quit_lsn));
  const bool keep_attached = (grbit & JET_bitKeepDbAttachedAtEndOfRecovery) != 0;
  for (uint32_t id : AttachedDatabases()) {
    Database* db = FindDatabase(id);
    DatabaseHeader header = db->header();
    header.state = keep_attached ? JET_dbstateDirtyShutdown : JET_dbstateCleanShutdown;
    header.consistent_lsn = quit_lsn;
    header.last_clean_micros = env_->WallMicros();
    header.log_signature = log_->writer()->signature();
    JET_RETURN_IF_ERROR(db->WriteHeader(header));
    if (!keep_attached) {
      cache_->ForgetFile(id);
      MutexLock lock(&dbs_mu_);
      dbs_.erase(id);
    }
  }
  CheckpointData data = MakeCheckpointData(quit_lsn, !keep_attached);
  data.sequence = checkpoint_sequence_;
  JET_RETURN_IF_ERROR(WriteCheckpointFile(env_, CheckpointPath(), &data));
  checkpoint_sequence_ = data.sequence;
  checkpoint_lsn_ = quit_lsn;
  if (options.circular) {
    JET_RETURN_IF_ERROR(log_->writer()->DeleteGenerationsBelow(LsnGeneration(quit_lsn)));
  }
  return Status::OK();
}

CheckpointData Instance::MakeCheckpointData(Lsn checkpoint, bool clean) {
  CheckpointData data;
  data.checkpoint = checkpoint;
  data.clean_shutdown = clean;
  if (log_ != nullptr && log_->enabled()) {
    data.log_signature = log_->writer()->signature();
    data.log_file_size = log_->writer()->options().file_size;
  }
  MutexLock lock(&dbs_mu_);
  for (const auto& [id, db] : dbs_) {
    if (db->read_only()) continue;
    CheckpointDatabase entry;
    entry.db_id = id;
    entry.path = db->path();
    entry.db_signature_random = db->header().signature.random;
    entry.db_signature_created = db->header().signature.created_micros;
    entry.dbtime = db->dbtime();
    data.databases.push_back(std::move(entry));
  }
  return data;
}

}  // namespace jetsvc
