// Internal to log/: the constants and codecs of the byte format described
// in log/FORMAT.md, and the directory scan shared by the writer and the
// reader. Nothing outside engine/log/ includes this file.
//
// Rules of the format (FORMAT.md says the same in prose):
//  1. A log file is exactly options.file_size bytes. Block 0 (kBlockSize
//     bytes) holds the file header; records live in [kDataStart, file_size).
//  2. Blocks are kBlockSize bytes measured from offset 0 (the last block of
//     a file may be shorter). A fragment never crosses a block end; a
//     fragment is written only where at least kMinFragmentSpace bytes of
//     the block remain, the rest of the block (the trailer) is zero.
//  3. A fragment's checksum covers its generation and file offset, so a
//     fragment copied to another place or left over from another file never
//     verifies.
//  4. Bytes at or after the end of the written log in the current file are
//     zero, or are a torn tail: nothing in them verifies as a fragment.
//
// Thread contract: pure functions, except ScanLogDirectory and
// ReadFileHeader, which are as thread-safe as the Env and File they use.

#ifndef JETSVC_ENGINE_LOG_LOG_FORMAT_H_
#define JETSVC_ENGINE_LOG_LOG_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "engine/log/log.h"
#include "engine/util/status.h"
#include "platform/env.h"

namespace jetsvc::log_format {

constexpr uint32_t kBlockSize = 4096;
constexpr uint32_t kDataStart = kBlockSize;  // block 0 is the file header
constexpr size_t kFileHeaderSize = 64;      // used bytes of block 0
constexpr uint32_t kFormatVersion = 1;
constexpr char kFileMagic[8] = {'J', 'S', 'V', 'C', '-', 'L', 'O', 'G'};

// Fragment header: masked crc32c (4), payload length (2), type (1).
constexpr uint32_t kFragmentHeaderSize = 7;
// A fragment carries at least one payload byte.
constexpr uint32_t kMinFragmentSpace = kFragmentHeaderSize + 1;

constexpr uint64_t kMinFileSize = 4 * kBlockSize;  // header + 3 data blocks
constexpr uint64_t kMaxFileSize = uint64_t{1} << 30;
constexpr size_t kMaxRecordSize = size_t{64} << 20;

enum FragmentType : uint8_t {
  kZeroType = 0,  // never written (preallocated or cleared space)
  kFullType = 1,  // a whole record
  kFirstType = 2,
  kMiddleType = 3,
  kLastType = 4,
};

struct FileHeader {
  uint32_t format_version = kFormatVersion;
  uint32_t generation = 0;
  uint64_t file_size = 0;
  LogSignature signature;
  uint64_t created_micros = 0;  // when this generation's file was made
};

// Writes the kFileHeaderSize header bytes (checksum included) to dst.
void EncodeFileHeader(const FileHeader& header, char* dst);
// Decodes and verifies a header read from `path`; JET_errLogFileCorrupt
// (naming the path) if the bytes are short, damaged or of another format.
Status DecodeFileHeader(std::string_view bytes, const std::string& path,
                        FileHeader* header);
// Reads and decodes the header of an open log file.
Status ReadFileHeader(File* file, FileHeader* header);

// The masked checksum stored in a fragment header (invariant 3).
uint32_t FragmentChecksum(uint32_t generation, uint32_t offset, uint8_t type,
                          std::string_view payload);
// Appends one fragment (header + payload) that will sit at `offset` of
// generation `generation` to dst.
void AppendFragment(uint32_t generation, uint32_t offset, FragmentType type,
                    std::string_view payload, std::string* dst);

// What lies at one position of a block.
enum class FragmentState {
  kValid,  // a fragment whose checksum verifies
  kZero,   // seven zero bytes: nothing was written here
  kBad,    // anything else (damage or a torn write)
};
// Parses the fragment at file offset `offset`, given the bytes of its block
// (`block` starts at file offset `block_start`). REQUIRES: offset lies in
// the block with at least kMinFragmentSpace bytes left in it.
FragmentState ParseFragment(std::string_view block, uint32_t block_start,
                            uint32_t generation, uint32_t offset,
                            FragmentType* type, std::string_view* payload);

// End of the block holding `offset` (exclusive), clipped to the file.
inline uint32_t BlockEnd(uint64_t file_size, uint32_t offset) {
  const uint64_t end = (static_cast<uint64_t>(offset) / kBlockSize + 1) * kBlockSize;
  return static_cast<uint32_t>(end < file_size ? end : file_size);
}
inline uint32_t BlockStart(uint32_t offset) { return offset / kBlockSize * kBlockSize; }
// True if no fragment can start at `offset` (a block trailer or file end).
inline bool InTrailer(uint64_t file_size, uint32_t offset) {
  return BlockEnd(file_size, offset) - offset < kMinFragmentSpace;
}
// Record space of one file (LogBytesBetween counts in these bytes).
inline uint64_t DataCapacity(uint64_t file_size) { return file_size - kDataStart; }

// The LSN of a position, normalized: the end of a file is the first data
// byte of the next generation.
inline Lsn NormalizedLsn(uint64_t file_size, uint32_t generation, uint32_t offset) {
  if (offset >= file_size) return MakeLsn(generation + 1, kDataStart);
  return MakeLsn(generation, offset);
}

// Checks file size, base name and buffer size; JET_errInvalidParameter.
Status ValidateOptions(const LogOptions& options);
// `<base>tmp.log`: where the next generation is prepared before it is
// renamed to `<base>.log`. Never read as part of the log.
std::string TempLogPath(const LogOptions& options);
// Parses `<base>XXXXXXXX.log` (upper-case hex, generation > 0).
bool ParseArchivedName(const std::string& base_name, const std::string& name,
                       uint32_t* generation);

// The log files present in a directory.
struct LogDirectory {
  std::map<uint32_t, std::string> archived;  // generation -> path
  bool has_current = false;
  std::string current_path;
  uint64_t current_size = 0;
  // Result of reading the current file's header; `current_header` is
  // meaningful only if it is OK.
  Status current_header_status;
  FileHeader current_header;

  // Highest generation present (archived or current); 0 if none.
  uint32_t HighestGeneration() const;
  uint32_t LowestGeneration() const;
  bool empty() const { return archived.empty() && !has_current; }
};
Status ScanLogDirectory(Env* env, const LogOptions& options, LogDirectory* dir);

}  // namespace jetsvc::log_format

#endif  // JETSVC_ENGINE_LOG_LOG_FORMAT_H_
