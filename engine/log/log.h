// The write-ahead log: a stream of opaque records in fixed-size files.
//
// Files live in JET_paramLogFilePath: the current file is `<base>.log`;
// when it is full it is renamed `<base>XXXXXXXX.log` (its generation in 8
// upper-case hex digits) and a new `<base>.log` of the next generation is
// started. Every file is exactly `file_size` bytes. The byte format is in
// log/FORMAT.md.
//
// An LSN (log sequence number) is `(generation << 32) | offset`, the offset
// being a byte position inside that generation's file. Record LSNs given
// out by the writer are the *end* of the record (the position after its
// last byte); a reader reports both ends. A position at the very end of a
// full file is normalized to the first data byte of the next generation, so
// equal positions have equal LSNs.
//
// Records are opaque to this module (the first payload byte is by
// convention a record type owned by the layer above; see
// log/log_records.h).
//
// Thread contract: LogWriter is thread-safe. LogReader is single-threaded.

#ifndef JETSVC_ENGINE_LOG_LOG_H_
#define JETSVC_ENGINE_LOG_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cache/buffer_cache.h"
#include "engine/util/status.h"
#include "platform/env.h"

namespace jetsvc {

using Lsn = uint64_t;

inline constexpr uint32_t LsnGeneration(Lsn lsn) { return static_cast<uint32_t>(lsn >> 32); }
inline constexpr uint32_t LsnOffset(Lsn lsn) { return static_cast<uint32_t>(lsn); }
inline constexpr Lsn MakeLsn(uint32_t generation, uint32_t offset) {
  return (static_cast<Lsn>(generation) << 32) | offset;
}

// The identity of one log stream; stored in every log file, in the
// checkpoint file and in each database header, so a database is only ever
// replayed from its own logs.
struct LogSignature {
  uint64_t random = 0;
  uint64_t created_micros = 0;  // wall clock
  bool operator==(const LogSignature& other) const {
    return random == other.random && created_micros == other.created_micros;
  }
  bool operator!=(const LogSignature& other) const { return !(*this == other); }
  bool empty() const { return random == 0 && created_micros == 0; }
};

struct LogOptions {
  std::string directory;         // JET_paramLogFilePath ("" = current dir)
  std::string base_name = "edb";  // JET_paramBaseName (3 characters)
  uint64_t file_size = 5120 * 1024;  // JET_paramLogFileSize (KiB) * 1024
  bool circular = false;         // JET_paramCircularLog
  size_t buffer_bytes = 126 * 512;  // JET_paramLogBuffers * 512
};

// Path of generation `generation`'s archived file and of the current file.
std::string ArchivedLogPath(const LogOptions& options, uint32_t generation);
std::string CurrentLogPath(const LogOptions& options);

// Bytes of log between two LSNs (to >= from), counting only record space
// (file headers excluded), given the fixed file size.
uint64_t LogBytesBetween(const LogOptions& options, Lsn from, Lsn to);

class LogWriter : public LogDurability {
 public:
  ~LogWriter() override;

  // Starts a new stream at generation 1 with a fresh signature. Fails with
  // JET_errFileAlreadyExists if `<base>.log` (or any archived generation of
  // this base name) already exists, JET_errLogDiskFull if the file cannot
  // be preallocated. REQUIRES: options.directory exists.
  static Status Create(Env* env, const LogOptions& options,
                       std::unique_ptr<LogWriter>* result);
  // Continues an existing stream after recovery read it to `end` (the
  // LogReader's end()): bytes after `end` in the current file (a torn tail)
  // are cleared before new records are written. If `end` lies in an earlier
  // generation than the last on disk (a record torn across a rollover),
  // the later generations hold only its remains: they are removed and
  // `end`'s generation becomes `<base>.log` again. If `end` is the end of a
  // full file, the next generation is started.
  static Status Resume(Env* env, const LogOptions& options, Lsn end,
                       std::unique_ptr<LogWriter>* result);

  // Appends one record (1 byte to 64 MiB) to the in-memory buffer and
  // returns its end LSN. Does not wait for the disk. Errors: the sticky
  // error, if any (also when writing out a full buffer fails here);
  // JET_errInvalidParameter for an empty or oversized record;
  // JET_errInvalidOperation after Close().
  Status Append(std::string_view record, Lsn* end_lsn);
  // Returns once every record ending at or before `lsn` is durable (an
  // `lsn` beyond tip() waits for tip()). Concurrent callers share one
  // write and one sync (group commit).
  Status WaitDurable(Lsn lsn) override;
  // Makes everything appended so far durable.
  Status Flush();

  Lsn tip() const;      // end of the last appended record
  Lsn durable() const;  // end of the last durable record
  const LogSignature& signature() const;
  const LogOptions& options() const;
  // The first error a write or sync hit (JET_errLogDiskFull for a full
  // disk, else JET_errLogWriteFail), returned by every later call. OK if
  // none.
  Status sticky_error() const;
  // Number of syncs of log files so far (tests check group commit).
  uint64_t sync_count() const;

  // Circular logging: removes archived generations < `generation`.
  Status DeleteGenerationsBelow(uint32_t generation);

  // Flushes, syncs and closes the current file (it stays `<base>.log`).
  Status Close();

 private:
  class Impl;
  explicit LogWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class LogReader {
 public:
  ~LogReader();

  // Opens the stream for reading from `start`, a record boundary (0 =
  // the first record of the lowest generation on disk). Errors:
  // JET_errMissingLogFile (no log, or a generation is missing between the
  // start and the current file), JET_errLogFileSizeMismatch (a file whose
  // size is not options.file_size), JET_errLogFileCorrupt (a bad header,
  // or generations with different signatures), JET_errInvalidParameter
  // (`start` is not a record boundary, or lies outside the record space or
  // beyond the end of the log).
  static Status Open(Env* env, const LogOptions& options, Lsn start,
                     std::unique_ptr<LogReader>* result);

  // Reads the next whole record. *start_lsn is the end of the record
  // before it (the position Open accepts), *end_lsn its own end. At the
  // end of the log sets *eof and returns OK. A damaged record that is
  // followed by nothing valid in the last generation on disk (normally the
  // current file) is a torn tail: the end of the log. A damaged record in
  // an earlier file, or followed by valid data, is JET_errLogFileCorrupt.
  Status Next(std::string* record, Lsn* start_lsn, Lsn* end_lsn, bool* eof);

  // After *eof: the position after the last whole record, where a writer
  // resumes.
  Lsn end() const;
  const LogSignature& signature() const;

 private:
  class Impl;
  explicit LogReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The generations on disk, ascending (archived files plus the current
// file's generation, read from its header). Empty if there is no log.
Status ListLogGenerations(Env* env, const LogOptions& options,
                          std::vector<uint32_t>* generations);

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_LOG_LOG_H_
