// The contract of platform/env.h that every platform's Env::Default() must
// keep (POSIX here, Windows under Wine): open modes, reads past the end,
// sizes, renames, listings, locks, error codes, clocks and threads.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "esent.h"
#include "platform/env.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

void WriteFile(Env* env, const std::string& path, const std::string& content) {
  std::unique_ptr<File> file;
  ASSERT_OK(env->OpenFile(path, OpenMode::kCreateOrTruncate, false, &file));
  ASSERT_OK(file->Write(0, content));
}

std::string ReadAll(Env* env, const std::string& path) {
  std::unique_ptr<File> file;
  EXPECT_OK(env->OpenFile(path, OpenMode::kOpenExisting, true, &file));
  if (file == nullptr) return "<unopened>";
  std::string out(1 << 16, '\0');
  size_t n = 0;
  EXPECT_OK(file->Read(0, out.size(), out.data(), &n));
  out.resize(n);
  return out;
}

TEST(EnvContractTest, OpenModes) {
  testing::ScratchDir dir;
  Env* env = Env::Default();
  const std::string path = dir.Join("modes.dat");
  std::unique_ptr<File> file;
  EXPECT_TRUE(env->OpenFile(path, OpenMode::kOpenExisting, false, &file)
                  .IsCode(JET_errFileNotFound));
  EXPECT_FALSE(env->FileExists(path));
  ASSERT_OK(env->OpenFile(path, OpenMode::kCreateNew, false, &file));
  ASSERT_OK(file->Write(0, "hello"));
  file.reset();
  EXPECT_TRUE(env->FileExists(path));
  EXPECT_TRUE(env->OpenFile(path, OpenMode::kCreateNew, false, &file)
                  .IsCode(JET_errFileAlreadyExists));
  ASSERT_OK(env->OpenFile(path, OpenMode::kCreateOrOpen, false, &file));
  file.reset();
  EXPECT_EQ("hello", ReadAll(env, path));
  ASSERT_OK(env->OpenFile(path, OpenMode::kCreateOrTruncate, false, &file));
  file.reset();
  EXPECT_EQ("", ReadAll(env, path));
  // A read-only file refuses writes.
  ASSERT_OK(env->OpenFile(path, OpenMode::kOpenExisting, true, &file));
  EXPECT_TRUE(file->Write(0, "x").IsError());
  EXPECT_OK(file->Sync());
}

TEST(EnvContractTest, ReadsPastTheEndAreShortNotErrors) {
  testing::ScratchDir dir;
  Env* env = Env::Default();
  std::unique_ptr<File> file;
  ASSERT_OK(env->OpenFile(dir.Join("short.dat"), OpenMode::kCreateNew, false, &file));
  ASSERT_OK(file->Write(0, "0123456789"));
  char buffer[64];
  size_t n = 99;
  ASSERT_OK(file->Read(4, sizeof(buffer), buffer, &n));
  EXPECT_EQ("456789", std::string(buffer, n));
  ASSERT_OK(file->Read(10, sizeof(buffer), buffer, &n));
  EXPECT_EQ(0u, n);
  ASSERT_OK(file->Read(1000, sizeof(buffer), buffer, &n));
  EXPECT_EQ(0u, n);
  EXPECT_TRUE(ReadFully(file.get(), 8, 4, buffer).IsCode(JET_errDiskIO));
}

TEST(EnvContractTest, PositionedWritesExtendAndSetSizeZeroFills) {
  testing::ScratchDir dir;
  Env* env = Env::Default();
  const std::string path = dir.Join("sparse.dat");
  std::unique_ptr<File> file;
  ASSERT_OK(env->OpenFile(path, OpenMode::kCreateNew, false, &file));
  ASSERT_OK(file->Write(100, "tail"));
  uint64_t size = 0;
  ASSERT_OK(file->GetSize(&size));
  EXPECT_EQ(104u, size);
  ASSERT_OK(file->Write(0, "head"));
  ASSERT_OK(file->SetSize(1 << 20));
  ASSERT_OK(file->GetSize(&size));
  EXPECT_EQ(uint64_t{1} << 20, size);
  std::string middle(1000, 'x');
  ASSERT_OK(ReadFully(file.get(), 200, middle.size(), middle.data()));
  EXPECT_EQ(std::string(1000, '\0'), middle);
  ASSERT_OK(file->SetSize(6));
  ASSERT_OK(file->Sync());
  file.reset();
  ASSERT_OK(env->GetFileSize(path, &size));
  EXPECT_EQ(6u, size);
  EXPECT_EQ(std::string("head\0\0", 6), ReadAll(env, path));
  EXPECT_TRUE(env->GetFileSize(dir.Join("absent"), &size).IsCode(JET_errFileNotFound));
}

TEST(EnvContractTest, RenameReplacesTheTargetAndRemoveDeletes) {
  testing::ScratchDir dir;
  Env* env = Env::Default();
  WriteFile(env, dir.Join("a.tmp"), "new");
  WriteFile(env, dir.Join("a.dat"), "old");
  ASSERT_OK(env->RenameFile(dir.Join("a.tmp"), dir.Join("a.dat")));
  EXPECT_FALSE(env->FileExists(dir.Join("a.tmp")));
  EXPECT_EQ("new", ReadAll(env, dir.Join("a.dat")));
  EXPECT_TRUE(env->RenameFile(dir.Join("a.tmp"), dir.Join("b.dat")).IsCode(JET_errFileNotFound));
  ASSERT_OK(env->RemoveFile(dir.Join("a.dat")));
  EXPECT_FALSE(env->FileExists(dir.Join("a.dat")));
  EXPECT_TRUE(env->RemoveFile(dir.Join("a.dat")).IsCode(JET_errFileNotFound));
}

TEST(EnvContractTest, DirectoriesAndListings) {
  testing::ScratchDir dir;
  Env* env = Env::Default();
  const std::string nested = dir.Join("one/two/three");
  EXPECT_FALSE(env->DirExists(nested));
  ASSERT_OK(env->CreateDirRecursive(nested));
  EXPECT_TRUE(env->DirExists(nested));
  ASSERT_OK(env->CreateDirRecursive(nested));  // already there: fine
  ASSERT_OK(env->SyncDir(nested));
  std::vector<std::string> names{"stale"};
  ASSERT_OK(env->GetChildren(nested, &names));
  EXPECT_TRUE(names.empty());
  // UTF-8 names come back as they went in.
  const std::string accented = "caf\xc3\xa9.log";
  WriteFile(env, JoinPath(nested, accented), "x");
  WriteFile(env, JoinPath(nested, "edb.chk"), "y");
  ASSERT_OK(env->GetChildren(nested, &names));
  std::sort(names.begin(), names.end());
  EXPECT_EQ((std::vector<std::string>{accented, "edb.chk"}), names);
  EXPECT_TRUE(env->FileExists(JoinPath(nested, accented)));
  EXPECT_FALSE(env->DirExists(JoinPath(nested, "edb.chk")));
  EXPECT_TRUE(env->GetChildren(dir.Join("missing"), &names).IsCode(JET_errFileNotFound));
  uint64_t free_bytes = 0;
  ASSERT_OK(env->GetFreeSpace(nested, &free_bytes));
  EXPECT_GT(free_bytes, 0u);
}

TEST(EnvContractTest, LockIsExclusiveButLeavesTheFileUsable) {
  testing::ScratchDir dir;
  Env* env = Env::Default();
  const std::string path = dir.Join("locked.edb");
  WriteFile(env, path, "page");
  std::unique_ptr<FileLock> lock;
  ASSERT_OK(env->LockFile(path, &lock));
  std::unique_ptr<FileLock> second;
  EXPECT_TRUE(env->LockFile(path, &second).IsCode(JET_errFileAccessDenied));
  EXPECT_EQ(nullptr, second);
  // The engine locks its database and then reads and writes it through
  // other handles: the lock must not get in the way (Windows byte-range
  // locks are mandatory).
  std::unique_ptr<File> file;
  ASSERT_OK(env->OpenFile(path, OpenMode::kOpenExisting, false, &file));
  ASSERT_OK(file->Write(4, "more"));
  ASSERT_OK(file->SetSize(1 << 16));
  char buffer[8];
  ASSERT_OK(ReadFully(file.get(), 0, sizeof(buffer), buffer));
  EXPECT_EQ("pagemore", std::string(buffer, sizeof(buffer)));
  lock.reset();
  ASSERT_OK(env->LockFile(path, &second));
  // A lock creates the file it names.
  std::unique_ptr<FileLock> fresh;
  ASSERT_OK(env->LockFile(dir.Join("fresh.lck"), &fresh));
  EXPECT_TRUE(env->FileExists(dir.Join("fresh.lck")));
}

TEST(EnvContractTest, ClocksSleepsAndThreads) {
  Env* env = Env::Default();
  const uint64_t start = env->NowMicros();
  env->SleepForMicroseconds(20000);
  const uint64_t slept = env->NowMicros() - start;
  EXPECT_GE(slept, 19000u);  // timers may round, never by a whole millisecond short
  EXPECT_LT(slept, 5000000u);
  const uint64_t wall_seconds = env->WallMicros() / 1000000;
  const uint64_t now = static_cast<uint64_t>(std::time(nullptr));
  EXPECT_LE(wall_seconds, now + 2);
  EXPECT_GE(wall_seconds + 2, now);
  std::atomic<int> ran{0};
  std::thread thread = env->StartThread("a-thread-name-longer-than-15", [&ran] { ran = 7; });
  thread.join();
  EXPECT_EQ(7, ran.load());
}

}  // namespace
}  // namespace jetsvc
