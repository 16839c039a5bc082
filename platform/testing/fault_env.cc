#include "platform/testing/fault_env.h"

#include <algorithm>
#include <thread>

#include "esent.h"

namespace jetsvc {

class FaultInjectionEnv::FaultFile final : public File {
 public:
  FaultFile(FaultInjectionEnv* env, std::shared_ptr<FileState> state, std::unique_ptr<File> base)
      : env_(env), state_(std::move(state)), base_(std::move(base)) {}

  Status Read(uint64_t offset, size_t n, char* scratch, size_t* bytes_read) override {
    JET_RETURN_IF_ERROR(env_->CheckRead(base_->path()));
    return base_->Read(offset, n, scratch, bytes_read);
  }
  Status Write(uint64_t offset, std::string_view data) override {
    env_->SleepBeforeWrite(base_->path());
    JET_RETURN_IF_ERROR(env_->BeforeWrite(state_.get(), base_.get(), offset, data.size()));
    return base_->Write(offset, data);
  }
  Status Sync() override {
    if (env_->power_cut()) return Status::FromCode(JET_errDiskIO, "power is cut");
    JET_RETURN_IF_ERROR(base_->Sync());
    env_->AfterSync(state_.get(), base_.get());
    return Status::OK();
  }
  Status GetSize(uint64_t* size) override { return base_->GetSize(size); }
  Status SetSize(uint64_t size) override {
    JET_RETURN_IF_ERROR(env_->BeforeSetSize(state_.get(), base_.get(), size));
    return base_->SetSize(size);
  }
  const std::string& path() const override { return base_->path(); }

 private:
  FaultInjectionEnv* const env_;
  std::shared_ptr<FileState> state_;
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
  std::shared_ptr<FileState> state;
  {
    MutexLock lock(&mu_);
    auto it = files_.find(path);
    if (it == files_.end()) {
      // A file that predates this Env counts as synced as it was.
      state = std::make_shared<FileState>();
      state->path = path;
      state->synced_ever = existed;
      state->synced_size = truncated.size();
      if (existed && mode != OpenMode::kCreateOrTruncate) {
        Status s = base->GetSize(&state->synced_size);
        s.PermitUnchecked();
      }
      files_.emplace(path, state);
    } else {
      state = it->second;
    }
    if (!truncated.empty()) state->undo.push_back(Undo{0, std::move(truncated)});
  }
  *result = std::make_unique<FaultFile>(this, std::move(state), std::move(base));
  return Status::OK();
}

Status FaultInjectionEnv::RemoveFile(const std::string& path) {
  if (power_cut()) return Status::FromCode(JET_errDiskIO, "power is cut");
  JET_RETURN_IF_ERROR(target()->RemoveFile(path));
  MutexLock lock(&mu_);
  auto it = files_.find(path);
  if (it != files_.end()) {
    it->second->path.clear();
    files_.erase(it);
  }
  return Status::OK();
}

Status FaultInjectionEnv::RenameFile(const std::string& from, const std::string& to) {
  if (power_cut()) return Status::FromCode(JET_errDiskIO, "power is cut");
  JET_RETURN_IF_ERROR(target()->RenameFile(from, to));
  MutexLock lock(&mu_);
  auto replaced = files_.find(to);
  if (replaced != files_.end()) {
    replaced->second->path.clear();
    files_.erase(replaced);
  }
  auto it = files_.find(from);
  if (it != files_.end()) {
    std::shared_ptr<FileState> state = it->second;
    files_.erase(it);
    state->path = to;
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

void FaultInjectionEnv::DelayWrites(const std::string& path_substring,
                                    std::chrono::microseconds per_write) {
  MutexLock lock(&mu_);
  delay_write_path_ = path_substring;
  write_delay_ = per_write;
}

void FaultInjectionEnv::SleepBeforeWrite(const std::string& path) {
  std::chrono::microseconds delay{0};
  {
    MutexLock lock(&mu_);
    if (path.find(delay_write_path_) != std::string::npos) delay = write_delay_;
  }
  if (delay.count() > 0) std::this_thread::sleep_for(delay);
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

Status FaultInjectionEnv::BeforeWrite(FileState* state, File* base, uint64_t offset, size_t n) {
  MutexLock lock(&mu_);
  JET_RETURN_IF_ERROR(CheckWriteAllowed(base->path(), n));
  uint64_t size = 0;
  JET_RETURN_IF_ERROR(base->GetSize(&size));
  Undo undo;
  undo.offset = offset;
  if (offset < size) {
    const size_t keep = static_cast<size_t>(std::min<uint64_t>(n, size - offset));
    undo.old_bytes.resize(keep);
    JET_RETURN_IF_ERROR(ReadFully(base, offset, keep, undo.old_bytes.data()));
  }
  state->undo.push_back(std::move(undo));
  bytes_written_ += n;
  return Status::OK();
}

Status FaultInjectionEnv::BeforeSetSize(FileState* state, File* base, uint64_t size) {
  MutexLock lock(&mu_);
  JET_RETURN_IF_ERROR(CheckWriteAllowed(base->path(), 0));
  uint64_t current = 0;
  JET_RETURN_IF_ERROR(base->GetSize(&current));
  if (size < current) {
    Undo undo;
    undo.offset = size;
    undo.old_bytes.resize(current - size);
    JET_RETURN_IF_ERROR(ReadFully(base, size, undo.old_bytes.size(), undo.old_bytes.data()));
    state->undo.push_back(std::move(undo));
  }
  return Status::OK();
}

void FaultInjectionEnv::AfterSync(FileState* state, File* base) {
  MutexLock lock(&mu_);
  state->undo.clear();
  state->synced_ever = true;
  Status s = base->GetSize(&state->synced_size);
  s.PermitUnchecked();
  ++syncs_;
}

Status FaultInjectionEnv::DropUnsyncedData() {
  MutexLock lock(&mu_);
  for (auto it = files_.begin(); it != files_.end();) {
    FileState& state = *it->second;
    const std::string& path = state.path;
    if (!state.synced_ever) {
      if (target()->FileExists(path)) JET_RETURN_IF_ERROR(target()->RemoveFile(path));
      state.path.clear();
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
