// Database: one attached database file of an instance.
//
// Owns the file, its header (pages 0 and 1, see page/FORMAT.md), its Space
// and the registry of its B+trees, which mirrors the object directory tree
// (objid -> root page; page 3). The catalog tree (objid 1, page 4) and the
// directory (objid 2) are fixed.
//
// Header states follow ESE: Create writes JustCreated, attach writes
// DirtyShutdown, a clean detach or term writes CleanShutdown. A database
// whose header is not CleanShutdown needs recovery from its log.
//
// Thread contract: the tree registry is guarded by an internal mutex and
// may be read from any thread; structural changes (CreateTree, DropTree,
// header writes) happen under the instance's apply mutex.

#ifndef JETSVC_ENGINE_INSTANCE_DATABASE_H_
#define JETSVC_ENGINE_INSTANCE_DATABASE_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/btree/btree.h"
#include "engine/btree/mtr.h"
#include "engine/cache/buffer_cache.h"
#include "engine/catalog/schema.h"
#include "engine/log/log.h"
#include "engine/space/space.h"
#include "engine/util/mutex.h"
#include "engine/util/status.h"
#include "platform/env.h"

namespace jetsvc {

struct DatabaseSignature {
  uint64_t random = 0;
  uint64_t created_micros = 0;
  bool operator==(const DatabaseSignature& o) const {
    return random == o.random && created_micros == o.created_micros;
  }
};

// The decoded header page.
struct DatabaseHeader {
  uint32_t page_size = 0;
  uint32_t state = 0;  // JET_dbstate*
  DatabaseSignature signature;
  LogSignature log_signature;   // the log stream that last attached it
  uint64_t consistent_lsn = 0;  // the clean detach/term record
  uint64_t attach_lsn = 0;      // the last attach record
  uint64_t created_micros = 0;
  uint64_t last_clean_micros = 0;
  // The database's change counter when the header was written; at a clean
  // shutdown no page has a larger one (page.h invariant 6).
  uint64_t dbtime = 0;
};

struct DatabaseOptions {
  uint32_t page_size = 4096;
  uint32_t extension_pages = 256;  // JET_paramDbExtensionSize
  uint32_t max_pages = 0;          // cpgDatabaseSizeMax; 0 = no limit
  bool read_only = false;
};

class Database {
 public:
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Reads the header of `path` (either copy). Errors: JET_errFileNotFound,
  // JET_errInvalidDatabase (not a jetsvc database, or truncated),
  // JET_errDatabaseCorrupted (both copies damaged).
  static Status ReadHeader(Env* env, const std::string& path, DatabaseHeader* header);

  // Creates a new file with its header (JustCreated, `signature`) synced,
  // and registers it with `cache`; its pages are formatted by Format().
  // `overwrite` replaces an existing file (JET_bitDbOverwriteExisting);
  // otherwise an existing file gives JET_errDatabaseDuplicate. A file in
  // use (locked) is refused before it is truncated. On failure no file is
  // left behind. The caller logs the attach record after this returns, so
  // recovery never meets an attach record of a file without a header.
  static Status Create(Env* env, BufferCache* cache, uint32_t db_id, const std::string& path,
                       const DatabaseOptions& options, const DatabaseSignature& signature,
                       const LogSignature& log_signature, bool overwrite,
                       std::unique_ptr<Database>* result);
  static DatabaseSignature NewSignature(Env* env);
  // Opens an existing file (attach or recovery). Checks the page size
  // (JET_errPageSizeMismatch). Does not check or change the state: the
  // caller decides (attach refuses dirty databases, recovery needs them).
  static Status Open(Env* env, BufferCache* cache, uint32_t db_id, const std::string& path,
                     const DatabaseOptions& options, std::unique_ptr<Database>* result);

  uint32_t id() const { return id_; }
  const std::string& path() const { return path_; }
  bool read_only() const { return options_.read_only; }
  const DatabaseHeader& header() const { return header_; }
  Space* space() { return &space_; }
  File* file() { return file_.get(); }
  BTree* catalog() { return catalog_.get(); }
  BTree* directory() { return directory_.get(); }

  // Writes the header (both copies, each synced); its dbtime field is set
  // from the live counter.
  Status WriteHeader(const DatabaseHeader& header);

  // The change counter (page.h invariant 6). Next() is called by MTRs
  // under the apply mutex; RaiseDbtime by recovery.
  uint64_t NextDbtime() { return ++dbtime_; }
  uint64_t dbtime() const { return dbtime_.load(); }
  void RaiseDbtime(uint64_t dbtime) {
    if (dbtime > dbtime_.load()) dbtime_.store(dbtime);
  }

  // One MTR through `mtr_log` that formats a created file: the space root
  // (`max_pages` 0 = no limit), the directory and catalog roots. The same
  // pages result whether it runs in JetCreateDatabase or in recovery.
  // REQUIRES: the apply mutex. On failure pages in the cache may be
  // changed without a log record: the caller discards them (ForgetFile).
  Status Format(MtrLog* mtr_log, uint32_t max_pages);
  // Whether the space root (page 2) holds anything: false for a created
  // file whose formatting was never written nor redone.
  Status IsFormatted(bool* formatted);

  // Reads the directory tree into the registry (after Open/recovery).
  Status LoadDirectory();
  // The tree of `objid`, or null if it does not exist (or is dropped).
  // Holders keep a dropped tree's pages from being freed.
  std::shared_ptr<BTree> FindTree(uint32_t objid);
  TreeKind KindOf(uint32_t objid);
  // Largest objid in use (for the next objid to hand out).
  uint32_t MaxObjid();

  // Under the apply mutex: allocates a root for `objid` and records it in
  // the directory. Idempotent: an existing objid is left alone (recovery
  // may apply a commit twice).
  Status CreateTree(Mtr* mtr, uint32_t objid, TreeKind kind);
  // Marks `objid` dropped in the directory: it disappears from FindTree.
  // Its pages are freed later by FreeDroppedTree, once no reader can use it.
  Status MarkTreeDropped(Mtr* mtr, uint32_t objid);
  // Frees the pages of a dropped tree and removes its directory entry,
  // unless a cursor still holds the tree (*freed false: try later).
  Status FreeDroppedTree(MtrLog* mtr_log, BufferCache* cache, uint32_t objid, bool* freed);
  // Objids marked dropped whose pages are not yet freed.
  std::vector<uint32_t> DroppedTrees();

  // --- table runtime state (not persistent) ---
  // Per-table counters: the implicit sequential key and the autoincrement
  // value, initialized from the data on first use.
  struct TableCounters {
    Mutex mu;
    bool initialized GUARDED_BY(mu) = false;
    uint64_t next_sequential GUARDED_BY(mu) = 1;
    int64_t next_autoincrement GUARDED_BY(mu) = 1;
    uint64_t next_lid GUARDED_BY(mu) = 1;
  };
  TableCounters* Counters(uint32_t table_objid);
  // Open cursors per table (JetDeleteTable refuses a table in use).
  void AddTableUser(uint32_t table_objid, int delta);
  int TableUsers(uint32_t table_objid);
  // Bumped when a commit changes the catalog; cursors re-read their
  // table's definition when it moves.
  uint64_t schema_epoch() const { return schema_epoch_.load(); }
  void BumpSchemaEpoch() { ++schema_epoch_; }

 private:
  Database(uint32_t db_id, std::string path, const DatabaseOptions& options,
           std::unique_ptr<File> file, std::unique_ptr<FileLock> lock);
  Status AttachTrees(BufferCache* cache);

  struct TreeEntry {
    TreeKind kind;
    bool dropped;
    std::shared_ptr<BTree> tree;
  };

  const uint32_t id_;
  const std::string path_;
  const DatabaseOptions options_;
  std::unique_ptr<FileLock> lock_;
  std::unique_ptr<File> file_;
  DatabaseHeader header_;
  std::atomic<uint64_t> dbtime_{0};
  Space space_;
  BufferCache* cache_ = nullptr;
  std::shared_ptr<BTree> catalog_;
  std::shared_ptr<BTree> directory_;

  Mutex mu_;
  std::map<uint32_t, TreeEntry> trees_ GUARDED_BY(mu_);
  std::map<uint32_t, std::unique_ptr<TableCounters>> counters_ GUARDED_BY(mu_);
  std::map<uint32_t, int> table_users_ GUARDED_BY(mu_);
  std::atomic<uint64_t> schema_epoch_{0};
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_INSTANCE_DATABASE_H_
