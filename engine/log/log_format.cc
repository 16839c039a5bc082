// Codecs of the log byte format (log/FORMAT.md), the file naming rules and
// the free functions of log.h that only look at names and numbers.

#include "engine/log/log_format.h"

#include <algorithm>
#include <cstring>
#include <set>

#include "engine/util/coding.h"
#include "engine/util/crc32c.h"
#include "esent.h"

namespace jetsvc {

namespace log_format {

namespace {

// Header field offsets (FORMAT.md, "File header").
constexpr size_t kOffMagic = 0;
constexpr size_t kOffVersion = 8;
constexpr size_t kOffGeneration = 12;
constexpr size_t kOffFileSize = 16;
constexpr size_t kOffSignatureRandom = 24;
constexpr size_t kOffSignatureCreated = 32;
constexpr size_t kOffCreated = 40;
constexpr size_t kOffBlockSize = 48;
constexpr size_t kOffDataStart = 52;
constexpr size_t kOffReserved = 56;
constexpr size_t kOffChecksum = 60;
static_assert(kOffChecksum + 4 == kFileHeaderSize, "header layout");

Status HeaderCorrupt(const std::string& path, const std::string& what) {
  return Status::FromCode(JET_errLogFileCorrupt,
                          "log file " + path + " has a bad header: " + what);
}

}  // namespace

void EncodeFileHeader(const FileHeader& header, char* dst) {
  std::memset(dst, 0, kFileHeaderSize);
  std::memcpy(dst + kOffMagic, kFileMagic, sizeof(kFileMagic));
  EncodeFixed32(dst + kOffVersion, header.format_version);
  EncodeFixed32(dst + kOffGeneration, header.generation);
  EncodeFixed64(dst + kOffFileSize, header.file_size);
  EncodeFixed64(dst + kOffSignatureRandom, header.signature.random);
  EncodeFixed64(dst + kOffSignatureCreated, header.signature.created_micros);
  EncodeFixed64(dst + kOffCreated, header.created_micros);
  EncodeFixed32(dst + kOffBlockSize, kBlockSize);
  EncodeFixed32(dst + kOffDataStart, kDataStart);
  EncodeFixed32(dst + kOffReserved, 0);
  EncodeFixed32(dst + kOffChecksum, crc32c::Mask(crc32c::Value(dst, kOffChecksum)));
}

Status DecodeFileHeader(std::string_view bytes, const std::string& path,
                        FileHeader* header) {
  if (bytes.size() < kFileHeaderSize) return HeaderCorrupt(path, "file too short");
  const char* src = bytes.data();
  if (std::memcmp(src + kOffMagic, kFileMagic, sizeof(kFileMagic)) != 0) {
    return HeaderCorrupt(path, "not a jetsvc log file (bad magic)");
  }
  const uint32_t stored = DecodeFixed32(src + kOffChecksum);
  if (stored != crc32c::Mask(crc32c::Value(src, kOffChecksum))) {
    return HeaderCorrupt(path, "checksum mismatch");
  }
  FileHeader decoded;
  decoded.format_version = DecodeFixed32(src + kOffVersion);
  if (decoded.format_version != kFormatVersion) {
    return HeaderCorrupt(path, "unsupported format version " +
                                   std::to_string(decoded.format_version));
  }
  if (DecodeFixed32(src + kOffBlockSize) != kBlockSize ||
      DecodeFixed32(src + kOffDataStart) != kDataStart) {
    return HeaderCorrupt(path, "unsupported block layout");
  }
  decoded.generation = DecodeFixed32(src + kOffGeneration);
  decoded.file_size = DecodeFixed64(src + kOffFileSize);
  decoded.signature.random = DecodeFixed64(src + kOffSignatureRandom);
  decoded.signature.created_micros = DecodeFixed64(src + kOffSignatureCreated);
  decoded.created_micros = DecodeFixed64(src + kOffCreated);
  if (decoded.generation == 0) return HeaderCorrupt(path, "generation 0");
  if (decoded.file_size < kMinFileSize || decoded.file_size > kMaxFileSize) {
    return HeaderCorrupt(path, "file size " + std::to_string(decoded.file_size) +
                                   " out of range");
  }
  if (decoded.signature.empty()) return HeaderCorrupt(path, "empty log signature");
  *header = decoded;
  return Status::OK();
}

Status ReadFileHeader(File* file, FileHeader* header) {
  char buf[kFileHeaderSize];
  size_t got = 0;
  JET_RETURN_IF_ERROR(file->Read(0, sizeof(buf), buf, &got));
  return DecodeFileHeader(std::string_view(buf, got), file->path(), header);
}

uint32_t FragmentChecksum(uint32_t generation, uint32_t offset, uint8_t type,
                          std::string_view payload) {
  // Covered: generation, offset, length, type, payload (rule 3).
  char prefix[11];
  EncodeFixed32(prefix, generation);
  EncodeFixed32(prefix + 4, offset);
  EncodeFixed16(prefix + 8, static_cast<uint16_t>(payload.size()));
  prefix[10] = static_cast<char>(type);
  const uint32_t crc = crc32c::Extend(crc32c::Value(prefix, sizeof(prefix)),
                                      payload.data(), payload.size());
  return crc32c::Mask(crc);
}

void AppendFragment(uint32_t generation, uint32_t offset, FragmentType type,
                    std::string_view payload, std::string* dst) {
  char header[kFragmentHeaderSize];
  EncodeFixed32(header, FragmentChecksum(generation, offset, type, payload));
  EncodeFixed16(header + 4, static_cast<uint16_t>(payload.size()));
  header[6] = static_cast<char>(type);
  dst->append(header, sizeof(header));
  dst->append(payload.data(), payload.size());
}

FragmentState ParseFragment(std::string_view block, uint32_t block_start,
                            uint32_t generation, uint32_t offset,
                            FragmentType* type, std::string_view* payload) {
  const size_t rel = offset - block_start;
  if (rel + kFragmentHeaderSize > block.size()) return FragmentState::kBad;
  const char* p = block.data() + rel;
  const uint32_t stored = DecodeFixed32(p);
  const uint16_t length = DecodeFixed16(p + 4);
  const uint8_t raw_type = static_cast<uint8_t>(p[6]);
  if (stored == 0 && length == 0 && raw_type == kZeroType) return FragmentState::kZero;
  if (raw_type < kFullType || raw_type > kLastType || length == 0) {
    return FragmentState::kBad;
  }
  if (rel + kFragmentHeaderSize + length > block.size()) return FragmentState::kBad;
  const std::string_view data(p + kFragmentHeaderSize, length);
  if (stored != FragmentChecksum(generation, offset, raw_type, data)) {
    return FragmentState::kBad;
  }
  *type = static_cast<FragmentType>(raw_type);
  *payload = data;
  return FragmentState::kValid;
}

Status ValidateOptions(const LogOptions& options) {
  if (options.base_name.empty() ||
      options.base_name.find_first_of("/\\") != std::string::npos) {
    return Status::InvalidParameter("log base name \"" + options.base_name +
                                    "\" is empty or holds a path separator");
  }
  if (options.file_size < kMinFileSize || options.file_size > kMaxFileSize) {
    return Status::InvalidParameter(
        "log file size " + std::to_string(options.file_size) + " is outside [" +
        std::to_string(kMinFileSize) + ", " + std::to_string(kMaxFileSize) + "]");
  }
  return Status::OK();
}

std::string TempLogPath(const LogOptions& options) {
  return JoinPath(options.directory, options.base_name + "tmp.log");
}

bool ParseArchivedName(const std::string& base_name, const std::string& name,
                       uint32_t* generation) {
  static constexpr std::string_view kSuffix = ".log";
  if (name.size() != base_name.size() + 8 + kSuffix.size()) return false;
  if (name.compare(0, base_name.size(), base_name) != 0) return false;
  if (name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    return false;
  }
  uint32_t value = 0;
  for (size_t i = base_name.size(); i < base_name.size() + 8; ++i) {
    const char c = name[i];
    uint32_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    value = (value << 4) | digit;
  }
  if (value == 0) return false;
  *generation = value;
  return true;
}

uint32_t LogDirectory::HighestGeneration() const {
  uint32_t highest = archived.empty() ? 0 : archived.rbegin()->first;
  if (has_current && current_header_status.ok()) {
    highest = std::max(highest, current_header.generation);
  }
  return highest;
}

uint32_t LogDirectory::LowestGeneration() const {
  if (!archived.empty()) return archived.begin()->first;
  if (has_current && current_header_status.ok()) return current_header.generation;
  return 0;
}

Status ScanLogDirectory(Env* env, const LogOptions& options, LogDirectory* dir) {
  *dir = LogDirectory();
  std::vector<std::string> names;
  if (!env->DirExists(options.directory)) return Status::OK();
  JET_RETURN_IF_ERROR(env->GetChildren(options.directory, &names));
  const std::string current_name = options.base_name + ".log";
  for (const std::string& name : names) {
    uint32_t generation = 0;
    if (name == current_name) {
      dir->has_current = true;
    } else if (ParseArchivedName(options.base_name, name, &generation)) {
      dir->archived[generation] = JoinPath(options.directory, name);
    }
  }
  if (dir->has_current) {
    dir->current_path = CurrentLogPath(options);
    std::unique_ptr<File> file;
    Status s = env->OpenFile(dir->current_path, OpenMode::kOpenExisting, true, &file);
    if (s.ok()) s = file->GetSize(&dir->current_size);
    if (s.ok()) s = ReadFileHeader(file.get(), &dir->current_header);
    dir->current_header_status = s;
  }
  return Status::OK();
}

}  // namespace log_format

std::string ArchivedLogPath(const LogOptions& options, uint32_t generation) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string name = options.base_name;
  for (int shift = 28; shift >= 0; shift -= 4) name.push_back(kHex[(generation >> shift) & 0xf]);
  name += ".log";
  return JoinPath(options.directory, name);
}

std::string CurrentLogPath(const LogOptions& options) {
  return JoinPath(options.directory, options.base_name + ".log");
}

uint64_t LogBytesBetween(const LogOptions& options, Lsn from, Lsn to) {
  if (to <= from) return 0;
  const int64_t generations =
      static_cast<int64_t>(LsnGeneration(to)) - static_cast<int64_t>(LsnGeneration(from));
  const int64_t offsets =
      static_cast<int64_t>(LsnOffset(to)) - static_cast<int64_t>(LsnOffset(from));
  const int64_t bytes =
      generations * static_cast<int64_t>(log_format::DataCapacity(options.file_size)) +
      offsets;
  return bytes > 0 ? static_cast<uint64_t>(bytes) : 0;
}

Status ListLogGenerations(Env* env, const LogOptions& options,
                          std::vector<uint32_t>* generations) {
  generations->clear();
  log_format::LogDirectory dir;
  JET_RETURN_IF_ERROR(log_format::ScanLogDirectory(env, options, &dir));
  if (dir.has_current) JET_RETURN_IF_ERROR(dir.current_header_status);
  std::set<uint32_t> all;
  for (const auto& entry : dir.archived) all.insert(entry.first);
  if (dir.has_current) all.insert(dir.current_header.generation);
  generations->assign(all.begin(), all.end());
  return Status::OK();
}

}  // namespace jetsvc
