// The Windows Env: CreateFileW handles with positioned ReadFile/WriteFile,
// FlushFileBuffers, LockFileEx locks, std::thread. Built with MinGW-w64
// (cmake/mingw-w64-x86_64.cmake) and tested under Wine.
//
// Paths arrive as UTF-8 and are converted to UTF-16 for the W functions.
// Differences from the POSIX Env, all inside what platform/env.h promises:
// - WriteUnbuffered is the base class's buffered Write (see WindowsFile).
// - SyncDir only checks that the directory exists (see WindowsEnv::SyncDir).
// - NormalizePath keeps the path as given: Win32 accepts '\' and '/'.

#include "platform/env.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
// winbase.h's 16-bit relic GetFreeSpace(w) would rewrite Env::GetFreeSpace.
#undef GetFreeSpace

#include <algorithm>
#include <cstring>
#include <mutex>
#include <set>

#include "esent.h"
#include "platform/windows/win_text.h"

namespace jetsvc {

namespace {

// The one place where a Windows error code becomes a JET_ERR; the same
// classes as the POSIX Env's errno mapping.
Status WindowsError(const std::string& context, DWORD error) {
  int32_t code;
  switch (error) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
      code = JET_errFileNotFound;
      break;
    case ERROR_ACCESS_DENIED:
    case ERROR_WRITE_PROTECT:
    // Another handle's share mode or byte-range lock: POSIX's lock failure.
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
      code = JET_errFileAccessDenied;
      break;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
    case ERROR_FILE_TOO_LARGE:
      code = JET_errDiskFull;
      break;
    case ERROR_TOO_MANY_OPEN_FILES:
      code = JET_errOutOfFileHandles;
      break;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
      code = JET_errOutOfMemory;
      break;
    case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME:
    case ERROR_FILENAME_EXCED_RANGE:
    case ERROR_DIRECTORY:
      code = JET_errInvalidPath;
      break;
    default:
      code = JET_errDiskIO;
      break;
  }
  return Status::FromCode(code, context + ": " + platform::Win32ErrorText(error));
}

// UTF-8 to UTF-16; invalid UTF-8 is JET_errInvalidPath.
Status ToWide(const std::string& utf8, std::wstring* wide) {
  if (!platform::Utf8ToWide(utf8, wide)) {
    return Status::FromCode(JET_errInvalidPath, "path is not valid UTF-8 or too long: " + utf8);
  }
  return Status::OK();
}

// "" means the current directory, as in the POSIX Env.
std::wstring DirOrDot(const std::wstring& dir) { return dir.empty() ? std::wstring(L".") : dir; }

OVERLAPPED OverlappedAt(uint64_t offset) {
  OVERLAPPED ov;
  std::memset(&ov, 0, sizeof(ov));
  ov.Offset = static_cast<DWORD>(offset & 0xffffffffu);
  ov.OffsetHigh = static_cast<DWORD>(offset >> 32);
  return ov;
}

// ReadFile and WriteFile take a DWORD count: larger requests are split.
constexpr size_t kMaxChunk = size_t{1} << 30;

// Every handle shares read, write and delete with the others, as a POSIX
// descriptor does: a second reader of a database header, or a rename or
// delete of a file that is still open (log files), must not fail with a
// sharing violation. Exclusion between processes is LockFile's job.
constexpr DWORD kShareAll = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;

// A synchronous handle used with OVERLAPPED offsets: ReadFile and WriteFile
// then read and write at that offset (pread/pwrite); the I/O manager
// serializes the requests of one synchronous handle, so concurrent callers
// are safe.
//
// WriteUnbuffered stays the buffered Write of the base class.
// FILE_FLAG_NO_BUFFERING is a property of the whole handle and then every
// read and write on it must be sector aligned; a second, unbuffered handle
// per file (as the POSIX Env's O_DIRECT descriptor) is possible but is not
// done yet: the engine's correctness does not depend on it, only the cost
// of a large flush does.
class WindowsFile final : public File {
 public:
  WindowsFile(std::string path, HANDLE handle, bool read_only)
      : path_(std::move(path)), handle_(handle), read_only_(read_only) {}
  ~WindowsFile() override { ::CloseHandle(handle_); }

  Status Read(uint64_t offset, size_t n, char* scratch, size_t* bytes_read) override {
    size_t done = 0;
    while (done < n) {
      const DWORD want = static_cast<DWORD>(std::min(n - done, kMaxChunk));
      OVERLAPPED ov = OverlappedAt(offset + done);
      DWORD got = 0;
      if (!::ReadFile(handle_, scratch + done, want, &got, &ov)) {
        const DWORD error = ::GetLastError();
        if (error == ERROR_HANDLE_EOF) break;  // offset at or past the end
        *bytes_read = done;
        return WindowsError("read " + path_, error);
      }
      if (got == 0) break;
      done += got;
    }
    *bytes_read = done;
    return Status::OK();
  }

  Status Write(uint64_t offset, std::string_view data) override {
    size_t done = 0;
    while (done < data.size()) {
      const DWORD want = static_cast<DWORD>(std::min(data.size() - done, kMaxChunk));
      OVERLAPPED ov = OverlappedAt(offset + done);
      DWORD wrote = 0;
      if (!::WriteFile(handle_, data.data() + done, want, &wrote, &ov)) {
        return WindowsError("write " + path_, ::GetLastError());
      }
      if (wrote == 0) {
        return Status::FromCode(JET_errDiskIO, "write " + path_ + ": no progress");
      }
      done += wrote;
    }
    return Status::OK();
  }

  // FlushFileBuffers needs write access; a read-only handle has nothing of
  // its own to flush (fdatasync on a read-only descriptor succeeds too).
  Status Sync() override {
    if (read_only_) return Status::OK();
    if (!::FlushFileBuffers(handle_)) return WindowsError("sync " + path_, ::GetLastError());
    return Status::OK();
  }

  Status GetSize(uint64_t* size) override {
    LARGE_INTEGER li;
    if (!::GetFileSizeEx(handle_, &li)) return WindowsError("size of " + path_, ::GetLastError());
    *size = static_cast<uint64_t>(li.QuadPart);
    return Status::OK();
  }

  // Setting the end of file allocates the clusters of an extension (NTFS
  // reads the unwritten part as zeros), so a full disk shows up here, as
  // with posix_fallocate.
  Status SetSize(uint64_t size) override {
    FILE_END_OF_FILE_INFO info;
    info.EndOfFile.QuadPart = static_cast<LONGLONG>(size);
    if (!::SetFileInformationByHandle(handle_, FileEndOfFileInfo, &info, sizeof(info))) {
      return WindowsError("set size of " + path_, ::GetLastError());
    }
    return Status::OK();
  }

  const std::string& path() const override { return path_; }

 private:
  const std::string path_;
  const HANDLE handle_;
  const bool read_only_;
};

// A second LockFile of a path in this process gets a clearer message than
// the lock violation LockFileEx would report.
std::mutex g_locked_paths_mu;
std::set<std::string>& LockedPaths() {
  static auto* paths = new std::set<std::string>();
  return *paths;
}

// Windows byte-range locks are mandatory: a locked range cannot be read or
// written through any other handle. The lock therefore covers one byte far
// past any real file size, so the locked database stays readable and
// writable through the engine's own handles while a second LockFileEx on
// the same byte, from any process, fails.
constexpr uint64_t kLockOffset = uint64_t{1} << 62;

class WindowsFileLock final : public FileLock {
 public:
  WindowsFileLock(std::string path, HANDLE handle) : path_(std::move(path)), handle_(handle) {}
  ~WindowsFileLock() override {
    OVERLAPPED ov = OverlappedAt(kLockOffset);
    ::UnlockFileEx(handle_, 0, 1, 0, &ov);
    ::CloseHandle(handle_);
    std::lock_guard<std::mutex> guard(g_locked_paths_mu);
    LockedPaths().erase(path_);
  }

 private:
  const std::string path_;
  const HANDLE handle_;
};

// Not declared by every MinGW-w64 version; the value is Windows' own.
#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002
#endif

// One high-resolution timer per sleeping thread, closed when it exits.
struct SleepTimer {
  SleepTimer()
      : handle(::CreateWaitableTimerExW(nullptr, nullptr, CREATE_WAITABLE_TIMER_HIGH_RESOLUTION,
                                        TIMER_ALL_ACCESS)) {}
  ~SleepTimer() {
    if (handle != nullptr) ::CloseHandle(handle);
  }
  SleepTimer(const SleepTimer&) = delete;
  SleepTimer& operator=(const SleepTimer&) = delete;
  HANDLE handle;
};

using SetThreadDescriptionFn = HRESULT(WINAPI*)(HANDLE, PCWSTR);

// SetThreadDescription exists from Windows 10 1607; looked up at run time
// so the engine still starts on older systems (then threads are unnamed).
SetThreadDescriptionFn ThreadDescriptionFunction() {
  static const SetThreadDescriptionFn fn = [] {
    HMODULE kernel = ::GetModuleHandleW(L"kernel32.dll");
    FARPROC proc = kernel == nullptr ? nullptr : ::GetProcAddress(kernel, "SetThreadDescription");
    return reinterpret_cast<SetThreadDescriptionFn>(reinterpret_cast<void (*)()>(proc));
  }();
  return fn;
}

class WindowsEnv final : public Env {
 public:
  WindowsEnv() {
    LARGE_INTEGER frequency;
    ::QueryPerformanceFrequency(&frequency);  // never fails from Windows XP on
    qpc_frequency_ = static_cast<uint64_t>(frequency.QuadPart);
  }

  Status OpenFile(const std::string& path, OpenMode mode, bool read_only,
                  std::unique_ptr<File>* result) override {
    std::wstring wide;
    JET_RETURN_IF_ERROR(ToWide(path, &wide));
    DWORD disposition = OPEN_EXISTING;
    switch (mode) {
      case OpenMode::kOpenExisting:
        disposition = OPEN_EXISTING;
        break;
      case OpenMode::kCreateNew:
        disposition = CREATE_NEW;
        break;
      case OpenMode::kCreateOrOpen:
        disposition = OPEN_ALWAYS;
        break;
      case OpenMode::kCreateOrTruncate:
        disposition = CREATE_ALWAYS;
        break;
    }
    const DWORD access = read_only ? GENERIC_READ : (GENERIC_READ | GENERIC_WRITE);
    HANDLE handle = ::CreateFileW(wide.c_str(), access, kShareAll, nullptr, disposition,
                                  FILE_ATTRIBUTE_NORMAL, nullptr);
    if (handle == INVALID_HANDLE_VALUE) {
      const DWORD error = ::GetLastError();
      if (error == ERROR_FILE_EXISTS || error == ERROR_ALREADY_EXISTS) {
        return Status::FromCode(JET_errFileAlreadyExists, "create " + path + ": exists");
      }
      // A directory cannot be opened as a file (POSIX: EISDIR).
      if (error == ERROR_ACCESS_DENIED && DirExists(path)) {
        return Status::FromCode(JET_errInvalidPath, "open " + path + ": is a directory");
      }
      return WindowsError("open " + path, error);
    }
    *result = std::make_unique<WindowsFile>(path, handle, read_only);
    return Status::OK();
  }

  bool FileExists(const std::string& path) override {
    std::wstring wide;
    if (ToWide(path, &wide).IsError()) return false;
    return ::GetFileAttributesW(wide.c_str()) != INVALID_FILE_ATTRIBUTES;
  }

  Status GetFileSize(const std::string& path, uint64_t* size) override {
    std::wstring wide;
    JET_RETURN_IF_ERROR(ToWide(path, &wide));
    WIN32_FILE_ATTRIBUTE_DATA data;
    if (!::GetFileAttributesExW(wide.c_str(), GetFileExInfoStandard, &data)) {
      return WindowsError("stat " + path, ::GetLastError());
    }
    *size = (static_cast<uint64_t>(data.nFileSizeHigh) << 32) | data.nFileSizeLow;
    return Status::OK();
  }

  Status RemoveFile(const std::string& path) override {
    std::wstring wide;
    JET_RETURN_IF_ERROR(ToWide(path, &wide));
    if (!::DeleteFileW(wide.c_str())) return WindowsError("remove " + path, ::GetLastError());
    return Status::OK();
  }

  // MoveFileExW with MOVEFILE_REPLACE_EXISTING replaces `to` in one step
  // (a rename on the same volume; readers see the old or the new file),
  // and MOVEFILE_WRITE_THROUGH returns only once the rename is on disk.
  Status RenameFile(const std::string& from, const std::string& to) override {
    std::wstring wide_from;
    std::wstring wide_to;
    JET_RETURN_IF_ERROR(ToWide(from, &wide_from));
    JET_RETURN_IF_ERROR(ToWide(to, &wide_to));
    if (!::MoveFileExW(wide_from.c_str(), wide_to.c_str(),
                       MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
      return WindowsError("rename " + from + " to " + to, ::GetLastError());
    }
    return Status::OK();
  }

  Status GetChildren(const std::string& dir, std::vector<std::string>* names) override {
    names->clear();
    std::wstring wide;
    JET_RETURN_IF_ERROR(ToWide(dir, &wide));
    std::wstring pattern = DirOrDot(wide);
    if (pattern.back() != L'\\' && pattern.back() != L'/') pattern += L'\\';
    pattern += L'*';
    WIN32_FIND_DATAW entry;
    HANDLE find = ::FindFirstFileW(pattern.c_str(), &entry);
    if (find == INVALID_HANDLE_VALUE) {
      const DWORD error = ::GetLastError();
      if (error == ERROR_FILE_NOT_FOUND) return Status::OK();  // no entries at all
      // A file given as the directory (POSIX: ENOTDIR).
      if (error == ERROR_DIRECTORY || (error == ERROR_PATH_NOT_FOUND && FileExists(dir))) {
        return Status::FromCode(JET_errInvalidPath, "list " + dir + ": not a directory");
      }
      return WindowsError("list " + dir, error);
    }
    do {
      if (std::wcscmp(entry.cFileName, L".") == 0 || std::wcscmp(entry.cFileName, L"..") == 0) {
        continue;
      }
      names->push_back(platform::WideToUtf8(entry.cFileName));
    } while (::FindNextFileW(find, &entry));
    const DWORD error = ::GetLastError();
    ::FindClose(find);
    if (error != ERROR_NO_MORE_FILES) return WindowsError("list " + dir, error);
    return Status::OK();
  }

  Status CreateDirRecursive(const std::string& dir) override {
    if (dir.empty() || DirExists(dir)) return Status::OK();
    const std::string parent = DirName(dir);
    if (!parent.empty() && parent != dir) JET_RETURN_IF_ERROR(CreateDirRecursive(parent));
    std::wstring wide;
    JET_RETURN_IF_ERROR(ToWide(dir, &wide));
    if (!::CreateDirectoryW(wide.c_str(), nullptr)) {
      const DWORD error = ::GetLastError();
      if (error == ERROR_ALREADY_EXISTS && DirExists(dir)) return Status::OK();
      return WindowsError("create directory " + dir, error);
    }
    return Status::OK();
  }

  bool DirExists(const std::string& dir) override {
    std::wstring wide;
    if (ToWide(dir, &wide).IsError()) return false;
    const DWORD attributes = ::GetFileAttributesW(DirOrDot(wide).c_str());
    return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0;
  }

  // Windows has no directory fsync: FlushFileBuffers on a file also
  // commits its metadata (NTFS logs directory changes and flushes that log
  // with the file), and RenameFile writes through. So this only checks the
  // directory, as the POSIX open() of it would.
  Status SyncDir(const std::string& dir) override {
    if (!DirExists(dir)) {
      return Status::FromCode(JET_errFileNotFound, "sync directory " + dir + ": no such directory");
    }
    return Status::OK();
  }

  Status LockFile(const std::string& path, std::unique_ptr<FileLock>* lock) override {
    std::wstring wide;
    JET_RETURN_IF_ERROR(ToWide(path, &wide));
    {
      std::lock_guard<std::mutex> guard(g_locked_paths_mu);
      if (!LockedPaths().insert(path).second) {
        return Status::FromCode(JET_errFileAccessDenied, path + " is locked by this process");
      }
    }
    auto forget = [&path] {
      std::lock_guard<std::mutex> guard(g_locked_paths_mu);
      LockedPaths().erase(path);
    };
    HANDLE handle = ::CreateFileW(wide.c_str(), GENERIC_READ | GENERIC_WRITE, kShareAll, nullptr,
                                  OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (handle == INVALID_HANDLE_VALUE) {
      const DWORD error = ::GetLastError();
      forget();
      return WindowsError("lock " + path, error);
    }
    OVERLAPPED ov = OverlappedAt(kLockOffset);
    if (!::LockFileEx(handle, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov)) {
      const DWORD error = ::GetLastError();
      ::CloseHandle(handle);
      forget();
      if (error == ERROR_LOCK_VIOLATION || error == ERROR_IO_PENDING) {
        return Status::FromCode(JET_errFileAccessDenied, path + " is locked by another process");
      }
      return WindowsError("lock " + path, error);
    }
    *lock = std::make_unique<WindowsFileLock>(path, handle);
    return Status::OK();
  }

  Status GetFreeSpace(const std::string& path, uint64_t* bytes) override {
    // GetDiskFreeSpaceExW wants a directory; statvfs takes any path.
    std::string dir = path;
    if (!dir.empty() && !DirExists(dir)) dir = DirName(dir);
    std::wstring wide;
    JET_RETURN_IF_ERROR(ToWide(dir, &wide));
    ULARGE_INTEGER available;  // honours the caller's disk quota
    if (!::GetDiskFreeSpaceExW(DirOrDot(wide).c_str(), &available, nullptr, nullptr)) {
      return WindowsError("free space of " + path, ::GetLastError());
    }
    *bytes = available.QuadPart;
    return Status::OK();
  }

  std::string NormalizePath(const std::string& path) override { return path; }

  std::thread StartThread(std::string_view name, std::function<void()> fn) override {
    std::string thread_name(name.substr(0, 15));
    return std::thread([thread_name, fn = std::move(fn)]() {
      if (SetThreadDescriptionFn describe = ThreadDescriptionFunction()) {
        std::wstring wide;
        if (ToWide(thread_name, &wide).ok()) describe(::GetCurrentThread(), wide.c_str());
      }
      fn();
    });
  }

  uint64_t NowMicros() override {
    LARGE_INTEGER counter;
    ::QueryPerformanceCounter(&counter);
    const uint64_t ticks = static_cast<uint64_t>(counter.QuadPart);
    // Split so ticks * 1000000 cannot overflow.
    return ticks / qpc_frequency_ * 1000000 + ticks % qpc_frequency_ * 1000000 / qpc_frequency_;
  }

  uint64_t WallMicros() override {
    FILETIME ft;
    ::GetSystemTimePreciseAsFileTime(&ft);
    const uint64_t ticks = (static_cast<uint64_t>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime;
    constexpr uint64_t kEpochDifference = 116444736000000000ull;  // 1601 -> 1970, 100 ns units
    return (ticks - kEpochDifference) / 10;
  }

  // Sleep() rounds up to the system timer tick (often 15.6 ms); a
  // high-resolution waitable timer (Windows 10 1803 on) sleeps for about
  // the time asked. Without one, Sleep with whole milliseconds.
  void SleepForMicroseconds(uint64_t micros) override {
    if (micros == 0) {
      ::Sleep(0);
      return;
    }
    thread_local SleepTimer sleep_timer;
    if (HANDLE timer = sleep_timer.handle) {
      LARGE_INTEGER due;
      due.QuadPart = -static_cast<LONGLONG>(std::min<uint64_t>(micros, uint64_t{1} << 50) * 10);
      if (::SetWaitableTimer(timer, &due, 0, nullptr, nullptr, FALSE) &&
          ::WaitForSingleObject(timer, INFINITE) == WAIT_OBJECT_0) {
        return;
      }
    }
    uint64_t millis = (micros + 999) / 1000;
    while (millis > 0) {
      const DWORD step = static_cast<DWORD>(std::min<uint64_t>(millis, INFINITE - 1));
      ::Sleep(step);
      millis -= step;
    }
  }

  // VirtualAlloc memory is zero-filled and aligned to the allocation
  // granularity (64 KiB), more than kUnbufferedAlignment.
  void* AllocateLarge(size_t bytes) override {
    return ::VirtualAlloc(nullptr, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
  }

  void FreeLarge(void* p, size_t /*bytes*/) override {
    if (p != nullptr) ::VirtualFree(p, 0, MEM_RELEASE);
  }

 private:
  uint64_t qpc_frequency_ = 1;
};

}  // namespace

Env* Env::Default() {
  static Env* env = new WindowsEnv();
  return env;
}

}  // namespace jetsvc
