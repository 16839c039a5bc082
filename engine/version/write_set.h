// WriteSet: a transaction's uncommitted changes (DESIGN.md D1).
//
// Per tree, each key maps to a stack of entries, one per nesting level that
// wrote it (the top is the newest). Rolling back level L drops entries of
// levels >= L; committing level L > 1 folds them into level L-1. At the
// level-0 commit the top entry of each key is what gets applied. Tree
// operations (create/drop a B+tree, for DDL) are kept in order with their
// level. Each level also lists the keys whose top entry it wrote, so
// folding or rolling back a level costs only that level's keys (a
// JetUpdate is a level of its own).
//
// Thread contract: owned by one session; not thread-safe.

#ifndef JETSVC_ENGINE_VERSION_WRITE_SET_H_
#define JETSVC_ENGINE_VERSION_WRITE_SET_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace jetsvc {

struct TreeId {
  uint32_t db = 0;
  uint32_t objid = 0;
  bool operator<(const TreeId& o) const { return db != o.db ? db < o.db : objid < o.objid; }
  bool operator==(const TreeId& o) const { return db == o.db && objid == o.objid; }
};

struct WriteEntry {
  int level = 0;
  bool deleted = false;
  std::string value;
};

using WriteStack = std::vector<WriteEntry>;
using TreeWrites = std::map<std::string, WriteStack, std::less<>>;

enum class TreeOpKind : uint8_t { kCreate = 1, kDrop = 2 };

struct TreeOp {
  int level = 0;
  TreeOpKind kind = TreeOpKind::kCreate;
  TreeId tree;
  uint8_t tree_kind = 0;  // what the tree holds (catalog/catalog.h)
};

class WriteSet {
 public:
  // Records a put or delete of `key` at `level`. Returns the change in
  // bytes held (positive or negative) for version-store accounting.
  int64_t Put(TreeId tree, std::string_view key, std::string_view value, int level);
  int64_t Delete(TreeId tree, std::string_view key, int level);
  void AddTreeOp(const TreeOp& op) { tree_ops_.push_back(op); }

  // The newest entry for key, or null.
  const WriteEntry* Find(TreeId tree, std::string_view key) const;
  // All entries of one tree (null if none), for cursors.
  const TreeWrites* Tree(TreeId tree) const;
  bool HasTreeOp(TreeId tree, TreeOpKind kind) const;

  // Drops entries (and tree ops) of levels >= level. Returns bytes freed.
  int64_t RollbackTo(int level);
  // Folds level `level` (> 1) into level - 1. Returns bytes freed.
  int64_t CommitLevel(int level);

  bool empty() const { return trees_.empty() && tree_ops_.empty(); }
  size_t bytes() const { return bytes_; }
  const std::map<TreeId, TreeWrites>& trees() const { return trees_; }
  const std::vector<TreeOp>& tree_ops() const { return tree_ops_; }
  void Clear();

 private:
  int64_t Add(TreeId tree, std::string_view key, std::string_view value, bool deleted,
              int level);
  static size_t EntryBytes(std::string_view key, const WriteEntry& entry) {
    return key.size() + entry.value.size() + 48;
  }

  struct Touched {
    TreeId tree;
    std::string key;
  };
  // Drops entries of levels >= level from one key's stack; returns bytes.
  int64_t PopLevels(const Touched& touched, int level);

  std::map<TreeId, TreeWrites> trees_;
  std::vector<TreeOp> tree_ops_;
  // touched_[level]: keys that got an entry of that level (index = level).
  std::vector<std::vector<Touched>> touched_;
  size_t bytes_ = 0;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_VERSION_WRITE_SET_H_
