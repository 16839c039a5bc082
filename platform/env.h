// Env: the engine's only way to reach the operating system.
//
// Files (positioned reads and writes, sync, size, locks), directories,
// threads and clocks all go through an Env, in the manner of LevelDB's
// leveldb::Env. `Env::Default()` is defined once per platform
// (platform/posix/env_posix.cc, platform/windows/env_windows.cc) and chosen
// by CMake; tests wrap an Env (platform/testing/fault_env.h) to fail or drop
// writes.
//
// Errors come back as Status values holding the matching JET_ERR
// (ENOSPC -> JET_errDiskFull, EIO -> JET_errDiskIO, ENOENT ->
// JET_errFileNotFound, EACCES -> JET_errFileAccessDenied, ...).
//
// Thread contract: an Env is thread-safe. A File may be read and written
// from several threads at once at different offsets (pread/pwrite).

#ifndef JETSVC_PLATFORM_ENV_H_
#define JETSVC_PLATFORM_ENV_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/util/status.h"

namespace jetsvc {

// An open file with positioned I/O.
class File {
 public:
  File() = default;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  virtual ~File();

  // Reads up to n bytes at offset into scratch; *bytes_read < n only at
  // end of file.
  virtual Status Read(uint64_t offset, size_t n, char* scratch,
                      size_t* bytes_read) = 0;
  // Writes all of data at offset, extending the file if needed.
  virtual Status Write(uint64_t offset, std::string_view data) = 0;
  // As Write, but bypassing the operating system's file cache where the
  // platform and file system allow it (O_DIRECT): the engine's own cache
  // already holds these pages, and copying them into a second cache costs
  // more than the disk write itself when a large cache is flushed. Takes
  // the fast path only when data.data(), offset and data.size() are
  // multiples of kUnbufferedAlignment (and of anything stricter the file
  // system asks for); otherwise, or where unsupported, it is Write. The
  // data is durable only after Sync, as with Write.
  static constexpr size_t kUnbufferedAlignment = 4096;
  virtual Status WriteUnbuffered(uint64_t offset, std::string_view data) {
    return Write(offset, data);
  }
  // Makes every completed write durable (fdatasync / FlushFileBuffers).
  virtual Status Sync() = 0;
  virtual Status GetSize(uint64_t* size) = 0;
  // Truncates, or extends with zero bytes.
  virtual Status SetSize(uint64_t size) = 0;
  virtual const std::string& path() const = 0;
};

// An exclusive lock on a file, released on destruction.
class FileLock {
 public:
  FileLock() = default;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  virtual ~FileLock();
};

enum class OpenMode {
  kOpenExisting,      // JET_errFileNotFound if absent
  kCreateNew,         // fails if it exists
  kCreateOrOpen,      // keeps existing content
  kCreateOrTruncate,  // empties existing content
};

class Env {
 public:
  Env() = default;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  virtual ~Env();

  // The process-wide Env of this platform; never deleted.
  static Env* Default();

  virtual Status OpenFile(const std::string& path, OpenMode mode, bool read_only,
                          std::unique_ptr<File>* result) = 0;
  virtual bool FileExists(const std::string& path) = 0;
  virtual Status GetFileSize(const std::string& path, uint64_t* size) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Atomically replaces `to` with `from`.
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  // Names (not paths) of the entries in `dir`, without "." and "..".
  virtual Status GetChildren(const std::string& dir,
                             std::vector<std::string>* names) = 0;
  virtual Status CreateDirRecursive(const std::string& dir) = 0;
  virtual bool DirExists(const std::string& dir) = 0;
  // Makes directory entries (creations, renames) in `dir` durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  // Takes an exclusive lock on `path` (creating it if needed) so two
  // processes cannot open the same database or log stream. Fails with
  // JET_errFileAccessDenied if another process holds it.
  virtual Status LockFile(const std::string& path,
                          std::unique_ptr<FileLock>* lock) = 0;
  // Bytes free for an unprivileged writer on the file system of `path`.
  virtual Status GetFreeSpace(const std::string& path, uint64_t* bytes) = 0;
  // The platform's form of a path given by a client: ESE paths use '\'
  // (JET_paramSystemPath defaults to ".\"), which POSIX turns into '/'.
  virtual std::string NormalizePath(const std::string& path) = 0;

  // Starts a thread running fn; `name` (at most 15 characters) shows in
  // debuggers and `ps`.
  virtual std::thread StartThread(std::string_view name,
                                  std::function<void()> fn) = 0;
  // Microseconds from an arbitrary, monotonic origin.
  virtual uint64_t NowMicros() = 0;
  // Microseconds since the Unix epoch (wall clock; for headers and logs).
  virtual uint64_t WallMicros() = 0;
  virtual void SleepForMicroseconds(uint64_t micros) = 0;

  // Memory for large, long-lived buffers (the page cache's slabs): bytes
  // rounded up to whole pages, zero-filled, aligned to at least
  // File::kUnbufferedAlignment, or nullptr when out of memory. The POSIX Env
  // maps it with transparent huge pages requested, which makes both first
  // touch and release at JetTerm cheaper for a cache of gigabytes. Release
  // with FreeLarge(p, bytes), the same size.
  virtual void* AllocateLarge(size_t bytes);
  virtual void FreeLarge(void* p, size_t bytes);
};

// Forwards every call to a target Env; subclasses override what they need.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  Env* target() const { return target_; }

  Status OpenFile(const std::string& path, OpenMode mode, bool read_only,
                  std::unique_ptr<File>* result) override {
    return target_->OpenFile(path, mode, read_only, result);
  }
  bool FileExists(const std::string& path) override {
    return target_->FileExists(path);
  }
  Status GetFileSize(const std::string& path, uint64_t* size) override {
    return target_->GetFileSize(path, size);
  }
  Status RemoveFile(const std::string& path) override {
    return target_->RemoveFile(path);
  }
  Status RenameFile(const std::string& from, const std::string& to) override {
    return target_->RenameFile(from, to);
  }
  Status GetChildren(const std::string& dir,
                     std::vector<std::string>* names) override {
    return target_->GetChildren(dir, names);
  }
  Status CreateDirRecursive(const std::string& dir) override {
    return target_->CreateDirRecursive(dir);
  }
  bool DirExists(const std::string& dir) override { return target_->DirExists(dir); }
  Status SyncDir(const std::string& dir) override { return target_->SyncDir(dir); }
  Status LockFile(const std::string& path,
                  std::unique_ptr<FileLock>* lock) override {
    return target_->LockFile(path, lock);
  }
  Status GetFreeSpace(const std::string& path, uint64_t* bytes) override {
    return target_->GetFreeSpace(path, bytes);
  }
  std::string NormalizePath(const std::string& path) override {
    return target_->NormalizePath(path);
  }
  std::thread StartThread(std::string_view name, std::function<void()> fn) override {
    return target_->StartThread(name, std::move(fn));
  }
  uint64_t NowMicros() override { return target_->NowMicros(); }
  uint64_t WallMicros() override { return target_->WallMicros(); }
  void SleepForMicroseconds(uint64_t micros) override {
    target_->SleepForMicroseconds(micros);
  }
  void* AllocateLarge(size_t bytes) override { return target_->AllocateLarge(bytes); }
  void FreeLarge(void* p, size_t bytes) override { target_->FreeLarge(p, bytes); }

 private:
  Env* const target_;
};

// Helpers built on an Env.
// Reads exactly n bytes at offset; a short read is JET_errDiskIO naming
// the file.
Status ReadFully(File* file, uint64_t offset, size_t n, char* scratch);
// Directory part of a path ("" if none) and joining with '/'.
std::string DirName(const std::string& path);
std::string JoinPath(const std::string& dir, const std::string& name);

}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_ENV_H_
