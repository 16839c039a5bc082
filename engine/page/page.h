// Page: a view over one fixed-size database page, and its slotted-node
// format (layout in page/FORMAT.md).
//
// A Page does not own its bytes. Every change made through it marks the
// 16-byte chunks it touched in an optional ChunkMap; the MTR turns those
// chunks into the page's log record (DESIGN.md D3), so no before-image copy
// is needed.
//
// Invariants (checked by AssertValid):
//  1. Slots are sorted by node key (byte order, memcmp), strictly increasing.
//  2. Every slot points inside the node heap [kPageHeaderSize, data_end),
//     and nodes do not overlap.
//  3. data_end + 2 * node_count <= page_size.
//  4. fragmented_bytes == (data_end - kPageHeaderSize) - sum(node sizes).
//  5. The checksum covers bytes [4, page_size); the dbtime field (8..16)
//     and the checksum are never part of a logged diff: the dbtime is set
//     from the MTR record, the checksum when the page is written.
//  6. dbtime is the database's change counter at the page's last change;
//     redo applies an MTR record to a page iff page.dbtime < record dbtime
//     (ESE's redo condition). It increases with every MTR of the database
//     and survives log streams being replaced, unlike an LSN.
//
// Thread contract: none; the caller holds the latch that protects the bytes.

#ifndef JETSVC_ENGINE_PAGE_PAGE_H_
#define JETSVC_ENGINE_PAGE_PAGE_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/util/status.h"

namespace jetsvc {

constexpr uint32_t kMinPageSize = 4096;
constexpr uint32_t kMaxPageSize = 32768;
constexpr uint32_t kPageHeaderSize = 40;
constexpr uint32_t kChunkSize = 16;
constexpr uint32_t kSlotSize = 2;
constexpr uint32_t kNodeHeaderSize = 5;

// Header field offsets (see FORMAT.md).
constexpr uint32_t kOffChecksum = 0;
constexpr uint32_t kOffPageNumber = 4;
constexpr uint32_t kOffDbtime = 8;
constexpr uint32_t kOffObjectId = 16;
constexpr uint32_t kOffPrev = 20;
constexpr uint32_t kOffNext = 24;
constexpr uint32_t kOffFlags = 28;
constexpr uint32_t kOffNodeCount = 30;
constexpr uint32_t kOffDataEnd = 32;
constexpr uint32_t kOffFragmented = 34;
constexpr uint32_t kOffType = 36;
constexpr uint32_t kOffLevel = 37;

enum class PageType : uint8_t {
  kUninitialized = 0,  // never written (all zero bytes)
  kTree = 1,           // a B+tree page (leaf or internal)
  kSpaceRoot = 2,      // page 2: allocation state of the database
  kFreeTrunk = 3,      // a free-list trunk page (holds free page numbers)
  kFree = 4,           // a page on the free list (content ignored)
};

// Tree page flags.
constexpr uint16_t kPageFlagRoot = 0x1;

// Node flags.
constexpr uint8_t kNodeDeleted = 0x1;  // flag-deleted; removed by cleanup

bool IsValidPageSize(uint32_t page_size);

// Which 16-byte chunks of a page changed.
class ChunkMap {
 public:
  void Mark(uint32_t offset, uint32_t length);
  void MarkAll(uint32_t page_size) { Mark(0, page_size); }
  bool Test(uint32_t chunk) const { return bits_.test(chunk); }
  bool Any() const { return bits_.any(); }
  void Clear() { bits_.reset(); }

 private:
  std::bitset<kMaxPageSize / kChunkSize> bits_;
};

struct NodeView {
  std::string_view key;
  std::string_view value;
  uint8_t flags = 0;
  bool deleted() const { return (flags & kNodeDeleted) != 0; }
};

class Page {
 public:
  Page(char* data, uint32_t page_size, ChunkMap* dirty = nullptr)
      : data_(data), size_(page_size), dirty_(dirty) {}

  char* data() { return data_; }
  const char* data() const { return data_; }
  uint32_t size() const { return size_; }

  // --- header ---
  uint32_t page_number() const { return Get32(kOffPageNumber); }
  uint64_t dbtime() const;
  uint32_t object_id() const { return Get32(kOffObjectId); }
  uint32_t prev() const { return Get32(kOffPrev); }
  uint32_t next() const { return Get32(kOffNext); }
  uint16_t flags() const { return Get16(kOffFlags); }
  bool is_root() const { return (flags() & kPageFlagRoot) != 0; }
  PageType type() const { return static_cast<PageType>(static_cast<uint8_t>(data_[kOffType])); }
  uint8_t level() const { return static_cast<uint8_t>(data_[kOffLevel]); }
  bool is_leaf() const { return level() == 0; }
  int node_count() const { return Get16(kOffNodeCount); }
  uint32_t data_end() const { return Get16(kOffDataEnd); }
  uint32_t fragmented_bytes() const { return Get16(kOffFragmented); }
  bool IsAllZero() const;

  void set_page_number(uint32_t pgno) { Put32(kOffPageNumber, pgno); }
  // Not logged as a diff (see invariant 5).
  void set_dbtime(uint64_t dbtime);
  void set_object_id(uint32_t objid) { Put32(kOffObjectId, objid); }
  void set_prev(uint32_t pgno) { Put32(kOffPrev, pgno); }
  void set_next(uint32_t pgno) { Put32(kOffNext, pgno); }
  void set_flags(uint16_t flags) { Put16(kOffFlags, flags); }
  void set_type(PageType type);
  void set_level(uint8_t level);

  // Empties the page and makes it a tree page of object `objid`. Keeps
  // the page number and dbtime.
  void FormatTree(uint32_t objid, uint8_t level, uint16_t flags);
  // Zeroes everything after the header and sets the type (space, trunk,
  // free pages use the body as they like).
  void FormatRaw(PageType type);

  // --- nodes (tree pages) ---
  NodeView node(int slot) const;
  // Index of the first node with key >= `key` (node_count() if none);
  // *found says whether that node's key equals `key`.
  int LowerBound(std::string_view key, bool* found) const;
  // Bytes one node with these sizes takes, slot included.
  static uint32_t NodeFootprint(size_t key_size, size_t value_size) {
    return static_cast<uint32_t>(kNodeHeaderSize + key_size + value_size + kSlotSize);
  }
  // Bytes available for nodes on an empty page of this size.
  static uint32_t Capacity(uint32_t page_size) { return page_size - kPageHeaderSize; }
  // The largest node footprint a tree accepts: a third of the capacity, so
  // a split always yields two halves that fit.
  static uint32_t MaxNodeFootprint(uint32_t page_size) { return Capacity(page_size) / 3; }
  // Free bytes, counting fragmented space that compaction would reclaim.
  uint32_t FreeBytes() const;
  uint32_t UsedBytes() const { return Capacity(size_) - FreeBytes(); }
  bool CanFit(uint32_t footprint) const { return FreeBytes() >= footprint; }

  // REQUIRES: CanFit(NodeFootprint(key, value)); 0 <= slot <= node_count();
  // the key keeps slots sorted.
  void InsertNode(int slot, std::string_view key, std::string_view value, uint8_t flags);
  void RemoveNode(int slot);
  // Replaces the value (and flags), keeping the key.
  // REQUIRES: the page can hold the new size (FreeBytes() + old value size).
  void ReplaceNode(int slot, std::string_view value, uint8_t flags);
  void SetNodeFlags(int slot, uint8_t flags);
  // Rewrites the heap without holes.
  void Compact();

  // --- raw body access (space, trunk pages) ---
  void WriteRaw(uint32_t offset, std::string_view bytes);
  uint32_t Get32(uint32_t offset) const;
  void Put32(uint32_t offset, uint32_t value);
  uint64_t Get64(uint32_t offset) const;
  void Put64(uint32_t offset, uint64_t value);

  // --- checksum ---
  // Computes and stores the checksum (not a logged change).
  void Seal();
  // Checks the checksum and that the page is page `expected_pgno`.
  // An all-zero page is valid (never written). Errors:
  // JET_errReadVerifyFailure.
  Status Verify(uint32_t expected_pgno) const;

  // Checks the invariants above; returns a Corruption status naming the
  // first one broken (used on every page read and in debug builds).
  Status AssertValid() const;

 private:
  uint16_t Get16(uint32_t offset) const;
  void Put16(uint32_t offset, uint16_t value);
  uint32_t SlotOffset(int slot) const { return size_ - kSlotSize * (slot + 1); }
  uint32_t NodeOffset(int slot) const { return Get16(SlotOffset(slot)); }
  uint32_t NodeSize(uint32_t offset) const;
  void Mark(uint32_t offset, uint32_t length) {
    if (dirty_ != nullptr) dirty_->Mark(offset, length);
  }
  // Makes at least `bytes` contiguous at data_end, compacting if needed.
  void EnsureContiguous(uint32_t bytes);

  char* const data_;
  const uint32_t size_;
  ChunkMap* const dirty_;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_PAGE_PAGE_H_
