// The platform Env: large allocations and unbuffered page writes.

#include "platform/env.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#ifdef __linux__
#include <fcntl.h>
#include <unistd.h>
#endif

#include <gtest/gtest.h>

#include "esent.h"
#include "tests/testing/test_util.h"

namespace jetsvc {
namespace {

constexpr size_t kAlign = File::kUnbufferedAlignment;

// An aligned buffer of `bytes` filled with `fill`.
struct AlignedBuffer {
  AlignedBuffer(Env* env, size_t n, char fill) : env(env), bytes(n) {
    data = static_cast<char*>(env->AllocateLarge(n));
    std::memset(data, fill, n);
  }
  ~AlignedBuffer() { env->FreeLarge(data, bytes); }
  std::string_view view() const { return {data, bytes}; }
  Env* env;
  size_t bytes;
  char* data;
};

std::string ReadBack(File* file, uint64_t offset, size_t n) {
  std::string out(n, '\0');
  EXPECT_OK(ReadFully(file, offset, n, out.data()));
  return out;
}

#ifdef __linux__
// Whether some descriptor of this process has `path` open with O_DIRECT.
bool HasDirectDescriptor(const std::string& path) {
  for (int fd = 0; fd < 1024; ++fd) {
    char link[64];
    std::snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    char target[4096];
    const ssize_t n = ::readlink(link, target, sizeof(target) - 1);
    if (n <= 0) continue;
    target[n] = '\0';
    if (path != target) continue;
    std::ifstream info("/proc/self/fdinfo/" + std::to_string(fd));
    std::string key;
    std::string value;
    while (info >> key >> value) {
      if (key == "flags:" && (std::stoul(value, nullptr, 8) & O_DIRECT) != 0) return true;
    }
  }
  return false;
}
#endif

TEST(EnvTest, AllocateLargeIsAlignedZeroedAndWritable) {
  Env* env = Env::Default();
  for (size_t bytes : {size_t{4096}, size_t{3 * 1024 * 1024 + 17}}) {
    auto* p = static_cast<unsigned char*>(env->AllocateLarge(bytes));
    ASSERT_NE(nullptr, p);
    EXPECT_EQ(0u, reinterpret_cast<uintptr_t>(p) % kAlign);
    size_t nonzero = 0;
    for (size_t i = 0; i < bytes; ++i) nonzero += p[i] != 0;
    EXPECT_EQ(0u, nonzero);
    std::memset(p, 0x5a, bytes);
    env->FreeLarge(p, bytes);
  }
}

TEST(EnvTest, UnbufferedWritesAreReadBackAndStayCoherentWithBufferedIo) {
  testing::ScratchDir dir;
  Env* env = Env::Default();
  std::unique_ptr<File> file;
  ASSERT_OK(env->OpenFile(dir.Join("pages.db"), OpenMode::kCreateNew, false, &file));
  ASSERT_OK(file->SetSize(16 * kAlign));

  // A buffered read first, so the OS caches the old bytes of the range.
  EXPECT_EQ(std::string(2 * kAlign, '\0'), ReadBack(file.get(), 4 * kAlign, 2 * kAlign));
  AlignedBuffer pages(env, 2 * kAlign, 'a');
  ASSERT_OK(file->WriteUnbuffered(4 * kAlign, pages.view()));
  EXPECT_EQ(std::string(2 * kAlign, 'a'), ReadBack(file.get(), 4 * kAlign, 2 * kAlign));

  // Buffered over unbuffered, then unbuffered over buffered.
  ASSERT_OK(file->Write(5 * kAlign, std::string(kAlign, 'b')));
  EXPECT_EQ(std::string(kAlign, 'a') + std::string(kAlign, 'b'),
            ReadBack(file.get(), 4 * kAlign, 2 * kAlign));
  AlignedBuffer again(env, kAlign, 'c');
  ASSERT_OK(file->WriteUnbuffered(5 * kAlign, again.view()));
  EXPECT_EQ(std::string(kAlign, 'c'), ReadBack(file.get(), 5 * kAlign, kAlign));
  ASSERT_OK(file->Sync());

  // The bytes are in the file for a new reader too.
  file.reset();
  ASSERT_OK(env->OpenFile(dir.Join("pages.db"), OpenMode::kOpenExisting, true, &file));
  EXPECT_EQ(std::string(kAlign, 'a') + std::string(kAlign, 'c'),
            ReadBack(file.get(), 4 * kAlign, 2 * kAlign));
}

TEST(EnvTest, MisalignedUnbufferedWritesFallBackToBufferedOnes) {
  testing::ScratchDir dir;
  Env* env = Env::Default();
  std::unique_ptr<File> file;
  ASSERT_OK(env->OpenFile(dir.Join("odd.db"), OpenMode::kCreateNew, false, &file));
  AlignedBuffer buffer(env, 3 * kAlign, 'x');
  // Misaligned memory, offset and length, each on its own.
  ASSERT_OK(file->WriteUnbuffered(0, std::string_view(buffer.data + 1, kAlign)));
  ASSERT_OK(file->WriteUnbuffered(kAlign + 512 + 1, std::string_view(buffer.data, kAlign)));
  ASSERT_OK(file->WriteUnbuffered(4 * kAlign, std::string_view(buffer.data, 100)));
  EXPECT_EQ(std::string(kAlign, 'x'), ReadBack(file.get(), 0, kAlign));
  EXPECT_EQ(std::string(kAlign, 'x'), ReadBack(file.get(), kAlign + 512 + 1, kAlign));
  EXPECT_EQ(std::string(100, 'x'), ReadBack(file.get(), 4 * kAlign, 100));
  uint64_t size = 0;
  ASSERT_OK(file->GetSize(&size));
  EXPECT_EQ(4 * kAlign + 100, size);
}

TEST(EnvTest, UnbufferedWriteToReadOnlyFileFails) {
  testing::ScratchDir dir;
  Env* env = Env::Default();
  std::unique_ptr<File> file;
  ASSERT_OK(env->OpenFile(dir.Join("ro.db"), OpenMode::kCreateNew, false, &file));
  ASSERT_OK(file->SetSize(kAlign));
  file.reset();
  ASSERT_OK(env->OpenFile(dir.Join("ro.db"), OpenMode::kOpenExisting, true, &file));
  AlignedBuffer page(env, kAlign, 'r');
  const Status status = file->WriteUnbuffered(0, page.view());
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(std::string(kAlign, '\0'), ReadBack(file.get(), 0, kAlign));
}

#ifdef __linux__
TEST(EnvTest, AlignedUnbufferedWritesUseADirectDescriptorWhereSupported) {
  testing::ScratchDir dir;
  const std::string path = dir.Join("direct.db");
  {
    // Probe the file system: without O_DIRECT there is nothing to check.
    const int fd = ::open((path + ".probe").c_str(), O_CREAT | O_WRONLY | O_DIRECT, 0644);
    if (fd < 0) GTEST_SKIP() << "no O_DIRECT on the file system of " << dir.path();
    ::close(fd);
  }
  Env* env = Env::Default();
  std::unique_ptr<File> file;
  ASSERT_OK(env->OpenFile(path, OpenMode::kCreateNew, false, &file));
  EXPECT_FALSE(HasDirectDescriptor(path));
  AlignedBuffer page(env, 2 * kAlign, 'd');
  ASSERT_OK(file->WriteUnbuffered(0, page.view()));
  EXPECT_TRUE(HasDirectDescriptor(path));
  file.reset();
  EXPECT_FALSE(HasDirectDescriptor(path)) << "closed with the file";
}
#endif

}  // namespace
}  // namespace jetsvc
