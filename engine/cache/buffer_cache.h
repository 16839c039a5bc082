// BufferCache: the instance's page cache, bounded by JET_paramCacheSizeMax.
//
// Frames hold pages of the attached database files, keyed by (database id,
// page number). A frame is pinned while a caller uses it; only unpinned,
// clean frames are evicted (clock order). Changed pages stay dirty until
// they are written *and* their file is synced.
//
// Invariants:
//  1. (WAL rule, DESIGN.md D4) No dirty page reaches its file before the log
//     is durable up to the page's wal_lsn: WritePages() calls the
//     LogDurability hook first, and asserts the answer.
//  2. rec_lsn (where the record of the first unwritten change begins) <
//     wal_lsn (where the record of the last change ends) for every dirty
//     frame; the dirty set is ordered by rec_lsn, so OldestDirtyLsn() is
//     where redo must start as far as the cache is concerned.
//  3. A frame counts as clean only after the write of a copy taken at
//     modification stamp s succeeded, its file was synced, and the frame's
//     stamp is still s. A change made after the copy keeps it dirty, with
//     rec_lsn raised to the end of the copied state's last record (every
//     later record begins at or after it).
//  4. A frame's key never changes while it is pinned.
//
// Latches (DESIGN.md D5): a frame's latch is held exclusively by the single
// writer from first change to the end of its MTR, and shared by a flusher
// while it copies the page. Readers hold their tree latch instead.
// Lock order: frame latch -> mu_. The writer may hold several frame latches,
// taken in any order; that cannot deadlock because it is the only thread
// that ever holds more than one, and a flusher holding one waits on nothing.
//
// Thread contract: thread-safe.

#ifndef JETSVC_ENGINE_CACHE_BUFFER_CACHE_H_
#define JETSVC_ENGINE_CACHE_BUFFER_CACHE_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <vector>

#include "engine/page/page.h"
#include "engine/util/mutex.h"
#include "engine/util/node_arena.h"
#include "engine/util/status.h"
#include "platform/env.h"

namespace jetsvc {

// How the cache makes the log durable before writing a page (the WAL rule).
class LogDurability {
 public:
  virtual ~LogDurability() = default;
  // Returns once every log record ending at or before `lsn` is durable.
  virtual Status WaitDurable(uint64_t lsn) = 0;
};

struct Frame;

// A pinned frame. Move-only; unpins (and releases a write latch) on reset
// or destruction.
class PageRef {
 public:
  PageRef() = default;
  PageRef(PageRef&& other) noexcept;
  PageRef& operator=(PageRef&& other) noexcept;
  PageRef(const PageRef&) = delete;
  PageRef& operator=(const PageRef&) = delete;
  ~PageRef() { Reset(); }

  bool valid() const { return frame_ != nullptr; }
  Frame* frame() const { return frame_; }
  char* data() const;
  uint32_t page_number() const;
  uint32_t database() const;
  // Modification stamp: changes whenever the page content may have changed
  // (an MTR ended, or the frame was (re)loaded).
  uint64_t stamp() const;
  bool write_latched() const { return write_latched_; }
  void Reset();

 private:
  friend class BufferCache;
  PageRef(class BufferCache* cache, Frame* frame, bool write_latched)
      : cache_(cache), frame_(frame), write_latched_(write_latched) {}

  class BufferCache* cache_ = nullptr;
  Frame* frame_ = nullptr;
  bool write_latched_ = false;
};

struct CacheStats {
  uint64_t frames_in_use = 0;
  uint64_t dirty_pages = 0;
  uint64_t reads = 0;
  uint64_t writes = 0;          // pages written (and synced)
  uint64_t bytes_written = 0;   // their bytes
  uint64_t bytes_submitted = 0;  // bytes handed to the file so far, sync or not
  uint64_t evictions = 0;
};

class BufferCache {
 public:
  // `max_pages`: the cache size in pages (at least 16). Page memory comes
  // from env->AllocateLarge.
  BufferCache(Env* env, uint32_t page_size, uint64_t max_pages);
  ~BufferCache();
  BufferCache(const BufferCache&) = delete;
  BufferCache& operator=(const BufferCache&) = delete;

  uint32_t page_size() const { return page_size_; }
  void set_log(LogDurability* log) { log_ = log; }
  // After a fatal error: no page is written any more (WritePages and
  // eviction of dirty pages fail with JET_errInstanceUnavailable).
  void DisableWrites() { writes_disabled_.store(true); }
  // Changes the size bound (JET_paramCacheSizeMax at run time). Shrinking
  // takes effect as frames are evicted.
  void set_max_pages(uint64_t max_pages);

  // Database files. REQUIRES: no frame of `db` is cached when registering.
  void RegisterFile(uint32_t db, File* file);
  // Drops every frame of `db`, after waiting for reads and writes of the
  // file in flight (a background flush may be writing it). REQUIRES: no
  // frame of it is pinned by a user, and none is dirty (flush first, or
  // pass discard_dirty for a dirty term / failed attach). After the call
  // the cache never touches the File again.
  void ForgetFile(uint32_t db, bool discard_dirty = false);

  // Pins page (db, pgno), reading it if needed. The read is checked with
  // Page::Verify (JET_errReadVerifyFailure). A page past the end of the
  // file, or never written, comes back all zero.
  Status Fetch(uint32_t db, uint32_t pgno, PageRef* ref);
  // As Fetch, then takes the frame latch exclusively (for an MTR).
  Status FetchForWrite(uint32_t db, uint32_t pgno, PageRef* ref);
  // Pins page (db, pgno) for writing without reading it: the caller is
  // about to format it. Its content is zeroed if it was not cached.
  Status NewPageForWrite(uint32_t db, uint32_t pgno, PageRef* ref);

  // Records that an MTR whose log record spans [begin_lsn, end_lsn)
  // changed the write-latched page.
  void MarkDirty(const PageRef& ref, uint64_t begin_lsn, uint64_t end_lsn);

  // --- flushing ---
  // Writes the given dirty pages (each in one batch per database, in page
  // order, adjacent pages coalesced into one write), syncs the files, and
  // marks them clean (invariant 3). Returns bytes written.
  Status WritePages(std::vector<std::pair<uint32_t, uint32_t>> pages,
                    uint64_t* bytes_written);
  // Dirty pages whose rec_lsn < `below_lsn`, oldest first, at most `limit`.
  std::vector<std::pair<uint32_t, uint32_t>> OldestDirty(uint64_t below_lsn,
                                                         size_t limit);
  // All dirty pages, of one database (db != kAllDatabases) or all.
  static constexpr uint32_t kAllDatabases = 0xffffffffu;
  std::vector<std::pair<uint32_t, uint32_t>> AllDirty(uint32_t db);
  // Writes every dirty page of `db` (or all) in file order and syncs.
  Status FlushAll(uint32_t db, uint64_t* bytes_written);

  // The smallest rec_lsn of a dirty page, or UINT64_MAX if none is dirty.
  uint64_t OldestDirtyLsn();
  uint64_t DirtyPageCount();
  CacheStats Stats();

  // Checks the invariants of the whole cache (tests, debug builds).
  Status AssertValid();

 private:
  friend class PageRef;
  using Key = uint64_t;  // (db << 32) | pgno
  static Key MakeKey(uint32_t db, uint32_t pgno) {
    return (static_cast<uint64_t>(db) << 32) | pgno;
  }

  Status Pin(uint32_t db, uint32_t pgno, bool read, Frame** frame);
  void Unpin(Frame* frame);
  // Finds a frame to (re)use; may write a dirty page. Returns with mu_ held.
  Status GetVictim(Frame** frame) EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Status WriteOneDatabase(uint32_t db, std::vector<uint32_t> pgnos,
                          uint64_t* bytes_written);

  // Page memory of one slab, from Env::AllocateLarge.
  struct SlabMemory {
    Env* env = nullptr;
    size_t bytes = 0;
    void operator()(char* p) const { env->FreeLarge(p, bytes); }
  };
  using PageSlab = std::unique_ptr<char[], SlabMemory>;

  Env* const env_;
  const uint32_t page_size_;
  LogDurability* log_ = nullptr;

  Mutex mu_;
  CondVar io_done_{&mu_};
  uint64_t max_pages_ GUARDED_BY(mu_);
  static constexpr uint32_t kFramesPerSlab = 1024;
  std::vector<std::unique_ptr<Frame[]>> frame_slabs_ GUARDED_BY(mu_);
  std::vector<PageSlab> page_slabs_ GUARDED_BY(mu_);
  uint32_t slab_used_ GUARDED_BY(mu_) = 0;   // frames taken from the last slab
  std::vector<Frame*> frames_ GUARDED_BY(mu_);  // every frame, for the clock
  // Nodes of map_ and dirty_ (node_arena.h says why); declared first, so
  // it is destroyed after them.
  NodeArena arena_ GUARDED_BY(mu_);
  std::unordered_map<Key, Frame*, std::hash<Key>, std::equal_to<Key>,
                     ArenaAllocator<std::pair<const Key, Frame*>>>
      map_ GUARDED_BY(mu_){ArenaAllocator<std::pair<const Key, Frame*>>(&arena_)};
  struct FileEntry {
    File* file = nullptr;
    int io_in_flight = 0;  // reads and writes using `file` without mu_
  };
  std::map<uint32_t, FileEntry> files_ GUARDED_BY(mu_);
  using DirtyEntry = std::pair<uint64_t, Frame*>;  // (rec_lsn, frame)
  std::set<DirtyEntry, std::less<DirtyEntry>, ArenaAllocator<DirtyEntry>> dirty_ GUARDED_BY(mu_){
      ArenaAllocator<DirtyEntry>(&arena_)};
  size_t clock_hand_ GUARDED_BY(mu_) = 0;
  CacheStats stats_ GUARDED_BY(mu_);
  std::atomic<uint64_t> next_stamp_{1};
  std::atomic<bool> writes_disabled_{false};
  std::atomic<uint64_t> bytes_submitted_{0};
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_CACHE_BUFFER_CACHE_H_
