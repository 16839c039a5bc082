// BTree: a B+tree of (key, value, flags) nodes over cache pages.
//
// One tree per table (the clustered tree), per secondary index, per
// long-value store, plus the catalog and the object directory. The root
// page number never changes: a root split moves the root's nodes into a new
// child, a root collapse pulls the only child's nodes back up.
//
// Invariants (checked by AssertValid):
//  1. Within a page, keys strictly increase (memcmp order).
//  2. Internal pages: node i = (separator s_i, child c_i), s_0 is empty
//     (minus infinity); every key k under c_i has s_i <= k < s_{i+1}.
//  3. All leaves are at level 0 and linked left-to-right by prev/next in
//     key order; each level is linked the same way.
//  4. Every node's footprint is at most Page::MaxNodeFootprint, so a split
//     always fits (see page.h).
//  5. A non-root internal page has at least one child. Only the root, or
//     a page that is its parent's only child (left when the parent's
//     sibling had no room to absorb it), may be empty.
//
// Latching (DESIGN.md D5): readers hold latch() shared around each cursor
// operation; the single writer (apply mutex held) holds it exclusively
// around each change. Changes go through an Mtr.
//
// Thread contract: as above; a BTree object itself is immutable.

#ifndef JETSVC_ENGINE_BTREE_BTREE_H_
#define JETSVC_ENGINE_BTREE_BTREE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/btree/mtr.h"
#include "engine/cache/buffer_cache.h"
#include "engine/space/space.h"
#include "engine/util/mutex.h"
#include "engine/util/status.h"

namespace jetsvc {

// What online defrag needs to know about one leaf.
struct LeafInfo {
  bool valid = false;
  uint32_t pgno = 0;
  bool is_root = false;
  int node_count = 0;
  uint32_t used_bytes = 0;
  std::string last_key;
  std::vector<std::string> deleted_keys;  // flag-deleted nodes
};

struct BTreeStats {
  uint64_t entries = 0;          // nodes in leaves, flag-deleted included
  uint64_t deleted_entries = 0;  // flag-deleted nodes
  uint64_t leaf_pages = 0;
  uint64_t internal_pages = 0;
  uint32_t height = 0;
  uint64_t used_bytes = 0;       // of leaf capacity
  std::vector<uint32_t> pages;   // every page of the tree
};

// Called by BTree::Put/SetDeleted with the node as it is before the change
// (present or not), while the tree latch is held exclusively and before the
// page changes — the version store records before-images there
// (version_store.h invariant 5).
using BeforeChange =
    std::function<void(bool existed, std::string_view old_value, uint8_t old_flags)>;

class BTree {
 public:
  BTree(BufferCache* cache, uint32_t db, uint32_t objid, uint32_t root_pgno);
  BTree(const BTree&) = delete;
  BTree& operator=(const BTree&) = delete;

  uint32_t db() const { return db_; }
  uint32_t objid() const { return objid_; }
  uint32_t root() const { return root_; }
  SharedMutex* latch() { return &latch_; }
  BufferCache* cache() const { return cache_; }

  // Formats page `root_pgno` (already allocated) as the empty root of
  // object `objid`.
  static Status CreateRoot(Mtr* mtr, uint32_t db, uint32_t objid, uint32_t root_pgno);

  // The largest key+value a node may hold on this page size.
  static uint32_t MaxNodePayload(uint32_t page_size) {
    return Page::MaxNodeFootprint(page_size) - Page::NodeFootprint(0, 0);
  }
  // Pages a single Put may allocate (one per level, plus a root split).
  Status WorstCasePages(uint32_t* pages);

  // --- writer operations: apply mutex held; latch taken inside ---
  // Inserts or replaces the node for `key`; clears the deleted flag unless
  // `flags` carries it. Errors: JET_errRecordTooBig if the node exceeds
  // MaxNodePayload. `reserve` false skips reserving pages for a split (the
  // caller reserved them, e.g. for a whole commit).
  Status Put(Mtr* mtr, Space* space, std::string_view key, std::string_view value,
             uint8_t flags = 0, const BeforeChange* before = nullptr, bool reserve = true);
  // Sets or clears the deleted flag of an existing node (no change if it
  // already has that state). *found says if the key existed.
  Status SetDeleted(Mtr* mtr, std::string_view key, bool deleted, bool* found,
                    const BeforeChange* before = nullptr);
  // Removes the node physically, merging underfull pages. *found says if
  // the key existed.
  Status Remove(Mtr* mtr, Space* space, std::string_view key, bool* found);
  // Merges `leaf_pgno` with a neighbour if both fit in one page (online
  // defrag). *merged says if anything changed.
  Status TryMergeLeaf(Mtr* mtr, Space* space, uint32_t leaf_pgno, bool* merged);
  // Frees every page of the tree, root included.
  Status Drop(Mtr* mtr, Space* space);

  // --- reader operations (latch held shared, or by the writer) ---
  // Point lookup. *found false if absent; a flag-deleted node is returned
  // with its flags (callers decide visibility).
  Status Get(std::string_view key, std::string* value, uint8_t* flags, bool* found);
  Status ComputeStats(BTreeStats* stats);
  // The leaf holding the first key >= `key` (info->valid false past the
  // last key).
  Status LeafAt(std::string_view key, LeafInfo* info);
  Status AssertValid();

 private:
  friend class BTreeCursor;
  struct PathEntry {
    uint32_t pgno;
    int slot;  // child slot taken in this internal page
  };

  // Descends to the leaf that would hold `key`; path gets the internal
  // pages visited (root first).
  Status FindLeaf(std::string_view key, std::vector<PathEntry>* path, uint32_t* leaf);
  // Inserts a node into the page at path level `level_index` (path.size()
  // = leaf), splitting upward as needed.
  Status InsertIntoPage(Mtr* mtr, Space* space, std::vector<PathEntry>* path, uint32_t pgno,
                        int slot, std::string_view key, std::string_view value, uint8_t flags);
  Status SplitRoot(Mtr* mtr, Space* space, Page* root, uint32_t* child_pgno);
  Status RemoveFromParent(Mtr* mtr, Space* space, std::vector<PathEntry>* path, int depth);
  Status MergeIfUnderfull(Mtr* mtr, Space* space, std::vector<PathEntry>* path, uint32_t pgno,
                          bool force, bool* merged);
  Status CollapseRoot(Mtr* mtr, Space* space);
  Status CheckTreePage(const Page& page, uint32_t pgno) const;

  BufferCache* const cache_;
  const uint32_t db_;
  const uint32_t objid_;
  const uint32_t root_;
  SharedMutex latch_;
};

// A position in a BTree. Holds a pin on its leaf only while the caller
// holds the tree latch; Save() before releasing the latch and Restore()
// after taking it again (the position is re-found by key if the page
// changed meanwhile).
class BTreeCursor {
 public:
  friend class BTree;
  explicit BTreeCursor(BTree* tree) : tree_(tree) {}
  // Points the cursor at another tree (or null); invalidates it.
  void Reset(BTree* tree) {
    Invalidate();
    tree_ = tree;
  }

  // Positions on the first node with key >= `key`; !Valid() if none.
  Status SeekGE(std::string_view key);
  // Positions on the last node with key <= `key`; !Valid() if none.
  Status SeekLE(std::string_view key);
  Status First();
  Status Last();
  Status Next();
  Status Prev();

  bool Valid() const { return leaf_.valid() && slot_ >= 0; }
  NodeView node() const;

  // Remembers the position and drops the pin.
  void Save();
  // Re-establishes a saved position: if the leaf is unchanged, exactly; if
  // not, on the first node >= the saved key (*exact false if that node's
  // key differs).
  Status Restore(bool* exact);
  void Invalidate();

 private:
  Status LoadLeaf(uint32_t pgno);
  Status SkipForwardToValid();
  Status SkipBackwardToValid();

  BTree* tree_;
  PageRef leaf_;
  int slot_ = -1;
  // Saved position.
  bool saved_ = false;
  std::string saved_key_;
  uint32_t saved_pgno_ = 0;
  int saved_slot_ = -1;
  uint64_t saved_stamp_ = 0;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_BTREE_BTREE_H_
