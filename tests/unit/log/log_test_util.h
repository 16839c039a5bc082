// Helpers for the log tests: deterministic records, reading a whole log
// back, poking bytes of log files, and an Env whose files can be slowed
// down or made to fail preallocation. Header-only: the test binary is
// built from the *_test.cc files alone.

#ifndef JETSVC_TESTS_UNIT_LOG_LOG_TEST_UTIL_H_
#define JETSVC_TESTS_UNIT_LOG_LOG_TEST_UTIL_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/log/log.h"
#include "engine/log/log_format.h"
#include "esent.h"
#include "platform/env.h"
#include "tests/testing/test_util.h"

namespace jetsvc::testing {

// The bytes of record `id`: `size` bytes that differ for every id.
inline std::string MakeRecord(uint64_t id, size_t size) {
  std::string record(size, '\0');
  uint64_t x = id * 0x9e3779b97f4a7c15ull + size;
  for (size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    record[i] = static_cast<char>(x);
  }
  return record;
}

// Mostly small records, some spanning blocks, a few larger than a file.
inline size_t RandomRecordSize(std::mt19937_64* rng, uint64_t file_size) {
  const uint64_t r = (*rng)() % 100;
  if (r < 50) return 1 + (*rng)() % 100;
  if (r < 80) return 100 + (*rng)() % 4000;
  if (r < 97) return 4000 + (*rng)() % 20000;
  return static_cast<size_t>(file_size + (*rng)() % file_size);
}

// What a writer put into the log.
struct Written {
  std::vector<std::string> records;
  std::vector<Lsn> starts;  // each record's start (the previous end)
  std::vector<Lsn> ends;
};

inline Status AppendAll(LogWriter* writer, const std::vector<std::string>& records,
                        Written* written) {
  for (const std::string& record : records) {
    const Lsn start = writer->tip();
    Lsn end = 0;
    JET_RETURN_IF_ERROR(writer->Append(record, &end));
    written->records.push_back(record);
    written->starts.push_back(start);
    written->ends.push_back(end);
  }
  return Status::OK();
}

// Everything a reader returned, and how it stopped.
struct ReadResult {
  std::vector<std::string> records;
  std::vector<Lsn> starts;
  std::vector<Lsn> ends;
  Lsn end = 0;
  Status status;  // the first error of Open or Next
};

inline ReadResult ReadLog(Env* env, const LogOptions& options, Lsn start = 0) {
  ReadResult result;
  std::unique_ptr<LogReader> reader;
  result.status = LogReader::Open(env, options, start, &reader);
  if (!result.status.ok()) return result;
  for (;;) {
    std::string record;
    Lsn record_start = 0, record_end = 0;
    bool eof = false;
    result.status = reader->Next(&record, &record_start, &record_end, &eof);
    if (!result.status.ok() || eof) break;
    result.records.push_back(std::move(record));
    result.starts.push_back(record_start);
    result.ends.push_back(record_end);
  }
  result.end = reader->end();
  return result;
}

inline std::string ReadBytes(const std::string& path, uint64_t offset, size_t n) {
  std::unique_ptr<File> file;
  std::string bytes(n, '\0');
  EXPECT_OK(Env::Default()->OpenFile(path, OpenMode::kOpenExisting, true, &file));
  if (file == nullptr) return std::string();
  EXPECT_OK(ReadFully(file.get(), offset, n, bytes.data()));
  return bytes;
}

inline void WriteBytes(const std::string& path, uint64_t offset, std::string_view bytes) {
  std::unique_ptr<File> file;
  ASSERT_OK(Env::Default()->OpenFile(path, OpenMode::kOpenExisting, false, &file));
  ASSERT_OK(file->Write(offset, bytes));
  ASSERT_OK(file->Sync());
}

inline void ZeroBytes(const std::string& path, uint64_t offset, size_t n) {
  WriteBytes(path, offset, std::string(n, '\0'));
}

inline void FlipByte(const std::string& path, uint64_t offset, uint8_t mask = 0x5a) {
  std::string byte = ReadBytes(path, offset, 1);
  byte[0] = static_cast<char>(byte[0] ^ mask);
  WriteBytes(path, offset, byte);
}

inline void SetFileSize(const std::string& path, uint64_t size) {
  std::unique_ptr<File> file;
  ASSERT_OK(Env::Default()->OpenFile(path, OpenMode::kOpenExisting, false, &file));
  ASSERT_OK(file->SetSize(size));
}

// Where a record's bytes lie: its first fragment header and the end of its
// last fragment, as (generation, offset) pairs (an end at a file's end is
// not normalized here).
struct RecordSpan {
  uint32_t first_generation;
  uint32_t first_offset;
  uint32_t last_generation;
  uint32_t end_offset;
};

inline RecordSpan SpanOf(const LogOptions& options, Lsn start, Lsn end) {
  using log_format::BlockEnd;
  using log_format::kDataStart;
  RecordSpan span{LsnGeneration(start), LsnOffset(start), LsnGeneration(end), LsnOffset(end)};
  if (log_format::InTrailer(options.file_size, span.first_offset)) {
    span.first_offset = BlockEnd(options.file_size, span.first_offset);
    if (span.first_offset == options.file_size) {
      ++span.first_generation;
      span.first_offset = kDataStart;
    }
  }
  if (span.end_offset == kDataStart && span.last_generation > span.first_generation) {
    --span.last_generation;
    span.end_offset = static_cast<uint32_t>(options.file_size);
  }
  return span;
}

// The path of a generation's file (archived, or else the current one).
inline std::string GenerationPath(const LogOptions& options, uint32_t generation) {
  const std::string archived = ArchivedLogPath(options, generation);
  if (Env::Default()->FileExists(archived)) return archived;
  return CurrentLogPath(options);
}

// An Env whose files can sleep in Sync (to make group commit observable on
// fast disks) and can fail SetSize (a full disk at preallocation).
class TestFileEnv : public EnvWrapper {
 public:
  explicit TestFileEnv(Env* target) : EnvWrapper(target) {}

  std::atomic<uint64_t> sync_delay_micros{0};
  std::atomic<bool> fail_set_size{false};

  Status OpenFile(const std::string& path, OpenMode mode, bool read_only,
                  std::unique_ptr<File>* result) override {
    std::unique_ptr<File> base;
    JET_RETURN_IF_ERROR(target()->OpenFile(path, mode, read_only, &base));
    *result = std::make_unique<TestFile>(this, std::move(base));
    return Status::OK();
  }

 private:
  class TestFile final : public File {
   public:
    TestFile(TestFileEnv* env, std::unique_ptr<File> base)
        : env_(env), base_(std::move(base)) {}
    Status Read(uint64_t offset, size_t n, char* scratch, size_t* bytes_read) override {
      return base_->Read(offset, n, scratch, bytes_read);
    }
    Status Write(uint64_t offset, std::string_view data) override {
      return base_->Write(offset, data);
    }
    Status Sync() override {
      const uint64_t delay = env_->sync_delay_micros.load();
      if (delay != 0) env_->SleepForMicroseconds(delay);
      return base_->Sync();
    }
    Status GetSize(uint64_t* size) override { return base_->GetSize(size); }
    Status SetSize(uint64_t size) override {
      if (env_->fail_set_size.load()) {
        return Status::FromCode(JET_errDiskFull, "injected: no space to extend " + path());
      }
      return base_->SetSize(size);
    }
    const std::string& path() const override { return base_->path(); }

   private:
    TestFileEnv* const env_;
    std::unique_ptr<File> base_;
  };
};

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_UNIT_LOG_LOG_TEST_UTIL_H_
