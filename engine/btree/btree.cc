#include "engine/btree/btree.h"

#include <algorithm>
#include <cassert>
#include <deque>

#include "engine/util/coding.h"
#include "esent.h"

namespace jetsvc {

namespace {

constexpr int kMaxTreeDepth = 32;

struct NodeCopy {
  std::string key;
  std::string value;
  uint8_t flags = 0;
};

std::string EncodeChild(uint32_t pgno) {
  std::string value(4, '\0');
  EncodeFixed32(value.data(), pgno);
  return value;
}

Status DecodeChild(const NodeView& node, uint32_t* pgno) {
  if (node.value.size() != 4) return Status::Corruption("internal node without a child page");
  *pgno = DecodeFixed32(node.value.data());
  if (*pgno < kFirstDataPage) return Status::Corruption("internal node points at a reserved page");
  return Status::OK();
}

// Shortest key s with left < s <= right. REQUIRES: left < right.
std::string ShortestSeparator(std::string_view left, std::string_view right) {
  size_t n = 0;
  while (n < left.size() && n < right.size() && left[n] == right[n]) ++n;
  // right[0..n] (one byte past the common prefix) is > left and <= right.
  return std::string(right.substr(0, std::min(n + 1, right.size())));
}

std::vector<NodeCopy> CopyNodes(const Page& page) {
  std::vector<NodeCopy> nodes(page.node_count());
  for (int i = 0; i < page.node_count(); ++i) {
    const NodeView node = page.node(i);
    nodes[i].key.assign(node.key);
    nodes[i].value.assign(node.value);
    nodes[i].flags = node.flags;
  }
  return nodes;
}

uint32_t Footprint(const NodeCopy& node) {
  return Page::NodeFootprint(node.key.size(), node.value.size());
}

}  // namespace

BTree::BTree(BufferCache* cache, uint32_t db, uint32_t objid, uint32_t root_pgno)
    : cache_(cache), db_(db), objid_(objid), root_(root_pgno) {}

Status BTree::CreateRoot(Mtr* mtr, uint32_t db, uint32_t objid, uint32_t root_pgno) {
  Page* root = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetNewPage(db, root_pgno, &root));
  root->set_page_number(root_pgno);
  root->FormatTree(objid, 0, kPageFlagRoot);
  return Status::OK();
}

Status BTree::CheckTreePage(const Page& page, uint32_t pgno) const {
  if (page.type() != PageType::kTree || page.object_id() != objid_) {
    return Status::Corruption("page " + std::to_string(pgno) + " does not belong to object " +
                              std::to_string(objid_));
  }
#ifndef NDEBUG
  JET_RETURN_IF_ERROR(page.AssertValid());
#endif
  return Status::OK();
}

Status BTree::WorstCasePages(uint32_t* pages) {
  PageRef ref;
  JET_RETURN_IF_ERROR(cache_->Fetch(db_, root_, &ref));
  Page root(ref.data(), cache_->page_size());
  JET_RETURN_IF_ERROR(CheckTreePage(root, root_));
  *pages = static_cast<uint32_t>(root.level()) + 2;
  return Status::OK();
}

Status BTree::FindLeaf(std::string_view key, std::vector<PathEntry>* path, uint32_t* leaf) {
  if (path != nullptr) path->clear();
  uint32_t pgno = root_;
  for (int depth = 0; depth < kMaxTreeDepth; ++depth) {
    PageRef ref;
    JET_RETURN_IF_ERROR(cache_->Fetch(db_, pgno, &ref));
    Page page(ref.data(), cache_->page_size());
    JET_RETURN_IF_ERROR(CheckTreePage(page, pgno));
    if (page.is_leaf()) {
      *leaf = pgno;
      return Status::OK();
    }
    if (page.node_count() == 0) {
      return Status::Corruption("internal page " + std::to_string(pgno) + " is empty");
    }
    bool found = false;
    int slot = page.LowerBound(key, &found);
    if (!found) slot = std::max(slot - 1, 0);
    if (path != nullptr) path->push_back(PathEntry{pgno, slot});
    JET_RETURN_IF_ERROR(DecodeChild(page.node(slot), &pgno));
  }
  return Status::Corruption("B+tree of object " + std::to_string(objid_) + " is too deep");
}

Status BTree::Get(std::string_view key, std::string* value, uint8_t* flags, bool* found) {
  *found = false;
  uint32_t leaf = 0;
  JET_RETURN_IF_ERROR(FindLeaf(key, nullptr, &leaf));
  PageRef ref;
  JET_RETURN_IF_ERROR(cache_->Fetch(db_, leaf, &ref));
  Page page(ref.data(), cache_->page_size());
  const int slot = page.LowerBound(key, found);
  if (*found) {
    const NodeView node = page.node(slot);
    if (value != nullptr) value->assign(node.value);
    if (flags != nullptr) *flags = node.flags;
  }
  return Status::OK();
}

Status BTree::Put(Mtr* mtr, Space* space, std::string_view key, std::string_view value,
                  uint8_t flags, const BeforeChange* before, bool reserve) {
  const uint32_t page_size = cache_->page_size();
  if (key.size() + value.size() > MaxNodePayload(page_size)) {
    return Status::FromCode(JET_errRecordTooBig,
                            "a node of " + std::to_string(key.size() + value.size()) +
                                " bytes exceeds the limit of " +
                                std::to_string(MaxNodePayload(page_size)));
  }
  WriterLock lock(&latch_);
  if (reserve) {
    uint32_t worst_case = 0;
    JET_RETURN_IF_ERROR(WorstCasePages(&worst_case));
    JET_RETURN_IF_ERROR(space->Reserve(mtr, worst_case));
  }
  std::vector<PathEntry> path;
  uint32_t leaf = 0;
  JET_RETURN_IF_ERROR(FindLeaf(key, &path, &leaf));
  Page* page = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, leaf, &page));
  bool found = false;
  const int slot = page->LowerBound(key, &found);
  if (before != nullptr) {
    if (found) {
      const NodeView old = page->node(slot);
      (*before)(true, old.value, old.flags);
    } else {
      (*before)(false, std::string_view(), 0);
    }
  }
  if (found) {
    const NodeView old = page->node(slot);
    const uint32_t old_footprint = Page::NodeFootprint(old.key.size(), old.value.size());
    if (page->FreeBytes() + old_footprint >= Page::NodeFootprint(key.size(), value.size())) {
      page->ReplaceNode(slot, value, flags);
      return Status::OK();
    }
    page->RemoveNode(slot);
  }
  return InsertIntoPage(mtr, space, &path, leaf, slot, key, value, flags);
}

Status BTree::SplitRoot(Mtr* mtr, Space* space, Page* root, uint32_t* child_pgno) {
  JET_RETURN_IF_ERROR(space->Allocate(mtr, child_pgno));
  Page* child = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetNewPage(db_, *child_pgno, &child));
  child->set_page_number(*child_pgno);
  child->FormatTree(objid_, root->level(), 0);
  for (int i = 0; i < root->node_count(); ++i) {
    const NodeView node = root->node(i);
    child->InsertNode(i, node.key, node.value, node.flags);
  }
  const uint8_t level = root->level();
  root->FormatTree(objid_, static_cast<uint8_t>(level + 1), kPageFlagRoot);
  root->InsertNode(0, std::string_view(), EncodeChild(*child_pgno), 0);
  return Status::OK();
}

Status BTree::InsertIntoPage(Mtr* mtr, Space* space, std::vector<PathEntry>* path,
                             uint32_t pgno, int slot, std::string_view key,
                             std::string_view value, uint8_t flags) {
  const uint32_t page_size = cache_->page_size();
  Page* page = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, pgno, &page));
  const uint32_t footprint = Page::NodeFootprint(key.size(), value.size());
  if (page->CanFit(footprint)) {
    page->InsertNode(slot, key, value, flags);
    return Status::OK();
  }
  if (pgno == root_) {
    uint32_t child = 0;
    JET_RETURN_IF_ERROR(SplitRoot(mtr, space, page, &child));
    path->push_back(PathEntry{root_, 0});
    return InsertIntoPage(mtr, space, path, child, slot, key, value, flags);
  }

  // Split: the nodes plus the new one, in order, divided between this page
  // and a new right sibling.
  std::vector<NodeCopy> nodes = CopyNodes(*page);
  NodeCopy inserted{std::string(key), std::string(value), flags};
  nodes.insert(nodes.begin() + slot, inserted);
  const size_t n = nodes.size();
  const uint32_t capacity = Page::Capacity(page_size);
  uint32_t total = 0;
  for (const NodeCopy& node : nodes) total += Footprint(node);

  size_t split = 0;  // nodes [0, split) stay on the left
  if (slot == static_cast<int>(n) - 1 && page->next() == 0) {
    // Appending at the right edge of the tree (sequential keys): leave the
    // left page full and start the right one with the new node.
    split = n - 1;
  } else {
    uint32_t left_bytes = 0;
    while (split < n - 1 && left_bytes + Footprint(nodes[split]) <= total / 2) {
      left_bytes += Footprint(nodes[split]);
      ++split;
    }
    if (split == 0) split = 1;
  }
  uint32_t left_bytes = 0;
  for (size_t i = 0; i < split; ++i) left_bytes += Footprint(nodes[i]);
  if (left_bytes > capacity || total - left_bytes > capacity) {
    // Cannot happen while nodes respect MaxNodeFootprint (invariant 4).
    return Status::Corruption("B+tree split does not fit; node sizes exceed the page limit");
  }

  uint32_t right_pgno = 0;
  JET_RETURN_IF_ERROR(space->Allocate(mtr, &right_pgno));
  Page* right = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetNewPage(db_, right_pgno, &right));
  right->set_page_number(right_pgno);

  const uint8_t level = page->level();
  const uint32_t old_prev = page->prev();
  const uint32_t old_next = page->next();
  std::string separator;
  if (level == 0) {
    separator = ShortestSeparator(nodes[split - 1].key, nodes[split].key);
  } else {
    // The right page's first separator moves up; its own becomes -inf.
    separator = nodes[split].key;
    nodes[split].key.clear();
  }

  page->FormatTree(objid_, level, 0);
  for (size_t i = 0; i < split; ++i) {
    page->InsertNode(static_cast<int>(i), nodes[i].key, nodes[i].value, nodes[i].flags);
  }
  right->FormatTree(objid_, level, 0);
  for (size_t i = split; i < n; ++i) {
    right->InsertNode(static_cast<int>(i - split), nodes[i].key, nodes[i].value, nodes[i].flags);
  }
  page->set_prev(old_prev);
  page->set_next(right_pgno);
  right->set_prev(pgno);
  right->set_next(old_next);
  if (old_next != 0) {
    Page* next_page = nullptr;
    JET_RETURN_IF_ERROR(mtr->GetPage(db_, old_next, &next_page));
    next_page->set_prev(right_pgno);
  }

  if (path->empty()) return Status::Corruption("non-root page without a parent");
  const PathEntry parent = path->back();
  path->pop_back();
  return InsertIntoPage(mtr, space, path, parent.pgno, parent.slot + 1, separator,
                        EncodeChild(right_pgno), 0);
}

Status BTree::SetDeleted(Mtr* mtr, std::string_view key, bool deleted, bool* found,
                         const BeforeChange* before) {
  WriterLock lock(&latch_);
  uint32_t leaf = 0;
  JET_RETURN_IF_ERROR(FindLeaf(key, nullptr, &leaf));
  Page* page = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, leaf, &page));
  const int slot = page->LowerBound(key, found);
  if (!*found) {
    if (before != nullptr) (*before)(false, std::string_view(), 0);
    return Status::OK();
  }
  const NodeView node = page->node(slot);
  if (before != nullptr) (*before)(true, node.value, node.flags);
  const uint8_t flags = node.flags;
  const uint8_t wanted = deleted ? static_cast<uint8_t>(flags | kNodeDeleted)
                                 : static_cast<uint8_t>(flags & ~kNodeDeleted);
  if (wanted != flags) page->SetNodeFlags(slot, wanted);
  return Status::OK();
}

Status BTree::Remove(Mtr* mtr, Space* space, std::string_view key, bool* found) {
  WriterLock lock(&latch_);
  std::vector<PathEntry> path;
  uint32_t leaf = 0;
  JET_RETURN_IF_ERROR(FindLeaf(key, &path, &leaf));
  Page* page = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, leaf, &page));
  const int slot = page->LowerBound(key, found);
  if (!*found) return Status::OK();
  page->RemoveNode(slot);
  bool merged = false;
  return MergeIfUnderfull(mtr, space, &path, leaf, /*force=*/false, &merged);
}

Status BTree::TryMergeLeaf(Mtr* mtr, Space* space, uint32_t leaf_pgno, bool* merged) {
  *merged = false;
  WriterLock lock(&latch_);
  std::string key;
  {
    PageRef ref;
    JET_RETURN_IF_ERROR(cache_->Fetch(db_, leaf_pgno, &ref));
    Page page(ref.data(), cache_->page_size());
    JET_RETURN_IF_ERROR(CheckTreePage(page, leaf_pgno));
    if (!page.is_leaf() || page.node_count() == 0 || leaf_pgno == root_) return Status::OK();
    key.assign(page.node(0).key);
  }
  std::vector<PathEntry> path;
  uint32_t leaf = 0;
  JET_RETURN_IF_ERROR(FindLeaf(key, &path, &leaf));
  if (leaf != leaf_pgno) return Status::OK();
  return MergeIfUnderfull(mtr, space, &path, leaf, /*force=*/true, merged);
}

Status BTree::MergeIfUnderfull(Mtr* mtr, Space* space, std::vector<PathEntry>* path,
                               uint32_t pgno, bool force, bool* merged) {
  const uint32_t capacity = Page::Capacity(cache_->page_size());
  if (pgno == root_) return CollapseRoot(mtr, space);
  Page* page = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, pgno, &page));
  // Background merges (force) take pages up to half full; deletes only
  // bother below a quarter.
  const uint32_t threshold = force ? capacity / 2 : capacity / 4;
  if (page->node_count() > 0 && page->UsedBytes() >= threshold) return Status::OK();
  if (path->empty()) return Status::Corruption("non-root page without a parent");
  const PathEntry parent = path->back();
  Page* parent_page = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, parent.pgno, &parent_page));
  if (parent_page->node_count() < 2) return Status::OK();

  // Merge the right page of a pair into the left one; the pair is this
  // page and its left sibling, or (for the first child) its right sibling.
  const int right_slot = parent.slot > 0 ? parent.slot : 1;
  uint32_t left_pgno = 0;
  uint32_t right_pgno = 0;
  JET_RETURN_IF_ERROR(DecodeChild(parent_page->node(right_slot - 1), &left_pgno));
  JET_RETURN_IF_ERROR(DecodeChild(parent_page->node(right_slot), &right_pgno));
  Page* left = nullptr;
  Page* right = nullptr;
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, left_pgno, &left));
  JET_RETURN_IF_ERROR(mtr->GetPage(db_, right_pgno, &right));
  JET_RETURN_IF_ERROR(CheckTreePage(*left, left_pgno));
  JET_RETURN_IF_ERROR(CheckTreePage(*right, right_pgno));
  if (left->level() != right->level() || left->next() != right_pgno) {
    return Status::Corruption("sibling links disagree with the parent at page " +
                              std::to_string(parent.pgno));
  }
  const std::string separator(parent_page->node(right_slot).key);
  std::vector<NodeCopy> moving = CopyNodes(*right);
  if (!moving.empty() && right->level() > 0) moving[0].key = separator;
  uint32_t needed = 0;
  for (const NodeCopy& node : moving) needed += Footprint(node);
  // Keep some room after a merge, so the next insert does not split again.
  const uint32_t limit = force ? capacity - capacity / 8 : capacity;
  if (left->UsedBytes() + needed > limit) return Status::OK();

  for (const NodeCopy& node : moving) {
    left->InsertNode(left->node_count(), node.key, node.value, node.flags);
  }
  const uint32_t after = right->next();
  left->set_next(after);
  if (after != 0) {
    Page* after_page = nullptr;
    JET_RETURN_IF_ERROR(mtr->GetPage(db_, after, &after_page));
    after_page->set_prev(left_pgno);
  }
  right->set_type(PageType::kFree);
  JET_RETURN_IF_ERROR(space->Free(mtr, right_pgno));
  parent_page->RemoveNode(right_slot);
  *merged = true;

  path->pop_back();
  bool parent_merged = false;
  return MergeIfUnderfull(mtr, space, path, parent.pgno, /*force=*/false, &parent_merged);
}

Status BTree::CollapseRoot(Mtr* mtr, Space* space) {
  for (;;) {
    Page* root = nullptr;
    JET_RETURN_IF_ERROR(mtr->GetPage(db_, root_, &root));
    if (root->is_leaf() || root->node_count() != 1) return Status::OK();
    uint32_t child_pgno = 0;
    JET_RETURN_IF_ERROR(DecodeChild(root->node(0), &child_pgno));
    Page* child = nullptr;
    JET_RETURN_IF_ERROR(mtr->GetPage(db_, child_pgno, &child));
    JET_RETURN_IF_ERROR(CheckTreePage(*child, child_pgno));
    const std::vector<NodeCopy> nodes = CopyNodes(*child);
    root->FormatTree(objid_, child->level(), kPageFlagRoot);
    for (size_t i = 0; i < nodes.size(); ++i) {
      root->InsertNode(static_cast<int>(i), nodes[i].key, nodes[i].value, nodes[i].flags);
    }
    child->set_type(PageType::kFree);
    JET_RETURN_IF_ERROR(space->Free(mtr, child_pgno));
  }
}

Status BTree::Drop(Mtr* mtr, Space* space) {
  WriterLock lock(&latch_);
  BTreeStats stats;
  JET_RETURN_IF_ERROR(ComputeStats(&stats));
  for (uint32_t pgno : stats.pages) JET_RETURN_IF_ERROR(space->Free(mtr, pgno));
  return Status::OK();
}

Status BTree::ComputeStats(BTreeStats* stats) {
  *stats = BTreeStats();
  const uint32_t page_size = cache_->page_size();
  // Walk each level left to right, starting from its leftmost page.
  uint32_t level_start = root_;
  for (int depth = 0; depth < kMaxTreeDepth && level_start != 0; ++depth) {
    ++stats->height;
    uint32_t pgno = level_start;
    uint32_t next_level_start = 0;
    uint32_t previous = 0;
    uint64_t guard = 0;
    while (pgno != 0) {
      if (++guard > (1ull << 32)) return Status::Corruption("sibling chain loops");
      PageRef ref;
      JET_RETURN_IF_ERROR(cache_->Fetch(db_, pgno, &ref));
      Page page(ref.data(), page_size);
      JET_RETURN_IF_ERROR(CheckTreePage(page, pgno));
      if (page.prev() != previous) {
        return Status::Corruption("page " + std::to_string(pgno) + " has a wrong left link");
      }
      stats->pages.push_back(pgno);
      if (page.is_leaf()) {
        ++stats->leaf_pages;
        stats->entries += page.node_count();
        stats->used_bytes += page.UsedBytes();
        for (int i = 0; i < page.node_count(); ++i) {
          if (page.node(i).deleted()) ++stats->deleted_entries;
        }
      } else {
        ++stats->internal_pages;
        if (next_level_start == 0) {
          if (page.node_count() == 0) return Status::Corruption("empty internal page");
          JET_RETURN_IF_ERROR(DecodeChild(page.node(0), &next_level_start));
        }
      }
      previous = pgno;
      pgno = page.next();
    }
    level_start = next_level_start;
  }
  return Status::OK();
}

Status BTree::LeafAt(std::string_view key, LeafInfo* info) {
  *info = LeafInfo();
  BTreeCursor cursor(this);
  JET_RETURN_IF_ERROR(cursor.SeekGE(key));
  if (!cursor.Valid()) return Status::OK();
  const Page page(cursor.leaf_.data(), cache_->page_size());
  info->valid = true;
  info->pgno = cursor.leaf_.page_number();
  info->is_root = info->pgno == root_;
  info->node_count = page.node_count();
  info->used_bytes = page.UsedBytes();
  for (int i = 0; i < page.node_count(); ++i) {
    const NodeView node = page.node(i);
    if (node.deleted()) info->deleted_keys.emplace_back(node.key);
  }
  info->last_key.assign(page.node(page.node_count() - 1).key);
  return Status::OK();
}

Status BTree::AssertValid() {
  const uint32_t page_size = cache_->page_size();
  // Depth-first check of key bounds; `low`/`high` bound the keys allowed in
  // the subtree (high empty = +inf).
  struct Item {
    uint32_t pgno;
    std::string low;
    std::string high;
    bool has_high;
    int level;
    bool only_child;
  };
  std::vector<Item> stack;
  stack.push_back(Item{root_, "", "", false, -1, false});
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    PageRef ref;
    JET_RETURN_IF_ERROR(cache_->Fetch(db_, item.pgno, &ref));
    Page page(ref.data(), page_size);
    JET_RETURN_IF_ERROR(CheckTreePage(page, item.pgno));
    JET_RETURN_IF_ERROR(page.AssertValid());
    const std::string where = "page " + std::to_string(item.pgno) + ": ";
    if (item.level >= 0 && page.level() != item.level) {
      return Status::Corruption(where + "level does not match its parent");
    }
    if (item.pgno != root_ && page.node_count() == 0 && !item.only_child) {
      return Status::Corruption(where + "empty page with siblings under its parent");
    }
    for (int i = 0; i < page.node_count(); ++i) {
      const NodeView node = page.node(i);
      const uint32_t footprint = Page::NodeFootprint(node.key.size(), node.value.size());
      if (footprint > Page::MaxNodeFootprint(page_size)) {
        return Status::Corruption(where + "node too large");
      }
      const bool first_internal = !page.is_leaf() && i == 0;
      if (!first_internal && node.key < item.low) {
        return Status::Corruption(where + "key below its lower bound");
      }
      if (item.has_high && !(node.key < item.high)) {
        return Status::Corruption(where + "key at or above its upper bound");
      }
      if (!page.is_leaf()) {
        uint32_t child = 0;
        JET_RETURN_IF_ERROR(DecodeChild(node, &child));
        Item next{child, first_internal ? item.low : std::string(node.key), "", false,
                  page.level() - 1, page.node_count() == 1};
        if (i + 1 < page.node_count()) {
          next.high.assign(page.node(i + 1).key);
          next.has_high = true;
        } else {
          next.high = item.high;
          next.has_high = item.has_high;
        }
        stack.push_back(std::move(next));
      }
    }
  }
  BTreeStats stats;
  return ComputeStats(&stats);
}

// --- BTreeCursor ---

Status BTreeCursor::LoadLeaf(uint32_t pgno) {
  leaf_.Reset();
  JET_RETURN_IF_ERROR(tree_->cache_->Fetch(tree_->db_, pgno, &leaf_));
  Page page(leaf_.data(), tree_->cache_->page_size());
  Status status = tree_->CheckTreePage(page, pgno);
  if (status.ok() && !page.is_leaf()) {
    status = Status::Corruption("page " + std::to_string(pgno) + " is not a leaf");
  }
  if (status.IsError()) {
    leaf_.Reset();
    slot_ = -1;
  }
  return status;
}

NodeView BTreeCursor::node() const {
  assert(Valid());
  return Page(leaf_.data(), tree_->cache_->page_size()).node(slot_);
}

void BTreeCursor::Invalidate() {
  leaf_.Reset();
  slot_ = -1;
  saved_ = false;
}

Status BTreeCursor::SkipForwardToValid() {
  for (;;) {
    Page page(leaf_.data(), tree_->cache_->page_size());
    if (slot_ < page.node_count()) return Status::OK();
    const uint32_t current = leaf_.page_number();
    const uint32_t next = page.next();
    if (next == 0) {
      Invalidate();
      return Status::OK();
    }
    JET_RETURN_IF_ERROR(LoadLeaf(next));
    if (Page(leaf_.data(), tree_->cache_->page_size()).prev() != current) {
      Invalidate();
      return Status::Corruption("leaf " + std::to_string(next) + " has a wrong left link");
    }
    slot_ = 0;
  }
}

Status BTreeCursor::SkipBackwardToValid() {
  for (;;) {
    if (slot_ >= 0) return Status::OK();
    Page page(leaf_.data(), tree_->cache_->page_size());
    const uint32_t current = leaf_.page_number();
    const uint32_t prev = page.prev();
    if (prev == 0) {
      Invalidate();
      return Status::OK();
    }
    JET_RETURN_IF_ERROR(LoadLeaf(prev));
    Page prev_page(leaf_.data(), tree_->cache_->page_size());
    if (prev_page.next() != current) {
      Invalidate();
      return Status::Corruption("leaf " + std::to_string(prev) + " has a wrong right link");
    }
    slot_ = prev_page.node_count() - 1;
  }
}

Status BTreeCursor::SeekGE(std::string_view key) {
  saved_ = false;
  uint32_t leaf = 0;
  JET_RETURN_IF_ERROR(tree_->FindLeaf(key, nullptr, &leaf));
  JET_RETURN_IF_ERROR(LoadLeaf(leaf));
  bool found = false;
  slot_ = Page(leaf_.data(), tree_->cache_->page_size()).LowerBound(key, &found);
  return SkipForwardToValid();
}

Status BTreeCursor::SeekLE(std::string_view key) {
  JET_RETURN_IF_ERROR(SeekGE(key));
  if (!Valid()) return Last();
  if (node().key == key) return Status::OK();
  return Prev();
}

Status BTreeCursor::First() {
  saved_ = false;
  JET_RETURN_IF_ERROR(SeekGE(std::string_view()));
  return Status::OK();
}

Status BTreeCursor::Last() {
  saved_ = false;
  uint32_t pgno = tree_->root_;
  for (int depth = 0; depth < kMaxTreeDepth; ++depth) {
    PageRef ref;
    JET_RETURN_IF_ERROR(tree_->cache_->Fetch(tree_->db_, pgno, &ref));
    Page page(ref.data(), tree_->cache_->page_size());
    JET_RETURN_IF_ERROR(tree_->CheckTreePage(page, pgno));
    if (page.is_leaf()) {
      JET_RETURN_IF_ERROR(LoadLeaf(pgno));
      slot_ = page.node_count() - 1;
      return SkipBackwardToValid();
    }
    if (page.node_count() == 0) return Status::Corruption("empty internal page");
    JET_RETURN_IF_ERROR(DecodeChild(page.node(page.node_count() - 1), &pgno));
  }
  return Status::Corruption("B+tree too deep");
}

Status BTreeCursor::Next() {
  if (!Valid()) return Status::OK();
  ++slot_;
  return SkipForwardToValid();
}

Status BTreeCursor::Prev() {
  if (!Valid()) return Status::OK();
  --slot_;
  return SkipBackwardToValid();
}

void BTreeCursor::Save() {
  if (!Valid()) {
    saved_ = false;
    leaf_.Reset();
    return;
  }
  saved_ = true;
  saved_key_.assign(node().key);
  saved_pgno_ = leaf_.page_number();
  saved_slot_ = slot_;
  saved_stamp_ = leaf_.stamp();
  leaf_.Reset();
}

Status BTreeCursor::Restore(bool* exact) {
  *exact = false;
  if (!saved_) {
    Invalidate();
    return Status::OK();
  }
  saved_ = false;
  PageRef ref;
  JET_RETURN_IF_ERROR(tree_->cache_->Fetch(tree_->db_, saved_pgno_, &ref));
  if (ref.stamp() == saved_stamp_) {
    leaf_ = std::move(ref);
    slot_ = saved_slot_;
    *exact = true;
    return Status::OK();
  }
  ref.Reset();
  const std::string key = saved_key_;
  JET_RETURN_IF_ERROR(SeekGE(key));
  *exact = Valid() && node().key == key;
  return Status::OK();
}

}  // namespace jetsvc
