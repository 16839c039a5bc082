// Space: page allocation inside one database file.
//
// State lives in logged pages, so recovery rebuilds it with everything
// else: the space root (page 2) holds the file size in pages, the
// high-water mark (first page never handed out), the head of the free list
// and the free count. Freed pages form a LIFO free list of trunk pages;
// each trunk holds a count and an array of free page numbers and links to
// the next trunk. A freed page becomes a trunk itself when the head trunk
// is full, so freeing never needs a page.
//
// Space root body (offsets from the page start, after the 40-byte header):
//   40 u32 magic 'SPCE' | 44 u32 owned_pages | 48 u32 high_water |
//   52 u32 free_head | 56 u32 free_count | 60 u32 max_pages (0 = no limit)
// Trunk body: 40 u32 next_trunk | 44 u32 count | 48 u32 pgno[count]
//
// Invariants:
//  1. kFirstDataPage <= high_water <= owned_pages.
//  2. Every page in [kFirstDataPage, high_water) is owned by exactly one
//     tree, is a trunk, or is listed in one trunk (defrag/tests check it).
//  3. free_count == number of trunks + pages listed in them.
//  4. Allocation depends only on page contents (DESIGN.md D3 determinism).
//
// Thread contract: the caller holds the apply mutex (all calls change or
// read state that only the writer changes).

#ifndef JETSVC_ENGINE_SPACE_SPACE_H_
#define JETSVC_ENGINE_SPACE_SPACE_H_

#include <cstdint>

#include "engine/btree/mtr.h"
#include "engine/util/status.h"
#include "platform/env.h"

namespace jetsvc {

constexpr uint32_t kHeaderPage = 0;
constexpr uint32_t kShadowHeaderPage = 1;
constexpr uint32_t kSpaceRootPage = 2;
constexpr uint32_t kDirectoryRootPage = 3;
constexpr uint32_t kCatalogRootPage = 4;
constexpr uint32_t kFirstDataPage = 5;

struct SpaceInfo {
  uint32_t owned_pages = 0;
  uint32_t high_water = 0;
  uint32_t free_pages = 0;
  uint32_t max_pages = 0;
};

class Space {
 public:
  // `file` is the database file (grown with SetSize); `extension_pages` is
  // JET_paramDbExtensionSize.
  Space(uint32_t db, File* file, uint32_t page_size, uint32_t extension_pages)
      : db_(db), file_(file), page_size_(page_size), extension_pages_(extension_pages) {}

  void set_extension_pages(uint32_t pages) { extension_pages_ = pages; }

  // Formats the space root of a new database of `initial_pages` pages
  // (covering pages 0..initial_pages-1); `max_pages` 0 = unlimited.
  Status Format(Mtr* mtr, uint32_t initial_pages, uint32_t max_pages);

  // Makes sure `pages` allocations can succeed without growing past
  // max_pages, growing the file now if needed. Errors:
  // JET_errOutOfDatabaseSpace (the limit), JET_errDiskFull.
  Status Reserve(Mtr* mtr, uint32_t pages);
  // Hands out one page. Its old content is meaningless; format it.
  Status Allocate(Mtr* mtr, uint32_t* pgno);
  // Returns a page to the free list. REQUIRES: it is owned by no tree.
  Status Free(Mtr* mtr, uint32_t pgno);

  Status GetInfo(BufferCache* cache, SpaceInfo* info);

 private:
  Status Grow(Mtr* mtr, Page* root, uint32_t pages);

  const uint32_t db_;
  File* const file_;
  const uint32_t page_size_;
  uint32_t extension_pages_;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_SPACE_SPACE_H_
