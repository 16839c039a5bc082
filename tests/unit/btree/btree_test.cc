// Tests of the B+tree, the space allocator and MTR logging.

#include "engine/btree/btree.h"

#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/btree/mtr.h"
#include "engine/cache/buffer_cache.h"
#include "engine/space/space.h"
#include "engine/util/coding.h"
#include "esent.h"
#include "platform/env.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

// Keeps every MTR record, with a counter for LSNs.
class RecordingLog : public MtrLog {
 public:
  Status AppendRecord(std::string_view record, uint64_t* begin_lsn,
                      uint64_t* end_lsn) override {
    records_.emplace_back(record);
    *begin_lsn = records_.size() - 1;
    *end_lsn = records_.size();
    return Status::OK();
  }
  uint64_t NextDbtime(uint32_t) override { return ++dbtime_; }
  const std::vector<std::string>& records() const { return records_; }

 private:
  std::vector<std::string> records_;
  uint64_t dbtime_ = 0;
};

constexpr uint32_t kDb = 1;
constexpr uint32_t kObjid = 100;

class BTreeTest : public ::testing::TestWithParam<uint32_t> {
 protected:
  void SetUp() override {
    page_size_ = GetParam();
    env_ = Env::Default();
    ASSERT_OK(env_->OpenFile(dir_.Join("test.db"), OpenMode::kCreateOrTruncate, false, &file_));
    cache_ = std::make_unique<BufferCache>(env_, page_size_, 4096);
    cache_->RegisterFile(kDb, file_.get());
    space_ = std::make_unique<Space>(kDb, file_.get(), page_size_, 16);
    Mtr mtr(cache_.get(), &log_);
    ASSERT_OK(file_->SetSize(static_cast<uint64_t>(kFirstDataPage) * page_size_));
    ASSERT_OK(space_->Format(&mtr, kFirstDataPage, 0));
    uint32_t root = 0;
    ASSERT_OK(space_->Allocate(&mtr, &root));
    ASSERT_OK(BTree::CreateRoot(&mtr, kDb, kObjid, root));
    ASSERT_OK(mtr.Commit());
    tree_ = std::make_unique<BTree>(cache_.get(), kDb, kObjid, root);
  }

  void Put(const std::string& key, const std::string& value, uint8_t flags = 0) {
    Mtr mtr(cache_.get(), &log_);
    ASSERT_OK(tree_->Put(&mtr, space_.get(), key, value, flags));
    ASSERT_OK(mtr.Commit());
  }

  bool Remove(const std::string& key) {
    Mtr mtr(cache_.get(), &log_);
    bool found = false;
    EXPECT_OK(tree_->Remove(&mtr, space_.get(), key, &found));
    EXPECT_OK(mtr.Commit());
    return found;
  }

  // Scans forward and backward and compares with the model.
  void CheckScan(const std::map<std::string, std::string>& model) {
    ReaderLock lock(tree_->latch());
    BTreeCursor cursor(tree_.get());
    ASSERT_OK(cursor.First());
    auto it = model.begin();
    while (cursor.Valid()) {
      ASSERT_NE(it, model.end());
      ASSERT_EQ(it->first, cursor.node().key);
      ASSERT_EQ(it->second, cursor.node().value);
      ++it;
      ASSERT_OK(cursor.Next());
    }
    ASSERT_EQ(it, model.end());
    ASSERT_OK(cursor.Last());
    auto rit = model.rbegin();
    while (cursor.Valid()) {
      ASSERT_NE(rit, model.rend());
      ASSERT_EQ(rit->first, cursor.node().key);
      ++rit;
      ASSERT_OK(cursor.Prev());
    }
    ASSERT_EQ(rit, model.rend());
  }

  uint32_t page_size_ = 0;
  Env* env_ = nullptr;
  testing::ScratchDir dir_;
  std::unique_ptr<File> file_;
  RecordingLog log_;
  std::unique_ptr<BufferCache> cache_;
  std::unique_ptr<Space> space_;
  std::unique_ptr<BTree> tree_;
};

std::string RandomBytes(std::mt19937_64* rng, size_t min_len, size_t max_len) {
  std::uniform_int_distribution<size_t> len(min_len, max_len);
  std::string s(len(*rng), '\0');
  for (char& c : s) c = static_cast<char>((*rng)() & 0xff);
  return s;
}

TEST_P(BTreeTest, EmptyTreeHasNoEntries) {
  CheckScan({});
  std::string value;
  bool found = true;
  ASSERT_OK(tree_->Get("missing", &value, nullptr, &found));
  EXPECT_FALSE(found);
  ASSERT_OK(tree_->AssertValid());
}

TEST_P(BTreeTest, SequentialInsertsFillPagesAndStaySorted) {
  std::map<std::string, std::string> model;
  for (uint32_t i = 0; i < 20000; ++i) {
    std::string key;
    PutBigEndian32(&key, i);
    const std::string value(40, static_cast<char>('a' + i % 26));
    Put(key, value);
    model[key] = value;
  }
  ASSERT_OK(tree_->AssertValid());
  CheckScan(model);
  BTreeStats stats;
  ASSERT_OK(tree_->ComputeStats(&stats));
  EXPECT_EQ(20000u, stats.entries);
  EXPECT_GE(stats.height, 2u);
  // Append splits leave leaves nearly full.
  const double fill = static_cast<double>(stats.used_bytes) /
                      (stats.leaf_pages * static_cast<double>(Page::Capacity(page_size_)));
  EXPECT_GT(fill, 0.85) << "leaf fill after sequential load";
}

TEST_P(BTreeTest, RandomOperationsMatchAModel) {
  const uint64_t seed = testing::TestSeed(20261124);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::map<std::string, std::string> model;
  const size_t max_value = BTree::MaxNodePayload(page_size_) - 64;
  for (int round = 0; round < 6; ++round) {
    for (int op = 0; op < 3000; ++op) {
      const int kind = static_cast<int>(rng() % 10);
      if (kind < 6 || model.empty()) {
        std::string key = RandomBytes(&rng, 1, 48);
        // Some large values to force uneven splits.
        std::string value = RandomBytes(&rng, 0, (rng() % 8 == 0) ? max_value : 100);
        Put(key, value);
        model[key] = value;
      } else if (kind < 9) {
        auto it = model.lower_bound(RandomBytes(&rng, 1, 8));
        if (it == model.end()) it = model.begin();
        ASSERT_TRUE(Remove(it->first));
        model.erase(it);
      } else {
        EXPECT_FALSE(Remove(RandomBytes(&rng, 60, 70)));  // longer than any key: absent
      }
    }
    ASSERT_OK(tree_->AssertValid()) << "round " << round;
    CheckScan(model);
    // Point lookups.
    for (const auto& [key, value] : model) {
      std::string got;
      bool found = false;
      ASSERT_OK(tree_->Get(key, &got, nullptr, &found));
      ASSERT_TRUE(found);
      ASSERT_EQ(value, got);
    }
  }
  // Remove everything: pages are merged away and freed.
  SpaceInfo before;
  ASSERT_OK(space_->GetInfo(cache_.get(), &before));
  while (!model.empty()) {
    ASSERT_TRUE(Remove(model.begin()->first));
    model.erase(model.begin());
  }
  ASSERT_OK(tree_->AssertValid());
  BTreeStats stats;
  ASSERT_OK(tree_->ComputeStats(&stats));
  EXPECT_EQ(0u, stats.entries);
  EXPECT_EQ(1u, stats.pages.size()) << "an empty tree is just its root";
  SpaceInfo after;
  ASSERT_OK(space_->GetInfo(cache_.get(), &after));
  EXPECT_EQ(after.high_water - kFirstDataPage - 1, after.free_pages)
      << "every page but the root is back on the free list";
}

TEST_P(BTreeTest, FreedPagesAreReused) {
  std::map<std::string, std::string> model;
  for (uint32_t i = 0; i < 5000; ++i) {
    std::string key;
    PutBigEndian32(&key, i);
    Put(key, std::string(100, 'x'));
  }
  for (uint32_t i = 0; i < 5000; ++i) {
    std::string key;
    PutBigEndian32(&key, i);
    ASSERT_TRUE(Remove(key));
  }
  SpaceInfo emptied;
  ASSERT_OK(space_->GetInfo(cache_.get(), &emptied));
  for (uint32_t i = 0; i < 5000; ++i) {
    std::string key;
    PutBigEndian32(&key, i + 100000);
    Put(key, std::string(100, 'y'));
  }
  SpaceInfo refilled;
  ASSERT_OK(space_->GetInfo(cache_.get(), &refilled));
  EXPECT_EQ(emptied.high_water, refilled.high_water) << "no new pages were needed";
  EXPECT_LT(refilled.free_pages, emptied.free_pages);
  ASSERT_OK(tree_->AssertValid());
}

TEST_P(BTreeTest, TooLargeNodeIsRejected) {
  const std::string value(BTree::MaxNodePayload(page_size_) + 1, 'v');
  Mtr mtr(cache_.get(), &log_);
  const Status status = tree_->Put(&mtr, space_.get(), "k", value);
  EXPECT_EQ(JET_errRecordTooBig, status.code());
  EXPECT_FALSE(mtr.changed());
}

TEST_P(BTreeTest, DeletedFlagIsKeptAndCleared) {
  Put("a", "1");
  Put("b", "2");
  Mtr mtr(cache_.get(), &log_);
  bool found = false;
  ASSERT_OK(tree_->SetDeleted(&mtr, "a", true, &found));
  ASSERT_TRUE(found);
  ASSERT_OK(mtr.Commit());
  uint8_t flags = 0;
  std::string value;
  ASSERT_OK(tree_->Get("a", &value, &flags, &found));
  ASSERT_TRUE(found);
  EXPECT_TRUE(flags & kNodeDeleted);
  Put("a", "3");  // re-insert clears the flag
  ASSERT_OK(tree_->Get("a", &value, &flags, &found));
  EXPECT_EQ(0, flags & kNodeDeleted);
  EXPECT_EQ("3", value);
}

TEST_P(BTreeTest, CursorRestoresAfterConcurrentChange) {
  for (int i = 0; i < 1000; ++i) {
    std::string key;
    PutBigEndian32(&key, static_cast<uint32_t>(i * 2));
    Put(key, "v");
  }
  BTreeCursor cursor(tree_.get());
  std::string key500;
  PutBigEndian32(&key500, 500);
  {
    ReaderLock lock(tree_->latch());
    ASSERT_OK(cursor.SeekGE(key500));
    ASSERT_TRUE(cursor.Valid());
    cursor.Save();
  }
  bool exact = false;
  {
    ReaderLock lock(tree_->latch());
    ASSERT_OK(cursor.Restore(&exact));
    EXPECT_TRUE(exact) << "unchanged page restores exactly";
    cursor.Save();
  }
  ASSERT_TRUE(Remove(key500));  // the saved key disappears
  {
    ReaderLock lock(tree_->latch());
    ASSERT_OK(cursor.Restore(&exact));
    EXPECT_FALSE(exact);
    ASSERT_TRUE(cursor.Valid());
    std::string key502;
    PutBigEndian32(&key502, 502);
    EXPECT_EQ(key502, cursor.node().key);
  }
}

// Replaying every MTR record onto zeroed pages must rebuild exactly the
// pages in the cache: the diffs capture every change.
TEST_P(BTreeTest, RedoOfMtrRecordsRebuildsEveryPage) {
  const uint64_t seed = testing::TestSeed(7);
  std::mt19937_64 rng(seed);
  std::map<std::string, std::string> model;
  for (int op = 0; op < 6000; ++op) {
    if (rng() % 3 != 0 || model.empty()) {
      std::string key = RandomBytes(&rng, 1, 24);
      std::string value = RandomBytes(&rng, 0, 300);
      Put(key, value);
      model[key] = value;
    } else {
      auto it = model.lower_bound(RandomBytes(&rng, 1, 4));
      if (it == model.end()) it = model.begin();
      Remove(it->first);
      model.erase(it);
    }
  }
  std::map<uint32_t, std::string> rebuilt;
  for (size_t i = 0; i < log_.records().size(); ++i) {
    MtrRecord record;
    ASSERT_OK(DecodeMtrRecord(log_.records()[i], page_size_, &record));
    for (const MtrPageDiff& diff : record.pages) {
      std::string& image = rebuilt[diff.pgno];
      if (image.empty()) image.assign(page_size_, '\0');
      Page page(image.data(), page_size_);
      ASSERT_LT(page.dbtime(), diff.dbtime);
      ApplyPageDiff(diff, &page);
    }
  }
  for (const auto& [pgno, image] : rebuilt) {
    PageRef ref;
    ASSERT_OK(cache_->Fetch(kDb, pgno, &ref));
    // Bytes 4.. (all but the checksum) must match.
    ASSERT_EQ(0, std::memcmp(ref.data() + 4, image.data() + 4, page_size_ - 4))
        << "page " << pgno << " differs after redo";
  }
}

TEST_P(BTreeTest, FlushedPagesReadBackAndVerify) {
  std::map<std::string, std::string> model;
  for (uint32_t i = 0; i < 3000; ++i) {
    std::string key;
    PutBigEndian32(&key, i * 7919u);
    model[key] = std::string(50, 'z');
    Put(key, model[key]);
  }
  uint64_t written = 0;
  ASSERT_OK(cache_->FlushAll(BufferCache::kAllDatabases, &written));
  EXPECT_GT(written, 0u);
  EXPECT_EQ(0u, cache_->DirtyPageCount());
  ASSERT_OK(cache_->AssertValid());
  // A new cache reads everything back from the file.
  cache_ = std::make_unique<BufferCache>(env_, page_size_, 64);
  cache_->RegisterFile(kDb, file_.get());
  tree_ = std::make_unique<BTree>(cache_.get(), kDb, kObjid, tree_->root());
  CheckScan(model);
  ASSERT_OK(tree_->AssertValid());
}

TEST_P(BTreeTest, CorruptPageGivesReadVerifyFailure) {
  for (uint32_t i = 0; i < 2000; ++i) {
    std::string key;
    PutBigEndian32(&key, i);
    Put(key, std::string(60, 'q'));
  }
  uint64_t written = 0;
  ASSERT_OK(cache_->FlushAll(BufferCache::kAllDatabases, &written));
  // Flip one byte in every data page.
  uint64_t size = 0;
  ASSERT_OK(file_->GetSize(&size));
  for (uint64_t pgno = kFirstDataPage; pgno < size / page_size_; ++pgno) {
    char byte = 0;
    size_t got = 0;
    const uint64_t offset = pgno * page_size_ + 100;
    ASSERT_OK(file_->Read(offset, 1, &byte, &got));
    byte ^= 0x5a;
    ASSERT_OK(file_->Write(offset, std::string_view(&byte, 1)));
  }
  cache_ = std::make_unique<BufferCache>(env_, page_size_, 64);
  cache_->RegisterFile(kDb, file_.get());
  tree_ = std::make_unique<BTree>(cache_.get(), kDb, kObjid, tree_->root());
  ReaderLock lock(tree_->latch());
  BTreeCursor cursor(tree_.get());
  EXPECT_EQ(JET_errReadVerifyFailure, cursor.First().code());
}

TEST_P(BTreeTest, SmallCacheEvictsAndWritesDirtyPages) {
  cache_->set_max_pages(16);
  // Fill far beyond 16 pages: eviction must write dirty pages to make room.
  std::map<std::string, std::string> model;
  for (uint32_t i = 0; i < 4000; ++i) {
    std::string key;
    PutBigEndian32(&key, i * 2654435761u);
    model[key] = std::string(80, 'e');
    Put(key, model[key]);
  }
  CheckScan(model);
  ASSERT_OK(tree_->AssertValid());
  EXPECT_GT(cache_->Stats().evictions, 0u);
}

INSTANTIATE_TEST_SUITE_P(PageSizes, BTreeTest, ::testing::Values(4096u, 8192u, 32768u),
                         [](const ::testing::TestParamInfo<uint32_t>& param) {
                           return std::to_string(param.param / 1024) + "K";
                         });

}  // namespace
}  // namespace jetsvc
