// InstanceLog: the instance's view of its log, as the MTR code and the cache
// need it.
//
// With JET_paramRecovery "on" it forwards to a LogWriter; with "off" there
// are no log files: LSNs come from a counter and everything is "durable"
// at once (a crash then leaves databases dirty, as in ESE).
//
// Thread contract: thread-safe. AppendRecord callers hold the apply mutex,
// which makes the begin LSN (the tip before the append) exact.

#ifndef JETSVC_ENGINE_INSTANCE_INSTANCE_LOG_H_
#define JETSVC_ENGINE_INSTANCE_INSTANCE_LOG_H_

#include <atomic>
#include <functional>
#include <memory>

#include "engine/btree/mtr.h"
#include "engine/cache/buffer_cache.h"
#include "engine/log/log.h"

namespace jetsvc {

class InstanceLog final : public MtrLog, public LogDurability {
 public:
  using DbtimeSource = std::function<uint64_t(uint32_t db)>;

  // `writer` null = logging off.
  InstanceLog(std::unique_ptr<LogWriter> writer, DbtimeSource dbtime)
      : writer_(std::move(writer)), dbtime_(std::move(dbtime)) {}

  Status AppendRecord(std::string_view record, uint64_t* begin_lsn,
                      uint64_t* end_lsn) override;
  uint64_t NextDbtime(uint32_t db) override { return dbtime_(db); }
  Status WaitDurable(uint64_t lsn) override;

  bool enabled() const { return writer_ != nullptr; }
  LogWriter* writer() { return writer_.get(); }
  Lsn tip() const;
  Lsn durable() const;
  // Flushes and closes the log files (after the term record).
  Status Close();

 private:
  std::unique_ptr<LogWriter> writer_;
  DbtimeSource dbtime_;
  std::atomic<uint64_t> counter_{1};  // LSNs when logging is off
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_INSTANCE_INSTANCE_LOG_H_
