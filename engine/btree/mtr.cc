#include "engine/btree/mtr.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "engine/util/coding.h"
#include "esent.h"

namespace jetsvc {

Mtr::Mtr(BufferCache* cache, MtrLog* log, uint64_t commit_seq, uint32_t op_index)
    : cache_(cache), log_(log), commit_seq_(commit_seq), op_index_(op_index) {}

Mtr::~Mtr() = default;  // PageRefs release latches and pins

Status Mtr::GetPage(uint32_t db, uint32_t pgno, Page** page) {
  return Add(db, pgno, /*fresh=*/false, page);
}

Status Mtr::GetNewPage(uint32_t db, uint32_t pgno, Page** page) {
  return Add(db, pgno, /*fresh=*/true, page);
}

Status Mtr::Add(uint32_t db, uint32_t pgno, bool fresh, Page** page) {
  for (auto& entry : pages_) {
    if (entry->ref.page_number() == pgno && entry->ref.database() == db) {
      *page = entry->page.get();
      return Status::OK();
    }
  }
  auto entry = std::make_unique<Entry>();
  if (fresh) {
    JET_RETURN_IF_ERROR(cache_->NewPageForWrite(db, pgno, &entry->ref));
  } else {
    JET_RETURN_IF_ERROR(cache_->FetchForWrite(db, pgno, &entry->ref));
  }
  entry->page = std::make_unique<Page>(entry->ref.data(), cache_->page_size(), &entry->chunks);
  *page = entry->page.get();
  pages_.push_back(std::move(entry));
  return Status::OK();
}

bool Mtr::changed() const {
  for (const auto& entry : pages_) {
    if (entry->chunks.Any()) return true;
  }
  return false;
}

std::vector<uint32_t> Mtr::TouchedPages() const {
  std::vector<uint32_t> result;
  for (const auto& entry : pages_) result.push_back(entry->ref.page_number());
  return result;
}

void Mtr::EncodeRecord(std::string* record) {
  const uint32_t page_size = cache_->page_size();
  record->push_back(static_cast<char>(kLogMtr));
  PutVarint64(record, commit_seq_);
  PutVarint32(record, op_index_);
  uint32_t changed_pages = 0;
  for (const auto& entry : pages_) {
    if (entry->chunks.Any()) ++changed_pages;
  }
  PutVarint32(record, changed_pages);
  // One dbtime per database the MTR changed.
  std::vector<std::pair<uint32_t, uint64_t>> dbtimes;
  for (const auto& entry : pages_) {
    if (!entry->chunks.Any()) continue;
    const uint32_t db = entry->ref.database();
    uint64_t dbtime = 0;
    for (const auto& [known_db, known_time] : dbtimes) {
      if (known_db == db) dbtime = known_time;
    }
    if (dbtime == 0) {
      dbtime = log_->NextDbtime(db);
      dbtimes.emplace_back(db, dbtime);
    }
    entry->page->set_dbtime(dbtime);
    PutVarint32(record, db);
    PutVarint32(record, entry->ref.page_number());
    PutVarint64(record, dbtime);
    // Byte runs from the chunk map; chunk 0 holds the unlogged checksum
    // and dbtime, so only its page-number bytes are logged.
    std::vector<std::pair<uint32_t, uint32_t>> runs;  // offset, length
    for (uint32_t chunk = 0; chunk < page_size / kChunkSize; ++chunk) {
      if (!entry->chunks.Test(chunk)) continue;
      uint32_t start = chunk * kChunkSize;
      uint32_t end = start + kChunkSize;
      if (chunk == 0) {
        start = kOffPageNumber;
        end = kOffDbtime;
      }
      if (!runs.empty() && runs.back().first + runs.back().second == start) {
        runs.back().second += end - start;
      } else {
        runs.emplace_back(start, end - start);
      }
    }
    PutVarint32(record, static_cast<uint32_t>(runs.size()));
    const char* data = entry->page->data();
    for (const auto& [start, length] : runs) {
      PutVarint32(record, start);
      PutVarint32(record, length);
      record->append(data + start, length);
    }
  }
}

Status Mtr::Commit(uint64_t* lsn) {
  if (lsn != nullptr) *lsn = 0;
  if (!changed()) {
    pages_.clear();
    return Status::OK();
  }
  std::string record;
  EncodeRecord(&record);
  uint64_t begin_lsn = 0;
  uint64_t end_lsn = 0;
  JET_RETURN_IF_ERROR(log_->AppendRecord(record, &begin_lsn, &end_lsn));
  for (auto& entry : pages_) {
    if (!entry->chunks.Any()) continue;
    cache_->MarkDirty(entry->ref, begin_lsn, end_lsn);
    entry->chunks.Clear();
  }
  pages_.clear();
  if (lsn != nullptr) *lsn = end_lsn;
  return Status::OK();
}

Status DecodeMtrRecord(std::string_view record, uint32_t page_size, MtrRecord* result) {
  const auto corrupt = [](const char* what) {
    return Status::FromCode(JET_errLogCorrupted, std::string("malformed page-diff record: ") + what);
  };
  *result = MtrRecord();
  if (record.empty() || static_cast<uint8_t>(record[0]) != kLogMtr) return corrupt("type");
  record.remove_prefix(1);
  uint32_t page_count = 0;
  if (!GetVarint64(&record, &result->commit_seq) || !GetVarint32(&record, &result->op_index) ||
      !GetVarint32(&record, &page_count)) {
    return corrupt("header");
  }
  if (page_count > record.size()) return corrupt("page count");
  result->pages.resize(page_count);
  for (MtrPageDiff& diff : result->pages) {
    uint32_t run_count = 0;
    if (!GetVarint32(&record, &diff.db) || !GetVarint32(&record, &diff.pgno) ||
        !GetVarint64(&record, &diff.dbtime) || !GetVarint32(&record, &run_count) ||
        run_count > record.size()) {
      return corrupt("page header");
    }
    diff.runs.resize(run_count);
    for (MtrRun& run : diff.runs) {
      uint32_t length = 0;
      if (!GetVarint32(&record, &run.offset) || !GetVarint32(&record, &length) ||
          length > record.size() || run.offset >= page_size ||
          length > page_size - run.offset) {
        return corrupt("run");
      }
      run.bytes = record.substr(0, length);
      record.remove_prefix(length);
    }
  }
  if (!record.empty()) return corrupt("trailing bytes");
  return Status::OK();
}

void ApplyPageDiff(const MtrPageDiff& diff, Page* page) {
  for (const MtrRun& run : diff.runs) {
    std::memcpy(page->data() + run.offset, run.bytes.data(), run.bytes.size());
  }
  page->set_dbtime(diff.dbtime);
}

}  // namespace jetsvc
