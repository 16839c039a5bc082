// The log under FaultInjectionEnv: power loss keeps every acknowledged
// record, and failed writes are sticky.

#include <random>

#include <gtest/gtest.h>

#include "engine/log/log.h"
#include "esent.h"
#include "platform/testing/fault_env.h"
#include "tests/testing/test_util.h"
#include "tests/unit/log/log_test_util.h"

namespace jetsvc {
namespace {

using testing::MakeRecord;
using testing::ReadLog;
using testing::ReadResult;

class LogFaultTest : public ::testing::Test {
 protected:
  LogFaultTest() : env_(Env::Default()) {
    options_.directory = dir_.path();
    options_.file_size = 64 * 1024;
    options_.buffer_bytes = 8 * 1024;
  }

  // `read` must be a prefix of `appended` at least as long as
  // `acknowledged` records.
  static void ExpectPrefix(const ReadResult& read, const std::vector<std::string>& appended,
                           size_t acknowledged) {
    ASSERT_OK(read.status);
    ASSERT_GE(read.records.size(), acknowledged);
    ASSERT_LE(read.records.size(), appended.size());
    for (size_t i = 0; i < read.records.size(); ++i) {
      ASSERT_TRUE(appended[i] == read.records[i]) << "record " << i;
    }
  }

  testing::ScratchDir dir_;
  FaultInjectionEnv env_;
  LogOptions options_;
};

TEST_F(LogFaultTest, PowerLossKeepsEveryAcknowledgedRecord) {
  const uint64_t seed = testing::TestSeed(401);
  for (uint64_t round = 0; round < 6; ++round) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " round " + std::to_string(round));
    testing::ScratchDir dir;
    options_.directory = dir.path();
    std::mt19937_64 rng(seed + round);
    std::unique_ptr<LogWriter> writer;
    ASSERT_OK(LogWriter::Create(&env_, options_, &writer));
    std::vector<std::string> appended;
    size_t acknowledged = 0;
    for (int i = 0; i < 40; ++i) {
      appended.push_back(MakeRecord(appended.size(), testing::RandomRecordSize(&rng, options_.file_size)));
      Lsn end = 0;
      ASSERT_OK(writer->Append(appended.back(), &end));
      ASSERT_OK(writer->WaitDurable(end));
      acknowledged = appended.size();
    }
    // Lazy commits that may or may not make it (some roll over, some are
    // written out for space, the background flusher may sync some).
    const int lazy = static_cast<int>(rng() % 40);
    for (int i = 0; i < lazy; ++i) {
      appended.push_back(MakeRecord(appended.size(), testing::RandomRecordSize(&rng, options_.file_size)));
      Lsn end = 0;
      ASSERT_OK(writer->Append(appended.back(), &end));
    }
    if (round % 2 == 1) env_.SleepForMicroseconds(rng() % 30000);
    env_.CutPower();
    writer.reset();  // its last flush fails: the power is off
    ASSERT_OK(env_.DropUnsyncedData());

    ReadResult read = ReadLog(&env_, options_);
    ExpectPrefix(read, appended, acknowledged);
    if (HasFatalFailure()) return;

    // The stream goes on from what survived.
    appended.resize(read.records.size());
    ASSERT_OK(LogWriter::Resume(&env_, options_, read.end, &writer));
    for (int i = 0; i < 5; ++i) {
      appended.push_back(MakeRecord(appended.size() + 100000, 1 + rng() % 9000));
      Lsn end = 0;
      ASSERT_OK(writer->Append(appended.back(), &end));
    }
    ASSERT_OK(writer->Close());
    writer.reset();
    read = ReadLog(&env_, options_);
    ExpectPrefix(read, appended, appended.size());
  }
}

TEST_F(LogFaultTest, FullDiskOnWriteIsStickyLogDiskFull) {
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(&env_, options_, &writer));
  std::vector<std::string> appended;
  for (int i = 0; i < 20; ++i) {
    appended.push_back(MakeRecord(i, 700));
    Lsn end = 0;
    ASSERT_OK(writer->Append(appended.back(), &end));
    ASSERT_OK(writer->WaitDurable(end));
  }
  const Lsn durable = writer->durable();

  env_.FailWrites("edb", JET_errDiskFull);
  Lsn end = 0;
  const Status append = writer->Append(MakeRecord(20, 700), &end);
  ASSERT_TRUE(append.ok() || append.IsCode(JET_errLogDiskFull)) << append.ToString();
  EXPECT_TRUE(writer->WaitDurable(end).IsCode(JET_errLogDiskFull));
  // Sticky, even once the disk has room again.
  env_.ClearWriteFailure();
  EXPECT_TRUE(writer->Append(MakeRecord(21, 700), &end).IsCode(JET_errLogDiskFull));
  EXPECT_TRUE(writer->WaitDurable(durable).IsCode(JET_errLogDiskFull));
  EXPECT_TRUE(writer->Flush().IsCode(JET_errLogDiskFull));
  EXPECT_TRUE(writer->sticky_error().IsCode(JET_errLogDiskFull));
  EXPECT_EQ(durable, writer->durable());
  EXPECT_TRUE(writer->Close().IsCode(JET_errLogDiskFull));
  writer.reset();

  const ReadResult read = ReadLog(&env_, options_);
  ASSERT_OK(read.status);
  ASSERT_EQ(appended.size(), read.records.size());
  EXPECT_EQ(appended, read.records);
  EXPECT_EQ(durable, read.end);
}

TEST_F(LogFaultTest, FullDiskWhileWritingOutForSpaceIsSticky) {
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(&env_, options_, &writer));
  env_.FailWrites("edb", JET_errDiskFull, 20 * 1024);
  Status status;
  Lsn end = 0;
  for (int i = 0; i < 200 && status.ok(); ++i) status = writer->Append(MakeRecord(i, 1000), &end);
  EXPECT_TRUE(status.IsCode(JET_errLogDiskFull)) << status.ToString();
  EXPECT_TRUE(writer->WaitDurable(end).IsCode(JET_errLogDiskFull));
  env_.ClearWriteFailure();
  writer.reset();
  ASSERT_OK(ReadLog(&env_, options_).status);
}

TEST_F(LogFaultTest, WriteErrorIsStickyLogWriteFail) {
  std::unique_ptr<LogWriter> writer;
  ASSERT_OK(LogWriter::Create(&env_, options_, &writer));
  Lsn end = 0;
  ASSERT_OK(writer->Append("before", &end));
  ASSERT_OK(writer->WaitDurable(end));
  env_.FailWrites("edb", JET_errDiskIO);
  ASSERT_OK(writer->Append("after", &end));
  EXPECT_TRUE(writer->WaitDurable(end).IsCode(JET_errLogWriteFail));
  env_.ClearWriteFailure();
  EXPECT_TRUE(writer->Append("later", &end).IsCode(JET_errLogWriteFail));
  EXPECT_TRUE(writer->sticky_error().IsCode(JET_errLogWriteFail));
  writer.reset();
  const ReadResult read = ReadLog(&env_, options_);
  ASSERT_OK(read.status);
  EXPECT_EQ(std::vector<std::string>{"before"}, read.records);
}

}  // namespace
}  // namespace jetsvc
