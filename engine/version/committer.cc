#include "engine/version/committer.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/util/coding.h"
#include "esent.h"

namespace jetsvc {

void EncodeCommitIntent(const CommitIntent& intent, std::string* record) {
  record->clear();
  record->push_back(static_cast<char>(kLogCommitIntent));
  PutVarint64(record, intent.seq);
  PutVarint64(record, intent.commit_ts);
  PutVarint64(record, intent.ops.size());
  for (const IntentOp& op : intent.ops) {
    record->push_back(static_cast<char>(op.kind));
    PutVarint32(record, op.tree.db);
    PutVarint32(record, op.tree.objid);
    switch (op.kind) {
      case IntentOpKind::kPut:
        PutLengthPrefixed(record, op.key);
        PutLengthPrefixed(record, op.value);
        break;
      case IntentOpKind::kDelete:
        PutLengthPrefixed(record, op.key);
        break;
      case IntentOpKind::kCreateTree:
        record->push_back(static_cast<char>(op.tree_kind));
        break;
      case IntentOpKind::kDropTree:
        break;
    }
  }
}

Status DecodeCommitIntent(std::string_view record, CommitIntent* intent) {
  const auto corrupt = [](const char* what) {
    return Status::FromCode(JET_errLogCorrupted, std::string("malformed commit record: ") + what);
  };
  *intent = CommitIntent();
  if (record.empty() || static_cast<uint8_t>(record[0]) != kLogCommitIntent) {
    return corrupt("type");
  }
  record.remove_prefix(1);
  uint64_t count = 0;
  if (!GetVarint64(&record, &intent->seq) || !GetVarint64(&record, &intent->commit_ts) ||
      !GetVarint64(&record, &count) || count > record.size()) {
    return corrupt("header");
  }
  intent->ops.resize(count);
  for (IntentOp& op : intent->ops) {
    if (record.empty()) return corrupt("truncated");
    op.kind = static_cast<IntentOpKind>(record[0]);
    record.remove_prefix(1);
    if (!GetVarint32(&record, &op.tree.db) || !GetVarint32(&record, &op.tree.objid)) {
      return corrupt("tree");
    }
    std::string_view key;
    std::string_view value;
    switch (op.kind) {
      case IntentOpKind::kPut:
        if (!GetLengthPrefixed(&record, &key) || !GetLengthPrefixed(&record, &value)) {
          return corrupt("put");
        }
        op.key.assign(key);
        op.value.assign(value);
        break;
      case IntentOpKind::kDelete:
        if (!GetLengthPrefixed(&record, &key)) return corrupt("delete");
        op.key.assign(key);
        break;
      case IntentOpKind::kCreateTree:
        if (record.empty()) return corrupt("create");
        op.tree_kind = static_cast<uint8_t>(record[0]);
        record.remove_prefix(1);
        break;
      case IntentOpKind::kDropTree:
        break;
      default:
        return corrupt("operation kind");
    }
  }
  if (!record.empty()) return corrupt("trailing bytes");
  return Status::OK();
}

void EncodeCommitApplied(uint64_t seq, std::string* record) {
  record->clear();
  record->push_back(static_cast<char>(kLogCommitApplied));
  PutVarint64(record, seq);
}

Status DecodeCommitApplied(std::string_view record, uint64_t* seq) {
  if (record.empty() || static_cast<uint8_t>(record[0]) != kLogCommitApplied) {
    return Status::FromCode(JET_errLogCorrupted, "malformed commit-applied record");
  }
  record.remove_prefix(1);
  if (!GetVarint64(&record, seq) || !record.empty()) {
    return Status::FromCode(JET_errLogCorrupted, "malformed commit-applied record");
  }
  return Status::OK();
}

void Committer::BuildOps(const WriteSet& writes, std::vector<IntentOp>* ops) {
  // Trees created and dropped by this same transaction never reach disk.
  std::set<TreeId> created;
  std::set<TreeId> dropped;
  for (const TreeOp& op : writes.tree_ops()) {
    if (op.kind == TreeOpKind::kCreate) created.insert(op.tree);
    if (op.kind == TreeOpKind::kDrop) dropped.insert(op.tree);
  }
  for (const TreeOp& op : writes.tree_ops()) {
    if (op.kind != TreeOpKind::kCreate || dropped.count(op.tree) != 0) continue;
    IntentOp intent_op;
    intent_op.kind = IntentOpKind::kCreateTree;
    intent_op.tree = op.tree;
    intent_op.tree_kind = op.tree_kind;
    ops->push_back(std::move(intent_op));
  }
  for (const auto& [tree, entries] : writes.trees()) {
    if (dropped.count(tree) != 0) continue;
    for (const auto& [key, stack] : entries) {
      const WriteEntry& top = stack.back();
      IntentOp op;
      op.tree = tree;
      op.key = key;
      if (top.deleted) {
        op.kind = IntentOpKind::kDelete;
      } else {
        op.kind = IntentOpKind::kPut;
        op.value = top.value;
      }
      ops->push_back(std::move(op));
    }
  }
  for (const TreeOp& op : writes.tree_ops()) {
    if (op.kind != TreeOpKind::kDrop || created.count(op.tree) != 0) continue;
    IntentOp intent_op;
    intent_op.kind = IntentOpKind::kDropTree;
    intent_op.tree = op.tree;
    ops->push_back(std::move(intent_op));
  }
}

Status Committer::ReserveSpace(const std::vector<IntentOp>& ops) {
  // Per database: pages for the splits the inserted bytes can cause (a
  // split leaves both halves at least a third full, so 4 pages per page of
  // data is generous), plus a root-to-leaf path per tree touched.
  const uint32_t capacity = Page::Capacity(cache_->page_size());
  std::map<uint32_t, uint64_t> bytes;
  std::map<uint32_t, uint64_t> pages;
  std::set<TreeId> trees;
  for (const IntentOp& op : ops) {
    bytes[op.tree.db] += op.key.size() + op.value.size() + Page::NodeFootprint(0, 0);
    if (op.kind == IntentOpKind::kCreateTree) pages[op.tree.db] += 4;
    if (op.kind == IntentOpKind::kPut && trees.insert(op.tree).second) {
      std::shared_ptr<BTree> tree;
      Space* space = nullptr;
      uint32_t path = 3;
      if (resolver_->Resolve(op.tree, &tree, &space).ok()) {
        JET_RETURN_IF_ERROR(tree->WorstCasePages(&path));
      }
      pages[op.tree.db] += path;
    }
  }
  for (const auto& [db, total] : bytes) {
    const uint64_t needed = pages[db] + 4 * (total / capacity + 1) + 8;
    Space* space = resolver_->SpaceOf(db);
    if (space == nullptr) {
      return Status::FromCode(JET_errInvalidDatabaseId,
                              "commit touches database " + std::to_string(db) +
                                  " which is not attached");
    }
    Mtr mtr(cache_, log_);
    JET_RETURN_IF_ERROR(space->Reserve(&mtr, static_cast<uint32_t>(std::min<uint64_t>(
                                                 needed, 0xffffffffu))));
    JET_RETURN_IF_ERROR(mtr.Commit());
  }
  return Status::OK();
}

Status Committer::ApplyOp(const IntentOp& op, uint64_t seq, uint32_t index,
                          uint64_t commit_ts, bool record_versions) {
  Mtr mtr(cache_, log_, seq, index);
  switch (op.kind) {
    case IntentOpKind::kCreateTree:
      JET_RETURN_IF_ERROR(resolver_->CreateTree(&mtr, op.tree, op.tree_kind));
      break;
    case IntentOpKind::kDropTree:
      JET_RETURN_IF_ERROR(resolver_->DropTree(&mtr, op.tree, commit_ts));
      break;
    case IntentOpKind::kPut:
    case IntentOpKind::kDelete: {
      std::shared_ptr<BTree> tree;
      Space* space = nullptr;
      JET_RETURN_IF_ERROR(resolver_->Resolve(op.tree, &tree, &space));
      const bool is_delete = op.kind == IntentOpKind::kDelete;
      // The before-image goes into the version store under the tree latch,
      // before the page changes (one descent for both).
      const BeforeChange record_version = [&](bool found, std::string_view old_value,
                                              uint8_t old_flags) {
        const bool existed = found && (old_flags & kNodeDeleted) == 0;
        if (!record_versions || (is_delete && !existed)) return;
        const std::string before(old_value);
        versions_->AddVersion(op.tree, op.key, commit_ts, existed ? &before : nullptr, is_delete);
      };
      if (is_delete) {
        bool found = false;
        JET_RETURN_IF_ERROR(tree->SetDeleted(&mtr, op.key, true, &found, &record_version));
      } else {
        // Pages were reserved for the whole commit (ReserveSpace).
        JET_RETURN_IF_ERROR(tree->Put(&mtr, space, op.key, op.value, 0, &record_version,
                                      /*reserve=*/!record_versions));
      }
      break;
    }
  }
  return mtr.Commit();
}

Status Committer::Apply(Transaction* trx, uint64_t* intent_lsn, bool* fatal) {
  *intent_lsn = 0;
  *fatal = false;
  CommitIntent intent;
  BuildOps(trx->writes(), &intent.ops);
  if (intent.ops.empty()) return Status::OK();
  JET_RETURN_IF_ERROR(ReserveSpace(intent.ops));

  intent.seq = last_seq_ + 1;
  intent.commit_ts = versions_->NextCommitTs();
  std::string record;
  EncodeCommitIntent(intent, &record);
  uint64_t intent_begin = 0;
  JET_RETURN_IF_ERROR(log_->AppendRecord(record, &intent_begin, intent_lsn));
  last_seq_ = intent.seq;

  // Past the commit point: any failure now is fatal.
  *fatal = true;
  for (uint32_t i = 0; i < intent.ops.size(); ++i) {
    JET_RETURN_IF_ERROR(ApplyOp(intent.ops[i], intent.seq, i + 1, intent.commit_ts, true));
  }
  EncodeCommitApplied(intent.seq, &record);
  uint64_t applied_begin = 0;
  uint64_t applied_lsn = 0;
  JET_RETURN_IF_ERROR(log_->AppendRecord(record, &applied_begin, &applied_lsn));
  versions_->Publish(intent.commit_ts);
  *fatal = false;
  return Status::OK();
}

Status Committer::Replay(const CommitIntent& intent) {
  for (uint32_t i = 0; i < intent.ops.size(); ++i) {
    JET_RETURN_IF_ERROR(ApplyOp(intent.ops[i], intent.seq, i + 1, intent.commit_ts, false));
  }
  std::string record;
  EncodeCommitApplied(intent.seq, &record);
  uint64_t begin = 0;
  uint64_t lsn = 0;
  JET_RETURN_IF_ERROR(log_->AppendRecord(record, &begin, &lsn));
  if (intent.seq > last_seq_) last_seq_ = intent.seq;
  return Status::OK();
}

}  // namespace jetsvc
