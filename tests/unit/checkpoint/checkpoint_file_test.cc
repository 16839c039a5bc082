// The checkpoint file: round trip, alternate slots, damaged and missing
// files, and a fuzz test of the decoder.

#include <random>

#include <gtest/gtest.h>

#include "engine/checkpoint/checkpoint_file.h"
#include "engine/util/coding.h"
#include "engine/util/crc32c.h"
#include "esent.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

constexpr size_t kSlot = 4096;

class CheckpointFileTest : public ::testing::Test {
 protected:
  CheckpointFileTest() : path_(dir_.Join("edb.chk")) {}

  static CheckpointData Sample(uint64_t n) {
    CheckpointData data;
    data.checkpoint = MakeLsn(static_cast<uint32_t>(n + 1), 4096 + static_cast<uint32_t>(n));
    data.log_signature.random = 0x1234567890abcdefull ^ n;
    data.log_signature.created_micros = 1700000000000000ull + n;
    data.log_file_size = 5120 * 1024;
    data.clean_shutdown = n % 2 == 1;
    for (uint32_t i = 0; i < n % 4; ++i) {
      CheckpointDatabase db;
      db.db_id = i + 1;
      db.path = "/var/lib/jetsvc/db" + std::to_string(i) + "-" + std::to_string(n) + ".edb";
      db.db_signature_random = 77 * n + i;
      db.db_signature_created = 88 * n + i;
      db.dbtime = 1000000007ull * n + i;
      data.databases.push_back(db);
    }
    return data;
  }

  static void ExpectSameContent(const CheckpointData& expected, const CheckpointData& actual) {
    EXPECT_EQ(expected.checkpoint, actual.checkpoint);
    EXPECT_EQ(expected.log_signature, actual.log_signature);
    EXPECT_EQ(expected.log_file_size, actual.log_file_size);
    EXPECT_EQ(expected.clean_shutdown, actual.clean_shutdown);
    EXPECT_EQ(expected.databases, actual.databases);
  }

  std::string ReadAll() {
    uint64_t size = 0;
    EXPECT_OK(env_->GetFileSize(path_, &size));
    std::unique_ptr<File> file;
    EXPECT_OK(env_->OpenFile(path_, OpenMode::kOpenExisting, true, &file));
    std::string bytes(size, '\0');
    EXPECT_OK(ReadFully(file.get(), 0, bytes.size(), bytes.data()));
    return bytes;
  }

  void WriteAll(const std::string& bytes) {
    std::unique_ptr<File> file;
    ASSERT_OK(env_->OpenFile(path_, OpenMode::kCreateOrTruncate, false, &file));
    ASSERT_OK(file->Write(0, bytes));
  }

  Env* const env_ = Env::Default();
  testing::ScratchDir dir_;
  const std::string path_;
};

TEST_F(CheckpointFileTest, RoundTripKeepsEveryField) {
  CheckpointData written = Sample(3);
  ASSERT_OK(WriteCheckpointFile(env_, path_, &written));
  EXPECT_EQ(1u, written.sequence);
  CheckpointData read;
  ASSERT_OK(ReadCheckpointFile(env_, path_, &read));
  EXPECT_EQ(1u, read.sequence);
  ExpectSameContent(written, read);
  uint64_t size = 0;
  ASSERT_OK(env_->GetFileSize(path_, &size));
  EXPECT_EQ(2 * kSlot, size);
}

TEST_F(CheckpointFileTest, WritesAlternateSlotsAndReadsTheNewest) {
  CheckpointData data[3] = {Sample(1), Sample(2), Sample(3)};
  uint64_t sequence = 0;
  for (CheckpointData& d : data) {
    d.sequence = sequence;
    ASSERT_OK(WriteCheckpointFile(env_, path_, &d));
    EXPECT_EQ(sequence + 1, d.sequence);
    sequence = d.sequence;
  }
  CheckpointData read;
  ASSERT_OK(ReadCheckpointFile(env_, path_, &read));
  EXPECT_EQ(3u, read.sequence);
  ExpectSameContent(data[2], read);

  // Damage the newest copy (sequence 3, slot 1): the older one is read.
  std::string bytes = ReadAll();
  bytes[kSlot + 100] ^= 0x10;
  WriteAll(bytes);
  ASSERT_OK(ReadCheckpointFile(env_, path_, &read));
  EXPECT_EQ(2u, read.sequence);
  ExpectSameContent(data[1], read);

  // The next write goes above the newest valid copy, into the slot that
  // does not hold it (the damaged one).
  CheckpointData next = Sample(4);
  next.sequence = read.sequence;
  ASSERT_OK(WriteCheckpointFile(env_, path_, &next));
  EXPECT_EQ(3u, next.sequence);
  ASSERT_OK(ReadCheckpointFile(env_, path_, &read));
  ExpectSameContent(next, read);
  // And the copy it did not touch is still there.
  bytes = ReadAll();
  bytes[kSlot + 100] ^= 0x10;
  WriteAll(bytes);
  ASSERT_OK(ReadCheckpointFile(env_, path_, &read));
  ExpectSameContent(data[1], read);
}

TEST_F(CheckpointFileTest, BothSlotsDamagedIsCheckpointCorrupt) {
  CheckpointData data = Sample(1);
  ASSERT_OK(WriteCheckpointFile(env_, path_, &data));
  ASSERT_OK(WriteCheckpointFile(env_, path_, &data));
  std::string bytes = ReadAll();
  bytes[10] ^= 1;
  bytes[kSlot + 10] ^= 1;
  WriteAll(bytes);
  CheckpointData read;
  EXPECT_TRUE(ReadCheckpointFile(env_, path_, &read).IsCode(JET_errCheckpointCorrupt));
}

TEST_F(CheckpointFileTest, AbsentFileIsCheckpointFileNotFound) {
  CheckpointData read;
  EXPECT_TRUE(ReadCheckpointFile(env_, path_, &read).IsCode(JET_errCheckpointFileNotFound));
}

TEST_F(CheckpointFileTest, TruncatedFileKeepsOnlyWholeCopies) {
  CheckpointData first = Sample(1);
  ASSERT_OK(WriteCheckpointFile(env_, path_, &first));   // slot 1
  CheckpointData second = Sample(2);
  ASSERT_OK(WriteCheckpointFile(env_, path_, &second));  // slot 0
  const std::string bytes = ReadAll();
  CheckpointData read;

  WriteAll(bytes.substr(0, kSlot + 30));  // slot 1 cut short
  ASSERT_OK(ReadCheckpointFile(env_, path_, &read));
  ExpectSameContent(second, read);
  WriteAll(bytes.substr(0, 40));
  EXPECT_TRUE(ReadCheckpointFile(env_, path_, &read).IsCode(JET_errCheckpointCorrupt));
  WriteAll(std::string());
  EXPECT_TRUE(ReadCheckpointFile(env_, path_, &read).IsCode(JET_errCheckpointCorrupt));
}

TEST_F(CheckpointFileTest, TooManyDatabasesIsInvalidParameter) {
  CheckpointData data = Sample(0);
  for (uint32_t i = 0; i < 100; ++i) {
    CheckpointDatabase db;
    db.db_id = i;
    db.path = std::string(100, 'p');
    data.databases.push_back(db);
  }
  EXPECT_TRUE(WriteCheckpointFile(env_, path_, &data).IsCode(JET_errInvalidParameter));
  EXPECT_FALSE(env_->FileExists(path_));
}

TEST_F(CheckpointFileTest, LyingCountWithAValidChecksumIsCorrupt) {
  // A slot whose checksum verifies but whose database count claims far
  // more entries than its bytes hold must be rejected, not allocated.
  CheckpointData data = Sample(0);
  ASSERT_OK(WriteCheckpointFile(env_, path_, &data));  // sequence 1: slot 1
  std::string bytes = ReadAll();
  char* slot = bytes.data() + kSlot;
  const uint32_t length = DecodeFixed32(slot + 12);
  ASSERT_EQ(8u * 4 + 1 + 4, length);
  EncodeFixed32(slot + 64 + length - 4, 0xffffffffu);  // the count
  const uint32_t crc = crc32c::Extend(crc32c::Value(slot, 60), slot + 64, length);
  EncodeFixed32(slot + 60, crc32c::Mask(crc));
  WriteAll(bytes);
  CheckpointData read;
  EXPECT_TRUE(ReadCheckpointFile(env_, path_, &read).IsCode(JET_errCheckpointCorrupt));
}

TEST_F(CheckpointFileTest, FuzzedFileNeverCrashes) {
  CheckpointData first = Sample(3);
  ASSERT_OK(WriteCheckpointFile(env_, path_, &first));
  CheckpointData second = Sample(2);
  ASSERT_OK(WriteCheckpointFile(env_, path_, &second));
  const std::string original = ReadAll();
  const uint64_t seed = testing::TestSeed(501);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  for (int iteration = 0; iteration < 1000; ++iteration) {
    std::string bytes = original;
    const int flips = 1 + static_cast<int>(rng() % 8);
    for (int f = 0; f < flips; ++f) {
      const size_t where = rng() % bytes.size();
      bytes[where] = static_cast<char>(bytes[where] ^ (1 + rng() % 255));
    }
    if (rng() % 10 == 0) bytes.resize(rng() % bytes.size());
    WriteAll(bytes);
    CheckpointData read;
    const Status s = ReadCheckpointFile(env_, path_, &read);
    if (s.ok()) {
      // Only ever one of the copies that were written.
      ASSERT_TRUE(read.sequence == 1 || read.sequence == 2) << iteration;
      ExpectSameContent(read.sequence == 1 ? first : second, read);
    } else {
      ASSERT_TRUE(s.IsCode(JET_errCheckpointCorrupt)) << s.ToString();
    }
  }
}

}  // namespace
}  // namespace jetsvc
