// KvStore: the key-value table behind org.jetsvc.Jetsvc1.Store, written
// against the public JET API only (esent.h), as any ESE application.
//
// One database file holds one table "kv": a Binary key column (the
// primary, unique index, cbKeyMost 1000 with truncation disallowed, so
// keys of up to 255 bytes compare in full) and a LongBinary value column.
// Key order is byte order. Every call is one transaction: durable commits
// unless a batch asks for lazy ones.
//
// Sessions: a pool of (session, database, table cursor) slots, opened on
// demand up to `max_slots`; each call checks one out and returns it, so
// calls from different threads run concurrently. Close() waits for calls
// in flight, rolls back and ends every session, so JetTerm finds no
// session open.
//
// Thread contract: thread-safe. Close() may be called once; calls after it
// get kNotReady.

#ifndef JETSVC_SERVICE_KV_STORE_H_
#define JETSVC_SERVICE_KV_STORE_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "esent.h"
#include "platform/controller.h"

namespace jetsvc {
namespace service {

// The Result of a failed JET call: kind from the error (-1329 kStopping,
// -1102 kWriteConflict, disk full, instance unavailable -> kFailed, ...),
// message "<what> failed: JET_ERR <n>".
platform::Result ResultFromJet(long err, const std::string& what);

class KvStore {
 public:
  struct Slot;

  ~KvStore();
  KvStore(const KvStore&) = delete;
  KvStore& operator=(const KvStore&) = delete;

  // Attaches the database at `path` (creating it and the table when the
  // file does not exist; *created says so) on an initialized instance.
  static platform::Result Open(JET_INSTANCE instance, const std::string& path,
                               const platform::StoreLimits& limits, uint32_t max_slots,
                               std::unique_ptr<KvStore>* store, bool* created);

  const platform::StoreLimits& limits() const { return limits_; }

  platform::Result Put(const std::string& key, const std::vector<uint8_t>& value);
  platform::Result Get(const std::string& key, std::vector<uint8_t>* value);
  platform::Result Delete(const std::string& key, bool* existed);
  platform::Result Scan(const std::string& start, uint32_t limit,
                        std::vector<platform::KeyValue>* out);
  platform::Result PutBatch(const std::vector<platform::KeyValue>& items, bool durable,
                            uint32_t* count);

  // Runs `defrag` on one pooled session: JetDefragment on the store's
  // database (grbit: JET_bitDefragmentBatchStart / Stop).
  platform::Result Defragment(JET_GRBIT grbit, unsigned long* passes, unsigned long* seconds,
                              bool* warned);

  // Waits for calls in flight, rolls back and ends every session.
  void Close();

 private:
  KvStore(JET_INSTANCE instance, std::string path, platform::StoreLimits limits,
          uint32_t max_slots);

  platform::Result CheckKey(const std::string& key) const;
  // Checks a slot out (opening one when the pool has room, else waiting).
  platform::Result Acquire(Slot** slot);
  void Release(Slot* slot);
  platform::Result OpenSlot(std::unique_ptr<Slot>* slot);

  const JET_INSTANCE instance_;
  const std::string path_;
  const platform::StoreLimits limits_;
  const uint32_t max_slots_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Slot>> slots_;  // every slot, owned
  std::vector<Slot*> free_;                   // slots not checked out
  uint32_t in_use_ = 0;
  bool closed_ = false;
};

}  // namespace service
}  // namespace jetsvc

#endif  // JETSVC_SERVICE_KV_STORE_H_
