#include "engine/version/write_set.h"

#include <algorithm>

namespace jetsvc {

int64_t WriteSet::Add(TreeId tree, std::string_view key, std::string_view value,
                      bool deleted, int level) {
  TreeWrites& writes = trees_[tree];
  auto it = writes.find(key);
  if (it == writes.end()) it = writes.emplace(std::string(key), WriteStack()).first;
  WriteStack& stack = it->second;
  int64_t delta = 0;
  if (!stack.empty() && stack.back().level == level) {
    // Same level: overwrite in place.
    delta -= static_cast<int64_t>(EntryBytes(key, stack.back()));
    stack.back().deleted = deleted;
    stack.back().value.assign(value);
  } else {
    stack.push_back(WriteEntry{level, deleted, std::string(value)});
    if (touched_.size() <= static_cast<size_t>(level)) touched_.resize(level + 1);
    touched_[level].push_back(Touched{tree, std::string(key)});
  }
  delta += static_cast<int64_t>(EntryBytes(key, stack.back()));
  bytes_ = static_cast<size_t>(static_cast<int64_t>(bytes_) + delta);
  return delta;
}

int64_t WriteSet::Put(TreeId tree, std::string_view key, std::string_view value, int level) {
  return Add(tree, key, value, false, level);
}

int64_t WriteSet::Delete(TreeId tree, std::string_view key, int level) {
  return Add(tree, key, std::string_view(), true, level);
}

const WriteEntry* WriteSet::Find(TreeId tree, std::string_view key) const {
  auto tree_it = trees_.find(tree);
  if (tree_it == trees_.end()) return nullptr;
  auto it = tree_it->second.find(key);
  if (it == tree_it->second.end() || it->second.empty()) return nullptr;
  return &it->second.back();
}

const TreeWrites* WriteSet::Tree(TreeId tree) const {
  auto it = trees_.find(tree);
  return it == trees_.end() ? nullptr : &it->second;
}

bool WriteSet::HasTreeOp(TreeId tree, TreeOpKind kind) const {
  for (const TreeOp& op : tree_ops_) {
    if (op.tree == tree && op.kind == kind) return true;
  }
  return false;
}

int64_t WriteSet::PopLevels(const Touched& touched, int level) {
  auto tree_it = trees_.find(touched.tree);
  if (tree_it == trees_.end()) return 0;
  TreeWrites& writes = tree_it->second;
  auto it = writes.find(touched.key);
  if (it == writes.end()) return 0;
  int64_t freed = 0;
  WriteStack& stack = it->second;
  while (!stack.empty() && stack.back().level >= level) {
    freed += static_cast<int64_t>(EntryBytes(it->first, stack.back()));
    stack.pop_back();
  }
  if (stack.empty()) writes.erase(it);
  if (writes.empty()) trees_.erase(tree_it);
  return freed;
}

int64_t WriteSet::RollbackTo(int level) {
  int64_t freed = 0;
  for (size_t l = static_cast<size_t>(level); l < touched_.size(); ++l) {
    for (const Touched& touched : touched_[l]) freed += PopLevels(touched, level);
    touched_[l].clear();
  }
  tree_ops_.erase(std::remove_if(tree_ops_.begin(), tree_ops_.end(),
                                 [level](const TreeOp& op) { return op.level >= level; }),
                  tree_ops_.end());
  bytes_ -= static_cast<size_t>(freed);
  return freed;
}

int64_t WriteSet::CommitLevel(int level) {
  int64_t freed = 0;
  if (static_cast<size_t>(level) < touched_.size()) {
    std::vector<Touched> moved = std::move(touched_[level]);
    touched_[level].clear();
    for (Touched& touched : moved) {
      auto tree_it = trees_.find(touched.tree);
      if (tree_it == trees_.end()) continue;
      auto it = tree_it->second.find(touched.key);
      if (it == tree_it->second.end()) continue;
      WriteStack& stack = it->second;
      if (stack.empty() || stack.back().level != level) continue;
      if (stack.size() >= 2 && stack[stack.size() - 2].level == level - 1) {
        // The key already has a level-(L-1) entry (listed there already).
        freed += static_cast<int64_t>(EntryBytes(it->first, stack[stack.size() - 2]));
        stack[stack.size() - 2] = std::move(stack.back());
        stack.pop_back();
        stack.back().level = level - 1;
      } else {
        stack.back().level = level - 1;
        touched_[level - 1].push_back(std::move(touched));
      }
    }
  }
  for (TreeOp& op : tree_ops_) {
    if (op.level == level) op.level = level - 1;
  }
  bytes_ -= static_cast<size_t>(freed);
  return freed;
}

void WriteSet::Clear() {
  trees_.clear();
  tree_ops_.clear();
  touched_.clear();
  bytes_ = 0;
}

}  // namespace jetsvc
