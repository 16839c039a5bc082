#include "platform/env.h"

#include <cstring>
#include <new>

#include "esent.h"

namespace jetsvc {

File::~File() = default;
FileLock::~FileLock() = default;
Env::~Env() = default;

// The portable form: aligned operator new.
void* Env::AllocateLarge(size_t bytes) {
  void* p = ::operator new(bytes, std::align_val_t{File::kUnbufferedAlignment}, std::nothrow);
  if (p != nullptr) std::memset(p, 0, bytes);
  return p;
}

void Env::FreeLarge(void* p, size_t /*bytes*/) {
  ::operator delete(p, std::align_val_t{File::kUnbufferedAlignment});
}

Status ReadFully(File* file, uint64_t offset, size_t n, char* scratch) {
  size_t got = 0;
  JET_RETURN_IF_ERROR(file->Read(offset, n, scratch, &got));
  if (got != n) {
    return Status::FromCode(JET_errDiskIO,
                            "short read of " + file->path() + " at offset " +
                                std::to_string(offset) + ": " + std::to_string(got) +
                                " of " + std::to_string(n) + " bytes");
  }
  return Status::OK();
}

std::string DirName(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  if (slash == std::string::npos) return "";
  if (slash == 0) return path.substr(0, 1);
  return path.substr(0, slash);
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  const char last = dir.back();
  if (last == '/' || last == '\\') return dir + name;
  return dir + "/" + name;
}

}  // namespace jetsvc
