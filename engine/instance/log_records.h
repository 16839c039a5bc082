// Instance-level log records: attach, detach, term, init, recovery-quit.
// (MTR records are in btree/mtr.h, commit records in version/committer.h.)
//
// Layouts (varints and length-prefixed strings from util/coding.h):
//   attach:  type u8 | db_id | path | signature.random u64 |
//            signature.created u64 | created u8 (1 = JetCreateDatabase) |
//            [created only] max_pages varint (cpgDatabaseSizeMax; absent in
//            records written before it was added: read as 0)
//   detach:  type u8 | db_id
//   term, init, recovery-quit: type u8 | wall-clock micros u64
//
// Thread contract: pure functions.

#ifndef JETSVC_ENGINE_INSTANCE_LOG_RECORDS_H_
#define JETSVC_ENGINE_INSTANCE_LOG_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/instance/database.h"
#include "engine/util/status.h"

namespace jetsvc {

struct AttachRecord {
  uint32_t db_id = 0;
  std::string path;
  DatabaseSignature signature;
  bool created = false;
  // For a created database: its size limit, so recovery can format the
  // file the same way if the formatting record never reached the log.
  uint32_t max_pages = 0;
};

std::string EncodeAttachRecord(const AttachRecord& record);
Status DecodeAttachRecord(std::string_view bytes, AttachRecord* record);
std::string EncodeDetachRecord(uint32_t db_id);
Status DecodeDetachRecord(std::string_view bytes, uint32_t* db_id);
// Term, init and recovery-quit share one shape.
std::string EncodeMarkRecord(uint8_t type, uint64_t wall_micros);

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_INSTANCE_LOG_RECORDS_H_
