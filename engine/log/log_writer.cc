// LogWriter: appends records to an in-memory queue and makes them durable
// with group commit (interface in log.h, bytes in log/FORMAT.md).
//
// How it works. Append formats the record into fragments at once, under
// mu_: a record's position (and so its LSN and its fragments' checksums)
// is fixed when it is appended. The bytes wait in `pending_` as chunks of
// consecutive file bytes. Exactly one thread at a time holds the *I/O
// token* (`io_busy_`): it takes every pending chunk, drops mu_, writes the
// chunks (rolling over to the next generation when a chunk belongs to it)
// and, if it is a durability leader, syncs; then it retakes mu_, publishes
// `durable_` and wakes the waiters. Appends go on while it works, and the
// next leader takes everything they queued: that is the group commit.
//
// Invariants (checked in part by AssertValid):
//  1. durable_ <= tip; every byte before durable_ is on disk and synced.
//  2. Every generation below the open file's is a complete archived file
//     that was synced before it was renamed.
//  3. pending_ holds, in order, the bytes between what was last handed to
//     the I/O token holder and the tip; its last chunk ends at the tip.
//  4. Only the token holder touches file_ and io_generation_; `closed_` is
//     set only while no one holds the token, and then no one takes it.
//  5. Once sticky_ holds an error it never changes, and no byte is written
//     after it (a failed batch is dropped, never retried).
//
// Lock order: mu_ is the log mutex of DESIGN.md D5 (last in the order); no
// other lock is taken while it is held. File I/O happens without mu_.

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstring>
#include <map>
#include <thread>
#include <vector>

#include "engine/log/log.h"
#include "engine/log/log_format.h"
#include "engine/util/mutex.h"
#include "esent.h"

namespace jetsvc {

using log_format::AppendFragment;
using log_format::BlockEnd;
using log_format::DataCapacity;
using log_format::EncodeFileHeader;
using log_format::FileHeader;
using log_format::FragmentState;
using log_format::FragmentType;
using log_format::kBlockSize;
using log_format::kDataStart;
using log_format::kFileHeaderSize;
using log_format::kFirstType;
using log_format::kFragmentHeaderSize;
using log_format::kFullType;
using log_format::kLastType;
using log_format::kMaxRecordSize;
using log_format::kMiddleType;
using log_format::kMinFragmentSpace;
using log_format::LogDirectory;
using log_format::NormalizedLsn;
using log_format::ParseArchivedName;
using log_format::ParseFragment;
using log_format::ReadFileHeader;
using log_format::ScanLogDirectory;
using log_format::TempLogPath;
using log_format::ValidateOptions;

namespace {

// A lazily appended record becomes durable within about this long, even
// if nobody waits for it (the background flusher's batching delay).
constexpr std::chrono::microseconds kLazyFlushDelay{25000};
constexpr size_t kClearChunk = 64 * 1024;

// The error a failed log write or sync leaves behind (log.h: sticky_error).
Status ToLogWriteError(const Status& s) {
  if (s.IsCode(JET_errLogDiskFull)) return s;
  if (s.IsCode(JET_errDiskFull)) {
    return Status::FromCode(JET_errLogDiskFull, "log disk is full: " + s.ToString());
  }
  return Status::FromCode(JET_errLogWriteFail, "log write failed: " + s.ToString());
}

// Errors of Create/Resume keep their codes, except a full disk.
Status ToSetupError(Status s) {
  if (s.IsCode(JET_errDiskFull)) {
    return Status::FromCode(JET_errLogDiskFull, "log disk is full: " + s.ToString());
  }
  return s;
}

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

std::atomic<uint64_t> g_signature_counter{0};

}  // namespace

class LogWriter::Impl {
 public:
  Impl(Env* env, const LogOptions& options)
      : env_(env),
        options_(options),
        buffer_limit_(std::max<size_t>(options.buffer_bytes, kBlockSize)) {}
  ~Impl() { Close().PermitUnchecked(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // Setup, before StartFlusher (single-threaded).
  Status CreateStream();
  Status ResumeStream(Lsn end);
  void StartFlusher() {
    flusher_ = env_->StartThread("jetsvc-logflush", [this] { FlusherLoop(); });
  }

  Status Append(std::string_view record, Lsn* end_lsn);
  Status WaitDurable(Lsn lsn) {
    MutexLock lock(&mu_);
    return WaitDurableLocked(lsn);
  }
  Status Flush() {
    MutexLock lock(&mu_);
    return WaitDurableLocked(TipLocked());
  }
  Lsn tip() const {
    MutexLock lock(&mu_);
    return TipLocked();
  }
  Lsn durable() const {
    MutexLock lock(&mu_);
    return durable_;
  }
  Status sticky_error() const {
    MutexLock lock(&mu_);
    return sticky_;
  }
  uint64_t sync_count() const { return sync_count_.load(); }
  Status DeleteGenerationsBelow(uint32_t generation);
  Status Close();

  Env* const env_;
  const LogOptions options_;
  LogSignature signature_;  // constant once setup is done

 private:
  // Consecutive bytes of one generation's file, starting at `offset`.
  struct Chunk {
    uint32_t generation;
    uint32_t offset;
    std::string bytes;
  };

  Lsn TipLocked() const EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return NormalizedLsn(options_.file_size, tip_generation_, tip_offset_);
  }
  void AssertValid() const EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FormatRecordLocked(std::string_view record) EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string* TipChunkLocked() EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Status WaitDurableLocked(Lsn lsn) EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Takes the I/O token and all pending bytes, writes them (and syncs if
  // `sync`) without mu_, then publishes. REQUIRES: !io_busy_, !closed_,
  // sticky_ OK.
  void RunIoLocked(bool sync) EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SetStickyLocked(const Status& s) EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (sticky_.ok()) sticky_ = ToLogWriteError(s);
  }
  void FlusherLoop();
  // CondVar's annotation names its own pointer to the mutex, which clang's
  // analysis cannot equate with mu_. These wrappers carry the requirement
  // instead, so every wait site is still checked.
  void Await(CondVar* cv) EXCLUSIVE_LOCKS_REQUIRED(mu_) NO_THREAD_SAFETY_ANALYSIS {
    cv->Wait();
  }
  void AwaitFor(CondVar* cv, std::chrono::microseconds timeout)
      EXCLUSIVE_LOCKS_REQUIRED(mu_) NO_THREAD_SAFETY_ANALYSIS {
    cv->WaitFor(timeout);
  }

  // I/O token holder only (invariant 4), or setup.
  Status WriteChunks(const std::vector<Chunk>& chunks);
  Status SyncFile();
  Status RollOver(uint32_t next_generation);
  // Makes `<base>tmp.log` a synced, empty file of `generation`.
  Status PrepareTempFile(uint32_t generation);
  // Renames the prepared temp file to `<base>.log` and opens it.
  Status InstallTempFile();
  Status OpenCurrentFile(uint32_t generation);
  Status ClearTail(uint32_t offset);

  const size_t buffer_limit_;
  std::atomic<uint64_t> sync_count_{0};
  std::thread flusher_;

  std::unique_ptr<File> file_;    // the open `<base>.log`; token holder only
  uint32_t io_generation_ = 0;    // its generation; token holder only

  mutable Mutex mu_;
  CondVar io_cv_{&mu_};       // the token was released / durable_ moved
  CondVar flusher_cv_{&mu_};  // wakes the flusher
  uint32_t tip_generation_ GUARDED_BY(mu_) = 0;
  uint32_t tip_offset_ GUARDED_BY(mu_) = 0;
  std::vector<Chunk> pending_ GUARDED_BY(mu_);
  size_t pending_bytes_ GUARDED_BY(mu_) = 0;
  Lsn durable_ GUARDED_BY(mu_) = 0;
  uint32_t file_generation_ GUARDED_BY(mu_) = 0;  // io_generation_, published
  bool io_busy_ GUARDED_BY(mu_) = false;
  bool closed_ GUARDED_BY(mu_) = false;
  bool stop_flusher_ GUARDED_BY(mu_) = false;
  bool flusher_idle_ GUARDED_BY(mu_) = false;
  Status sticky_ GUARDED_BY(mu_);
};

void LogWriter::Impl::AssertValid() const {
#ifndef NDEBUG
  mu_.AssertHeld();
  assert(durable_ <= TipLocked());
  assert(tip_offset_ >= kDataStart && tip_offset_ <= options_.file_size);
  if (!pending_.empty()) {
    const Chunk& last = pending_.back();
    assert(last.generation == tip_generation_);
    assert(last.offset + last.bytes.size() == tip_offset_);
  }
#endif
}

// ---- setup ----------------------------------------------------------------

Status LogWriter::Impl::CreateStream() {
  JET_RETURN_IF_ERROR(ValidateOptions(options_));
  LogDirectory dir;
  JET_RETURN_IF_ERROR(ScanLogDirectory(env_, options_, &dir));
  if (!dir.empty()) {
    return Status::FromCode(JET_errFileAlreadyExists,
                            "a log stream already exists in \"" + options_.directory +
                                "\" (base name " + options_.base_name + ")");
  }
  const uint64_t wall = env_->WallMicros();
  const uint64_t seed = wall ^ (env_->NowMicros() << 21) ^
                        reinterpret_cast<uintptr_t>(this) ^
                        (g_signature_counter.fetch_add(1) << 48);
  signature_.created_micros = wall;
  signature_.random = SplitMix64(seed);
  if (signature_.random == 0) signature_.random = 1;

  JET_RETURN_IF_ERROR(ToSetupError(PrepareTempFile(1)));
  JET_RETURN_IF_ERROR(ToSetupError(InstallTempFile()));
  MutexLock lock(&mu_);
  tip_generation_ = 1;
  tip_offset_ = kDataStart;
  durable_ = TipLocked();
  file_generation_ = 1;
  return Status::OK();
}

namespace {

// A cheap guard for Resume: true if the first fragment of `path` (of
// `generation`) starts a record, so the file holds more than the torn
// continuation of an earlier record.
Status FileStartsRecord(Env* env, const LogOptions& options, const std::string& path,
                        uint32_t generation, bool* starts) {
  std::unique_ptr<File> file;
  JET_RETURN_IF_ERROR(env->OpenFile(path, OpenMode::kOpenExisting, true, &file));
  std::string block(BlockEnd(options.file_size, kDataStart) - kDataStart, '\0');
  size_t got = 0;
  JET_RETURN_IF_ERROR(file->Read(kDataStart, block.size(), block.data(), &got));
  block.resize(got);
  FragmentType type;
  std::string_view payload;
  *starts = ParseFragment(block, kDataStart, generation, kDataStart, &type, &payload) ==
                FragmentState::kValid &&
            (type == kFullType || type == kFirstType);
  return Status::OK();
}

Status ReadHeaderOf(Env* env, const LogOptions& options, const std::string& path,
                    FileHeader* header) {
  std::unique_ptr<File> file;
  JET_RETURN_IF_ERROR(env->OpenFile(path, OpenMode::kOpenExisting, true, &file));
  uint64_t size = 0;
  JET_RETURN_IF_ERROR(file->GetSize(&size));
  if (size != options.file_size) {
    return Status::FromCode(JET_errLogFileSizeMismatch,
                            path + " is " + std::to_string(size) + " bytes, expected " +
                                std::to_string(options.file_size));
  }
  return ReadFileHeader(file.get(), header);
}

}  // namespace

Status LogWriter::Impl::ResumeStream(Lsn end) {
  JET_RETURN_IF_ERROR(ValidateOptions(options_));
  LogDirectory dir;
  JET_RETURN_IF_ERROR(ScanLogDirectory(env_, options_, &dir));
  if (dir.empty()) {
    return Status::FromCode(JET_errMissingLogFile,
                            "no log files to resume in \"" + options_.directory + "\"");
  }
  std::map<uint32_t, std::string> files = dir.archived;
  if (dir.has_current) {
    JET_RETURN_IF_ERROR(dir.current_header_status);
    const uint32_t current = dir.current_header.generation;
    if (!dir.archived.empty() && dir.archived.rbegin()->first >= current) {
      return Status::FromCode(JET_errLogFileCorrupt,
                              dir.current_path + " (generation " + std::to_string(current) +
                                  ") is not above every archived generation");
    }
    files[current] = dir.current_path;
  }
  uint32_t end_generation = LsnGeneration(end);
  uint32_t end_offset = LsnOffset(end);
  if (end_offset < kDataStart || end_offset > options_.file_size) {
    return Status::InvalidParameter("resume position " + std::to_string(end) +
                                    " has an offset outside the record space");
  }
  if (end_offset == options_.file_size) {
    ++end_generation;
    end_offset = kDataStart;
  }
  const uint32_t highest = dir.HighestGeneration();
  if (end_generation == 0 || end_generation > highest + 1 ||
      (end_generation == highest + 1 && end_offset != kDataStart)) {
    return Status::InvalidParameter("resume position " + std::to_string(end) +
                                    " lies beyond the log on disk");
  }
  if (end_generation < dir.LowestGeneration() ||
      (end_generation <= highest && files.count(end_generation) == 0)) {
    return Status::FromCode(JET_errMissingLogFile,
                            "log generation " + std::to_string(end_generation) +
                                " of the resume position is missing");
  }
  // The stream's signature, from the file we continue (or the last one).
  FileHeader header;
  const std::string& signature_source =
      files.count(end_generation) != 0 ? files[end_generation] : files[highest];
  JET_RETURN_IF_ERROR(ReadHeaderOf(env_, options_, signature_source, &header));
  signature_ = header.signature;

  // 1. Generations after the end hold only the torn continuation of the
  //    record that starts at `end`: remove them, highest first, so a crash
  //    midway leaves a prefix of the stream that reads to the same end.
  std::vector<uint32_t> later;  // descending
  for (auto it = files.rbegin(); it != files.rend() && it->first > end_generation; ++it) {
    later.push_back(it->first);
  }
  for (const uint32_t g : later) {
    bool starts = false;
    JET_RETURN_IF_ERROR(FileStartsRecord(env_, options_, files[g], g, &starts));
    if (starts) {
      return Status::InvalidParameter("resume position " + std::to_string(end) +
                                      " is not the end of the log: generation " +
                                      std::to_string(g) + " holds records");
    }
  }
  for (const uint32_t g : later) {
    JET_RETURN_IF_ERROR(env_->RemoveFile(files[g]));
    files.erase(g);
  }
  if (!later.empty()) JET_RETURN_IF_ERROR(env_->SyncDir(options_.directory));

  // 2. Make the end's generation the current file.
  const std::string current_path = CurrentLogPath(options_);
  if (files.count(end_generation) != 0) {
    if (files[end_generation] != current_path) {
      JET_RETURN_IF_ERROR(env_->RenameFile(files[end_generation], current_path));
      JET_RETURN_IF_ERROR(env_->SyncDir(options_.directory));
    }
  } else {
    // The last file is full: roll over. What a crashed process left may be
    // only in the OS cache, so sync it before archiving it (invariant 2).
    if (files[highest] == current_path) {
      std::unique_ptr<File> full;
      JET_RETURN_IF_ERROR(env_->OpenFile(current_path, OpenMode::kOpenExisting, false, &full));
      JET_RETURN_IF_ERROR(ToSetupError(full->Sync()));
      ++sync_count_;
      full.reset();
      JET_RETURN_IF_ERROR(env_->RenameFile(current_path, ArchivedLogPath(options_, highest)));
    }
    JET_RETURN_IF_ERROR(ToSetupError(PrepareTempFile(end_generation)));
    JET_RETURN_IF_ERROR(ToSetupError(InstallTempFile()));
  }

  // 3. Check the file and clear everything after the end (the torn tail),
  //    so no later reader can take those bytes for data.
  JET_RETURN_IF_ERROR(OpenCurrentFile(end_generation));
  uint64_t size = 0;
  JET_RETURN_IF_ERROR(file_->GetSize(&size));
  if (size != options_.file_size) {
    return Status::FromCode(JET_errLogFileSizeMismatch,
                            current_path + " is " + std::to_string(size) +
                                " bytes, expected " + std::to_string(options_.file_size));
  }
  JET_RETURN_IF_ERROR(ReadFileHeader(file_.get(), &header));
  if (header.generation != end_generation || header.signature != signature_ ||
      header.file_size != options_.file_size) {
    return Status::FromCode(JET_errLogFileCorrupt,
                            current_path + " does not continue the stream at generation " +
                                std::to_string(end_generation));
  }
  JET_RETURN_IF_ERROR(ToSetupError(ClearTail(end_offset)));

  MutexLock lock(&mu_);
  tip_generation_ = end_generation;
  tip_offset_ = end_offset;
  durable_ = TipLocked();
  file_generation_ = end_generation;
  return Status::OK();
}

Status LogWriter::Impl::ClearTail(uint32_t offset) {
  std::string buf(kClearChunk, '\0');
  const std::string zeros(kClearChunk, '\0');
  for (uint64_t pos = offset; pos < options_.file_size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kClearChunk, options_.file_size - pos));
    JET_RETURN_IF_ERROR(ReadFully(file_.get(), pos, n, buf.data()));
    if (std::memcmp(buf.data(), zeros.data(), n) != 0) {
      JET_RETURN_IF_ERROR(file_->Write(pos, std::string_view(zeros.data(), n)));
    }
    pos += n;
  }
  return SyncFile();
}

// ---- files (token holder or setup) -----------------------------------------

Status LogWriter::Impl::PrepareTempFile(uint32_t generation) {
  const std::string path = TempLogPath(options_);
  std::unique_ptr<File> file;
  JET_RETURN_IF_ERROR(env_->OpenFile(path, OpenMode::kCreateOrTruncate, false, &file));
  // Preallocate (a full disk shows up here) and zero the record space.
  JET_RETURN_IF_ERROR(file->SetSize(options_.file_size));
  FileHeader header;
  header.generation = generation;
  header.file_size = options_.file_size;
  header.signature = signature_;
  header.created_micros = env_->WallMicros();
  char bytes[kFileHeaderSize];
  EncodeFileHeader(header, bytes);
  JET_RETURN_IF_ERROR(file->Write(0, std::string_view(bytes, sizeof(bytes))));
  JET_RETURN_IF_ERROR(file->Sync());
  ++sync_count_;
  return Status::OK();
}

Status LogWriter::Impl::InstallTempFile() {
  const std::string current_path = CurrentLogPath(options_);
  JET_RETURN_IF_ERROR(env_->RenameFile(TempLogPath(options_), current_path));
  JET_RETURN_IF_ERROR(env_->SyncDir(options_.directory));
  FileHeader header;
  JET_RETURN_IF_ERROR(ReadHeaderOf(env_, options_, current_path, &header));
  return OpenCurrentFile(header.generation);
}

Status LogWriter::Impl::OpenCurrentFile(uint32_t generation) {
  file_.reset();
  JET_RETURN_IF_ERROR(
      env_->OpenFile(CurrentLogPath(options_), OpenMode::kOpenExisting, false, &file_));
  io_generation_ = generation;
  return Status::OK();
}

Status LogWriter::Impl::SyncFile() {
  JET_RETURN_IF_ERROR(file_->Sync());
  ++sync_count_;
  return Status::OK();
}

Status LogWriter::Impl::RollOver(uint32_t next_generation) {
  assert(next_generation == io_generation_ + 1);
  // Invariant 2: the finished file is complete and synced before it gets
  // its archived name. The next file is made under the temp name and
  // renamed only once it is whole, so a crash at any step leaves a log
  // that reads to the same end (FORMAT.md, "Rollover").
  JET_RETURN_IF_ERROR(SyncFile());
  const uint32_t finished = io_generation_;
  file_.reset();
  JET_RETURN_IF_ERROR(PrepareTempFile(next_generation));
  JET_RETURN_IF_ERROR(
      env_->RenameFile(CurrentLogPath(options_), ArchivedLogPath(options_, finished)));
  JET_RETURN_IF_ERROR(InstallTempFile());
  if (io_generation_ != next_generation) {
    return Status::FromCode(JET_errLogFileCorrupt, "rollover installed the wrong generation");
  }
  MutexLock lock(&mu_);
  file_generation_ = next_generation;
  return Status::OK();
}

Status LogWriter::Impl::WriteChunks(const std::vector<Chunk>& chunks) {
  for (const Chunk& chunk : chunks) {
    if (chunk.generation != io_generation_) JET_RETURN_IF_ERROR(RollOver(chunk.generation));
    if (file_ == nullptr) return Status::FromCode(JET_errLogWriteFail, "no open log file");
    JET_RETURN_IF_ERROR(file_->Write(chunk.offset, chunk.bytes));
  }
  return Status::OK();
}

// ---- appending and group commit ----------------------------------------------

std::string* LogWriter::Impl::TipChunkLocked() {
  if (pending_.empty() || pending_.back().generation != tip_generation_ ||
      pending_.back().offset + pending_.back().bytes.size() != tip_offset_) {
    pending_.push_back(Chunk{tip_generation_, tip_offset_, std::string()});
  }
  return &pending_.back().bytes;
}

void LogWriter::Impl::FormatRecordLocked(std::string_view record) {
  bool first = true;
  for (;;) {
    const uint32_t block_end = BlockEnd(options_.file_size, tip_offset_);
    const uint32_t space = block_end - tip_offset_;
    if (space < kMinFragmentSpace) {
      if (block_end == options_.file_size) {
        // The file is full; its trailer is already zero (preallocated or
        // cleared by Resume), so the next byte goes to the next file.
        ++tip_generation_;
        tip_offset_ = kDataStart;
      } else {
        TipChunkLocked()->append(space, '\0');  // block trailer
        tip_offset_ = block_end;
        pending_bytes_ += space;
      }
      continue;
    }
    const size_t n = std::min<size_t>(record.size(), space - kFragmentHeaderSize);
    const bool last = n == record.size();
    const FragmentType type =
        first ? (last ? kFullType : kFirstType) : (last ? kLastType : kMiddleType);
    AppendFragment(tip_generation_, tip_offset_, type, record.substr(0, n),
                   TipChunkLocked());
    tip_offset_ += static_cast<uint32_t>(kFragmentHeaderSize + n);
    pending_bytes_ += kFragmentHeaderSize + n;
    record.remove_prefix(n);
    first = false;
    if (last) return;
  }
}

Status LogWriter::Impl::Append(std::string_view record, Lsn* end_lsn) {
  MutexLock lock(&mu_);
  if (!sticky_.ok()) return sticky_;
  if (closed_) return Status::FromCode(JET_errInvalidOperation, "the log writer is closed");
  if (record.empty() || record.size() > kMaxRecordSize) {
    return Status::InvalidParameter("log record of " + std::to_string(record.size()) +
                                    " bytes (allowed: 1 byte to 64 MiB)");
  }
  // Generations are 32 bits; refuse a record that could run past the last.
  const uint64_t files_needed = record.size() / DataCapacity(options_.file_size) + 2;
  if (tip_generation_ > UINT32_MAX - files_needed) {
    return Status::FromCode(JET_errLogSequenceEnd, "log generations are exhausted");
  }
  FormatRecordLocked(record);
  *end_lsn = TipLocked();
  if (flusher_idle_) flusher_cv_.Signal();
  // Keep memory bounded: past the buffer size, write out (without a sync).
  while (pending_bytes_ > buffer_limit_ && sticky_.ok() && !closed_) {
    if (io_busy_) {
      Await(&io_cv_);
      continue;
    }
    RunIoLocked(/*sync=*/false);
  }
  AssertValid();
  return sticky_;
}

Status LogWriter::Impl::WaitDurableLocked(Lsn lsn) {
  for (;;) {
    if (!sticky_.ok()) return sticky_;
    const Lsn want = std::min(lsn, TipLocked());
    if (durable_ >= want) return Status::OK();
    if (io_busy_) {  // a leader is at work: follow it
      Await(&io_cv_);
      continue;
    }
    if (closed_) return Status::FromCode(JET_errInvalidOperation, "the log writer is closed");
    RunIoLocked(/*sync=*/true);  // lead
  }
}

void LogWriter::Impl::RunIoLocked(bool sync) {
  assert(!io_busy_ && !closed_ && sticky_.ok());
  io_busy_ = true;
  std::vector<Chunk> chunks;
  chunks.swap(pending_);
  pending_bytes_ = 0;
  const Lsn target = TipLocked();
  mu_.Unlock();
  Status s = WriteChunks(chunks);
  if (s.ok() && sync) s = SyncFile();
  chunks.clear();
  mu_.Lock();
  io_busy_ = false;
  if (!s.ok()) {
    SetStickyLocked(s);
  } else if (sync && target > durable_) {
    durable_ = target;
  }
  io_cv_.SignalAll();
  AssertValid();
}

void LogWriter::Impl::FlusherLoop() {
  MutexLock lock(&mu_);
  while (!stop_flusher_) {
    if (!sticky_.ok() || closed_ || durable_ >= TipLocked()) {
      flusher_idle_ = true;
      Await(&flusher_cv_);
      flusher_idle_ = false;
      continue;
    }
    // Lazy records wait: give committers a moment to share the sync.
    AwaitFor(&flusher_cv_, kLazyFlushDelay);
    if (stop_flusher_) break;
    WaitDurableLocked(TipLocked()).PermitUnchecked();  // a failure is sticky
  }
}

Status LogWriter::Impl::DeleteGenerationsBelow(uint32_t generation) {
  uint32_t limit;
  {
    MutexLock lock(&mu_);
    limit = std::min(generation, file_generation_);  // never the current file
  }
  std::vector<std::string> names;
  JET_RETURN_IF_ERROR(env_->GetChildren(options_.directory, &names));
  bool removed = false;
  for (const std::string& name : names) {
    uint32_t g = 0;
    if (!ParseArchivedName(options_.base_name, name, &g) || g >= limit) continue;
    Status s = env_->RemoveFile(JoinPath(options_.directory, name));
    if (!s.ok() && !s.IsCode(JET_errFileNotFound)) return s;
    removed = true;
  }
  if (removed) JET_RETURN_IF_ERROR(env_->SyncDir(options_.directory));
  return Status::OK();
}

Status LogWriter::Impl::Close() {
  {
    MutexLock lock(&mu_);
    if (closed_) return sticky_;
    stop_flusher_ = true;
    flusher_cv_.SignalAll();
  }
  if (flusher_.joinable()) flusher_.join();
  MutexLock lock(&mu_);
  Status s = WaitDurableLocked(TipLocked());
  while (io_busy_) Await(&io_cv_);  // an appender's write-out
  closed_ = true;
  file_.reset();  // invariant 4: nobody holds or will take the token
  return s;
}

// ---- LogWriter ---------------------------------------------------------------

LogWriter::LogWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogWriter::~LogWriter() = default;

Status LogWriter::Create(Env* env, const LogOptions& options,
                         std::unique_ptr<LogWriter>* result) {
  auto impl = std::make_unique<Impl>(env, options);
  JET_RETURN_IF_ERROR(impl->CreateStream());
  impl->StartFlusher();
  result->reset(new LogWriter(std::move(impl)));
  return Status::OK();
}

Status LogWriter::Resume(Env* env, const LogOptions& options, Lsn end,
                         std::unique_ptr<LogWriter>* result) {
  auto impl = std::make_unique<Impl>(env, options);
  JET_RETURN_IF_ERROR(impl->ResumeStream(end));
  impl->StartFlusher();
  result->reset(new LogWriter(std::move(impl)));
  return Status::OK();
}

Status LogWriter::Append(std::string_view record, Lsn* end_lsn) {
  return impl_->Append(record, end_lsn);
}
Status LogWriter::WaitDurable(Lsn lsn) { return impl_->WaitDurable(lsn); }
Status LogWriter::Flush() { return impl_->Flush(); }
Lsn LogWriter::tip() const { return impl_->tip(); }
Lsn LogWriter::durable() const { return impl_->durable(); }
const LogSignature& LogWriter::signature() const { return impl_->signature_; }
const LogOptions& LogWriter::options() const { return impl_->options_; }
Status LogWriter::sticky_error() const { return impl_->sticky_error(); }
uint64_t LogWriter::sync_count() const { return impl_->sync_count(); }
Status LogWriter::DeleteGenerationsBelow(uint32_t generation) {
  return impl_->DeleteGenerationsBelow(generation);
}
Status LogWriter::Close() { return impl_->Close(); }

}  // namespace jetsvc
