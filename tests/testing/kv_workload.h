// KvWorkload: a table with a primary key and two secondary indexes, driven
// by random operations and checked against an in-memory model. Used by the
// differential, crash and power-loss tests.
//
// Table "kv": k Long (primary index), n Long (index "by_n", not unique),
// s Text (index "by_s", descending, IgnoreNull), v LongBinary (sometimes
// large enough to be stored out of line).
//
// Thread contract: one thread per object.

#ifndef JETSVC_TESTS_TESTING_KV_WORKLOAD_H_
#define JETSVC_TESTS_TESTING_KV_WORKLOAD_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/instance/instance.h"
#include "engine/instance/session.h"
#include "engine/table/table_cursor.h"
#include "engine/util/status.h"
#include "platform/env.h"

namespace jetsvc::testing {

struct KvRow {
  int32_t n = 0;
  std::optional<std::string> s;  // NULL allowed
  std::string v;
  bool operator==(const KvRow& o) const { return n == o.n && s == o.s && v == o.v; }
};

using KvModel = std::map<int32_t, KvRow>;

// One write of a generated transaction: a put, or (row empty) a delete.
struct KvOp {
  int32_t k = 0;
  std::optional<KvRow> row;
};

// A random transaction of 1..max_ops writes. Depends only on `rng`, so a
// process can replay another one's workload on a model.
std::vector<KvOp> RandomTransaction(std::mt19937_64* rng, int32_t key_space, int max_ops);
void ApplyToModel(const std::vector<KvOp>& ops, KvModel* model);

// Instance parameters for tests: paths in `dir`, small log files.
ParamValues TestParams(const std::string& dir, uint64_t log_file_kb = 256);

class KvWorkload {
 public:
  KvWorkload(Session* session, uint32_t db_id)
      : session_(session), db_id_(db_id) {}

  // Creates the table (once per database).
  Status CreateTable();
  Status OpenTable();
  void CloseTable() { cursor_.reset(); }
  TableCursor* cursor() { return cursor_.get(); }

  // One random insert, replace or delete of a key in [0, key_space),
  // applied to the table; `model` is changed only if the table call
  // succeeded.
  Status RandomWrite(std::mt19937_64* rng, int32_t key_space, KvModel* model);
  Status Put(int32_t k, const KvRow& row, bool* existed);
  // Applies the writes (inside whatever transaction the session is in).
  Status Apply(const std::vector<KvOp>& ops);
  Status Remove(int32_t k, bool* existed);

  // Reads the whole table (primary order) into `model`.
  Status ReadAll(KvModel* model);
  // Checks that both secondary indexes hold exactly the entries the
  // records imply, in index order. Returns a Corruption status describing
  // the first difference.
  Status CheckIndexes();

  static KvRow RandomRow(std::mt19937_64* rng);

 private:
  Status SeekKey(int32_t k, bool* found);
  Status ReadRow(KvRow* row, int32_t* k);

  Session* const session_;
  const uint32_t db_id_;
  std::unique_ptr<TableCursor> cursor_;
  uint32_t col_k_ = 0, col_n_ = 0, col_s_ = 0, col_v_ = 0;
};

// Describes the first difference between two models ("" if equal).
std::string DiffModels(const KvModel& expected, const KvModel& actual);

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_TESTING_KV_WORKLOAD_H_
