// LogReader: torn tails versus corruption, missing and mismatched files,
// start positions, and damaged headers; plus Resume after a torn tail.

#include <functional>
#include <random>

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
using testing::FlipByte;
using testing::GenerationPath;
using testing::MakeRecord;
using testing::ReadLog;
using testing::ReadResult;
using testing::RecordSpan;
using testing::SpanOf;
using testing::Written;
using testing::ZeroBytes;

class LogReaderTest : public ::testing::Test {
 protected:
  LogReaderTest() {
    options_.directory = dir_.path();
    options_.file_size = 64 * 1024;
    options_.buffer_bytes = 16 * 1024;
  }

  // Writes records of the given sizes as a fresh log and closes it.
  void WriteLog(const std::vector<size_t>& sizes, Written* written) {
    std::unique_ptr<LogWriter> writer;
    ASSERT_OK(LogWriter::Create(env_, options_, &writer));
    std::vector<std::string> records;
    for (size_t i = 0; i < sizes.size(); ++i) records.push_back(MakeRecord(i, sizes[i]));
    ASSERT_OK(AppendAll(writer.get(), records, written));
    ASSERT_OK(writer->Close());
  }

  // A log of at least three generations whose last record, of
  // `last_size` bytes (at most half a file), lies wholly in the current
  // file.
  void WriteLogEndingWith(size_t last_size, Written* written) {
    ASSERT_LE(last_size, options_.file_size / 2);
    std::unique_ptr<LogWriter> writer;
    ASSERT_OK(LogWriter::Create(env_, options_, &writer));
    uint64_t id = 0;
    for (int i = 0; i < 60; ++i) {
      ASSERT_OK(AppendAll(writer.get(), {MakeRecord(id++, 500 + (i * 397) % 5000)}, written));
    }
    // Room for the record and a fragment header per block it may touch.
    const uint64_t needed = last_size + (last_size / kBlockSize + 2) * kFragmentHeaderSize;
    while (LsnGeneration(writer->tip()) < 3 ||
           options_.file_size - LsnOffset(writer->tip()) < needed) {
      ASSERT_OK(AppendAll(writer.get(), {MakeRecord(id++, 3000)}, written));
    }
    ASSERT_OK(AppendAll(writer.get(), {MakeRecord(id++, last_size)}, written));
    ASSERT_OK(writer->Close());
    const RecordSpan span = SpanOf(options_, written->starts.back(), written->ends.back());
    ASSERT_EQ(span.first_generation, span.last_generation);
  }

  // After the last record was damaged: the reader ends before it, Resume
  // continues there, and a later reader sees the old records and the new
  // ones, nothing of the damaged one.
  void ExpectTornTailThenResume(const Written& written) {
    const size_t kept = written.records.size() - 1;
    ReadResult read = ReadLog(env_, options_);
    ASSERT_OK(read.status);
    ASSERT_EQ(kept, read.records.size());
    for (size_t i = 0; i < kept; ++i) ASSERT_TRUE(written.records[i] == read.records[i]) << i;
    ASSERT_EQ(written.starts.back(), read.end);
    ASSERT_EQ(written.ends[kept - 1], read.end);

    std::unique_ptr<LogWriter> writer;
    ASSERT_OK(LogWriter::Resume(env_, options_, read.end, &writer));
    Written resumed;
    std::vector<std::string> fresh;
    // Small records, so bytes of the torn record would survive after them
    // if Resume did not clear the tail.
    for (int i = 0; i < 3; ++i) fresh.push_back(MakeRecord(1000 + i, 10 + 25 * i));
    ASSERT_OK(AppendAll(writer.get(), fresh, &resumed));
    EXPECT_EQ(read.end, resumed.starts[0]);
    ASSERT_OK(writer->Close());

    read = ReadLog(env_, options_);
    ASSERT_OK(read.status);
    ASSERT_EQ(kept + fresh.size(), read.records.size());
    for (size_t i = 0; i < kept; ++i) ASSERT_TRUE(written.records[i] == read.records[i]) << i;
    for (size_t i = 0; i < fresh.size(); ++i) {
      ASSERT_TRUE(fresh[i] == read.records[kept + i]) << i;
      ASSERT_EQ(resumed.ends[i], read.ends[kept + i]);
    }
  }

  Env* const env_ = Env::Default();
  testing::ScratchDir dir_;
  LogOptions options_;
};

TEST_F(LogReaderTest, NoLogIsMissingLogFile) {
  std::unique_ptr<LogReader> reader;
  EXPECT_TRUE(LogReader::Open(env_, options_, 0, &reader).IsCode(JET_errMissingLogFile));
}

TEST_F(LogReaderTest, FreshLogReadsNothing) {
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLog({}, &written));
  const ReadResult read = ReadLog(env_, options_);
  ASSERT_OK(read.status);
  EXPECT_TRUE(read.records.empty());
  EXPECT_EQ(MakeLsn(1, kDataStart), read.end);
}

TEST_F(LogReaderTest, TruncatedLastRecordIsTornTail) {
  // A write cut short leaves the never-written (zero) bytes of the
  // preallocated file behind the part that made it.
  // The cut is late, so whole fragments of the torn record stay valid
  // before it: Resume must clear them too.
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(18000, &written));  // five fragments
  const RecordSpan span = SpanOf(options_, written.starts.back(), written.ends.back());
  const uint32_t cut = span.end_offset - (span.end_offset - span.first_offset) / 5;
  ZeroBytes(GenerationPath(options_, span.first_generation), cut, span.end_offset - cut);
  ASSERT_NO_FATAL_FAILURE(ExpectTornTailThenResume(written));
}

TEST_F(LogReaderTest, ZeroedTailOfLastRecordIsTornTail) {
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(300, &written));
  const RecordSpan span = SpanOf(options_, written.starts.back(), written.ends.back());
  ZeroBytes(GenerationPath(options_, span.first_generation), span.end_offset - 5, 5);
  ASSERT_NO_FATAL_FAILURE(ExpectTornTailThenResume(written));
}

TEST_F(LogReaderTest, FlippedByteInLastFragmentIsTornTail) {
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(5000, &written));
  const RecordSpan span = SpanOf(options_, written.starts.back(), written.ends.back());
  FlipByte(GenerationPath(options_, span.first_generation), span.end_offset - 1);
  ASSERT_NO_FATAL_FAILURE(ExpectTornTailThenResume(written));
}

TEST_F(LogReaderTest, DamagedFragmentHeaderOfLastRecordIsTornTail) {
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(200, &written));
  const RecordSpan span = SpanOf(options_, written.starts.back(), written.ends.back());
  FlipByte(GenerationPath(options_, span.first_generation), span.first_offset + 5);  // length
  ASSERT_NO_FATAL_FAILURE(ExpectTornTailThenResume(written));
}

TEST_F(LogReaderTest, TornRecordAcrossRolloverIsRemovedByResume) {
  // The last record spans three files and its tail in the current file
  // never reached the disk.
  std::vector<size_t> sizes(20, 1000);
  sizes.push_back(2 * options_.file_size + 5000);
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLog(sizes, &written));
  const RecordSpan span = SpanOf(options_, written.starts.back(), written.ends.back());
  ASSERT_EQ(1u, span.first_generation);
  ASSERT_GE(span.last_generation, 3u);
  ZeroBytes(CurrentLogPath(options_), kDataStart, options_.file_size - kDataStart);
  ASSERT_NO_FATAL_FAILURE(ExpectTornTailThenResume(written));
  std::vector<uint32_t> generations;
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  EXPECT_EQ(1u, generations.front());
}

TEST_F(LogReaderTest, ResumeFinishesAfterACrashInsideResume) {
  // As above, but a crash inside an earlier Resume already removed the
  // current file: the last generation on disk is an archived one.
  std::vector<size_t> sizes(20, 1000);
  sizes.push_back(2 * options_.file_size + 5000);
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLog(sizes, &written));
  ZeroBytes(CurrentLogPath(options_), kDataStart, options_.file_size - kDataStart);
  ASSERT_OK(env_->RemoveFile(CurrentLogPath(options_)));
  ASSERT_NO_FATAL_FAILURE(ExpectTornTailThenResume(written));
}

TEST_F(LogReaderTest, FragmentsOfAnotherGenerationNeverParse) {
  // Bytes that were valid log data at the same offsets of generation 1
  // appear after the end of the current file (as a recycled file would
  // hold them): they must read as unwritten space, not as records.
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(100, &written));
  const uint32_t end = LsnOffset(written.ends.back());
  const std::string stale =
      testing::ReadBytes(ArchivedLogPath(options_, 1), end, options_.file_size - end);
  testing::WriteBytes(CurrentLogPath(options_), end, stale);
  const ReadResult read = ReadLog(env_, options_);
  ASSERT_OK(read.status);
  EXPECT_EQ(written.records, read.records);
  EXPECT_EQ(written.ends.back(), read.end);
}

TEST_F(LogReaderTest, DamageFollowedByValidRecordsIsCorruption) {
  std::vector<size_t> sizes(30, 500);
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLog(sizes, &written));
  const RecordSpan span = SpanOf(options_, written.starts[10], written.ends[10]);
  FlipByte(CurrentLogPath(options_), span.first_offset + kFragmentHeaderSize + 100);
  const ReadResult read = ReadLog(env_, options_);
  EXPECT_TRUE(read.status.IsCode(JET_errLogFileCorrupt)) << read.status.ToString();
  EXPECT_EQ(10u, read.records.size());
}

TEST_F(LogReaderTest, DamageInAnArchivedFileIsCorruption) {
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(100, &written));
  // Near the end of generation 1: nothing follows in that file, but it is
  // not the last one.
  const std::string archived = ArchivedLogPath(options_, 1);
  FlipByte(archived, options_.file_size - 20);
  ReadResult read = ReadLog(env_, options_);
  EXPECT_TRUE(read.status.IsCode(JET_errLogFileCorrupt)) << read.status.ToString();

  // Zeros where records were written are damage too.
  FlipByte(archived, options_.file_size - 20);
  ASSERT_OK(ReadLog(env_, options_).status);
  ZeroBytes(archived, 3 * kBlockSize, kBlockSize);
  read = ReadLog(env_, options_);
  EXPECT_TRUE(read.status.IsCode(JET_errLogFileCorrupt)) << read.status.ToString();
}

TEST_F(LogReaderTest, MissingMiddleGenerationIsMissingLogFile) {
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(100, &written));
  ASSERT_OK(env_->RemoveFile(ArchivedLogPath(options_, 2)));
  EXPECT_TRUE(ReadLog(env_, options_).status.IsCode(JET_errMissingLogFile));
  // From a record in generation 3 on, nothing is missing.
  size_t k = 0;
  while (LsnGeneration(written.starts[k]) < 3 || log_format::InTrailer(options_.file_size, LsnOffset(written.starts[k]))) ++k;
  const ReadResult read = ReadLog(env_, options_, written.starts[k]);
  ASSERT_OK(read.status);
  EXPECT_EQ(written.records.size() - k, read.records.size());
  // And a start inside the gap is missing too.
  EXPECT_TRUE(
      ReadLog(env_, options_, MakeLsn(2, kDataStart)).status.IsCode(JET_errMissingLogFile));
}

TEST_F(LogReaderTest, WrongFileSizeIsLogFileSizeMismatch) {
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(100, &written));
  LogOptions other = options_;
  other.file_size = 2 * options_.file_size;
  EXPECT_TRUE(ReadLog(env_, other).status.IsCode(JET_errLogFileSizeMismatch));

  testing::SetFileSize(ArchivedLogPath(options_, 2), options_.file_size + 1);
  EXPECT_TRUE(ReadLog(env_, options_).status.IsCode(JET_errLogFileSizeMismatch));
  testing::SetFileSize(ArchivedLogPath(options_, 2), options_.file_size);
  ASSERT_OK(ReadLog(env_, options_).status);

  // A shortened current file is a size mismatch, not a torn tail.
  testing::SetFileSize(CurrentLogPath(options_), options_.file_size - 100);
  EXPECT_TRUE(ReadLog(env_, options_).status.IsCode(JET_errLogFileSizeMismatch));
  std::unique_ptr<LogWriter> writer;
  EXPECT_TRUE(LogWriter::Resume(env_, options_, written.ends.back(), &writer)
                  .IsCode(JET_errLogFileSizeMismatch));
}

TEST_F(LogReaderTest, FilesOfAnotherStreamAreCorruption) {
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(100, &written));
  // A second stream of the same shape in another directory.
  testing::ScratchDir other_dir;
  LogOptions other = options_;
  other.directory = other_dir.path();
  {
    std::unique_ptr<LogWriter> writer;
    ASSERT_OK(LogWriter::Create(env_, other, &writer));
    Written ignored;
    ASSERT_OK(AppendAll(writer.get(), {MakeRecord(7, 3 * options_.file_size)}, &ignored));
    ASSERT_OK(writer->Close());
  }
  const std::string foreign = testing::ReadBytes(ArchivedLogPath(other, 2), 0, options_.file_size);
  testing::WriteBytes(ArchivedLogPath(options_, 2), 0, foreign);
  const ReadResult read = ReadLog(env_, options_);
  EXPECT_TRUE(read.status.IsCode(JET_errLogFileCorrupt)) << read.status.ToString();
}

TEST_F(LogReaderTest, CorruptHeaderIsAnErrorNotACrash) {
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(100, &written));
  std::vector<uint32_t> generations;

  FlipByte(CurrentLogPath(options_), 20);
  EXPECT_TRUE(ReadLog(env_, options_).status.IsCode(JET_errLogFileCorrupt));
  EXPECT_TRUE(ListLogGenerations(env_, options_, &generations).IsCode(JET_errLogFileCorrupt));
  std::unique_ptr<LogWriter> writer;
  EXPECT_TRUE(LogWriter::Resume(env_, options_, written.ends.back(), &writer)
                  .IsCode(JET_errLogFileCorrupt));
  FlipByte(CurrentLogPath(options_), 20);
  ASSERT_OK(ReadLog(env_, options_).status);

  // The generation field of an archived file (the checksum catches it).
  FlipByte(ArchivedLogPath(options_, 1), 12, 0x02);
  EXPECT_TRUE(ReadLog(env_, options_).status.IsCode(JET_errLogFileCorrupt));
  FlipByte(ArchivedLogPath(options_, 1), 12, 0x02);

  // A header wiped out entirely.
  ZeroBytes(CurrentLogPath(options_), 0, kBlockSize);
  EXPECT_TRUE(ReadLog(env_, options_).status.IsCode(JET_errLogFileCorrupt));
  EXPECT_TRUE(ListLogGenerations(env_, options_, &generations).IsCode(JET_errLogFileCorrupt));
}

TEST_F(LogReaderTest, StartNotAtARecordBoundaryIsRejected) {
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLogEndingWith(100, &written));
  const Lsn end = written.ends.back();
  auto open = [&](Lsn start) {
    std::unique_ptr<LogReader> reader;
    return LogReader::Open(env_, options_, start, &reader);
  };
  // Inside a fragment.
  EXPECT_TRUE(open(written.ends[5] + 3).IsCode(JET_errInvalidParameter));
  // At a fragment boundary inside a record: the start of the block that
  // holds the last fragment of a record spanning blocks.
  size_t k = 0;
  for (; k < written.records.size(); ++k) {
    const RecordSpan span = SpanOf(options_, written.starts[k], written.ends[k]);
    if (span.first_generation == span.last_generation &&
        span.first_offset / kBlockSize != (span.end_offset - 1) / kBlockSize &&
        (span.end_offset - 1) / kBlockSize * kBlockSize != span.first_offset) {
      break;
    }
  }
  ASSERT_LT(k, written.records.size());
  const RecordSpan span = SpanOf(options_, written.starts[k], written.ends[k]);
  EXPECT_TRUE(open(MakeLsn(span.last_generation, (span.end_offset - 1) / kBlockSize * kBlockSize))
                  .IsCode(JET_errInvalidParameter));
  // In the file header, past the end of the file, past the end of the log.
  EXPECT_TRUE(open(MakeLsn(1, 100)).IsCode(JET_errInvalidParameter));
  EXPECT_TRUE(open(MakeLsn(1, options_.file_size + 1)).IsCode(JET_errInvalidParameter));
  EXPECT_TRUE(open(end + 1000).IsCode(JET_errInvalidParameter));
  // Generations that are not there.
  EXPECT_TRUE(open(MakeLsn(LsnGeneration(end) + 3, kDataStart)).IsCode(JET_errMissingLogFile));
  // The end itself is a boundary.
  ASSERT_OK(open(end));
}

TEST_F(LogReaderTest, FuzzedLogNeverCrashesTheReader) {
  // Small files so that damage and scanning are quick.
  options_.file_size = log_format::kMinFileSize;
  std::mt19937_64 rng(testing::TestSeed(303));
  std::vector<size_t> sizes;
  for (int i = 0; i < 40; ++i) sizes.push_back(testing::RandomRecordSize(&rng, 4096));
  Written written;
  ASSERT_NO_FATAL_FAILURE(WriteLog(sizes, &written));
  std::vector<uint32_t> generations;
  ASSERT_OK(ListLogGenerations(env_, options_, &generations));
  std::vector<std::string> paths;
  std::vector<std::string> originals;
  for (const uint32_t g : generations) {
    paths.push_back(GenerationPath(options_, g));
    originals.push_back(testing::ReadBytes(paths.back(), 0, options_.file_size));
  }
  for (int iteration = 0; iteration < 300; ++iteration) {
    const size_t victim = rng() % paths.size();
    const int flips = 1 + static_cast<int>(rng() % 4);
    std::string bytes = originals[victim];
    for (int f = 0; f < flips; ++f) {
      // Bias towards the header and the written part.
      const uint64_t where = rng() % 4 == 0 ? rng() % 64 : rng() % bytes.size();
      bytes[where] = static_cast<char>(bytes[where] ^ (1 + rng() % 255));
    }
    testing::WriteBytes(paths[victim], 0, bytes);
    const Lsn start = rng() % 2 == 0 ? 0 : written.starts[rng() % written.starts.size()];
    const ReadResult read = ReadLog(env_, options_, start);
    // Whatever happens, what was read is a run of real records.
    for (size_t i = 0; i < read.records.size(); ++i) {
      bool known = false;
      for (size_t j = 0; j < written.ends.size() && !known; ++j) {
        known = written.ends[j] == read.ends[i] && written.records[j] == read.records[i];
      }
      ASSERT_TRUE(known) << "iteration " << iteration << ": invented record " << i;
    }
    testing::WriteBytes(paths[victim], 0, originals[victim]);
  }
  ASSERT_OK(ReadLog(env_, options_).status);
}

}  // namespace
}  // namespace jetsvc
