#include "tests/testing/kv_workload.h"

#include <algorithm>
#include <set>
#include <vector>

#include "engine/table/ddl.h"
#include "engine/util/coding.h"
#include "esent.h"

namespace jetsvc::testing {

namespace {

std::string Int32Bytes(int32_t v) {
  std::string s(4, '\0');
  EncodeFixed32(s.data(), static_cast<uint32_t>(v));
  return s;
}

}  // namespace

ParamValues TestParams(const std::string& dir, uint64_t log_file_kb) {
  ParamValues params = ParamValues::Defaults();
  const ParamState state = ParamState::kInstanceNotInitialized;
  params.Set(JET_paramSystemPath, 0, dir.c_str(), state).PermitUnchecked();
  params.Set(JET_paramLogFilePath, 0, dir.c_str(), state).PermitUnchecked();
  params.Set(JET_paramLogFileSize, log_file_kb, nullptr, state).PermitUnchecked();
  params.Set(JET_paramCacheSizeMax, 4096, nullptr, state).PermitUnchecked();
  params.Set(JET_paramMaxVerPages, 8192, nullptr, state).PermitUnchecked();
  return params;
}

KvRow KvWorkload::RandomRow(std::mt19937_64* rng) {
  KvRow row;
  row.n = static_cast<int32_t>((*rng)() % 64) - 32;
  if ((*rng)() % 5 != 0) row.s = "s" + std::to_string((*rng)() % 100);
  const size_t size = ((*rng)() % 20 == 0) ? 3000 + (*rng)() % 5000 : (*rng)() % 120;
  row.v.resize(size);
  for (char& c : row.v) c = static_cast<char>((*rng)() & 0xff);
  return row;
}

Status KvWorkload::CreateTable() {
  TableSpec spec;
  spec.name = "kv";
  spec.columns = {
      {"k", JET_coltypLong, 0, JET_bitColumnNotNULL, 0, std::nullopt},
      {"n", JET_coltypLong, 0, 0, 0, std::nullopt},
      {"s", JET_coltypText, 32, 0, 1252, std::nullopt},
      {"v", JET_coltypLongBinary, 0, 0, 0, std::nullopt},
  };
  spec.indexes = {
      {"primary", std::string("+k\0\0", 4), JET_bitIndexPrimary, 0, 0},
      {"by_n", std::string("+n\0\0", 4), 0, 0, 0},
      {"by_s", std::string("-s\0\0", 4), JET_bitIndexIgnoreNull, 0, 0},
  };
  TableCreateResult result;
  JET_RETURN_IF_ERROR(jetsvc::CreateTable(session_, db_id_, spec, &result, &cursor_));
  col_k_ = result.columnids[0];
  col_n_ = result.columnids[1];
  col_s_ = result.columnids[2];
  col_v_ = result.columnids[3];
  return Status::OK();
}

Status KvWorkload::OpenTable() {
  JET_RETURN_IF_ERROR(TableCursor::Open(session_, db_id_, "kv", 0, &cursor_));
  col_k_ = cursor_->def().FindColumnByName("k")->columnid;
  col_n_ = cursor_->def().FindColumnByName("n")->columnid;
  col_s_ = cursor_->def().FindColumnByName("s")->columnid;
  col_v_ = cursor_->def().FindColumnByName("v")->columnid;
  return Status::OK();
}

Status KvWorkload::SeekKey(int32_t k, bool* found) {
  *found = false;
  if (cursor_->CurrentIndexName() != "primary") {
    JET_RETURN_IF_ERROR(cursor_->SetCurrentIndex("primary", 0));
  }
  JET_RETURN_IF_ERROR(cursor_->MakeKey(Int32Bytes(k), JET_bitNewKey));
  Status status = cursor_->Seek(JET_bitSeekEQ);
  if (status.IsCode(JET_errRecordNotFound)) return Status::OK();
  JET_RETURN_IF_ERROR(status);
  *found = true;
  return Status::OK();
}

Status KvWorkload::Put(int32_t k, const KvRow& row, bool* existed) {
  JET_RETURN_IF_ERROR(SeekKey(k, existed));
  JET_RETURN_IF_ERROR(cursor_->PrepareUpdate(*existed ? JET_prepReplace : JET_prepInsert));
  Status status;
  const std::string k_bytes = Int32Bytes(k);
  const std::string n_bytes = Int32Bytes(row.n);
  if (!*existed) status = cursor_->SetColumn(col_k_, k_bytes.data(), 4, 0, 0, 0);
  if (status.ok()) status = cursor_->SetColumn(col_n_, n_bytes.data(), 4, 0, 0, 0);
  if (status.ok()) {
    status = row.s ? cursor_->SetColumn(col_s_, row.s->data(), row.s->size(), 0, 1, 0)
                   : cursor_->SetColumn(col_s_, nullptr, 0, 0, 1, 0);
  }
  if (status.ok()) {
    status = cursor_->SetColumn(col_v_, row.v.data(), row.v.size(), JET_bitSetZeroLength, 1, 0);
  }
  if (status.ok()) status = cursor_->Update(nullptr);
  if (status.IsError() && cursor_->update_prepared()) {
    cursor_->PrepareUpdate(JET_prepCancel).PermitUnchecked();
  }
  return status;
}

Status KvWorkload::Remove(int32_t k, bool* existed) {
  JET_RETURN_IF_ERROR(SeekKey(k, existed));
  if (!*existed) return Status::OK();
  return cursor_->Delete();
}

Status KvWorkload::RandomWrite(std::mt19937_64* rng, int32_t key_space, KvModel* model) {
  const int32_t k = static_cast<int32_t>((*rng)() % static_cast<uint64_t>(key_space));
  bool existed = false;
  if ((*rng)() % 4 == 0) {
    JET_RETURN_IF_ERROR(Remove(k, &existed));
    model->erase(k);
    return Status::OK();
  }
  const KvRow row = RandomRow(rng);
  JET_RETURN_IF_ERROR(Put(k, row, &existed));
  (*model)[k] = row;
  return Status::OK();
}

Status KvWorkload::ReadRow(KvRow* row, int32_t* k) {
  std::string buffer(16384, '\0');
  RetrieveResult result;
  JET_RETURN_IF_ERROR(cursor_->RetrieveColumn(col_k_, buffer.data(), buffer.size(), 0, 1, 0, &result));
  if (result.actual != 4) return Status::Corruption("k is not 4 bytes");
  *k = static_cast<int32_t>(DecodeFixed32(buffer.data()));
  JET_RETURN_IF_ERROR(cursor_->RetrieveColumn(col_n_, buffer.data(), buffer.size(), 0, 1, 0, &result));
  if (result.actual != 4) return Status::Corruption("n is not 4 bytes");
  row->n = static_cast<int32_t>(DecodeFixed32(buffer.data()));
  JET_RETURN_IF_ERROR(cursor_->RetrieveColumn(col_s_, buffer.data(), buffer.size(), 0, 1, 0, &result));
  if (result.warning == JET_wrnColumnNull) {
    row->s.reset();
  } else {
    row->s = buffer.substr(0, result.actual);
  }
  JET_RETURN_IF_ERROR(cursor_->RetrieveColumn(col_v_, buffer.data(), buffer.size(), 0, 1, 0, &result));
  row->v = result.warning == JET_wrnColumnNull ? std::string() : buffer.substr(0, result.actual);
  return Status::OK();
}

Status KvWorkload::ReadAll(KvModel* model) {
  model->clear();
  JET_RETURN_IF_ERROR(cursor_->SetCurrentIndex("primary", 0));
  Status status = cursor_->Move(TableCursor::kMoveFirst, 0);
  int32_t previous = INT32_MIN;
  bool first = true;
  while (status.ok()) {
    KvRow row;
    int32_t k = 0;
    JET_RETURN_IF_ERROR(ReadRow(&row, &k));
    if (!first && k <= previous) return Status::Corruption("primary index out of order");
    first = false;
    previous = k;
    (*model)[k] = row;
    status = cursor_->Move(1, 0);
  }
  if (!status.IsCode(JET_errNoCurrentRecord)) return status;
  return Status::OK();
}

Status KvWorkload::CheckIndexes() {
  KvModel model;
  JET_RETURN_IF_ERROR(ReadAll(&model));
  // by_n: ascending n, then k (the bookmark order).
  std::vector<std::pair<int32_t, int32_t>> expected_n;
  for (const auto& [k, row] : model) expected_n.emplace_back(row.n, k);
  std::sort(expected_n.begin(), expected_n.end(), [](const auto& a, const auto& b) {
    // n is a signed key: order as signed; k bookmark order is signed too.
    return a.first != b.first ? a.first < b.first : a.second < b.second;
  });
  JET_RETURN_IF_ERROR(cursor_->SetCurrentIndex("by_n", 0));
  size_t i = 0;
  Status status = cursor_->Move(TableCursor::kMoveFirst, 0);
  while (status.ok()) {
    KvRow row;
    int32_t k = 0;
    JET_RETURN_IF_ERROR(ReadRow(&row, &k));
    if (i >= expected_n.size() || expected_n[i] != std::make_pair(row.n, k)) {
      return Status::Corruption("index by_n differs from the table at entry " + std::to_string(i));
    }
    ++i;
    status = cursor_->Move(1, 0);
  }
  if (!status.IsCode(JET_errNoCurrentRecord)) return status;
  if (i != expected_n.size()) return Status::Corruption("index by_n misses entries");
  // by_s: descending s, NULLs left out; ties by ascending k.
  std::vector<std::pair<std::string, int32_t>> expected_s;
  for (const auto& [k, row] : model) {
    if (row.s) expected_s.emplace_back(*row.s, k);
  }
  std::sort(expected_s.begin(), expected_s.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  JET_RETURN_IF_ERROR(cursor_->SetCurrentIndex("by_s", 0));
  i = 0;
  status = cursor_->Move(TableCursor::kMoveFirst, 0);
  while (status.ok()) {
    KvRow row;
    int32_t k = 0;
    JET_RETURN_IF_ERROR(ReadRow(&row, &k));
    if (i >= expected_s.size() || !row.s || expected_s[i] != std::make_pair(*row.s, k)) {
      return Status::Corruption("index by_s differs from the table at entry " + std::to_string(i));
    }
    ++i;
    status = cursor_->Move(1, 0);
  }
  if (!status.IsCode(JET_errNoCurrentRecord)) return status;
  if (i != expected_s.size()) return Status::Corruption("index by_s misses entries");
  return cursor_->SetCurrentIndex("primary", 0);
}

std::vector<KvOp> RandomTransaction(std::mt19937_64* rng, int32_t key_space, int max_ops) {
  std::vector<KvOp> ops(1 + (*rng)() % static_cast<uint64_t>(max_ops));
  for (KvOp& op : ops) {
    op.k = static_cast<int32_t>((*rng)() % static_cast<uint64_t>(key_space));
    if ((*rng)() % 4 != 0) op.row = KvWorkload::RandomRow(rng);
  }
  return ops;
}

void ApplyToModel(const std::vector<KvOp>& ops, KvModel* model) {
  for (const KvOp& op : ops) {
    if (op.row) {
      (*model)[op.k] = *op.row;
    } else {
      model->erase(op.k);
    }
  }
}

Status KvWorkload::Apply(const std::vector<KvOp>& ops) {
  for (const KvOp& op : ops) {
    bool existed = false;
    if (op.row) {
      JET_RETURN_IF_ERROR(Put(op.k, *op.row, &existed));
    } else {
      JET_RETURN_IF_ERROR(Remove(op.k, &existed));
    }
  }
  return Status::OK();
}

std::string DiffModels(const KvModel& expected, const KvModel& actual) {
  for (const auto& [k, row] : expected) {
    auto it = actual.find(k);
    if (it == actual.end()) return "key " + std::to_string(k) + " is missing";
    if (!(it->second == row)) {
      const KvRow& a = it->second;
      return "key " + std::to_string(k) + " has a different row: n " + std::to_string(row.n) +
             "/" + std::to_string(a.n) + ", s " + (row.s ? *row.s : "<null>") + "/" +
             (a.s ? *a.s : "<null>") + ", v size " + std::to_string(row.v.size()) + "/" +
             std::to_string(a.v.size()) + (row.v == a.v ? " (same v)" : " (v differs)");
    }
  }
  for (const auto& [k, row] : actual) {
    if (expected.count(k) == 0) return "key " + std::to_string(k) + " should not exist";
  }
  return "";
}

}  // namespace jetsvc::testing
