// FaultInjectionEnv: an Env wrapper for crash, power-loss and I/O-error
// tests.
//
// It remembers, per file path, what each write since that file's last
// Sync overwrote, so DropUnsyncedData() can put every file back to what a
// power cut would have left: the content as of its last successful Sync.
// It can also fail writes (as a full disk or an I/O error), fail reads of
// chosen files, and "cut the power": after CutPower() every write and sync
// fails without reaching the disk, so an abandoned engine cannot change
// the files the test is about to recover.
//
// Model, stated so tests know what is simulated: a completed Sync makes a
// file's content and size durable, including its directory entry; renames
// and removals are durable at once; a file created and never synced is
// removed by DropUnsyncedData().
//
// Thread contract: thread-safe.

#ifndef JETSVC_PLATFORM_TESTING_FAULT_ENV_H_
#define JETSVC_PLATFORM_TESTING_FAULT_ENV_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/util/mutex.h"
#include <chrono>

#include "platform/env.h"

namespace jetsvc {

class FaultInjectionEnv : public EnvWrapper {
 public:
  explicit FaultInjectionEnv(Env* target);
  ~FaultInjectionEnv() override;

  Status OpenFile(const std::string& path, OpenMode mode, bool read_only,
                  std::unique_ptr<File>* result) override;
  Status RemoveFile(const std::string& path) override;
  Status RenameFile(const std::string& from, const std::string& to) override;

  // Writes whose path contains `path_substring` ("" = all) fail with
  // `error` (e.g. JET_errDiskFull) once `after_bytes` more bytes have been
  // written to such files. Disable with ClearWriteFailure().
  void FailWrites(const std::string& path_substring, int32_t error, uint64_t after_bytes = 0);
  void ClearWriteFailure();
  // Each write to a file whose path contains `path_substring` first
  // sleeps `per_write` (a slow disk). Zero clears.
  void DelayWrites(const std::string& path_substring, std::chrono::microseconds per_write);
  // Reads of files whose path contains `path_substring` fail with
  // JET_errDiskIO. "" clears.
  void FailReads(const std::string& path_substring);

  // From now on writes and syncs fail with JET_errDiskIO and reach nothing.
  void CutPower();
  bool power_cut() const { return power_cut_.load(); }
  // Restores every file to its last synced state (see the model above) and
  // turns the power back on. REQUIRES: no File from this Env is in use.
  Status DropUnsyncedData();

  uint64_t bytes_written() const { return bytes_written_.load(); }
  uint64_t syncs() const { return syncs_.load(); }

 private:
  class FaultFile;
  struct Undo {
    uint64_t offset;
    std::string old_bytes;  // what the write overwrote (within old size)
  };
  // One file, followed across renames (an open handle keeps writing to
  // the same file whatever its name: durability belongs to the file).
  struct FileState {
    std::string path;  // current name; "" once removed
    bool synced_ever = false;
    uint64_t synced_size = 0;
    std::vector<Undo> undo;  // writes since the last sync, oldest first
  };

  // Called by FaultFile.
  Status BeforeWrite(FileState* state, File* base, uint64_t offset, size_t n);
  Status BeforeSetSize(FileState* state, File* base, uint64_t size);
  void AfterSync(FileState* state, File* base);
  Status CheckRead(const std::string& path);
  void SleepBeforeWrite(const std::string& path);
  Status CheckWriteAllowed(const std::string& path, size_t n);

  Mutex mu_;
  std::map<std::string, std::shared_ptr<FileState>> files_ GUARDED_BY(mu_);
  std::string fail_write_path_ GUARDED_BY(mu_);
  int32_t fail_write_error_ GUARDED_BY(mu_) = 0;
  uint64_t fail_write_budget_ GUARDED_BY(mu_) = 0;
  bool fail_writes_ GUARDED_BY(mu_) = false;
  std::string delay_write_path_ GUARDED_BY(mu_);
  std::chrono::microseconds write_delay_ GUARDED_BY(mu_){0};
  std::string fail_read_path_ GUARDED_BY(mu_);
  bool fail_reads_ GUARDED_BY(mu_) = false;
  std::atomic<bool> power_cut_{false};
  std::atomic<uint64_t> bytes_written_{0};
  std::atomic<uint64_t> syncs_{0};
};

}  // namespace jetsvc

#endif  // JETSVC_PLATFORM_TESTING_FAULT_ENV_H_
