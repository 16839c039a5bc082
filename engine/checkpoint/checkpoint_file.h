// The checkpoint file `<base>.chk` in JET_paramSystemPath.
//
// It records where redo must start after a crash (the checkpoint LSN), the
// signature of the log stream it belongs to, and the databases that were
// attached at that point (so recovery knows which files the log touches
// before any attach record). The file holds two copies in alternate
// 4 KiB slots, each with a sequence number and a checksum, so a torn write
// of one copy leaves the other readable.
//
// Thread contract: functions are thread-safe for distinct paths; callers
// serialize writes to one path.

#ifndef JETSVC_ENGINE_CHECKPOINT_CHECKPOINT_FILE_H_
#define JETSVC_ENGINE_CHECKPOINT_CHECKPOINT_FILE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "engine/log/log.h"
#include "engine/util/status.h"
#include "platform/env.h"

namespace jetsvc {

struct CheckpointDatabase {
  uint32_t db_id = 0;       // the instance's database slot
  std::string path;         // as attached
  uint64_t db_signature_random = 0;  // the database's own signature
  uint64_t db_signature_created = 0;
  // The database's dbtime when the checkpoint was taken: no page on disk
  // whose change precedes the checkpoint has a larger one, so recovery
  // continues the counter from at least here (page.h invariant 6).
  uint64_t dbtime = 0;
  bool operator==(const CheckpointDatabase& o) const {
    return db_id == o.db_id && path == o.path &&
           db_signature_random == o.db_signature_random &&
           db_signature_created == o.db_signature_created && dbtime == o.dbtime;
  }
};

struct CheckpointData {
  uint64_t sequence = 0;   // increases with each write (set by Write)
  Lsn checkpoint = 0;      // redo starts at the record starting here
  LogSignature log_signature;
  uint64_t log_file_size = 0;  // bytes, for a size-mismatch check
  bool clean_shutdown = false;  // the checkpoint sits on a Term record
  std::vector<CheckpointDatabase> databases;
};

// Writes `data` to the slot after the last one written (data->sequence is
// advanced) and syncs. At most 4096 - 64 bytes of encoded data (about 30
// databases with typical paths); more gives JET_errInvalidParameter.
Status WriteCheckpointFile(Env* env, const std::string& path, CheckpointData* data);
// Reads the newer valid copy. Errors: JET_errCheckpointFileNotFound if the
// file is absent, JET_errCheckpointCorrupt if neither copy is valid.
Status ReadCheckpointFile(Env* env, const std::string& path, CheckpointData* data);

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_CHECKPOINT_CHECKPOINT_FILE_H_
