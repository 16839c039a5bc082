// LogReader: reads whole records back across blocks and generations and
// tells a torn tail (the end of the log) from corruption (log.h,
// log/FORMAT.md "Reading").
//
// Open checks the files once: sizes, headers, one signature, no gap from
// the start generation to the last one. Next then walks fragments; a
// position where no valid fragment sits is *damage*, judged by the rule of
// FORMAT.md: in the last generation on disk, damage with no valid fragment
// after it is the torn tail (the end of the log); anywhere else it is
// JET_errLogFileCorrupt.

#include <algorithm>
#include <cassert>
#include <map>

#include "engine/log/log.h"
#include "engine/log/log_format.h"
#include "esent.h"

namespace jetsvc {

using log_format::BlockEnd;
using log_format::BlockStart;
using log_format::FileHeader;
using log_format::FragmentState;
using log_format::FragmentType;
using log_format::InTrailer;
using log_format::kBlockSize;
using log_format::kDataStart;
using log_format::kFirstType;
using log_format::kFragmentHeaderSize;
using log_format::kFullType;
using log_format::kLastType;
using log_format::kMiddleType;
using log_format::kMinFragmentSpace;
using log_format::LogDirectory;
using log_format::NormalizedLsn;
using log_format::ParseFragment;
using log_format::ReadFileHeader;
using log_format::ScanLogDirectory;
using log_format::ValidateOptions;

namespace {

std::string LsnText(uint32_t generation, uint32_t offset) {
  return "generation " + std::to_string(generation) + " offset " + std::to_string(offset);
}

// Blocks read at once while looking for valid data after damage.
constexpr uint32_t kScanBlocks = 16;

}  // namespace

class LogReader::Impl {
 public:
  Impl(Env* env, const LogOptions& options) : env_(env), options_(options) {}

  Status Open(Lsn start);
  Status Next(std::string* record, Lsn* start_lsn, Lsn* end_lsn, bool* eof);
  Lsn end() const { return end_; }

  LogSignature signature_;

 private:
  Status ValidateFile(uint32_t generation, const std::string& path, uint64_t size,
                      bool first);
  Status SwitchTo(uint32_t generation);
  // Makes block_ hold the block of the open generation containing offset.
  Status LoadBlock(uint32_t offset);
  // Verifies that `offset` of the open generation is a record boundary.
  Status CheckBoundary(uint32_t offset);
  // Damage at offset_ of the open generation: torn tail or corruption.
  Status OnDamage(const char* what, bool* eof);
  // True if a valid fragment starts anywhere after `offset` in the open
  // generation.
  Status ValidDataAfter(uint32_t offset, bool* found, uint32_t* where);
  void AssertValid() const;
  Status Corrupt(const std::string& message) {
    error_ = Status::FromCode(JET_errLogFileCorrupt, message);
    return error_;
  }

  Env* const env_;
  const LogOptions options_;
  std::map<uint32_t, std::string> files_;  // generations Open validated
  uint32_t last_generation_ = 0;

  uint32_t generation_ = 0;  // read position: the open generation ...
  uint32_t offset_ = 0;      // ... and the next byte to read in it
  std::unique_ptr<File> file_;
  std::string block_;
  uint32_t block_start_ = 0;
  bool block_loaded_ = false;

  Lsn end_ = 0;  // after the last whole record (or the start)
  bool skip_continuation_ = false;
  bool eof_ = false;
  Status error_;
};

void LogReader::Impl::AssertValid() const {
  assert(files_.count(generation_) == 1 && generation_ <= last_generation_);
  assert(offset_ >= kDataStart && offset_ <= options_.file_size);
  assert(!block_loaded_ || block_start_ == BlockStart(block_start_));
  assert(end_ <= NormalizedLsn(options_.file_size, generation_, offset_));
}

Status LogReader::Impl::ValidateFile(uint32_t generation, const std::string& path,
                                     uint64_t size, bool first) {
  if (size != options_.file_size) {
    return Status::FromCode(JET_errLogFileSizeMismatch,
                            path + " is " + std::to_string(size) +
                                " bytes but the log file size is " +
                                std::to_string(options_.file_size));
  }
  std::unique_ptr<File> file;
  JET_RETURN_IF_ERROR(env_->OpenFile(path, OpenMode::kOpenExisting, true, &file));
  FileHeader header;
  JET_RETURN_IF_ERROR(ReadFileHeader(file.get(), &header));
  if (header.generation != generation) {
    return Status::FromCode(JET_errLogFileCorrupt,
                            path + " holds generation " + std::to_string(header.generation) +
                                ", expected " + std::to_string(generation));
  }
  if (header.file_size != options_.file_size) {
    return Status::FromCode(JET_errLogFileCorrupt,
                            path + " header gives file size " +
                                std::to_string(header.file_size));
  }
  if (first) {
    signature_ = header.signature;
  } else if (header.signature != signature_) {
    return Status::FromCode(JET_errLogFileCorrupt,
                            path + " belongs to another log stream (signature mismatch)");
  }
  return Status::OK();
}

Status LogReader::Impl::Open(Lsn start) {
  JET_RETURN_IF_ERROR(ValidateOptions(options_));
  LogDirectory dir;
  JET_RETURN_IF_ERROR(ScanLogDirectory(env_, options_, &dir));
  if (dir.empty()) {
    return Status::FromCode(JET_errMissingLogFile,
                            "no log files (base name " + options_.base_name + ") in \"" +
                                options_.directory + "\"");
  }
  for (const auto& [generation, path] : dir.archived) {
    files_[generation] = path;
  }
  if (dir.has_current) {
    if (dir.current_size != options_.file_size) {
      return Status::FromCode(JET_errLogFileSizeMismatch,
                              dir.current_path + " is " + std::to_string(dir.current_size) +
                                  " bytes but the log file size is " +
                                  std::to_string(options_.file_size));
    }
    JET_RETURN_IF_ERROR(dir.current_header_status);
    const uint32_t current = dir.current_header.generation;
    if (!dir.archived.empty() && dir.archived.rbegin()->first >= current) {
      return Status::FromCode(JET_errLogFileCorrupt,
                              dir.current_path + " (generation " + std::to_string(current) +
                                  ") is not above every archived generation");
    }
    files_[current] = dir.current_path;
  }
  const uint32_t lowest = files_.begin()->first;
  last_generation_ = files_.rbegin()->first;

  // Where reading starts.
  uint32_t generation = lowest;
  uint32_t offset = kDataStart;
  bool check_boundary = false;
  if (start == 0) {
    // A lower generation may have been deleted (circular logging): the
    // first file can open with the tail of a record that began there.
    skip_continuation_ = lowest > 1;
  } else {
    generation = LsnGeneration(start);
    offset = LsnOffset(start);
    if (offset < kDataStart || offset > options_.file_size) {
      return Status::InvalidParameter("start LSN " + LsnText(generation, offset) +
                                      " is not a position in the record space");
    }
    if (offset == options_.file_size) {
      ++generation;
      offset = kDataStart;
    }
    if (generation == last_generation_ + 1 && offset == kDataStart) {
      generation = last_generation_;  // the end of the last, full file
      offset = static_cast<uint32_t>(options_.file_size);
    } else if (files_.count(generation) == 0) {
      return Status::FromCode(JET_errMissingLogFile,
                              "log generation " + std::to_string(generation) +
                                  " (of start LSN " + LsnText(LsnGeneration(start), offset) +
                                  ") is not on disk");
    } else {
      check_boundary = true;
    }
  }
  // Every generation from the start on must be present, whole and of one
  // stream.
  for (uint32_t g = generation;; ++g) {
    const auto it = files_.find(g);
    if (it == files_.end()) {
      return Status::FromCode(JET_errMissingLogFile,
                              "log generation " + std::to_string(g) +
                                  " is missing (have up to " +
                                  std::to_string(last_generation_) + ")");
    }
    uint64_t size = dir.current_size;
    if (it->second != dir.current_path) {
      JET_RETURN_IF_ERROR(env_->GetFileSize(it->second, &size));
    }
    JET_RETURN_IF_ERROR(ValidateFile(g, it->second, size, g == generation));
    if (g == last_generation_) break;
  }
  JET_RETURN_IF_ERROR(SwitchTo(generation));
  offset_ = offset;
  if (check_boundary) JET_RETURN_IF_ERROR(CheckBoundary(offset));
  end_ = NormalizedLsn(options_.file_size, generation_, offset_);
  AssertValid();
  return Status::OK();
}

Status LogReader::Impl::SwitchTo(uint32_t generation) {
  const auto it = files_.find(generation);
  if (it == files_.end()) {
    return Status::FromCode(JET_errMissingLogFile,
                            "log generation " + std::to_string(generation) + " is missing");
  }
  file_.reset();
  JET_RETURN_IF_ERROR(env_->OpenFile(it->second, OpenMode::kOpenExisting, true, &file_));
  generation_ = generation;
  block_loaded_ = false;
  return Status::OK();
}

Status LogReader::Impl::LoadBlock(uint32_t offset) {
  const uint32_t start = BlockStart(offset);
  if (block_loaded_ && block_start_ == start) return Status::OK();
  block_loaded_ = false;
  block_.resize(BlockEnd(options_.file_size, start) - start);
  JET_RETURN_IF_ERROR(ReadFully(file_.get(), start, block_.size(), block_.data()));
  block_start_ = start;
  block_loaded_ = true;
  return Status::OK();
}

Status LogReader::Impl::CheckBoundary(uint32_t offset) {
  FragmentType type;
  std::string_view payload;
  if (offset == kDataStart) {
    // Only the first fragment tells: it must not continue a record.
    JET_RETURN_IF_ERROR(LoadBlock(offset));
    if (ParseFragment(block_, block_start_, generation_, offset, &type, &payload) ==
            FragmentState::kValid &&
        (type == kMiddleType || type == kLastType)) {
      return Status::InvalidParameter("start LSN " + LsnText(generation_, offset) +
                                      " is inside a record that began in the previous "
                                      "generation");
    }
    return Status::OK();
  }
  // Walk the fragments of the block holding offset - 1 up to offset.
  const uint32_t walk_start = BlockStart(offset - 1);
  const uint32_t walk_end = BlockEnd(options_.file_size, walk_start);
  JET_RETURN_IF_ERROR(LoadBlock(walk_start));
  bool inside = false;  // is the walk position inside a record?
  for (uint32_t p = walk_start; p < offset;) {
    if (walk_end - p < kMinFragmentSpace) break;  // offset is in the trailer
    if (ParseFragment(block_, block_start_, generation_, p, &type, &payload) !=
        FragmentState::kValid) {
      return Status::InvalidParameter(
          "start LSN " + LsnText(generation_, offset) +
          " is beyond the end of the log or behind damaged data (no valid fragment at " +
          LsnText(generation_, p) + ")");
    }
    const uint32_t next = p + kFragmentHeaderSize + static_cast<uint32_t>(payload.size());
    if (next > offset) {
      return Status::InvalidParameter("start LSN " + LsnText(generation_, offset) +
                                      " is inside a log fragment, not at a record boundary");
    }
    inside = type == kFirstType || type == kMiddleType;
    p = next;
  }
  if (inside) {
    return Status::InvalidParameter("start LSN " + LsnText(generation_, offset) +
                                    " is inside a record, not at a record boundary");
  }
  return Status::OK();
}

Status LogReader::Impl::ValidDataAfter(uint32_t offset, bool* found, uint32_t* where) {
  *found = false;
  std::string chunk;
  const uint32_t file_end = static_cast<uint32_t>(options_.file_size);
  for (uint32_t chunk_start = BlockStart(offset); chunk_start < file_end;) {
    const uint32_t chunk_end =
        static_cast<uint32_t>(std::min<uint64_t>(chunk_start + uint64_t{kScanBlocks} * kBlockSize,
                                                 file_end));
    chunk.resize(chunk_end - chunk_start);
    JET_RETURN_IF_ERROR(ReadFully(file_.get(), chunk_start, chunk.size(), chunk.data()));
    for (uint32_t bs = chunk_start; bs < chunk_end; bs += kBlockSize) {
      const uint32_t be = BlockEnd(file_end, bs);
      const std::string_view block(chunk.data() + (bs - chunk_start), be - bs);
      for (uint32_t p = std::max(bs, offset + 1); p + kMinFragmentSpace <= be; ++p) {
        // Cheap filter before the checksum: a plausible type byte.
        const uint8_t raw_type = static_cast<uint8_t>(block[p - bs + 6]);
        if (raw_type < kFullType || raw_type > kLastType) continue;
        FragmentType type;
        std::string_view payload;
        if (ParseFragment(block, bs, generation_, p, &type, &payload) ==
            FragmentState::kValid) {
          *found = true;
          *where = p;
          return Status::OK();
        }
      }
    }
    chunk_start = chunk_end;
  }
  return Status::OK();
}

Status LogReader::Impl::OnDamage(const char* what, bool* eof) {
  const std::string place = LsnText(generation_, offset_);
  if (generation_ != last_generation_) {
    return Corrupt("log file " + files_[generation_] + " is damaged at " + place + " (" +
                   what + "); only the last generation may end early");
  }
  bool found = false;
  uint32_t where = 0;
  JET_RETURN_IF_ERROR(ValidDataAfter(offset_, &found, &where));
  if (found) {
    return Corrupt("log file " + files_[generation_] + " is damaged at " + place + " (" +
                   what + ") but valid log data follows at offset " +
                   std::to_string(where));
  }
  // The torn tail: the end of the log is after the last whole record.
  eof_ = true;
  *eof = true;
  return Status::OK();
}

Status LogReader::Impl::Next(std::string* record, Lsn* start_lsn, Lsn* end_lsn, bool* eof) {
  if (!error_.ok()) return error_;
  *eof = false;
  if (eof_) {
    *eof = true;
    return Status::OK();
  }
  record->clear();
  bool in_record = false;
  Lsn start = end_;
  for (;;) {
    if (InTrailer(options_.file_size, offset_)) {
      const uint32_t block_end = BlockEnd(options_.file_size, offset_);
      if (block_end < options_.file_size) {
        offset_ = block_end;
        continue;
      }
      if (generation_ == last_generation_) {
        // The end of the files on disk; a record cut here is a torn tail.
        eof_ = true;
        *eof = true;
        return Status::OK();
      }
      JET_RETURN_IF_ERROR(SwitchTo(generation_ + 1));
      offset_ = kDataStart;
      continue;
    }
    JET_RETURN_IF_ERROR(LoadBlock(offset_));
    FragmentType type;
    std::string_view payload;
    const FragmentState state =
        ParseFragment(block_, block_start_, generation_, offset_, &type, &payload);
    if (state != FragmentState::kValid) {
      return OnDamage(state == FragmentState::kZero ? "unwritten space" : "a damaged fragment",
                      eof);
    }
    const uint32_t fragment_offset = offset_;
    offset_ += kFragmentHeaderSize + static_cast<uint32_t>(payload.size());
    if (skip_continuation_) {
      if (type == kMiddleType || type == kLastType) {
        if (type == kLastType) {
          skip_continuation_ = false;
          end_ = NormalizedLsn(options_.file_size, generation_, offset_);
          start = end_;
        }
        continue;
      }
      skip_continuation_ = false;
    }
    const bool starts = type == kFullType || type == kFirstType;
    if (starts == in_record) {
      return Corrupt("log record sequence broken at " +
                     LsnText(generation_, fragment_offset) +
                     (in_record ? ": a new record starts inside another"
                                : ": a fragment continues no record"));
    }
    record->append(payload.data(), payload.size());
    in_record = true;
    if (type == kFullType || type == kLastType) {
      end_ = NormalizedLsn(options_.file_size, generation_, offset_);
      AssertValid();
      *start_lsn = start;
      *end_lsn = end_;
      return Status::OK();
    }
  }
}

// ---- LogReader ----------------------------------------------------------------

LogReader::LogReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogReader::~LogReader() = default;

Status LogReader::Open(Env* env, const LogOptions& options, Lsn start,
                       std::unique_ptr<LogReader>* result) {
  auto impl = std::make_unique<Impl>(env, options);
  JET_RETURN_IF_ERROR(impl->Open(start));
  result->reset(new LogReader(std::move(impl)));
  return Status::OK();
}

Status LogReader::Next(std::string* record, Lsn* start_lsn, Lsn* end_lsn, bool* eof) {
  return impl_->Next(record, start_lsn, end_lsn, eof);
}
Lsn LogReader::end() const { return impl_->end(); }
const LogSignature& LogReader::signature() const { return impl_->signature_; }

}  // namespace jetsvc
