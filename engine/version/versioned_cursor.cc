#include "engine/version/versioned_cursor.h"

#include <optional>

namespace jetsvc {

void VersionedCursor::set_tree(BTree* tree) {
  tree_ = tree;
  btree_.Reset(tree);
  valid_ = false;
}

bool VersionedCursor::NodeVisible(const ReadView& view, uint64_t last_ts, std::string* value) {
  const NodeView node = btree_.node();
  if (last_ts > view.snapshot) {
    bool exists = false;
    if (versions_->BeforeImage(id_, node.key, view.snapshot, value, &exists)) return exists;
  }
  if (node.deleted()) return false;
  value->assign(node.value);
  return true;
}

Status VersionedCursor::Find(const ReadView& view, std::string_view key, bool inclusive,
                             bool forward, bool from_saved) {
  const std::string target(key);  // `key` may point into key_
  valid_ = false;
  const TreeWrites* writes = view.writes != nullptr ? view.writes->Tree(id_) : nullptr;
  std::optional<ReaderLock> lock;
  uint64_t last_ts = 0;
  if (tree_ != nullptr) {
    lock.emplace(tree_->latch());
    last_ts = versions_->LastCommitTs(id_);
    // Position the B+tree cursor at the first node on the right side of
    // the target, from the saved position when it is still good.
    if (from_saved) {
      bool exact = false;
      JET_RETURN_IF_ERROR(btree_.Restore(&exact));
    }
    if (!from_saved || !btree_.Valid()) {
      if (forward) {
        JET_RETURN_IF_ERROR(btree_.SeekGE(target));
      } else {
        JET_RETURN_IF_ERROR(btree_.SeekLE(target));
      }
    }
    if (forward) {
      while (btree_.Valid() && (btree_.node().key < target ||
                                (!inclusive && btree_.node().key == target))) {
        JET_RETURN_IF_ERROR(btree_.Next());
      }
    } else {
      while (btree_.Valid() && (btree_.node().key > target ||
                                (!inclusive && btree_.node().key == target))) {
        JET_RETURN_IF_ERROR(btree_.Prev());
      }
    }
  }

  // The write-set entry on the right side of the target, if any.
  TreeWrites::const_iterator ws_it;
  bool ws_valid = false;
  if (writes != nullptr) {
    if (forward) {
      ws_it = inclusive ? writes->lower_bound(target) : writes->upper_bound(target);
      ws_valid = ws_it != writes->end();
    } else {
      ws_it = inclusive ? writes->upper_bound(target) : writes->lower_bound(target);
      ws_valid = ws_it != writes->begin();
      if (ws_valid) --ws_it;
    }
  }

  std::string tree_value;
  for (;;) {
    bool tree_has = false;
    while (btree_.Valid()) {
      const NodeView node = btree_.node();
      if (writes != nullptr && writes->count(node.key) != 0) {
        tree_has = true;  // the write set decides this key
        break;
      }
      if (NodeVisible(view, last_ts, &tree_value)) {
        tree_has = true;
        break;
      }
      JET_RETURN_IF_ERROR(forward ? btree_.Next() : btree_.Prev());
    }
    if (!tree_has && !ws_valid) break;
    int order = 0;  // < 0: the tree candidate comes first
    if (tree_has && ws_valid) {
      const int cmp = btree_.node().key.compare(ws_it->first);
      order = forward ? cmp : -cmp;
    } else {
      order = tree_has ? -1 : 1;
    }
    if (order < 0) {
      key_.assign(btree_.node().key);
      value_ = std::move(tree_value);
      valid_ = true;
      break;
    }
    const WriteEntry& entry = ws_it->second.back();
    if (order == 0) JET_RETURN_IF_ERROR(forward ? btree_.Next() : btree_.Prev());
    if (!entry.deleted) {
      key_ = ws_it->first;
      value_ = entry.value;
      valid_ = true;
      break;
    }
    if (forward) {
      ++ws_it;
      ws_valid = ws_it != writes->end();
    } else {
      ws_valid = ws_it != writes->begin();
      if (ws_valid) --ws_it;
    }
  }
  if (tree_ != nullptr) btree_.Save();
  return Status::OK();
}

Status VersionedCursor::Seek(const ReadView& view, std::string_view key, SeekMode mode) {
  switch (mode) {
    case SeekMode::kGE:
      return Find(view, key, true, true, false);
    case SeekMode::kGT:
      return Find(view, key, false, true, false);
    case SeekMode::kLE:
      return Find(view, key, true, false, false);
    case SeekMode::kLT:
      return Find(view, key, false, false, false);
  }
  return Status::InvalidParameter("seek mode");
}

Status VersionedCursor::Last(const ReadView& view) {
  // Sorts after every key: keys are bounded by the node size of the
  // largest page (about 11 KB).
  static const std::string kAfterAll(16384, '\xff');
  return Find(view, kAfterAll, true, false, false);
}

Status VersionedCursor::Next(const ReadView& view) {
  if (!valid_) return Status::OK();
  return Find(view, key_, false, true, true);
}

Status VersionedCursor::Prev(const ReadView& view) {
  if (!valid_) return Status::OK();
  return Find(view, key_, false, false, true);
}

Status VersionedCursor::Get(BTree* tree, TreeId id, VersionStore* versions,
                            const ReadView& view, std::string_view key, std::string* value,
                            bool* found) {
  *found = false;
  if (view.writes != nullptr) {
    if (const WriteEntry* entry = view.writes->Find(id, key)) {
      *found = !entry->deleted;
      if (*found) value->assign(entry->value);
      return Status::OK();
    }
  }
  if (tree == nullptr) return Status::OK();
  ReaderLock lock(tree->latch());
  if (versions->LastCommitTs(id) > view.snapshot) {
    bool exists = false;
    if (versions->BeforeImage(id, key, view.snapshot, value, &exists)) {
      *found = exists;
      return Status::OK();
    }
  }
  uint8_t flags = 0;
  bool present = false;
  JET_RETURN_IF_ERROR(tree->Get(key, value, &flags, &present));
  *found = present && (flags & kNodeDeleted) == 0;
  return Status::OK();
}

}  // namespace jetsvc
