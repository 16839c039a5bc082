// The checkpoint file: two 4 KiB slots holding alternate copies of the
// CheckpointData (checkpoint_file.h).
//
// Slot layout (little-endian):
//
//   offset size  field
//   0      8     magic "JSVC-CHK"
//   8      4     format version (1)
//   12     4     payload length L (<= kMaxPayload)
//   16     8     sequence
//   24     36    reserved, zero
//   60     4     masked crc32c of bytes [0, 60) and of the payload
//   64     L     payload (below); the rest of the slot is zero
//
// Payload: checkpoint LSN (8), log signature random (8) and created (8),
// log file size (8), clean shutdown (1 byte, 0 or 1), database count (4),
// then per database: db_id (4), path (varint length + bytes), database
// signature random (8) and created (8), dbtime (8).
//
// Invariants:
//  1. The copy with sequence s lives in slot s % 2; a copy found in the
//     other slot is invalid.
//  2. A write never touches the slot holding the newest valid copy, so a
//     torn write leaves that copy readable.
//  3. Decoding trusts no length or count: each is checked against the
//     bytes left before anything is allocated.

#include "engine/checkpoint/checkpoint_file.h"

#include <algorithm>
#include <cstring>

#include "engine/util/coding.h"
#include "engine/util/crc32c.h"
#include "esent.h"

namespace jetsvc {

namespace {

constexpr size_t kSlotBytes = 4096;
constexpr size_t kSlotCount = 2;
constexpr size_t kFileSize = kSlotBytes * kSlotCount;
constexpr size_t kSlotHeaderSize = 64;
constexpr size_t kMaxPayload = kSlotBytes - kSlotHeaderSize;
constexpr uint32_t kFormatVersion = 1;
constexpr char kMagic[8] = {'J', 'S', 'V', 'C', '-', 'C', 'H', 'K'};

constexpr size_t kSlotOffVersion = 8;
constexpr size_t kSlotOffLength = 12;
constexpr size_t kSlotOffSequence = 16;
constexpr size_t kSlotOffChecksum = 60;

// Smallest encoding of one database entry (empty path).
constexpr size_t kMinDatabaseBytes = 4 + 1 + 8 + 8 + 8;

void EncodePayload(const CheckpointData& data, std::string* out) {
  PutFixed64(out, data.checkpoint);
  PutFixed64(out, data.log_signature.random);
  PutFixed64(out, data.log_signature.created_micros);
  PutFixed64(out, data.log_file_size);
  out->push_back(data.clean_shutdown ? 1 : 0);
  PutFixed32(out, static_cast<uint32_t>(data.databases.size()));
  for (const CheckpointDatabase& db : data.databases) {
    PutFixed32(out, db.db_id);
    PutLengthPrefixed(out, db.path);
    PutFixed64(out, db.db_signature_random);
    PutFixed64(out, db.db_signature_created);
    PutFixed64(out, db.dbtime);
  }
}

bool DecodePayload(std::string_view in, CheckpointData* data) {
  CheckpointData result;
  if (!GetFixed64(&in, &result.checkpoint) ||
      !GetFixed64(&in, &result.log_signature.random) ||
      !GetFixed64(&in, &result.log_signature.created_micros) ||
      !GetFixed64(&in, &result.log_file_size) || in.empty()) {
    return false;
  }
  const uint8_t clean = static_cast<uint8_t>(in[0]);
  in.remove_prefix(1);
  if (clean > 1) return false;
  result.clean_shutdown = clean == 1;
  uint32_t count = 0;
  if (!GetFixed32(&in, &count) || count > in.size() / kMinDatabaseBytes) return false;
  result.databases.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    CheckpointDatabase db;
    std::string_view path;
    if (!GetFixed32(&in, &db.db_id) || !GetLengthPrefixed(&in, &path) ||
        !GetFixed64(&in, &db.db_signature_random) ||
        !GetFixed64(&in, &db.db_signature_created) || !GetFixed64(&in, &db.dbtime)) {
      return false;
    }
    db.path.assign(path.data(), path.size());
    result.databases.push_back(std::move(db));
  }
  if (!in.empty()) return false;  // trailing bytes: not what we wrote
  *data = std::move(result);
  return true;
}

uint32_t SlotChecksum(const char* slot, std::string_view payload) {
  const uint32_t crc = crc32c::Extend(crc32c::Value(slot, kSlotOffChecksum), payload.data(),
                                      payload.size());
  return crc32c::Mask(crc);
}

// Decodes the copy in slot `index` (whatever bytes of it exist). False if
// it is absent, damaged or misplaced.
bool DecodeSlot(std::string_view slot, size_t index, CheckpointData* data) {
  if (slot.size() < kSlotHeaderSize) return false;
  const char* p = slot.data();
  if (std::memcmp(p, kMagic, sizeof(kMagic)) != 0) return false;
  if (DecodeFixed32(p + kSlotOffVersion) != kFormatVersion) return false;
  const uint32_t length = DecodeFixed32(p + kSlotOffLength);
  if (length > kMaxPayload || kSlotHeaderSize + length > slot.size()) return false;
  const std::string_view payload(p + kSlotHeaderSize, length);
  if (DecodeFixed32(p + kSlotOffChecksum) != SlotChecksum(p, payload)) return false;
  const uint64_t sequence = DecodeFixed64(p + kSlotOffSequence);
  if (sequence % kSlotCount != index) return false;  // invariant 1
  if (!DecodePayload(payload, data)) return false;
  data->sequence = sequence;
  return true;
}

// Reads both slots of an open file; *found is false if neither is valid.
Status ReadNewest(File* file, CheckpointData* newest, bool* found) {
  *found = false;
  std::string bytes(kFileSize, '\0');
  size_t got = 0;
  JET_RETURN_IF_ERROR(file->Read(0, bytes.size(), bytes.data(), &got));
  bytes.resize(got);
  for (size_t index = 0; index < kSlotCount; ++index) {
    const size_t begin = index * kSlotBytes;
    if (begin >= bytes.size()) break;
    const std::string_view slot =
        std::string_view(bytes).substr(begin, std::min(kSlotBytes, bytes.size() - begin));
    CheckpointData copy;
    if (DecodeSlot(slot, index, &copy) && (!*found || copy.sequence > newest->sequence)) {
      *newest = std::move(copy);
      *found = true;
    }
  }
  return Status::OK();
}

}  // namespace

Status WriteCheckpointFile(Env* env, const std::string& path, CheckpointData* data) {
  std::string payload;
  EncodePayload(*data, &payload);
  if (payload.size() > kMaxPayload) {
    return Status::InvalidParameter("checkpoint data of " + std::to_string(payload.size()) +
                                    " bytes exceeds the slot capacity of " +
                                    std::to_string(kMaxPayload) + " (too many databases?)");
  }
  const bool existed = env->FileExists(path);
  std::unique_ptr<File> file;
  JET_RETURN_IF_ERROR(env->OpenFile(path, OpenMode::kCreateOrOpen, false, &file));

  // Invariant 2: go above both the newest copy on disk and the caller's
  // sequence, into the slot that does not hold the newest copy.
  CheckpointData newest;
  bool found = false;
  if (existed) JET_RETURN_IF_ERROR(ReadNewest(file.get(), &newest, &found));
  uint64_t sequence = std::max(data->sequence, found ? newest.sequence : 0) + 1;
  if (found && sequence % kSlotCount == newest.sequence % kSlotCount) ++sequence;
  const size_t index = sequence % kSlotCount;

  std::string slot(kSlotBytes, '\0');
  std::memcpy(slot.data(), kMagic, sizeof(kMagic));
  EncodeFixed32(slot.data() + kSlotOffVersion, kFormatVersion);
  EncodeFixed32(slot.data() + kSlotOffLength, static_cast<uint32_t>(payload.size()));
  EncodeFixed64(slot.data() + kSlotOffSequence, sequence);
  std::memcpy(slot.data() + kSlotHeaderSize, payload.data(), payload.size());
  EncodeFixed32(slot.data() + kSlotOffChecksum, SlotChecksum(slot.data(), payload));

  JET_RETURN_IF_ERROR(file->Write(index * kSlotBytes, slot));
  uint64_t size = 0;
  JET_RETURN_IF_ERROR(file->GetSize(&size));
  if (size < kFileSize) JET_RETURN_IF_ERROR(file->SetSize(kFileSize));
  JET_RETURN_IF_ERROR(file->Sync());
  if (!existed) JET_RETURN_IF_ERROR(env->SyncDir(DirName(path)));
  data->sequence = sequence;
  return Status::OK();
}

Status ReadCheckpointFile(Env* env, const std::string& path, CheckpointData* data) {
  std::unique_ptr<File> file;
  Status s = env->FileExists(path)
                 ? env->OpenFile(path, OpenMode::kOpenExisting, true, &file)
                 : Status::FromCode(JET_errFileNotFound);
  if (s.IsCode(JET_errFileNotFound)) {
    return Status::FromCode(JET_errCheckpointFileNotFound,
                            "checkpoint file " + path + " does not exist");
  }
  JET_RETURN_IF_ERROR(s);
  bool found = false;
  JET_RETURN_IF_ERROR(ReadNewest(file.get(), data, &found));
  if (!found) {
    return Status::FromCode(JET_errCheckpointCorrupt,
                            "checkpoint file " + path + " holds no valid copy");
  }
  return Status::OK();
}

}  // namespace jetsvc
