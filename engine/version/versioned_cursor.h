// VersionedCursor: what one transaction sees of one B+tree.
//
// It merges three sources (DESIGN.md D1, D2): the transaction's own write
// set (newest), the version store's before-images for keys committed after
// the snapshot, and the B+tree nodes. Flag-deleted nodes and keys deleted in
// the write set are skipped. Each call takes the tree latch shared for its
// duration only; between calls the cursor keeps a copy of the current key
// and value and a saved B+tree position.
//
// Thread contract: one session at a time.

#ifndef JETSVC_ENGINE_VERSION_VERSIONED_CURSOR_H_
#define JETSVC_ENGINE_VERSION_VERSIONED_CURSOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/btree/btree.h"
#include "engine/util/status.h"
#include "engine/version/version_store.h"
#include "engine/version/write_set.h"

namespace jetsvc {

// Who is reading: the write set (null outside a transaction) and snapshot.
struct ReadView {
  const WriteSet* writes = nullptr;
  uint64_t snapshot = 0;
};

enum class SeekMode { kGE, kGT, kLE, kLT };

class VersionedCursor {
 public:
  // `tree` may be null for a tree that exists only in a write set (created
  // by an uncommitted transaction).
  VersionedCursor(BTree* tree, TreeId id, VersionStore* versions)
      : tree_(tree), id_(id), versions_(versions), btree_(tree) {}

  void set_tree(BTree* tree);

  Status Seek(const ReadView& view, std::string_view key, SeekMode mode);
  Status First(const ReadView& view) { return Seek(view, std::string_view(), SeekMode::kGE); }
  Status Last(const ReadView& view);
  Status Next(const ReadView& view);
  Status Prev(const ReadView& view);

  bool Valid() const { return valid_; }
  const std::string& key() const { return key_; }
  const std::string& value() const { return value_; }
  void Invalidate() {
    valid_ = false;
    btree_.Invalidate();
  }

  // A visible-value point lookup without moving any cursor.
  static Status Get(BTree* tree, TreeId id, VersionStore* versions, const ReadView& view,
                    std::string_view key, std::string* value, bool* found);

 private:
  // Finds the first visible entry >= key (or > key) going forward, or
  // <= key (< key) going backward, starting the B+tree cursor from a fresh
  // seek or its saved position.
  Status Find(const ReadView& view, std::string_view key, bool inclusive, bool forward,
              bool from_saved);
  // Visibility of the B+tree node under the cursor.
  bool NodeVisible(const ReadView& view, uint64_t last_ts, std::string* value);

  BTree* tree_;
  const TreeId id_;
  VersionStore* const versions_;
  BTreeCursor btree_;
  bool valid_ = false;
  std::string key_;
  std::string value_;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_VERSION_VERSIONED_CURSOR_H_
