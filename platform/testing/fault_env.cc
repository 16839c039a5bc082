#include "platform/testing/fault_env.h"

#include <algorithm>

#include "esent.h"

namespace jetsvc {

class FaultInjectionEnv::FaultFile final : public File {
 public:
  FaultFile(FaultInjectionEnv* env, std::unique_ptr<File> base)
      : env_(env), base_(std::move(base)) {}

  Status Read(uint64_t offset, size_t n, char* scratch, size_t* bytes_read) override {
    JET_RETURN_IF_ERROR(env_->CheckRead(base_->path()));
    return base_->Read(offset, n, scratch, bytes_read);
  }
  Status Write(uint64_t offset, std::string_view data) override {
    JET_RETURN_IF_ERROR(env_->BeforeWrite(base_.get(), offset, data.size()));
    return base_->Write(offset, data);
  }
  Status Sync() override {
    if (env_->power_cut()) return Status::FromCode(JET_errDiskIO, "power is cut");
    JET_RETURN_IF_ERROR(base_->Sync());
    env_->AfterSync(base_.get());
    return Status::OK();
  }
  Status GetSize(uint64_t* size) override { return base_->GetSize(size); }
  Status SetSize(uint64_t size) override {
    JET_RETURN_IF_ERROR(env_->BeforeSetSize(base_.get(), size));
    return base_->SetSize(size);
  }
  const std::string& path() const override { return base_->path(); }

 private:
  FaultInjectionEnv* const env_;
  std::unique_ptr<File> base_;
};

FaultInjectionEnv::FaultInjectionEnv(Env* target) : EnvWrapper(target) {}
FaultInjectionEnv::~FaultInjectionEnv() = default;

Status FaultInjectionEnv::OpenFile(const std::string& path, OpenMode mode,
                                   bool read_only, std::unique_ptr<File>* result) {
  const bool existed = target()->FileExists(path);
  if (!read_only && power_cut()) return Status::FromCode(JET_errDiskIO, "power is cut");
  // Truncating is a write like any other: remember what it throws away.
  std::string truncated;
  if (existed && mode == OpenMode::kCreateOrTruncate) {
    std::unique_ptr<File> old;
    JET_RETURN_IF_ERROR(target()->OpenFile(path, OpenMode::kOpenExisting, true, &old));
    uint64_t size = 0;
    JET_RETURN_IF_ERROR(old->GetSize(&size));
    truncated.resize(size);
    JET_RETURN_IF_ERROR(ReadFully(old.get(), 0, truncated.size(), truncated.data()));
  }
  std::unique_ptr<File> base;
  JET_RETURN_IF_ERROR(target()->OpenFile(path, mode, read_only, &base));
  {
    MutexLock lock(&mu_);
    auto it = files_.find(path);
    if (it == files_.end()) {
      // A file that predates this Env counts as synced as it was.
      FileState state;
      state.synced_ever = existed;
      state.synced_size = truncated.size();
      if (existed && mode != OpenMode::kCreateOrTruncate) {
        Status s = base->GetSize(&state.synced_size);
        s.PermitUnchecked();
      }
      it = files_.emplace(path, std::move(state)).first;
    }
    if (!truncated.empty()) it->second.undo.push_back(Undo{0, std::move(truncated)});
  }
  *result = std::make_unique<FaultFile>(this, std::move(base));
  return Status::OK();
}

Status FaultInjectionEnv::RemoveFile(const std::string& path) {
  if (power_cut()) return Status::FromCode(JET_errDiskIO, "power is cut");
  JET_RETURN_IF_ERROR(target()->RemoveFile(path));
  MutexLock lock(&mu_);
  files_.erase(path);
  return Status::OK();
}

Status FaultInjectionEnv::RenameFile(const std::string& from, const std::string& to) {
  if (power_cut()) return Status::FromCode(JET_errDiskIO, "power is cut");
  JET_RETURN_IF_ERROR(target()->RenameFile(from, to));
  MutexLock lock(&mu_);
  auto it = files_.find(from);
  files_.erase(to);
  if (it != files_.end()) {
    FileState state = std::move(it->second);
    files_.erase(it);
    files_[to] = std::move(state);
  }
  return Status::OK();
}

void FaultInjectionEnv::FailWrites(const std::string& path_substring, int32_t error,
                                   uint64_t after_bytes) {
  MutexLock lock(&mu_);
  fail_writes_ = true;
  fail_write_path_ = path_substring;
  fail_write_error_ = error;
  fail_write_budget_ = after_bytes;
}

void FaultInjectionEnv::ClearWriteFailure() {
  MutexLock lock(&mu_);
  fail_writes_ = false;
}

void FaultInjectionEnv::FailReads(const std::string& path_substring) {
  MutexLock lock(&mu_);
  fail_reads_ = !path_substring.empty();
  fail_read_path_ = path_substring;
}

void FaultInjectionEnv::CutPower() { power_cut_.store(true); }

Status FaultInjectionEnv::CheckRead(const std::string& path) {
  MutexLock lock(&mu_);
  if (fail_reads_ && path.find(fail_read_path_) != std::string::npos) {
    return Status::FromCode(JET_errDiskIO, "injected read error on " + path);
  }
  return Status::OK();
}

Status FaultInjectionEnv::CheckWriteAllowed(const std::string& path, size_t n) {
  mu_.AssertHeld();
  if (power_cut()) return Status::FromCode(JET_errDiskIO, "power is cut");
  if (fail_writes_ && path.find(fail_write_path_) != std::string::npos) {
    if (fail_write_budget_ < n) {
      return Status::FromCode(fail_write_error_, "injected write failure on " + path);
    }
    fail_write_budget_ -= n;
  }
  return Status::OK();
}

Status FaultInjectionEnv::BeforeWrite(File* base, uint64_t offset, size_t n) {
  MutexLock lock(&mu_);
  JET_RETURN_IF_ERROR(CheckWriteAllowed(base->path(), n));
  FileState& state = files_[base->path()];
  uint64_t size = 0;
  JET_RETURN_IF_ERROR(base->GetSize(&size));
  Undo undo;
  undo.offset = offset;
  if (offset < size) {
    const size_t keep = static_cast<size_t>(std::min<uint64_t>(n, size - offset));
    undo.old_bytes.resize(keep);
    JET_RETURN_IF_ERROR(ReadFully(base, offset, keep, undo.old_bytes.data()));
  }
  state.undo.push_back(std::move(undo));
  bytes_written_ += n;
  return Status::OK();
}

Status FaultInjectionEnv::BeforeSetSize(File* base, uint64_t size) {
  MutexLock lock(&mu_);
  JET_RETURN_IF_ERROR(CheckWriteAllowed(base->path(), 0));
  FileState& state = files_[base->path()];
  uint64_t current = 0;
  JET_RETURN_IF_ERROR(base->GetSize(&current));
  if (size < current) {
    Undo undo;
    undo.offset = size;
    undo.old_bytes.resize(current - size);
    JET_RETURN_IF_ERROR(ReadFully(base, size, undo.old_bytes.size(), undo.old_bytes.data()));
    state.undo.push_back(std::move(undo));
  }
  return Status::OK();
}

void FaultInjectionEnv::AfterSync(File* base) {
  MutexLock lock(&mu_);
  FileState& state = files_[base->path()];
  state.undo.clear();
  state.synced_ever = true;
  Status s = base->GetSize(&state.synced_size);
  s.PermitUnchecked();
  ++syncs_;
}

Status FaultInjectionEnv::DropUnsyncedData() {
  MutexLock lock(&mu_);
  for (auto it = files_.begin(); it != files_.end();) {
    const std::string& path = it->first;
    FileState& state = it->second;
    if (!state.synced_ever) {
      if (target()->FileExists(path)) JET_RETURN_IF_ERROR(target()->RemoveFile(path));
      it = files_.erase(it);
      continue;
    }
    if (!state.undo.empty()) {
      std::unique_ptr<File> file;
      JET_RETURN_IF_ERROR(target()->OpenFile(path, OpenMode::kOpenExisting, false, &file));
      // Undo newest first, so each range gets back its oldest unsynced
      // content, then cut what grew after the sync.
      for (auto undo = state.undo.rbegin(); undo != state.undo.rend(); ++undo) {
        if (!undo->old_bytes.empty()) {
          JET_RETURN_IF_ERROR(file->Write(undo->offset, undo->old_bytes));
        }
      }
      JET_RETURN_IF_ERROR(file->SetSize(state.synced_size));
      JET_RETURN_IF_ERROR(file->Sync());
      state.undo.clear();
    }
    ++it;
  }
  power_cut_.store(false);
  return Status::OK();
}

}  // namespace jetsvc
