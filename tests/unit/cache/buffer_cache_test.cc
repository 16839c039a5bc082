// BufferCache flushing: large flushes go through RunWriter (copy and seal on
// the caller, writes on a helper thread); these tests check the bytes that
// reach the file, the WAL hook, and what a write failure in the middle of
// a flush leaves behind.

#include "engine/cache/buffer_cache.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/page/page.h"
#include "esent.h"
#include "platform/testing/fault_env.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

constexpr uint32_t kDb = 1;
constexpr uint32_t kPageSize = 4096;

// Records the largest LSN the cache asked to be durable, and how often.
class RecordingLog : public LogDurability {
 public:
  Status WaitDurable(uint64_t lsn) override {
    MutexLock lock(&mu_);
    max_lsn_ = std::max(max_lsn_, lsn);
    ++calls_;
    return Status::OK();
  }
  uint64_t max_lsn() {
    MutexLock lock(&mu_);
    return max_lsn_;
  }

 private:
  Mutex mu_;
  uint64_t max_lsn_ GUARDED_BY(mu_) = 0;
  uint64_t calls_ GUARDED_BY(mu_) = 0;
};

class BufferCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(env_.OpenFile(dir_.Join("cache.db"), OpenMode::kCreateOrTruncate, false, &file_));
    cache_ = std::make_unique<BufferCache>(&env_, kPageSize, 8192);
    cache_->set_log(&log_);
    cache_->RegisterFile(kDb, file_.get());
  }
  void TearDown() override {
    if (cache_ != nullptr) cache_->ForgetFile(kDb, /*discard_dirty=*/true);
  }

  // Makes page pgno dirty with content derived from (pgno, version).
  void Dirty(uint32_t pgno, uint32_t version, uint64_t lsn) {
    PageRef ref;
    ASSERT_OK(cache_->NewPageForWrite(kDb, pgno, &ref));
    Page page(ref.data(), kPageSize);
    std::memset(ref.data(), 0, kPageSize);
    page.FormatRaw(PageType::kFree);
    page.set_page_number(pgno);
    EncodeVersion(ref.data(), version);
    cache_->MarkDirty(ref, lsn, lsn + 1);
  }
  static void EncodeVersion(char* data, uint32_t version) {
    std::memcpy(data + kPageSize - 8, &version, sizeof(version));
  }
  // The version stored on disk for pgno (0: not written), checking the
  // page's seal.
  uint32_t OnDisk(uint32_t pgno) {
    std::string bytes(kPageSize, '\0');
    size_t got = 0;
    EXPECT_OK(file_->Read(static_cast<uint64_t>(pgno) * kPageSize, kPageSize, bytes.data(), &got));
    if (got < kPageSize) return 0;
    Page page(bytes.data(), kPageSize);
    if (page.IsAllZero()) return 0;
    EXPECT_OK(page.Verify(pgno)) << "page " << pgno;
    uint32_t version = 0;
    std::memcpy(&version, bytes.data() + kPageSize - 8, sizeof(version));
    return version;
  }

  testing::ScratchDir dir_;
  FaultInjectionEnv env_{Env::Default()};
  RecordingLog log_;
  std::unique_ptr<File> file_;
  std::unique_ptr<BufferCache> cache_;
};

// 1000 adjacent pages plus scattered ones: several runs, so the helper
// thread writes while the next run is copied.
TEST_F(BufferCacheTest, LargeFlushWritesEveryPageAndHonoursTheWalHook) {
  std::vector<uint32_t> pgnos;
  for (uint32_t pgno = 10; pgno < 1010; ++pgno) pgnos.push_back(pgno);
  for (uint32_t pgno = 2000; pgno < 6000; pgno += 7) pgnos.push_back(pgno);
  uint64_t lsn = 100;
  for (uint32_t pgno : pgnos) Dirty(pgno, pgno * 3 + 1, lsn++);
  ASSERT_EQ(pgnos.size(), cache_->DirtyPageCount());

  uint64_t written = 0;
  ASSERT_OK(cache_->FlushAll(kDb, &written));
  EXPECT_EQ(pgnos.size() * kPageSize, written);
  EXPECT_EQ(0u, cache_->DirtyPageCount());
  EXPECT_EQ(lsn, log_.max_lsn()) << "the last page's end LSN must be made durable";
  EXPECT_EQ(pgnos.size() * kPageSize, cache_->Stats().bytes_submitted);
  for (uint32_t pgno : pgnos) ASSERT_EQ(pgno * 3 + 1, OnDisk(pgno)) << pgno;
  ASSERT_OK(cache_->AssertValid());
}

// A write fails part way through a multi-run flush: the error comes back,
// no page counts as clean, and a retry once the disk recovers writes all
// of them with their latest content.
TEST_F(BufferCacheTest, WriteFailureMidFlushKeepsPagesDirtyAndRetryWritesThem) {
  for (uint32_t pgno = 10; pgno < 1210; ++pgno) Dirty(pgno, 1, pgno);
  // Room for a little over two runs of 256 pages, then a full disk.
  env_.FailWrites("cache.db", JET_errDiskFull, 600 * kPageSize);
  uint64_t written = 0;
  const Status status = cache_->FlushAll(kDb, &written);
  EXPECT_TRUE(status.IsCode(JET_errDiskFull)) << status.ToString();
  EXPECT_EQ(1200u, cache_->DirtyPageCount());
  ASSERT_OK(cache_->AssertValid());

  // Pages change again while the disk is full; then it recovers.
  for (uint32_t pgno = 10; pgno < 1210; pgno += 2) Dirty(pgno, 2, 5000 + pgno);
  env_.ClearWriteFailure();
  ASSERT_OK(cache_->FlushAll(kDb, &written));
  EXPECT_EQ(0u, cache_->DirtyPageCount());
  for (uint32_t pgno = 10; pgno < 1210; ++pgno) {
    ASSERT_EQ(pgno % 2 == 0 ? 2u : 1u, OnDisk(pgno)) << pgno;
  }
}

// After a large flush only pages changed since are written by the next.
TEST_F(BufferCacheTest, SecondFlushWritesOnlyPagesChangedSinceTheFirst) {
  for (uint32_t pgno = 10; pgno < 1010; ++pgno) Dirty(pgno, 1, pgno);
  uint64_t written = 0;
  ASSERT_OK(cache_->FlushAll(kDb, &written));
  for (uint32_t pgno = 500; pgno < 520; ++pgno) Dirty(pgno, 9, 2000 + pgno);
  ASSERT_OK(cache_->FlushAll(kDb, &written));
  EXPECT_EQ(20u * kPageSize, written);
  EXPECT_EQ(9u, OnDisk(510));
  EXPECT_EQ(1u, OnDisk(520));
}

}  // namespace
}  // namespace jetsvc
