// RunWriter: writes runs of adjacent pages to one database file, on a helper
// thread while the caller copies and seals the next run.
//
// A large flush (the stop's quiesce flush, JetTerm on a full cache) is
// limited by the disk only if the CPU work per run (copying pages out
// under their latches, checksumming them) overlaps the writes. Unbuffered
// writes (File::WriteUnbuffered) return only when the device has the data,
// so without a second thread the two would simply add up.
//
// Usage: Acquire() a buffer, fill it, Submit() it; repeat; Finish(). Runs
// are written in submission order; once one fails, later ones are dropped
// and Acquire() returns nullptr. Each run is written only after the log is
// durable up to the run's largest page LSN (the WAL rule).
//
// Thread contract: one caller thread; the helper thread is internal.

#ifndef JETSVC_ENGINE_CACHE_RUN_WRITER_H_
#define JETSVC_ENGINE_CACHE_RUN_WRITER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <thread>
#include <vector>

#include "engine/util/mutex.h"
#include "engine/util/status.h"
#include "platform/env.h"

namespace jetsvc {

class LogDurability;

class RunWriter {
 public:
  // `buffer_bytes`: the largest run. `threaded`: write on a helper thread
  // (worth it when there are several runs); otherwise Submit writes inline.
  // `submitted` (may be null) is increased by each run's size once written.
  RunWriter(Env* env, File* file, LogDurability* log, size_t buffer_bytes, bool threaded,
            std::atomic<uint64_t>* submitted);
  ~RunWriter();  // Finish()es if the caller did not
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  // Allocates the buffers (aligned for unbuffered writes) and starts the
  // helper. JET_errOutOfMemory if the buffers cannot be had.
  Status Start();

  // A buffer of buffer_bytes to fill; waits while all are in flight.
  // nullptr once a write has failed.
  char* Acquire();
  // Queues buffer[0, bytes) for offset, to be written once the log is
  // durable up to wal_lsn (0: no need to wait). `tag` identifies the run.
  void Submit(char* buffer, uint64_t offset, size_t bytes, uint64_t wal_lsn, size_t tag);
  // Waits for every queued run. Returns the first error; *last_tag is the
  // tag of the last run written before it (or of the last run), and
  // *any_written whether there was one.
  Status Finish(size_t* last_tag, bool* any_written, uint64_t* bytes_written);

 private:
  struct Job {
    char* buffer;
    uint64_t offset;
    size_t bytes;
    uint64_t wal_lsn;
    size_t tag;
  };
  // Writes one run; returns its status.
  Status Write(const Job& job);
  void HelperLoop();
  void Record(const Job& job, const Status& status) EXCLUSIVE_LOCKS_REQUIRED(mu_);

  static constexpr size_t kBuffers = 3;

  Env* const env_;
  File* const file_;
  LogDurability* const log_;
  const size_t buffer_bytes_;
  const bool threaded_;
  std::atomic<uint64_t>* const submitted_;
  std::vector<char*> buffers_;  // owned, from env_->AllocateLarge
  std::thread helper_;
  bool finished_ = false;

  Mutex mu_;
  CondVar changed_{&mu_};
  std::vector<char*> free_ GUARDED_BY(mu_);
  std::deque<Job> queue_ GUARDED_BY(mu_);
  bool closing_ GUARDED_BY(mu_) = false;
  Status status_ GUARDED_BY(mu_);
  bool any_written_ GUARDED_BY(mu_) = false;
  size_t last_tag_ GUARDED_BY(mu_) = 0;
  uint64_t bytes_written_ GUARDED_BY(mu_) = 0;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_CACHE_RUN_WRITER_H_
