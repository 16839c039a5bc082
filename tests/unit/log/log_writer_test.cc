// LogWriter: round trips, file naming, rollover, group commit, lazy
// durability, Resume, and full disks at preallocation.

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "engine/log/log.h"
#include "engine/log/log_format.h"
#include "esent.h"
#include "tests/testing/test_util.h"
#include "tests/unit/log/log_test_util.h"

namespace jetsvc {
namespace {

using log_format::kBlockSize;
using log_format::kDataStart;
using log_format::kFragmentHeaderSize;
using testing::AppendAll;
using testing::MakeRecord;
using testing::ReadLog;
using testing::ReadResult;
using testing::Written;

class LogWriterTest : public ::testing::Test {
 protected:
  LogWriterTest() {
    options_.directory = dir_.path();
    options_.file_size = 64 * 1024;
    options_.buffer_bytes = 8 * 1024;
  }

  // Checks that the log on disk holds exactly `written`, with its LSNs.
  void ExpectLogHolds(const Written& written, Lsn first_start) {
    const ReadResult read = ReadLog(env_, options_);
    ASSERT_OK(read.status);
    ASSERT_EQ(written.records.size(), read.records.size());
    for (size_t i = 0; i < read.records.size(); ++i) {
      ASSERT_TRUE(written.records[i] == read.records[i]) << "record " << i;
      ASSERT_EQ(i == 0 ? first_start : written.ends[i - 1], read.starts[i]) << i;
      ASSERT_EQ(written.ends[i], read.ends[i]) << i;
    }
    EXPECT_EQ(written.records.empty() ? first_start : written.ends.back(), read.end);
  }

  Env* const env_ = Env::Default();
  testing::ScratchDir dir_;
  LogOptions options_;
};

TEST_F(LogWriterTest, RecordsOfEverySizeRoundTripAcrossGenerations) {
  const uint64_t seed = testing::TestSeed(301);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(env_, options_, &writer));
  const Lsn first = writer->tip();
  EXPECT_EQ(MakeLsn(1, kDataStart), first);

  // Edge sizes first: one byte, exactly one block of payload, one more,
  // bigger than the buffer, bigger than a whole file; then random sizes.
  std::vector<size_t> sizes = {1, kBlockSize - kFragmentHeaderSize, kBlockSize - kFragmentHeaderSize + 1,
                               3 * options_.buffer_bytes, 3 * options_.file_size / 2, 1};
  for (int i = 0; i < 200; ++i) sizes.push_back(testing::RandomRecordSize(&rng, options_.file_size));
  std::vector<std::string> records;
  for (size_t i = 0; i < sizes.size(); ++i) records.push_back(MakeRecord(i, sizes[i]));

  Written written;
  ASSERT_OK(AppendAll(writer.get(), records, &written));
  for (size_t i = 1; i < written.ends.size(); ++i) {
    ASSERT_LT(written.ends[i - 1], written.ends[i]) << "LSNs must strictly increase at " << i;
  }
  EXPECT_EQ(written.ends.back(), writer->tip());
  ASSERT_OK(writer->Flush());
  EXPECT_EQ(writer->tip(), writer->durable());
  ASSERT_OK(writer->Close());

  ExpectLogHolds(written, first);
  std::vector<uint32_t> generations;
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  ASSERT_GE(generations.size(), 5u);
  for (size_t i = 0; i < generations.size(); ++i) EXPECT_EQ(i + 1, generations[i]);
  EXPECT_EQ(LsnGeneration(written.ends.back()), generations.back());

  std::unique_ptr<LogReader> reader;
  ASSERT_OK(LogReader::Open(env_, options_, 0, &reader));
  EXPECT_EQ(writer->signature(), reader->signature());
  EXPECT_FALSE(reader->signature().empty());
}

TEST_F(LogWriterTest, ReadingFromARecordStartReturnsTheRestOfTheLog) {
  std::mt19937_64 rng(testing::TestSeed(302));
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(env_, options_, &writer));
  std::vector<std::string> records;
  for (int i = 0; i < 120; ++i) {
    records.push_back(MakeRecord(i, testing::RandomRecordSize(&rng, options_.file_size)));
  }
  Written written;
  ASSERT_OK(AppendAll(writer.get(), records, &written));
  ASSERT_OK(writer->Close());

  for (size_t k = 0; k < records.size(); k += 7) {
    SCOPED_TRACE("starting at record " + std::to_string(k));
    const ReadResult read = ReadLog(env_, options_, written.starts[k]);
    ASSERT_OK(read.status);
    ASSERT_EQ(records.size() - k, read.records.size());
    EXPECT_EQ(written.starts[k], read.starts[0]);
    for (size_t i = 0; i < read.records.size(); ++i) {
      ASSERT_TRUE(records[k + i] == read.records[i]);
      ASSERT_EQ(written.ends[k + i], read.ends[i]);
    }
  }
  // Starting at the end reads nothing and reports the same end.
  const ReadResult at_end = ReadLog(env_, options_, written.ends.back());
  ASSERT_OK(at_end.status);
  EXPECT_TRUE(at_end.records.empty());
  EXPECT_EQ(written.ends.back(), at_end.end);
}

TEST_F(LogWriterTest, FilesAreNamedByGenerationInUpperCaseHex) {
  EXPECT_EQ(dir_.Join("edb.log"), CurrentLogPath(options_));
  EXPECT_EQ(dir_.Join("edb00000001.log"), ArchivedLogPath(options_, 1));
  EXPECT_EQ(dir_.Join("edb000000AB.log"), ArchivedLogPath(options_, 0xab));
  EXPECT_EQ(dir_.Join("edbFFFFFFFF.log"), ArchivedLogPath(options_, 0xffffffffu));

  options_.base_name = "jet";
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(env_, options_, &writer));
  Written written;
  std::vector<std::string> records;
  for (int i = 0; i < 3; ++i) records.push_back(MakeRecord(i, options_.file_size));
  ASSERT_OK(AppendAll(writer.get(), records, &written));
  ASSERT_OK(writer->Close());

  std::vector<std::string> names;
  ASSERT_OK(env_->GetChildren(dir_.path(), &names));
  std::set<std::string> logs;
  for (const std::string& name : names) {
    if (name != "jettmp.log") logs.insert(name);
  }
  EXPECT_EQ((std::set<std::string>{"jet.log", "jet00000001.log", "jet00000002.log",
                                   "jet00000003.log"}),
            logs);
  for (const std::string& name : logs) {
    uint64_t size = 0;
    ASSERT_OK(env_->GetFileSize(dir_.Join(name), &size));
    EXPECT_EQ(options_.file_size, size) << name;
  }
  // Another base name in the same directory sees no log.
  LogOptions other = options_;
  other.base_name = "edb";
  std::vector<uint32_t> generations;
  ASSERT_OK(ListLogGenerations(env_, other, &generations));
  EXPECT_TRUE(generations.empty());
}

TEST_F(LogWriterTest, ListLogGenerationsIgnoresTheTempFile) {
  std::vector<uint32_t> generations;
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  EXPECT_TRUE(generations.empty());

  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(env_, options_, &writer));
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  EXPECT_EQ(std::vector<uint32_t>{1}, generations);
  Written written;
  ASSERT_OK(AppendAll(writer.get(), {MakeRecord(1, 2 * options_.file_size)}, &written));
  ASSERT_OK(writer->Close());

  // A leftover or junk temp file is not part of the log.
  std::unique_ptr<File> junk;
  ASSERT_OK(env_->OpenFile(dir_.Join("edbtmp.log"), OpenMode::kCreateOrTruncate, false, &junk));
  ASSERT_OK(junk->Write(0, "not a log file"));
  junk.reset();
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  EXPECT_EQ((std::vector<uint32_t>{1, 2, 3}), generations);
  ExpectLogHolds(written, MakeLsn(1, kDataStart));
}

TEST_F(LogWriterTest, DeleteGenerationsBelowNeverRemovesTheCurrentFile) {
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(env_, options_, &writer));
  Written written;
  std::vector<std::string> records;
  for (int i = 0; i < 100; ++i) records.push_back(MakeRecord(i, 3000));
  ASSERT_OK(AppendAll(writer.get(), records, &written));
  ASSERT_OK(writer->Flush());
  std::vector<uint32_t> generations;
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  ASSERT_EQ((std::vector<uint32_t>{1, 2, 3, 4, 5}), generations);

  ASSERT_OK(writer->DeleteGenerationsBelow(3));
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  EXPECT_EQ((std::vector<uint32_t>{3, 4, 5}), generations);
  ASSERT_OK(writer->DeleteGenerationsBelow(1000));
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  EXPECT_EQ(std::vector<uint32_t>{5}, generations);
  ASSERT_OK(writer->Close());

  // Reading from "the beginning" starts at the first whole record of the
  // lowest generation left.
  const ReadResult read = ReadLog(env_, options_);
  ASSERT_OK(read.status);
  ASSERT_FALSE(read.records.empty());
  const size_t first = records.size() - read.records.size();
  for (size_t i = 0; i < read.records.size(); ++i) {
    ASSERT_TRUE(records[first + i] == read.records[i]) << i;
    ASSERT_EQ(written.ends[first + i], read.ends[i]);
  }
  EXPECT_EQ(5u, LsnGeneration(read.ends[0]));
  // Anything below is gone.
  EXPECT_TRUE(ReadLog(env_, options_, written.starts[0]).status.IsCode(JET_errMissingLogFile));
}

TEST_F(LogWriterTest, CreateFailsWhenALogExists) {
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(env_, options_, &writer));
  ASSERT_OK(writer->Close());
  std::unique_ptr<LogWriter> second;
  EXPECT_TRUE(LogWriter::Create(env_, options_, &second).IsCode(JET_errFileAlreadyExists));
  EXPECT_EQ(nullptr, second);
}

TEST_F(LogWriterTest, InvalidOptionsAndRecordsAreRejected) {
  std::unique_ptr<LogWriter> writer;
  LogOptions tiny = options_;
  tiny.file_size = 8 * 1024;
  EXPECT_TRUE(LogWriter::Create(env_, tiny, &writer).IsCode(JET_errInvalidParameter));
  LogOptions bad_name = options_;
  bad_name.base_name = "a/b";
  EXPECT_TRUE(LogWriter::Create(env_, bad_name, &writer).IsCode(JET_errInvalidParameter));

  ASSERT_OK(LogWriter::Create(env_, options_, &writer));
  Lsn end = 0;
  EXPECT_TRUE(writer->Append("", &end).IsCode(JET_errInvalidParameter));
  // A bad argument is not a write failure: the writer goes on.
  ASSERT_OK(writer->sticky_error());
  ASSERT_OK(writer->Append("x", &end));
  ASSERT_OK(writer->WaitDurable(end));
  ASSERT_OK(writer->Close());
  EXPECT_TRUE(writer->Append("y", &end).IsCode(JET_errInvalidOperation));
}

TEST_F(LogWriterTest, CloseKeepsTheCurrentFileAndResumeContinuesIt) {
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(env_, options_, &writer));
  const LogSignature signature = writer->signature();
  Written written;
  std::vector<std::string> first_batch;
  for (int i = 0; i < 30; ++i) first_batch.push_back(MakeRecord(i, 1000 + 37 * i));
  ASSERT_OK(AppendAll(writer.get(), first_batch, &written));
  ASSERT_OK(writer->Close());
  writer.reset();
  EXPECT_TRUE(env_->FileExists(CurrentLogPath(options_)));

  const ReadResult read = ReadLog(env_, options_);
  ASSERT_OK(read.status);
  ASSERT_EQ(written.ends.back(), read.end);
  ASSERT_OK(LogWriter::Resume(env_, options_, read.end, &writer));
  EXPECT_EQ(signature, writer->signature());
  EXPECT_EQ(read.end, writer->tip());
  EXPECT_EQ(read.end, writer->durable());
  std::vector<std::string> second_batch;
  for (int i = 30; i < 60; ++i) second_batch.push_back(MakeRecord(i, 1000 + 37 * i));
  ASSERT_OK(AppendAll(writer.get(), second_batch, &written));
  ASSERT_OK(writer->Close());
  ExpectLogHolds(written, MakeLsn(1, kDataStart));
}

TEST_F(LogWriterTest, ResumeAtTheEndOfAFullFileRollsOver) {
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(env_, options_, &writer));
  Written written;
  ASSERT_OK(AppendAll(writer.get(), {MakeRecord(1, 100)}, &written));
  // A record whose fragments fill the file to its last byte.
  const uint32_t tip = LsnOffset(writer->tip());
  size_t payload = log_format::BlockEnd(options_.file_size, tip) - tip - kFragmentHeaderSize;
  payload += (options_.file_size - log_format::BlockEnd(options_.file_size, tip)) / kBlockSize *
             (kBlockSize - kFragmentHeaderSize);
  ASSERT_OK(AppendAll(writer.get(), {MakeRecord(2, payload)}, &written));
  EXPECT_EQ(MakeLsn(2, kDataStart), written.ends.back());
  ASSERT_OK(writer->Close());
  writer.reset();

  std::vector<uint32_t> generations;
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  EXPECT_EQ(std::vector<uint32_t>{1}, generations);  // rollover is lazy
  const ReadResult read = ReadLog(env_, options_);
  ASSERT_OK(read.status);
  EXPECT_EQ(MakeLsn(2, kDataStart), read.end);

  ASSERT_OK(LogWriter::Resume(env_, options_, read.end, &writer));
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  EXPECT_EQ((std::vector<uint32_t>{1, 2}), generations);
  ASSERT_OK(AppendAll(writer.get(), {MakeRecord(3, 10)}, &written));
  EXPECT_EQ(MakeLsn(2, kDataStart + kFragmentHeaderSize + 10), written.ends.back());
  ASSERT_OK(writer->Close());
  ExpectLogHolds(written, MakeLsn(1, kDataStart));
}

TEST_F(LogWriterTest, LogBytesBetweenCountsRecordSpaceOnly) {
  const uint64_t capacity = options_.file_size - kDataStart;
  EXPECT_EQ(0u, LogBytesBetween(options_, MakeLsn(3, 5000), MakeLsn(3, 5000)));
  EXPECT_EQ(100u, LogBytesBetween(options_, MakeLsn(3, 5000), MakeLsn(3, 5100)));
  EXPECT_EQ(capacity, LogBytesBetween(options_, MakeLsn(1, kDataStart), MakeLsn(2, kDataStart)));
  EXPECT_EQ(2 * capacity + 10,
            LogBytesBetween(options_, MakeLsn(1, kDataStart), MakeLsn(3, kDataStart + 10)));
  EXPECT_EQ(capacity - 100,
            LogBytesBetween(options_, MakeLsn(1, kDataStart + 200), MakeLsn(2, kDataStart + 100)));
  // The end of a file and the start of the next are the same position.
  EXPECT_EQ(LogBytesBetween(options_, MakeLsn(1, 5000), MakeLsn(1, options_.file_size)),
            LogBytesBetween(options_, MakeLsn(1, 5000), MakeLsn(2, kDataStart)));
}

TEST_F(LogWriterTest, ConcurrentCommitsShareSyncs) {
  // Syncs take a millisecond, as on a real disk, so commits pile up behind
  // each leader even on a machine with a fast or cached disk.
  testing::TestFileEnv env(env_);
  env.sync_delay_micros = 1000;
  options_.file_size = 1024 * 1024;
  options_.buffer_bytes = 64 * 1024;
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(&env, options_, &writer));
  const uint64_t syncs_before = writer->sync_count();

  constexpr int kThreads = 8;
  constexpr int kCommitsPerThread = 60;
  std::vector<std::vector<std::pair<std::string, Lsn>>> acknowledged(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommitsPerThread; ++i) {
        const std::string record = MakeRecord(t * 1000 + i, 20 + (i * 7) % 200);
        Lsn end = 0;
        if (!writer->Append(record, &end).ok() || !writer->WaitDurable(end).ok() ||
            writer->durable() < end) {
          ++failures;
          return;
        }
        acknowledged[t].emplace_back(record, end);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(0, failures.load());
  const uint64_t commits = kThreads * kCommitsPerThread;
  const uint64_t syncs = writer->sync_count() - syncs_before;
  EXPECT_LT(syncs, commits / 2) << "group commit should share syncs: " << syncs
                                << " syncs for " << commits << " commits";
  ASSERT_OK(writer->Close());

  const ReadResult read = ReadLog(env_, options_);
  ASSERT_OK(read.status);
  ASSERT_EQ(commits, read.records.size());
  std::map<Lsn, std::string> by_end;
  for (size_t i = 0; i < read.records.size(); ++i) by_end[read.ends[i]] = read.records[i];
  for (int t = 0; t < kThreads; ++t) {
    for (const auto& [record, end] : acknowledged[t]) {
      const auto it = by_end.find(end);
      ASSERT_NE(it, by_end.end()) << "acknowledged record missing, thread " << t;
      ASSERT_TRUE(it->second == record);
    }
  }
}

TEST_F(LogWriterTest, LazyRecordsBecomeDurableWithoutAWaiter) {
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(env_, options_, &writer));
  Written written;
  std::vector<std::string> records;
  for (int i = 0; i < 10; ++i) records.push_back(MakeRecord(i, 50));
  ASSERT_OK(AppendAll(writer.get(), records, &written));
  const Lsn tip = writer->tip();
  // The background flusher aims for ~25 ms; allow a loaded CI machine far
  // more.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (writer->durable() < tip && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GE(writer->durable(), tip);
  // Durable means on disk: a reader sees the records while the writer is open.
  const ReadResult read = ReadLog(env_, options_);
  ASSERT_OK(read.status);
  EXPECT_EQ(records, read.records);
  ASSERT_OK(writer->Close());
}

TEST_F(LogWriterTest, FullDiskAtCreationIsLogDiskFull) {
  testing::TestFileEnv env(env_);
  env.fail_set_size = true;
  std::unique_ptr<LogWriter> writer;
  EXPECT_TRUE(LogWriter::Create(&env, options_, &writer).IsCode(JET_errLogDiskFull));
  std::vector<uint32_t> generations;
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  EXPECT_TRUE(generations.empty());
}

TEST_F(LogWriterTest, FullDiskAtRolloverIsStickyLogDiskFull) {
  testing::TestFileEnv env(env_);
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(&env, options_, &writer));
  env.fail_set_size = true;  // the next generation cannot be preallocated

  std::vector<std::string> acknowledged;
  std::vector<std::string> appended;
  Status status;
  for (int i = 0; i < 200 && status.ok(); ++i) {
    const std::string record = MakeRecord(i, 1500);
    Lsn end = 0;
    status = writer->Append(record, &end);
    if (!status.ok()) break;
    appended.push_back(record);
    status = writer->WaitDurable(end);
    if (status.ok()) acknowledged.push_back(record);
  }
  ASSERT_TRUE(status.IsCode(JET_errLogDiskFull)) << status.ToString();
  ASSERT_LT(acknowledged.size(), 200u);
  // Sticky: every later call fails the same way.
  Lsn end = 0;
  EXPECT_TRUE(writer->Append("more", &end).IsCode(JET_errLogDiskFull));
  EXPECT_TRUE(writer->WaitDurable(writer->tip()).IsCode(JET_errLogDiskFull));
  EXPECT_TRUE(writer->Flush().IsCode(JET_errLogDiskFull));
  EXPECT_TRUE(writer->sticky_error().IsCode(JET_errLogDiskFull));
  EXPECT_TRUE(writer->Close().IsCode(JET_errLogDiskFull));
  writer.reset();

  // The log on disk reads cleanly and holds at least what was acknowledged.
  const ReadResult read = ReadLog(env_, options_);
  ASSERT_OK(read.status);
  ASSERT_GE(read.records.size(), acknowledged.size());
  ASSERT_LE(read.records.size(), appended.size());
  for (size_t i = 0; i < read.records.size(); ++i) ASSERT_TRUE(appended[i] == read.records[i]);
}

}  // namespace
}  // namespace jetsvc
