#include "engine/instance/log_records.h"

#include "engine/btree/mtr.h"
#include "engine/util/coding.h"
#include "esent.h"

namespace jetsvc {

namespace {
Status Malformed(const char* what) {
  return Status::FromCode(JET_errLogCorrupted, std::string("malformed ") + what + " record");
}
}  // namespace

std::string EncodeAttachRecord(const AttachRecord& record) {
  std::string bytes(1, static_cast<char>(kLogAttach));
  PutVarint32(&bytes, record.db_id);
  PutLengthPrefixed(&bytes, record.path);
  PutFixed64(&bytes, record.signature.random);
  PutFixed64(&bytes, record.signature.created_micros);
  bytes.push_back(record.created ? 1 : 0);
  if (record.created) PutVarint32(&bytes, record.max_pages);
  return bytes;
}

Status DecodeAttachRecord(std::string_view bytes, AttachRecord* record) {
  if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kLogAttach) return Malformed("attach");
  bytes.remove_prefix(1);
  std::string_view path;
  if (!GetVarint32(&bytes, &record->db_id) || !GetLengthPrefixed(&bytes, &path) ||
      !GetFixed64(&bytes, &record->signature.random) ||
      !GetFixed64(&bytes, &record->signature.created_micros) || bytes.empty()) {
    return Malformed("attach");
  }
  record->path.assign(path);
  record->created = bytes[0] != 0;
  bytes.remove_prefix(1);
  record->max_pages = 0;
  if (record->created && !bytes.empty() && !GetVarint32(&bytes, &record->max_pages)) {
    return Malformed("attach");
  }
  if (!bytes.empty()) return Malformed("attach");
  return Status::OK();
}

std::string EncodeDetachRecord(uint32_t db_id) {
  std::string bytes(1, static_cast<char>(kLogDetach));
  PutVarint32(&bytes, db_id);
  return bytes;
}

Status DecodeDetachRecord(std::string_view bytes, uint32_t* db_id) {
  if (bytes.empty() || static_cast<uint8_t>(bytes[0]) != kLogDetach) return Malformed("detach");
  bytes.remove_prefix(1);
  if (!GetVarint32(&bytes, db_id) || !bytes.empty()) return Malformed("detach");
  return Status::OK();
}

std::string EncodeMarkRecord(uint8_t type, uint64_t wall_micros) {
  std::string bytes(1, static_cast<char>(type));
  PutFixed64(&bytes, wall_micros);
  return bytes;
}

}  // namespace jetsvc
