// Committer: turns a transaction's write set into a commit (DESIGN.md D3).
//
// Apply() runs under the instance's apply mutex:
//   1. reserve the pages the commit may need (so applying cannot run out
//      of space once it has started),
//   2. append the commit intent record (the logical write set) to the log:
//      that record is the commit point,
//   3. for each operation: record the before-image in the version store,
//      then change the B+tree in its own MTR tagged (commit_seq, op_index),
//   4. append a commit-applied record and publish the commit timestamp.
// A failure after step 2 is fatal for the instance (pages in memory and the
// log would disagree); Apply reports it through *fatal.
//
// Intent record (first byte kLogCommitIntent; varints, length-prefixed
// strings from util/coding.h):
//   type u8 | commit_seq | commit_ts | op_count |
//   per op: kind u8 | db | objid | (put: key, value | delete: key |
//           create: tree kind u8 | drop: nothing)
// Applied record: type u8 (kLogCommitApplied) | commit_seq.
//
// Thread contract: Apply and Replay require the apply mutex.

#ifndef JETSVC_ENGINE_VERSION_COMMITTER_H_
#define JETSVC_ENGINE_VERSION_COMMITTER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/btree/btree.h"
#include "engine/btree/mtr.h"
#include "engine/space/space.h"
#include "engine/util/status.h"
#include "engine/version/version_store.h"

namespace jetsvc {

// What the committer needs from the instance.
class TreeResolver {
 public:
  virtual ~TreeResolver() = default;
  // The tree and its database's space. NotFound-like errors mean the
  // catalog and the directory disagree (corruption).
  virtual Status Resolve(TreeId id, std::shared_ptr<BTree>* tree, Space** space) = 0;
  virtual Status CreateTree(Mtr* mtr, TreeId id, uint8_t kind) = 0;
  // Marks the tree dropped; its pages are freed once no reader needs it
  // (the resolver remembers `commit_ts` for that).
  virtual Status DropTree(Mtr* mtr, TreeId id, uint64_t commit_ts) = 0;
  virtual Space* SpaceOf(uint32_t db) = 0;
};

enum class IntentOpKind : uint8_t { kPut = 1, kDelete = 2, kCreateTree = 3, kDropTree = 4 };

struct IntentOp {
  IntentOpKind kind = IntentOpKind::kPut;
  TreeId tree;
  uint8_t tree_kind = 0;
  std::string key;
  std::string value;
};

struct CommitIntent {
  uint64_t seq = 0;
  uint64_t commit_ts = 0;
  std::vector<IntentOp> ops;
};

void EncodeCommitIntent(const CommitIntent& intent, std::string* record);
// JET_errLogCorrupted if malformed.
Status DecodeCommitIntent(std::string_view record, CommitIntent* intent);
void EncodeCommitApplied(uint64_t seq, std::string* record);
Status DecodeCommitApplied(std::string_view record, uint64_t* seq);

class Committer {
 public:
  Committer(VersionStore* versions, BufferCache* cache, MtrLog* log, TreeResolver* resolver)
      : versions_(versions), cache_(cache), log_(log), resolver_(resolver) {}

  // Commits `trx` (at level 1). *intent_lsn is the commit point's LSN (0 if
  // the write set was empty: nothing was logged). On error with *fatal
  // false, nothing changed and the transaction is intact; with *fatal true
  // the instance must stop (DESIGN.md D7).
  Status Apply(Transaction* trx, uint64_t* intent_lsn, bool* fatal);

  // Recovery: applies the operations of a commit whose intent is in the log
  // but whose application did not finish. Operations are idempotent.
  Status Replay(const CommitIntent& intent);

  // Sequence numbers continue after recovery.
  uint64_t last_seq() const { return last_seq_; }
  void set_last_seq(uint64_t seq) { last_seq_ = seq; }

 private:
  // Builds the ordered operation list from a write set.
  void BuildOps(const WriteSet& writes, std::vector<IntentOp>* ops);
  Status ReserveSpace(const std::vector<IntentOp>& ops);
  Status ApplyOp(const IntentOp& op, uint64_t seq, uint32_t index, uint64_t commit_ts,
                 bool record_versions);

  VersionStore* const versions_;
  BufferCache* const cache_;
  MtrLog* const log_;
  TreeResolver* const resolver_;
  uint64_t last_seq_ = 0;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_VERSION_COMMITTER_H_
