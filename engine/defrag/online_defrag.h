// OnlineDefrag: one database's online defragmentation task (ESE's OLD).
//
// A pass walks the leaves of every B+tree of the database, left to right,
// and (1) merges each leaf less than half full into a neighbour when the two
// fit in one page (the emptied page goes back to the free list), and (2)
// removes flag-deleted nodes that no version needs any more (leftovers of a
// crash before version cleanup ran). Every change is one MTR under the
// instance's apply mutex, so a pass interleaves with commits and every step
// is logged and crash-safe.
//
// The task runs until its pass or time limit, until a pass finds nothing to
// do, or until Stop(); Stop() and Pause() take effect between two steps
// (each a few page changes), i.e. within milliseconds.
//
// Thread contract: thread-safe; one task thread per object.

#ifndef JETSVC_ENGINE_DEFRAG_ONLINE_DEFRAG_H_
#define JETSVC_ENGINE_DEFRAG_ONLINE_DEFRAG_H_

#include <atomic>
#include <cstdint>
#include <thread>

#include "engine/util/mutex.h"
#include "engine/util/status.h"

namespace jetsvc {

class Instance;
class Database;
class BTree;

struct DefragStats {
  uint64_t passes = 0;          // completed passes
  uint64_t merges = 0;          // leaves merged away
  uint64_t purged_nodes = 0;    // orphaned flag-deleted nodes removed
  uint64_t leaves_visited = 0;
};

class OnlineDefrag {
 public:
  OnlineDefrag(Instance* instance, uint32_t db_id);
  ~OnlineDefrag();  // stops and joins
  OnlineDefrag(const OnlineDefrag&) = delete;
  OnlineDefrag& operator=(const OnlineDefrag&) = delete;

  // JET_bitDefragmentBatchStart: `max_passes` / `max_seconds` 0 = no limit.
  // *already_running is set (and nothing changes) if the task runs.
  void Start(uint32_t max_passes, uint32_t max_seconds, bool* already_running);
  // JET_bitDefragmentBatchStop: stops, joins, and reports the passes done
  // and the seconds the task ran. *was_running false if it was not.
  void Stop(uint32_t* passes, uint32_t* seconds, bool* was_running);
  // JET_bitStopServiceBackgroundUserTasks: a paused task keeps its place
  // and does nothing until resumed.
  void Pause(bool paused);

  bool running() const { return running_.load(); }
  bool paused() const { return paused_.load(); }
  DefragStats stats() const;
  // The first error a pass hit (OK if none).
  Status error() const;

 private:
  void Run(uint32_t max_passes, uint32_t max_seconds);
  // One pass over every tree; *changed says whether anything moved.
  Status Pass(bool* changed);
  Status DefragTree(Database* db, BTree* tree, bool* changed);
  // Waits while paused; false if the task must end.
  bool Continue();

  Instance* const instance_;
  const uint32_t db_id_;

  mutable Mutex mu_;
  CondVar cv_{&mu_};
  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> stop_{false};
  std::atomic<bool> paused_{false};
  uint64_t started_micros_ GUARDED_BY(mu_) = 0;
  uint64_t finished_micros_ GUARDED_BY(mu_) = 0;
  DefragStats stats_ GUARDED_BY(mu_);
  Status error_ GUARDED_BY(mu_);
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_DEFRAG_ONLINE_DEFRAG_H_
