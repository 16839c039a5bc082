#include "engine/cache/run_writer.h"

#include <string_view>

#include "engine/cache/buffer_cache.h"
#include "esent.h"

namespace jetsvc {

RunWriter::RunWriter(Env* env, File* file, LogDurability* log, size_t buffer_bytes,
                     bool threaded, std::atomic<uint64_t>* submitted)
    : env_(env),
      file_(file),
      log_(log),
      buffer_bytes_(buffer_bytes),
      threaded_(threaded),
      submitted_(submitted) {}

RunWriter::~RunWriter() {
  if (!finished_) {
    size_t tag = 0;
    bool any = false;
    uint64_t bytes = 0;
    Finish(&tag, &any, &bytes).PermitUnchecked();
  }
  for (char* buffer : buffers_) env_->FreeLarge(buffer, buffer_bytes_);
}

Status RunWriter::Start() {
  const size_t count = threaded_ ? kBuffers : 1;
  for (size_t i = 0; i < count; ++i) {
    char* buffer = static_cast<char*>(env_->AllocateLarge(buffer_bytes_));
    if (buffer == nullptr) {
      return Status::FromCode(JET_errOutOfMemory, "cannot allocate a page write buffer of " +
                                                      std::to_string(buffer_bytes_) + " bytes");
    }
    buffers_.push_back(buffer);
  }
  {
    MutexLock lock(&mu_);
    free_ = buffers_;
  }
  if (threaded_) helper_ = env_->StartThread("jetsvc-write", [this] { HelperLoop(); });
  return Status::OK();
}

char* RunWriter::Acquire() {
  MutexLock lock(&mu_);
  while (free_.empty() && status_.ok()) changed_.Wait();
  if (!status_.ok()) return nullptr;
  char* buffer = free_.back();
  free_.pop_back();
  return buffer;
}

void RunWriter::Submit(char* buffer, uint64_t offset, size_t bytes, uint64_t wal_lsn,
                       size_t tag) {
  const Job job{buffer, offset, bytes, wal_lsn, tag};
  if (!threaded_) {
    const Status status = Write(job);
    MutexLock lock(&mu_);
    Record(job, status);
    return;
  }
  MutexLock lock(&mu_);
  queue_.push_back(job);
  changed_.SignalAll();
}

Status RunWriter::Write(const Job& job) {
  // The WAL rule: the log must be durable up to every copied page's LSN.
  if (log_ != nullptr && job.wal_lsn > 0) {
    Status status = log_->WaitDurable(job.wal_lsn);
    if (status.IsError()) return status;
  }
  return file_->WriteUnbuffered(job.offset, std::string_view(job.buffer, job.bytes));
}

void RunWriter::Record(const Job& job, const Status& status) {
  mu_.AssertHeld();
  if (status_.ok() && !status.IsError()) {
    any_written_ = true;
    last_tag_ = job.tag;
    bytes_written_ += job.bytes;
    if (submitted_ != nullptr) submitted_->fetch_add(job.bytes, std::memory_order_relaxed);
  } else if (status_.ok()) {
    status_ = status;
  }
  free_.push_back(job.buffer);
  changed_.SignalAll();
}

void RunWriter::HelperLoop() {
  mu_.Lock();
  for (;;) {
    while (queue_.empty() && !closing_) changed_.Wait();
    if (queue_.empty()) break;
    const Job job = queue_.front();
    queue_.pop_front();
    Status status;
    if (status_.ok()) {
      // After a failed run the later ones are only recorded as not
      // written; the file is not touched again.
      mu_.Unlock();
      status = Write(job);
      mu_.Lock();
    }
    Record(job, status);
  }
  mu_.Unlock();
}

Status RunWriter::Finish(size_t* last_tag, bool* any_written, uint64_t* bytes_written) {
  finished_ = true;
  if (helper_.joinable()) {
    {
      MutexLock lock(&mu_);
      closing_ = true;
      changed_.SignalAll();
    }
    helper_.join();
  }
  MutexLock lock(&mu_);
  *last_tag = last_tag_;
  *any_written = any_written_;
  *bytes_written = bytes_written_;
  return status_;
}

}  // namespace jetsvc
