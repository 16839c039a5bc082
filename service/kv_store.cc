// KvStore: see kv_store.h.

#include "service/kv_store.h"

#include <cstring>
#include <utility>

namespace jetsvc {
namespace service {

using platform::ErrorKind;
using platform::KeyValue;
using platform::Result;

namespace {

constexpr char kTableName[] = "kv";
constexpr char kKeyColumn[] = "key";
constexpr char kValueColumn[] = "value";
// Room for a 255-byte key plus the key encoding's marker and terminator.
constexpr unsigned long kKeyMost = 1000;

// Rolls back the transaction of a call that did not commit.
class Transaction {
 public:
  explicit Transaction(JET_SESID sesid) : sesid_(sesid) {}
  ~Transaction() {
    if (open_) (void)JetRollback(sesid_, 0);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  JET_ERR Begin() {
    const JET_ERR err = JetBeginTransaction(sesid_);
    open_ = err >= 0;
    return err;
  }
  JET_ERR Commit(JET_GRBIT grbit) {
    const JET_ERR err = JetCommitTransaction(sesid_, grbit);
    if (err >= 0) open_ = false;
    return err;
  }

 private:
  const JET_SESID sesid_;
  bool open_ = false;
};

}  // namespace

struct KvStore::Slot {
  JET_SESID sesid = JET_sesidNil;
  JET_DBID dbid = 0;
  JET_TABLEID tableid = JET_tableidNil;
  JET_COLUMNID key_column = 0;
  JET_COLUMNID value_column = 0;

  // Positions the cursor on `key`; JET_errRecordNotFound if absent.
  JET_ERR SeekEqual(const std::string& key) {
    JET_ERR err = JetMakeKey(sesid, tableid, key.data(), static_cast<unsigned long>(key.size()),
                             JET_bitNewKey);
    if (err < 0) return err;
    return JetSeek(sesid, tableid, JET_bitSeekEQ);
  }

  JET_ERR RetrieveBytes(JET_COLUMNID column, std::vector<uint8_t>* out) {
    out->resize(256);
    unsigned long actual = 0;
    JET_ERR err = JetRetrieveColumn(sesid, tableid, column, out->data(),
                                    static_cast<unsigned long>(out->size()), &actual, 0, nullptr);
    if (err == JET_wrnBufferTruncated) {
      out->resize(actual);
      err = JetRetrieveColumn(sesid, tableid, column, out->data(),
                              static_cast<unsigned long>(out->size()), &actual, 0, nullptr);
    }
    if (err == JET_wrnColumnNull) {
      out->clear();
      return JET_errSuccess;
    }
    if (err < 0) return err;
    out->resize(actual);
    return JET_errSuccess;
  }

  // Inserts or replaces key -> value inside the caller's transaction.
  JET_ERR Upsert(const std::string& key, const std::vector<uint8_t>& value) {
    JET_ERR err = SeekEqual(key);
    const bool exists = err >= 0;
    if (err < 0 && err != JET_errRecordNotFound) return err;
    err = JetPrepareUpdate(sesid, tableid, exists ? JET_prepReplace : JET_prepInsert);
    if (err < 0) return err;
    if (!exists) {
      err = JetSetColumn(sesid, tableid, key_column, key.data(),
                         static_cast<unsigned long>(key.size()), 0, nullptr);
    }
    if (err >= 0) {
      err = JetSetColumn(sesid, tableid, value_column, value.data(),
                         static_cast<unsigned long>(value.size()),
                         value.empty() ? JET_bitSetZeroLength : 0, nullptr);
    }
    if (err >= 0) err = JetUpdate(sesid, tableid, nullptr, 0, nullptr);
    if (err < 0) (void)JetPrepareUpdate(sesid, tableid, JET_prepCancel);
    return err;
  }
};

Result ResultFromJet(long err, const std::string& what) {
  const std::string message = what + " failed: JET_ERR " + std::to_string(err);
  switch (err) {
    case JET_errClientRequestToStopJetService:
      return Result::Error(ErrorKind::kStopping,
                           what + ": the service is stopping (JetStopService is in effect)", err);
    case JET_errWriteConflict:
      return Result::Error(ErrorKind::kWriteConflict,
                           what + ": another transaction changed the same record; retry", err);
    case JET_errRecordNotFound:
      return Result::Error(ErrorKind::kNotFound, what + ": no such key", err);
    case JET_errDiskFull:
    case JET_errLogDiskFull:
      return Result::Error(ErrorKind::kDiskFull, message + " (disk full)", err);
    case JET_errInstanceUnavailable:
    case JET_errInstanceUnavailableDueToFatalLogDiskFull:
      return Result::Error(ErrorKind::kFailed,
                           message + " (the engine failed earlier and takes no more writes)", err);
    case JET_errTermInProgress:
    case JET_errNotInitialized:
      return Result::Error(ErrorKind::kNotReady, what + ": the engine is terminating", err);
    default:
      return Result::Error(ErrorKind::kEngine, message, err);
  }
}

KvStore::KvStore(JET_INSTANCE instance, std::string path, platform::StoreLimits limits,
                 uint32_t max_slots)
    : instance_(instance), path_(std::move(path)), limits_(limits),
      max_slots_(max_slots == 0 ? 1 : max_slots) {}

KvStore::~KvStore() { Close(); }

// Creates table "kv" in the open database `dbid` and makes it durable.
static JET_ERR CreateKvTable(JET_SESID sesid, JET_DBID dbid) {
  JET_COLUMNCREATE columns[2];
  std::memset(columns, 0, sizeof(columns));
  columns[0].cbStruct = sizeof(JET_COLUMNCREATE);
  columns[0].szColumnName = const_cast<char*>(kKeyColumn);
  columns[0].coltyp = JET_coltypBinary;
  columns[0].cbMax = 255;
  columns[0].grbit = JET_bitColumnNotNULL;
  columns[1].cbStruct = sizeof(JET_COLUMNCREATE);
  columns[1].szColumnName = const_cast<char*>(kValueColumn);
  columns[1].coltyp = JET_coltypLongBinary;
  static const char kIndexKey[] = "+key\0";
  JET_INDEXCREATE index;
  std::memset(&index, 0, sizeof(index));
  index.cbStruct = sizeof(index);
  index.szIndexName = const_cast<char*>("primary");
  index.szKey = const_cast<char*>(kIndexKey);
  index.cbKey = sizeof(kIndexKey);
  index.grbit = JET_bitIndexPrimary | JET_bitIndexUnique | JET_bitIndexKeyMost |
                JET_bitIndexDisallowTruncation;
  index.cbKeyMost = kKeyMost;
  JET_TABLECREATE table;
  std::memset(&table, 0, sizeof(table));
  table.cbStruct = sizeof(table);
  table.szTableName = const_cast<char*>(kTableName);
  table.rgcolumncreate = columns;
  table.cColumns = 2;
  table.rgindexcreate = &index;
  table.cIndexes = 1;
  JET_ERR err = JetCreateTableColumnIndex(sesid, dbid, &table);
  if (err >= 0) err = JetCloseTable(sesid, table.tableid);
  // The table was created outside a transaction, so committed lazily (as
  // ESE does): make it durable before the first Put is acknowledged, or a
  // crash could keep acknowledged records and lose the table holding them.
  if (err >= 0) err = JetCommitTransaction(sesid, JET_bitWaitLastLevel0Commit);
  return err;
}

Result KvStore::Open(JET_INSTANCE instance, const std::string& path,
                     const platform::StoreLimits& limits, uint32_t max_slots,
                     std::unique_ptr<KvStore>* store, bool* created) {
  *created = false;
  JET_SESID sesid = JET_sesidNil;
  JET_ERR err = JetBeginSession(instance, &sesid, nullptr, nullptr);
  if (err < 0) return ResultFromJet(err, "JetBeginSession");
  JET_DBID dbid = 0;
  std::string step = "attaching " + path;
  err = JetAttachDatabase(sesid, path.c_str(), 0);
  if (err == JET_errFileNotFound) {
    step = "creating " + path;
    err = JetCreateDatabase(sesid, path.c_str(), nullptr, &dbid, 0);
    *created = err >= 0;
  } else if (err >= 0) {  // JET_wrnDatabaseAttached: recovery kept it attached
    step = "opening " + path;
    err = JetOpenDatabase(sesid, path.c_str(), nullptr, &dbid, 0);
  }
  if (err >= 0) {
    JET_TABLEID tableid = JET_tableidNil;
    err = JetOpenTable(sesid, dbid, kTableName, nullptr, 0, 0, &tableid);
    if (err == JET_errObjectNotFound) {
      // A new database, or one whose table creation a crash cut short.
      step = "creating table kv in " + path;
      err = CreateKvTable(sesid, dbid);
    } else if (err >= 0) {
      err = JetCloseTable(sesid, tableid);
    }
    if (err >= 0) err = JetCloseDatabase(sesid, dbid, 0);
  }
  (void)JetEndSession(sesid, 0);
  if (err < 0) return ResultFromJet(err, step);

  std::unique_ptr<KvStore> opened(new KvStore(instance, path, limits, max_slots));
  // Open one slot now, so a missing table shows at start, not at the
  // first call.
  Slot* slot = nullptr;
  Result result = opened->Acquire(&slot);
  if (!result.ok()) return result;
  opened->Release(slot);
  *store = std::move(opened);
  return Result::Ok();
}

Result KvStore::OpenSlot(std::unique_ptr<Slot>* result) {
  auto slot = std::make_unique<Slot>();
  JET_ERR err = JetBeginSession(instance_, &slot->sesid, nullptr, nullptr);
  if (err < 0) return ResultFromJet(err, "JetBeginSession");
  err = JetOpenDatabase(slot->sesid, path_.c_str(), nullptr, &slot->dbid, 0);
  if (err >= 0) err = JetOpenTable(slot->sesid, slot->dbid, kTableName, nullptr, 0, 0, &slot->tableid);
  JET_COLUMNDEF def;
  for (auto [name, column] : {std::pair<const char*, JET_COLUMNID*>{kKeyColumn, &slot->key_column},
                              {kValueColumn, &slot->value_column}}) {
    if (err < 0) break;
    std::memset(&def, 0, sizeof(def));
    err = JetGetTableColumnInfo(slot->sesid, slot->tableid, name, &def, sizeof(def), JET_ColInfo);
    *column = def.columnid;
  }
  if (err < 0) {
    (void)JetEndSession(slot->sesid, 0);
    return ResultFromJet(err, "opening table kv in " + path_);
  }
  *result = std::move(slot);
  return Result::Ok();
}

Result KvStore::Acquire(Slot** slot) {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (closed_) return Result::Error(ErrorKind::kNotReady, "the store is closed: the service is stopping");
    if (!free_.empty()) {
      *slot = free_.back();
      free_.pop_back();
      ++in_use_;
      return Result::Ok();
    }
    if (slots_.size() < max_slots_) break;
    cv_.wait(lock);
  }
  // Open a new slot outside the lock; reserve its place first.
  slots_.push_back(nullptr);
  ++in_use_;
  lock.unlock();
  std::unique_ptr<Slot> opened;
  Result result = OpenSlot(&opened);
  lock.lock();
  auto reserved = std::find(slots_.begin(), slots_.end(), nullptr);
  if (!result.ok()) {
    slots_.erase(reserved);
    --in_use_;
    cv_.notify_all();
    return result;
  }
  *slot = opened.get();
  *reserved = std::move(opened);
  return Result::Ok();
}

void KvStore::Release(Slot* slot) {
  std::lock_guard<std::mutex> lock(mu_);
  free_.push_back(slot);
  --in_use_;
  cv_.notify_all();
}

void KvStore::Close() {
  std::unique_lock<std::mutex> lock(mu_);
  closed_ = true;
  cv_.wait(lock, [this] { return in_use_ == 0; });
  for (auto& slot : slots_) {
    if (slot == nullptr) continue;
    (void)JetRollback(slot->sesid, JET_bitRollbackAll);
    (void)JetCloseTable(slot->sesid, slot->tableid);
    (void)JetCloseDatabase(slot->sesid, slot->dbid, 0);
    (void)JetEndSession(slot->sesid, 0);
  }
  slots_.clear();
  free_.clear();
}

Result KvStore::CheckKey(const std::string& key) const {
  if (key.empty()) return Result::Error(ErrorKind::kInvalidArgument, "the key is empty");
  if (key.size() > limits_.max_key_bytes) {
    return Result::Error(ErrorKind::kTooLarge, "the key has " + std::to_string(key.size()) +
                                                   " bytes; the limit is " +
                                                   std::to_string(limits_.max_key_bytes));
  }
  return Result::Ok();
}

namespace {

// Checks a slot out for the length of one call.
class SlotLease {
 public:
  SlotLease(KvStore* store, KvStore::Slot* slot, void (KvStore::*release)(KvStore::Slot*))
      : store_(store), slot_(slot), release_(release) {}
  ~SlotLease() { (store_->*release_)(slot_); }
  SlotLease(const SlotLease&) = delete;
  SlotLease& operator=(const SlotLease&) = delete;

 private:
  KvStore* store_;
  KvStore::Slot* slot_;
  void (KvStore::*release_)(KvStore::Slot*);
};

}  // namespace

#define JETSVC_KV_CALL(what)                                \
  Slot* slot = nullptr;                                      \
  {                                                          \
    Result acquired = Acquire(&slot);                        \
    if (!acquired.ok()) return acquired;                     \
  }                                                          \
  SlotLease lease(this, slot, &KvStore::Release);            \
  Transaction transaction(slot->sesid);                      \
  if (JET_ERR begin = transaction.Begin(); begin < 0) {      \
    return ResultFromJet(begin, what);                       \
  }

Result KvStore::Put(const std::string& key, const std::vector<uint8_t>& value) {
  Result checked = CheckKey(key);
  if (!checked.ok()) return checked;
  if (value.size() > limits_.max_value_bytes) {
    return Result::Error(ErrorKind::kTooLarge, "the value has " + std::to_string(value.size()) +
                                                   " bytes; the limit is " +
                                                   std::to_string(limits_.max_value_bytes));
  }
  JETSVC_KV_CALL("Put");
  JET_ERR err = slot->Upsert(key, value);
  if (err >= 0) err = transaction.Commit(0);
  return err < 0 ? ResultFromJet(err, "Put") : Result::Ok();
}

Result KvStore::Get(const std::string& key, std::vector<uint8_t>* value) {
  Result checked = CheckKey(key);
  if (!checked.ok()) return checked;
  JETSVC_KV_CALL("Get");
  JET_ERR err = slot->SeekEqual(key);
  if (err >= 0) err = slot->RetrieveBytes(slot->value_column, value);
  if (err >= 0) err = transaction.Commit(JET_bitCommitLazyFlush);  // read-only
  return err < 0 ? ResultFromJet(err, "Get") : Result::Ok();
}

Result KvStore::Delete(const std::string& key, bool* existed) {
  Result checked = CheckKey(key);
  if (!checked.ok()) return checked;
  *existed = false;
  JETSVC_KV_CALL("Delete");
  JET_ERR err = slot->SeekEqual(key);
  if (err == JET_errRecordNotFound) {
    err = transaction.Commit(JET_bitCommitLazyFlush);
    return err < 0 ? ResultFromJet(err, "Delete") : Result::Ok();
  }
  if (err >= 0) err = JetDelete(slot->sesid, slot->tableid);
  if (err >= 0) err = transaction.Commit(0);
  if (err < 0) return ResultFromJet(err, "Delete");
  *existed = true;
  return Result::Ok();
}

Result KvStore::Scan(const std::string& start, uint32_t limit, std::vector<KeyValue>* out) {
  out->clear();
  if (limit == 0 || limit > limits_.max_scan_items) {
    return Result::Error(limit == 0 ? ErrorKind::kInvalidArgument : ErrorKind::kTooLarge,
                         "the scan limit must be 1.." + std::to_string(limits_.max_scan_items) +
                             ", not " + std::to_string(limit));
  }
  if (start.size() > limits_.max_key_bytes) return CheckKey(start);
  JETSVC_KV_CALL("Scan");
  JET_ERR err;
  if (start.empty()) {
    err = JetMove(slot->sesid, slot->tableid, JET_MoveFirst, 0);
  } else {
    err = JetMakeKey(slot->sesid, slot->tableid, start.data(),
                     static_cast<unsigned long>(start.size()), JET_bitNewKey);
    if (err >= 0) err = JetSeek(slot->sesid, slot->tableid, JET_bitSeekGE);
    if (err == JET_wrnSeekNotEqual) err = JET_errSuccess;
  }
  std::vector<uint8_t> key;
  while (err >= 0 && out->size() < limit) {
    KeyValue item;
    err = slot->RetrieveBytes(slot->key_column, &key);
    if (err >= 0) err = slot->RetrieveBytes(slot->value_column, &item.second);
    if (err < 0) break;
    item.first.assign(key.begin(), key.end());
    out->push_back(std::move(item));
    err = JetMove(slot->sesid, slot->tableid, JET_MoveNext, 0);
  }
  if (err == JET_errNoCurrentRecord || err == JET_errRecordNotFound) err = JET_errSuccess;
  if (err >= 0) err = transaction.Commit(JET_bitCommitLazyFlush);
  if (err < 0) {
    out->clear();
    return ResultFromJet(err, "Scan");
  }
  return Result::Ok();
}

Result KvStore::PutBatch(const std::vector<KeyValue>& items, bool durable, uint32_t* count) {
  *count = 0;
  if (items.size() > limits_.max_batch_items) {
    return Result::Error(ErrorKind::kTooLarge, "the batch has " + std::to_string(items.size()) +
                                                   " items; the limit is " +
                                                   std::to_string(limits_.max_batch_items));
  }
  for (const auto& [key, value] : items) {
    Result checked = CheckKey(key);
    if (!checked.ok()) return checked;
    if (value.size() > limits_.max_value_bytes) {
      return Result::Error(ErrorKind::kTooLarge,
                           "the value of key '" + key + "' has " + std::to_string(value.size()) +
                               " bytes; the limit is " + std::to_string(limits_.max_value_bytes));
    }
  }
  JETSVC_KV_CALL("PutBatch");
  JET_ERR err = JET_errSuccess;
  for (const auto& [key, value] : items) {
    err = slot->Upsert(key, value);
    if (err < 0) break;
  }
  if (err >= 0) err = transaction.Commit(durable ? 0 : JET_bitCommitLazyFlush);
  if (err < 0) return ResultFromJet(err, "PutBatch");
  *count = static_cast<uint32_t>(items.size());
  return Result::Ok();
}

Result KvStore::Defragment(JET_GRBIT grbit, unsigned long* passes, unsigned long* seconds,
                           bool* warned) {
  Slot* slot = nullptr;
  Result acquired = Acquire(&slot);
  if (!acquired.ok()) return acquired;
  SlotLease lease(this, slot, &KvStore::Release);
  unsigned long pass_count = 0, second_count = 0;
  const JET_ERR err = JetDefragment(slot->sesid, slot->dbid, nullptr, &pass_count, &second_count, grbit);
  if (err < 0) return ResultFromJet(err, "JetDefragment");
  *warned = err == JET_wrnDefragAlreadyRunning || err == JET_wrnDefragNotRunning;
  *passes = pass_count;
  *seconds = second_count;
  return Result::Ok();
}

}  // namespace service
}  // namespace jetsvc
