// The POSIX Env: pread/pwrite files, fdatasync, flock locks, std::thread.

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <set>

#include "esent.h"
#include "platform/env.h"

namespace jetsvc {

namespace {

// The one place where errno becomes a JET_ERR.
Status PosixError(const std::string& context, int error_number) {
  int32_t code;
  switch (error_number) {
    case ENOENT:
      code = JET_errFileNotFound;
      break;
    case EACCES:
    case EPERM:
    case EROFS:
      code = JET_errFileAccessDenied;
      break;
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      code = JET_errDiskFull;
      break;
    case EMFILE:
    case ENFILE:
      code = JET_errOutOfFileHandles;
      break;
    case ENOMEM:
      code = JET_errOutOfMemory;
      break;
    case ENAMETOOLONG:
    case ENOTDIR:
    case EISDIR:
      code = JET_errInvalidPath;
      break;
    default:
      code = JET_errDiskIO;
      break;
  }
  return Status::FromCode(code, context + ": " + std::strerror(error_number));
}

class PosixFile final : public File {
 public:
  PosixFile(std::string path, int fd, bool read_only)
      : path_(std::move(path)), fd_(fd), read_only_(read_only) {}
  ~PosixFile() override {
    ::close(fd_);
    if (direct_fd_ >= 0) ::close(direct_fd_);
  }

  Status Read(uint64_t offset, size_t n, char* scratch, size_t* bytes_read) override {
    size_t done = 0;
    while (done < n) {
      const ssize_t r = ::pread(fd_, scratch + done, n - done,
                                static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        *bytes_read = done;
        return PosixError("read " + path_, errno);
      }
      if (r == 0) break;
      done += static_cast<size_t>(r);
    }
    *bytes_read = done;
    return Status::OK();
  }

  Status Write(uint64_t offset, std::string_view data) override {
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t r = ::pwrite(fd_, data.data() + done, data.size() - done,
                                 static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return PosixError("write " + path_, errno);
      }
      done += static_cast<size_t>(r);
    }
    return Status::OK();
  }

  // A second descriptor opened with O_DIRECT writes from the caller's
  // buffer straight to the device. Reads stay on the buffered descriptor;
  // Linux writes back and invalidates cached pages of the range around a
  // direct write, so later buffered reads see the new bytes. (The engine
  // never reads a page it is writing: the frame stays resident meanwhile.)
  Status WriteUnbuffered(uint64_t offset, std::string_view data) override {
    const size_t align = DirectAlignment();
    if (align == 0 || reinterpret_cast<uintptr_t>(data.data()) % align != 0 ||
        offset % align != 0 || data.size() % align != 0) {
      return Write(offset, data);
    }
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t r = ::pwrite(direct_fd_, data.data() + done, data.size() - done,
                                 static_cast<off_t>(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        if (errno == EINVAL) {
          // The file system refused after all: buffered from now on.
          direct_failed_.store(true);
          return Write(offset + done, data.substr(done));
        }
        return PosixError("write " + path_, errno);
      }
      done += static_cast<size_t>(r);
      if (done % align != 0) return Write(offset + done, data.substr(done));
    }
    return Status::OK();
  }

  Status Sync() override {
    if (::fdatasync(fd_) != 0) return PosixError("sync " + path_, errno);
    return Status::OK();
  }

  Status GetSize(uint64_t* size) override {
    struct stat st;
    if (::fstat(fd_, &st) != 0) return PosixError("stat " + path_, errno);
    *size = static_cast<uint64_t>(st.st_size);
    return Status::OK();
  }

  Status SetSize(uint64_t size) override {
    uint64_t current = 0;
    JET_RETURN_IF_ERROR(GetSize(&current));
    if (size > current) {
      // Reserve the blocks now so a full disk shows up here, not at a
      // later page write.
      const int rc = ::posix_fallocate(fd_, static_cast<off_t>(current),
                                       static_cast<off_t>(size - current));
      if (rc == 0) return Status::OK();
      if (rc != EOPNOTSUPP && rc != EINVAL) return PosixError("extend " + path_, rc);
    }
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
      return PosixError("truncate " + path_, errno);
    }
    return Status::OK();
  }

  const std::string& path() const override { return path_; }

 private:
  // The alignment direct writes need (buffer, offset and length), opening
  // the direct descriptor on first use; 0 when direct I/O is unavailable.
  size_t DirectAlignment() {
    if (read_only_ || direct_failed_.load()) return 0;
    std::call_once(direct_once_, [this] {
#ifdef O_DIRECT
      const int fd = ::open(path_.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
#else
      const int fd = -1;
#endif
      if (fd < 0) return;  // e.g. a file system without O_DIRECT
      size_t align = kUnbufferedAlignment;
#ifdef STATX_DIOALIGN
      struct statx sx;
      if (::statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) == 0 &&
          (sx.stx_mask & STATX_DIOALIGN) != 0) {
        if (sx.stx_dio_offset_align == 0) {  // no direct I/O for this file
          ::close(fd);
          return;
        }
        align = std::max<size_t>({align, sx.stx_dio_mem_align, sx.stx_dio_offset_align});
      }
#endif
      direct_align_ = align;
      direct_fd_ = fd;
    });
    return direct_fd_ >= 0 ? direct_align_ : 0;
  }

  const std::string path_;
  const int fd_;
  const bool read_only_;
  std::once_flag direct_once_;
  int direct_fd_ = -1;      // set once under direct_once_
  size_t direct_align_ = 0;  // likewise
  std::atomic<bool> direct_failed_{false};
};

// flock conflicts between descriptors even in one process, but a set of
// locked paths gives a clearer message for a second open in this process.
std::mutex g_locked_paths_mu;
std::set<std::string>& LockedPaths() {
  static auto* paths = new std::set<std::string>();
  return *paths;
}

class PosixFileLock final : public FileLock {
 public:
  PosixFileLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixFileLock() override {
    ::close(fd_);  // releases the flock
    std::lock_guard<std::mutex> guard(g_locked_paths_mu);
    LockedPaths().erase(path_);
  }

 private:
  const std::string path_;
  const int fd_;
};

class PosixEnv final : public Env {
 public:
  Status OpenFile(const std::string& path, OpenMode mode, bool read_only,
                  std::unique_ptr<File>* result) override {
    int flags = read_only ? O_RDONLY : O_RDWR;
    switch (mode) {
      case OpenMode::kOpenExisting:
        break;
      case OpenMode::kCreateNew:
        flags |= O_CREAT | O_EXCL;
        break;
      case OpenMode::kCreateOrOpen:
        flags |= O_CREAT;
        break;
      case OpenMode::kCreateOrTruncate:
        flags |= O_CREAT | O_TRUNC;
        break;
    }
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0) {
      if (errno == EEXIST) {
        return Status::FromCode(JET_errFileAlreadyExists, "create " + path + ": exists");
      }
      return PosixError("open " + path, errno);
    }
    *result = std::make_unique<PosixFile>(path, fd, read_only);
    return Status::OK();
  }

  bool FileExists(const std::string& path) override {
    return ::access(path.c_str(), F_OK) == 0;
  }

  Status GetFileSize(const std::string& path, uint64_t* size) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return PosixError("stat " + path, errno);
    *size = static_cast<uint64_t>(st.st_size);
    return Status::OK();
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return PosixError("remove " + path, errno);
    return Status::OK();
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return PosixError("rename " + from + " to " + to, errno);
    }
    return Status::OK();
  }

  Status GetChildren(const std::string& dir, std::vector<std::string>* names) override {
    names->clear();
    DIR* d = ::opendir(dir.empty() ? "." : dir.c_str());
    if (d == nullptr) return PosixError("list " + dir, errno);
    while (struct dirent* entry = ::readdir(d)) {
      if (std::strcmp(entry->d_name, ".") == 0 || std::strcmp(entry->d_name, "..") == 0) {
        continue;
      }
      names->emplace_back(entry->d_name);
    }
    ::closedir(d);
    return Status::OK();
  }

  Status CreateDirRecursive(const std::string& dir) override {
    if (dir.empty() || DirExists(dir)) return Status::OK();
    const std::string parent = DirName(dir);
    if (!parent.empty() && parent != dir) JET_RETURN_IF_ERROR(CreateDirRecursive(parent));
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return PosixError("create directory " + dir, errno);
    }
    return Status::OK();
  }

  bool DirExists(const std::string& dir) override {
    struct stat st;
    return ::stat(dir.empty() ? "." : dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  }

  Status SyncDir(const std::string& dir) override {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return PosixError("open directory " + dir, errno);
    Status status;
    if (::fsync(fd) != 0) status = PosixError("sync directory " + dir, errno);
    ::close(fd);
    return status;
  }

  Status LockFile(const std::string& path, std::unique_ptr<FileLock>* lock) override {
    {
      std::lock_guard<std::mutex> guard(g_locked_paths_mu);
      if (!LockedPaths().insert(path).second) {
        return Status::FromCode(JET_errFileAccessDenied,
                                path + " is locked by this process");
      }
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      const int error_number = errno;
      std::lock_guard<std::mutex> guard(g_locked_paths_mu);
      LockedPaths().erase(path);
      return PosixError("lock " + path, error_number);
    }
    // flock, not fcntl: an fcntl lock is dropped when *any* descriptor of
    // the file in this process closes (e.g. a header read).
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error_number = errno;
      ::close(fd);
      std::lock_guard<std::mutex> guard(g_locked_paths_mu);
      LockedPaths().erase(path);
      if (error_number == EWOULDBLOCK) {
        return Status::FromCode(JET_errFileAccessDenied,
                                path + " is locked by another process");
      }
      return PosixError("lock " + path, error_number);
    }
    *lock = std::make_unique<PosixFileLock>(path, fd);
    return Status::OK();
  }

  Status GetFreeSpace(const std::string& path, uint64_t* bytes) override {
    struct statvfs st;
    if (::statvfs(path.empty() ? "." : path.c_str(), &st) != 0) {
      return PosixError("statvfs " + path, errno);
    }
    *bytes = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
    return Status::OK();
  }

  std::string NormalizePath(const std::string& path) override {
    std::string normalized = path;
    for (char& c : normalized) {
      if (c == '\\') c = '/';
    }
    return normalized;
  }

  std::thread StartThread(std::string_view name, std::function<void()> fn) override {
    std::string thread_name(name.substr(0, 15));
    return std::thread([thread_name, fn = std::move(fn)]() {
      ::pthread_setname_np(::pthread_self(), thread_name.c_str());
      fn();
    });
  }

  uint64_t NowMicros() override {
    struct timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000 + static_cast<uint64_t>(ts.tv_nsec) / 1000;
  }

  uint64_t WallMicros() override {
    struct timespec ts;
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000 + static_cast<uint64_t>(ts.tv_nsec) / 1000;
  }

  // Anonymous mappings are page aligned and zero-filled; huge pages cut
  // the page faults of first touch and the page-table teardown of munmap
  // by 512 (x86-64) for a cache of gigabytes. Only a request: the kernel
  // may still use small pages.
  void* AllocateLarge(size_t bytes) override {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return nullptr;
#ifdef MADV_HUGEPAGE
    ::madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
  }

  void FreeLarge(void* p, size_t bytes) override {
    if (p != nullptr) ::munmap(p, bytes);
  }

  void SleepForMicroseconds(uint64_t micros) override {
    struct timespec ts;
    ts.tv_sec = static_cast<time_t>(micros / 1000000);
    ts.tv_nsec = static_cast<long>((micros % 1000000) * 1000);
    while (::nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
  }
};

}  // namespace

Env* Env::Default() {
  static Env* env = new PosixEnv();
  return env;
}

}  // namespace jetsvc
