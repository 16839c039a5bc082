// Mtr: a mini-transaction, the atomic unit of page change (DESIGN.md D3).
//
// An MTR write-latches the pages it changes (through the cache) and, at
// Commit(), takes the next dbtime of the database, appends one log record
// holding the changed byte ranges of every page it touched, stamps each
// page with that dbtime, marks it dirty (wal_lsn = the record's end LSN)
// and releases it. Redo applies a page's diff iff the page's dbtime is
// older than the record's (page.h invariant 6).
//
// Record layout (first byte kLogMtr; varints from util/coding.h):
//   type u8 | commit_seq varint | op_index varint | page_count varint |
//   per page: db varint | pgno varint | dbtime varint | run_count varint |
//             per run: offset varint | length varint | bytes
// Runs never cover the checksum (bytes 0..4) or the dbtime (bytes 8..16).
//
// If an MTR that changed pages is destroyed without Commit(), the pages in
// memory no longer match the log: the owner must treat that as fatal (the
// instance fails and writes no more pages; recovery rebuilds from the log).
// `changed()` tells whether that happened.
//
// Thread contract: one thread; the caller holds the apply mutex.

#ifndef JETSVC_ENGINE_BTREE_MTR_H_
#define JETSVC_ENGINE_BTREE_MTR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cache/buffer_cache.h"
#include "engine/page/page.h"
#include "engine/util/status.h"

namespace jetsvc {

// Log record types (first payload byte of every log record).
enum LogRecordType : uint8_t {
  kLogMtr = 1,            // page diffs (this file)
  kLogCommitIntent = 2,   // a commit's logical write set (version/)
  kLogCommitApplied = 3,  // every operation of a commit is applied
  kLogAttach = 4,         // a database attached/created (instance/)
  kLogDetach = 5,         // a database detached cleanly
  kLogTerm = 6,           // clean shutdown mark
  kLogInit = 7,           // a JetInit started logging
  kLogRecoveryQuit = 8,   // recovery finished
};

// Where MTR records go (the log, or a counter when logging is off) and
// where dbtimes come from.
class MtrLog {
 public:
  virtual ~MtrLog() = default;
  // Appends a record; *begin_lsn is where it starts (a record boundary:
  // redo can start there), *end_lsn where it ends.
  virtual Status AppendRecord(std::string_view record, uint64_t* begin_lsn,
                              uint64_t* end_lsn) = 0;
  // The next dbtime of database `db` (strictly increasing per database).
  virtual uint64_t NextDbtime(uint32_t db) = 0;
};

class Mtr {
 public:
  // `commit_seq` and `op_index` tag the record: the commit operation it
  // applies, or 0 for background work.
  Mtr(BufferCache* cache, MtrLog* log, uint64_t commit_seq = 0, uint32_t op_index = 0);
  ~Mtr();
  Mtr(const Mtr&) = delete;
  Mtr& operator=(const Mtr&) = delete;

  // Write-latches page (db, pgno) for change; the same Page object is
  // returned for repeated calls. Valid until Commit().
  Status GetPage(uint32_t db, uint32_t pgno, Page** page);
  // As GetPage for a page about to be formatted: not read from disk.
  Status GetNewPage(uint32_t db, uint32_t pgno, Page** page);

  // Logs the changes (if any), stamps and releases the pages. *lsn (may
  // be null) gets the record's end LSN, or 0 if nothing changed.
  Status Commit(uint64_t* lsn = nullptr);

  // True if a page was changed and not yet committed.
  bool changed() const;
  size_t page_count() const { return pages_.size(); }
  // Page numbers the MTR has touched (tests).
  std::vector<uint32_t> TouchedPages() const;

 private:
  struct Entry {
    PageRef ref;
    ChunkMap chunks;
    std::unique_ptr<Page> page;
  };
  Status Add(uint32_t db, uint32_t pgno, bool fresh, Page** page);
  // Also stamps each changed page with its database's next dbtime.
  void EncodeRecord(std::string* record);

  BufferCache* const cache_;
  MtrLog* const log_;
  const uint64_t commit_seq_;
  const uint32_t op_index_;
  std::vector<std::unique_ptr<Entry>> pages_;
};

// A decoded MTR record, for redo.
struct MtrRun {
  uint32_t offset = 0;
  std::string_view bytes;
};
struct MtrPageDiff {
  uint32_t db = 0;
  uint32_t pgno = 0;
  uint64_t dbtime = 0;
  std::vector<MtrRun> runs;
};
struct MtrRecord {
  uint64_t commit_seq = 0;
  uint32_t op_index = 0;
  std::vector<MtrPageDiff> pages;
};

// Parses a kLogMtr record (views into `record`). JET_errLogCorrupted if
// malformed (including runs outside a page of `page_size`).
Status DecodeMtrRecord(std::string_view record, uint32_t page_size, MtrRecord* result);
// Applies one page's diff to `page` and sets its dbtime.
void ApplyPageDiff(const MtrPageDiff& diff, Page* page);

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_BTREE_MTR_H_
