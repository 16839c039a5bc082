#include "engine/cache/buffer_cache.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <thread>

#include "engine/cache/run_writer.h"
#include "esent.h"

namespace jetsvc {

namespace {
// Pages per write call when flushing: adjacent pages are coalesced into
// writes of up to this many pages.
constexpr size_t kMaxPagesPerWrite = 256;
}  // namespace

// A frame's reader-writer latch: an atomic spin latch rather than a mutex.
// Holds are short (a page copy, or one MTR), exclusive holds only ever by the
// single writer, and no waiter cycle is possible (see buffer_cache.h); being
// atomics, its acquire/release edges still order the page bytes for data-race
// checking, without a lock-order graph over thousands of frames.
class FrameLatch {
 public:
  void Lock() {
    uint32_t expected = 0;
    while (!state_.compare_exchange_weak(expected, kWriter, std::memory_order_acquire,
                                         std::memory_order_relaxed)) {
      expected = 0;
      std::this_thread::yield();
    }
  }
  void Unlock() { state_.store(0, std::memory_order_release); }
  void LockShared() {
    for (;;) {
      uint32_t current = state_.load(std::memory_order_relaxed);
      if ((current & kWriter) == 0 &&
          state_.compare_exchange_weak(current, current + 1, std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
        return;
      }
      std::this_thread::yield();
    }
  }
  void UnlockShared() { state_.fetch_sub(1, std::memory_order_release); }

 private:
  static constexpr uint32_t kWriter = 0x80000000u;
  std::atomic<uint32_t> state_{0};
};

struct Frame {
  enum class State { kFree, kLoading, kValid, kFailed };

  uint32_t db = 0;
  uint32_t pgno = 0;
  char* data = nullptr;  // page_size bytes inside one of the cache's slabs
  // The fields below are guarded by BufferCache::mu_.
  State state = State::kFree;
  int pins = 0;
  bool referenced = false;
  bool dirty = false;
  bool writing = false;
  uint64_t rec_lsn = 0;
  uint64_t wal_lsn = 0;
  Status load_status;
  // Written under mu_ or by the write-latch holder; read lock-free by
  // cursors to revalidate positions.
  std::atomic<uint64_t> stamp{0};
  FrameLatch latch;
};

// --- PageRef ---

PageRef::PageRef(PageRef&& other) noexcept
    : cache_(other.cache_), frame_(other.frame_), write_latched_(other.write_latched_) {
  other.frame_ = nullptr;
  other.write_latched_ = false;
}

PageRef& PageRef::operator=(PageRef&& other) noexcept {
  if (this != &other) {
    Reset();
    cache_ = other.cache_;
    frame_ = other.frame_;
    write_latched_ = other.write_latched_;
    other.frame_ = nullptr;
    other.write_latched_ = false;
  }
  return *this;
}

char* PageRef::data() const { return frame_->data; }
uint32_t PageRef::page_number() const { return frame_->pgno; }
uint32_t PageRef::database() const { return frame_->db; }
uint64_t PageRef::stamp() const { return frame_->stamp.load(std::memory_order_acquire); }

void PageRef::Reset() NO_THREAD_SAFETY_ANALYSIS {
  if (frame_ == nullptr) return;
  if (write_latched_) frame_->latch.Unlock();
  cache_->Unpin(frame_);
  frame_ = nullptr;
  write_latched_ = false;
}

// --- BufferCache ---

BufferCache::BufferCache(Env* env, uint32_t page_size, uint64_t max_pages)
    : env_(env), page_size_(page_size), max_pages_(std::max<uint64_t>(max_pages, 16)) {}

BufferCache::~BufferCache() = default;

void BufferCache::set_max_pages(uint64_t max_pages) {
  MutexLock lock(&mu_);
  max_pages_ = std::max<uint64_t>(max_pages, 16);
}

void BufferCache::RegisterFile(uint32_t db, File* file) {
  MutexLock lock(&mu_);
  files_[db] = FileEntry{file, 0};
}

void BufferCache::ForgetFile(uint32_t db, bool discard_dirty) {
  MutexLock lock(&mu_);
  // I/O in flight holds the File pointer outside mu_: let it finish.
  for (auto entry = files_.find(db); entry != files_.end() && entry->second.io_in_flight > 0;
       entry = files_.find(db)) {
    io_done_.Wait();
  }
  for (auto it = map_.begin(); it != map_.end();) {
    Frame* frame = it->second;
    if (frame->db != db) {
      ++it;
      continue;
    }
    assert(frame->pins == 0);
    assert(!frame->dirty || discard_dirty);
    (void)discard_dirty;
    if (frame->dirty) {
      dirty_.erase({frame->rec_lsn, frame});
      frame->dirty = false;
    }
    frame->state = Frame::State::kFree;
    it = map_.erase(it);
  }
  files_.erase(db);
}

Status BufferCache::Fetch(uint32_t db, uint32_t pgno, PageRef* ref) {
  ref->Reset();
  Frame* frame = nullptr;
  JET_RETURN_IF_ERROR(Pin(db, pgno, /*read=*/true, &frame));
  *ref = PageRef(this, frame, false);
  return Status::OK();
}

Status BufferCache::FetchForWrite(uint32_t db, uint32_t pgno, PageRef* ref) {
  JET_RETURN_IF_ERROR(Fetch(db, pgno, ref));
  ref->frame_->latch.Lock();
  ref->write_latched_ = true;
  return Status::OK();
}

Status BufferCache::NewPageForWrite(uint32_t db, uint32_t pgno, PageRef* ref) {
  ref->Reset();
  Frame* frame = nullptr;
  JET_RETURN_IF_ERROR(Pin(db, pgno, /*read=*/false, &frame));
  frame->latch.Lock();
  *ref = PageRef(this, frame, true);
  return Status::OK();
}

Status BufferCache::Pin(uint32_t db, uint32_t pgno, bool read, Frame** result) {
  const Key key = MakeKey(db, pgno);
  MutexLock lock(&mu_);
  for (;;) {
    auto it = map_.find(key);
    if (it != map_.end()) {
      Frame* frame = it->second;
      ++frame->pins;
      frame->referenced = true;
      while (frame->state == Frame::State::kLoading) io_done_.Wait();
      if (frame->state != Frame::State::kValid) {
        Status failed = frame->load_status;
        --frame->pins;
        return failed;
      }
      *result = frame;
      return Status::OK();
    }
    if (files_.find(db) == files_.end()) {
      return Status::FromCode(JET_errInvalidDatabaseId,
                              "database " + std::to_string(db) + " is not open in the cache");
    }
    Frame* frame = nullptr;
    JET_RETURN_IF_ERROR(GetVictim(&frame));
    if (map_.count(key) != 0) {
      // Someone loaded the page while GetVictim wrote a dirty page out.
      frame->pins = 0;
      frame->state = Frame::State::kFree;
      continue;
    }
    frame->db = db;
    frame->pgno = pgno;
    frame->pins = 1;
    frame->referenced = true;
    frame->dirty = false;
    frame->writing = false;
    map_[key] = frame;
    if (!read) {
      std::memset(frame->data, 0, page_size_);
      frame->state = Frame::State::kValid;
      frame->stamp.store(next_stamp_++, std::memory_order_release);
      *result = frame;
      return Status::OK();
    }
    frame->state = Frame::State::kLoading;
    FileEntry& entry = files_[db];
    File* file = entry.file;
    ++entry.io_in_flight;
    mu_.Unlock();
    size_t got = 0;
    Status status = file->Read(static_cast<uint64_t>(pgno) * page_size_, page_size_,
                               frame->data, &got);
    if (status.ok()) {
      if (got < page_size_) std::memset(frame->data + got, 0, page_size_ - got);
      status = Page(frame->data, page_size_).Verify(pgno);
      if (status.IsError()) {
        status = Status::FromCode(status.code(), std::string(status.message()) + " in " +
                                                     file->path());
      }
    }
    mu_.Lock();
    --files_[db].io_in_flight;
    ++stats_.reads;
    if (status.IsError()) {
      frame->state = Frame::State::kFailed;
      frame->load_status = status;
      --frame->pins;
      map_.erase(key);
      io_done_.SignalAll();
      return status;
    }
    frame->state = Frame::State::kValid;
    frame->stamp.store(next_stamp_++, std::memory_order_release);
    io_done_.SignalAll();
    *result = frame;
    return Status::OK();
  }
}

void BufferCache::Unpin(Frame* frame) {
  MutexLock lock(&mu_);
  assert(frame->pins > 0);
  --frame->pins;
}

Status BufferCache::GetVictim(Frame** result) {
  mu_.AssertHeld();
  for (int attempt = 0; attempt < 64; ++attempt) {
    if (frames_.size() < max_pages_) {
      // Frames and their pages come in slabs, so a large cache is a few
      // thousand allocations, not one per page (JetTerm frees it fast).
      if (frame_slabs_.empty() || slab_used_ == kFramesPerSlab) {
        const size_t bytes = size_t{kFramesPerSlab} * page_size_;
        PageSlab pages(static_cast<char*>(env_->AllocateLarge(bytes)), SlabMemory{env_, bytes});
        if (pages == nullptr) {
          return Status::FromCode(JET_errOutOfMemory,
                                  "cannot allocate " + std::to_string(bytes) + " bytes of cache");
        }
        frame_slabs_.push_back(std::make_unique<Frame[]>(kFramesPerSlab));
        page_slabs_.push_back(std::move(pages));
        slab_used_ = 0;
      }
      Frame* frame = &frame_slabs_.back()[slab_used_];
      frame->data = page_slabs_.back().get() + size_t{slab_used_} * page_size_;
      ++slab_used_;
      frame->pins = 1;
      *result = frame;
      frames_.push_back(frame);
      return Status::OK();
    }
    Frame* dirty_candidate = nullptr;
    const size_t n = frames_.size();
    for (size_t step = 0; step < 2 * n; ++step) {
      Frame* frame = frames_[clock_hand_];
      clock_hand_ = (clock_hand_ + 1) % n;
      if (frame->pins > 0 || frame->state == Frame::State::kLoading) continue;
      if (frame->state == Frame::State::kFree || frame->state == Frame::State::kFailed) {
        frame->pins = 1;
        frame->state = Frame::State::kFree;
        *result = frame;
        return Status::OK();
      }
      if (frame->referenced) {
        frame->referenced = false;
        continue;
      }
      if (frame->dirty || frame->writing) {
        if (dirty_candidate == nullptr && !frame->writing) dirty_candidate = frame;
        continue;
      }
      map_.erase(MakeKey(frame->db, frame->pgno));
      frame->state = Frame::State::kFree;
      frame->pins = 1;
      ++stats_.evictions;
      *result = frame;
      return Status::OK();
    }
    if (dirty_candidate == nullptr) {
      // Everything is pinned or being written; wait for I/O to finish.
      io_done_.WaitFor(std::chrono::milliseconds(1));
      continue;
    }
    // Every unpinned frame is dirty: write some of the oldest ones out.
    // Pinned frames are skipped: the caller may hold one of them latched
    // for writing (an MTR in progress), and copying it would deadlock.
    std::vector<std::pair<uint32_t, uint32_t>> batch;
    for (auto it = dirty_.begin(); it != dirty_.end() && batch.size() < 64; ++it) {
      const Frame* frame = it->second;
      if (!frame->writing && frame->pins == 0) batch.emplace_back(frame->db, frame->pgno);
    }
    mu_.Unlock();
    uint64_t written = 0;
    Status status = WritePages(std::move(batch), &written);
    mu_.Lock();
    JET_RETURN_IF_ERROR(status);
  }
  return Status::FromCode(JET_errOutOfBuffers,
                          "every cache frame is pinned: the cache is too small");
}

void BufferCache::MarkDirty(const PageRef& ref, uint64_t begin_lsn, uint64_t end_lsn) {
  assert(ref.write_latched());
  assert(begin_lsn < end_lsn);
  Frame* frame = ref.frame();
  MutexLock lock(&mu_);
  assert(end_lsn >= frame->wal_lsn || !frame->dirty);
  frame->wal_lsn = end_lsn;
  if (!frame->dirty) {
    frame->dirty = true;
    frame->rec_lsn = begin_lsn;
    dirty_.insert({begin_lsn, frame});
  }
  frame->stamp.store(next_stamp_++, std::memory_order_release);
}

Status BufferCache::WritePages(std::vector<std::pair<uint32_t, uint32_t>> pages,
                               uint64_t* bytes_written) {
  *bytes_written = 0;
  if (writes_disabled_.load()) {
    return Status::FromCode(JET_errInstanceUnavailable,
                            "page writes are disabled after a fatal error");
  }
  std::sort(pages.begin(), pages.end());
  pages.erase(std::unique(pages.begin(), pages.end()), pages.end());
  size_t begin = 0;
  while (begin < pages.size()) {
    size_t end = begin;
    std::vector<uint32_t> pgnos;
    while (end < pages.size() && pages[end].first == pages[begin].first) {
      pgnos.push_back(pages[end].second);
      ++end;
    }
    uint64_t written = 0;
    JET_RETURN_IF_ERROR(WriteOneDatabase(pages[begin].first, std::move(pgnos), &written));
    *bytes_written += written;
    begin = end;
  }
  return Status::OK();
}

Status BufferCache::WriteOneDatabase(uint32_t db, std::vector<uint32_t> pgnos,
                                     uint64_t* bytes_written) {
  struct Copy {
    Frame* frame;
    uint32_t pgno;
    uint64_t stamp;
    uint64_t wal_lsn;
  };
  File* file = nullptr;
  std::vector<Copy> copies;
  {
    MutexLock lock(&mu_);
    auto file_it = files_.find(db);
    if (file_it == files_.end()) return Status::OK();
    file = file_it->second.file;
    for (uint32_t pgno : pgnos) {
      auto it = map_.find(MakeKey(db, pgno));
      if (it == map_.end()) continue;
      Frame* frame = it->second;
      if (!frame->dirty || frame->writing || frame->state != Frame::State::kValid) continue;
      ++frame->pins;
      frame->writing = true;
      copies.push_back(Copy{frame, pgno, 0, 0});
    }
    if (copies.empty()) return Status::OK();
    ++file_it->second.io_in_flight;
  }

  // Runs of adjacent pages, at most kMaxPagesPerWrite long, are copied
  // (each page under its shared latch, so the writer can go on changing it
  // while the copy is written) and sealed here while RunWriter writes the
  // previous run.
  const size_t run_pages = std::min(copies.size(), kMaxPagesPerWrite);
  RunWriter writer(env_, file, log_, run_pages * page_size_,
                   /*threaded=*/copies.size() > run_pages, &bytes_submitted_);
  Status status = writer.Start();
  size_t index = 0;
  while (status.ok() && index < copies.size()) {
    char* buffer = writer.Acquire();
    if (buffer == nullptr) break;  // a write failed; Finish() says which
    size_t run_end = index + 1;
    while (run_end < copies.size() && run_end - index < kMaxPagesPerWrite &&
           copies[run_end].pgno == copies[run_end - 1].pgno + 1) {
      ++run_end;
    }
    uint64_t max_wal_lsn = 0;
    for (size_t i = index; i < run_end; ++i) {
      Copy& copy = copies[i];
      char* dst = buffer + (i - index) * page_size_;
      copy.frame->latch.LockShared();
      std::memcpy(dst, copy.frame->data, page_size_);
      {
        // Copied: the pin can go (the frame stays dirty and `writing`, so
        // it is neither evicted nor written by anyone else meanwhile).
        MutexLock lock(&mu_);
        copy.stamp = copy.frame->stamp.load(std::memory_order_acquire);
        copy.wal_lsn = copy.frame->wal_lsn;
        --copy.frame->pins;
      }
      copy.frame->latch.UnlockShared();
      max_wal_lsn = std::max(max_wal_lsn, copy.wal_lsn);
      Page page(dst, page_size_);
      page.Seal();
    }
    writer.Submit(buffer, static_cast<uint64_t>(copies[index].pgno) * page_size_,
                  (run_end - index) * page_size_, max_wal_lsn, /*tag=*/run_end);
    index = run_end;
  }
  // Pages of runs never copied (an error) are still pinned.
  if (index < copies.size()) {
    MutexLock lock(&mu_);
    for (size_t i = index; i < copies.size(); ++i) --copies[i].frame->pins;
  }
  // Copies [0, written_count) reached the file.
  size_t written_count = 0;
  if (status.ok()) {
    size_t last_tag = 0;
    bool any_written = false;
    status = writer.Finish(&last_tag, &any_written, bytes_written);
    written_count = any_written ? last_tag : 0;
  }
  if (status.ok()) status = file->Sync();

  MutexLock lock(&mu_);
  --files_[db].io_in_flight;
  for (size_t i = 0; i < copies.size(); ++i) {
    Copy& copy = copies[i];
    Frame* frame = copy.frame;
    frame->writing = false;
    if (!status.ok() || i >= written_count) continue;
    ++stats_.writes;
    stats_.bytes_written += page_size_;
    dirty_.erase({frame->rec_lsn, frame});
    if (frame->stamp.load(std::memory_order_acquire) == copy.stamp) {
      frame->dirty = false;
    } else {
      // Changed after the copy: dirty from the records after the copied
      // state, which begin at or after that state's last record's end.
      frame->rec_lsn = std::max(frame->rec_lsn, copy.wal_lsn);
      dirty_.insert({frame->rec_lsn, frame});
    }
  }
  io_done_.SignalAll();
  return status;
}

std::vector<std::pair<uint32_t, uint32_t>> BufferCache::OldestDirty(uint64_t below_lsn,
                                                                    size_t limit) {
  MutexLock lock(&mu_);
  std::vector<std::pair<uint32_t, uint32_t>> result;
  for (const auto& [rec_lsn, frame] : dirty_) {
    if (rec_lsn >= below_lsn || result.size() >= limit) break;
    result.emplace_back(frame->db, frame->pgno);
  }
  return result;
}

std::vector<std::pair<uint32_t, uint32_t>> BufferCache::AllDirty(uint32_t db) {
  MutexLock lock(&mu_);
  std::vector<std::pair<uint32_t, uint32_t>> result;
  result.reserve(dirty_.size());
  for (const auto& entry : dirty_) {
    const Frame* frame = entry.second;
    if (db == kAllDatabases || frame->db == db) result.emplace_back(frame->db, frame->pgno);
  }
  std::sort(result.begin(), result.end());
  return result;
}

Status BufferCache::FlushAll(uint32_t db, uint64_t* bytes_written) {
  *bytes_written = 0;
  // Pages another thread is writing right now are skipped by WritePages;
  // wait for those writes and look again, until nothing of `db` is dirty.
  // (Callers that need that state hold the apply mutex, so nothing new is
  // dirtied meanwhile.)
  for (;;) {
    auto pages = AllDirty(db);
    if (pages.empty()) return Status::OK();
    uint64_t written = 0;
    JET_RETURN_IF_ERROR(WritePages(std::move(pages), &written));
    *bytes_written += written;
    if (AllDirty(db).empty()) return Status::OK();
    MutexLock lock(&mu_);
    io_done_.WaitFor(std::chrono::milliseconds(1));
  }
}

uint64_t BufferCache::OldestDirtyLsn() {
  MutexLock lock(&mu_);
  return dirty_.empty() ? UINT64_MAX : dirty_.begin()->first;
}

uint64_t BufferCache::DirtyPageCount() {
  MutexLock lock(&mu_);
  return dirty_.size();
}

CacheStats BufferCache::Stats() {
  MutexLock lock(&mu_);
  CacheStats stats = stats_;
  stats.bytes_submitted = bytes_submitted_.load(std::memory_order_relaxed);
  stats.frames_in_use = map_.size();
  stats.dirty_pages = dirty_.size();
  return stats;
}

Status BufferCache::AssertValid() {
  MutexLock lock(&mu_);
  size_t dirty_frames = 0;
  for (Frame* frame : frames_) {
    if (frame->dirty) {
      ++dirty_frames;
      if (frame->rec_lsn >= frame->wal_lsn) {
        return Status::Corruption("cache: rec_lsn not before wal_lsn for page " +
                                  std::to_string(frame->pgno));
      }
      if (dirty_.count({frame->rec_lsn, frame}) == 0) {
        return Status::Corruption("cache: dirty page missing from the dirty set");
      }
    }
    if (frame->pins < 0) return Status::Corruption("cache: negative pin count");
  }
  if (dirty_frames != dirty_.size()) {
    return Status::Corruption("cache: dirty set holds clean frames");
  }
  for (const auto& [key, frame] : map_) {
    if (MakeKey(frame->db, frame->pgno) != key) {
      return Status::Corruption("cache: frame key does not match the map");
    }
  }
  return Status::OK();
}

}  // namespace jetsvc
