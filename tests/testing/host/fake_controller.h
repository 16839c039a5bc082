// FakeController: an in-memory platform::Controller for the tests of the
// D-Bus adaptors and jetctl. The store is a std::map (byte order, like the
// engine's); the Manager side is scripted by the test: the snapshot it
// reports, errors to refuse calls with, exceptions to throw, and
// PrepareStop calls that wait until the test completes them.
//
// Thread contract: every method is thread-safe. The observer and the
// PrepareStop `done` callbacks are called on the thread of the test method
// that triggers them (Notify, SetState, CompletePrepares), never with the
// fake's lock held.

#ifndef JETSVC_TESTS_TESTING_HOST_FAKE_CONTROLLER_H_
#define JETSVC_TESTS_TESTING_HOST_FAKE_CONTROLLER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "platform/controller.h"

namespace jetsvc::testing {

class FakeController : public platform::Controller {
 public:
  using Observer = std::function<void(const std::vector<std::string>&)>;
  using Done = std::function<void(const platform::PrepareOutcome&)>;

  FakeController();
  FakeController(const FakeController&) = delete;
  FakeController& operator=(const FakeController&) = delete;
  ~FakeController() override = default;

  // --- scripting ---------------------------------------------------------
  // What Snapshot() returns from now on.
  void SetSnapshot(const platform::ManagerSnapshot& snapshot);
  // Sets the state, then tells the observer {"State"}.
  void SetState(const std::string& state);
  // Calls the observer with `names`; false if none is set.
  bool Notify(const std::vector<std::string>& names);
  bool has_observer() const;
  void SetLimits(const platform::StoreLimits& limits);
  // Every later call but Snapshot and Limits returns (or passes to `done`)
  // `refusal` until ClearRefusal; e.g. kStopping after a prepare.
  void SetRefusal(platform::ErrorKind kind, const std::string& message);
  void ClearRefusal();
  // The next call but Snapshot and Limits throws std::runtime_error(what).
  void ThrowOnNextCall(const std::string& what);
  // The next Snapshot throws std::runtime_error(what).
  void ThrowOnNextSnapshot(const std::string& what);
  // What StopDefragment reports as the work done.
  void SetDefragWork(unsigned long passes, unsigned long seconds);

  // --- PrepareStop -------------------------------------------------------
  // PrepareStop records its call and returns; `done` waits for this.
  // Waits until `count` calls are pending; false on timeout.
  bool WaitForPendingPrepares(size_t count, std::chrono::milliseconds timeout);
  size_t pending_prepares() const;
  uint32_t last_prepare_timeout_ms() const;
  // Calls every pending `done` with `outcome`; returns how many.
  size_t CompletePrepares(const platform::PrepareOutcome& outcome);
  // From now on PrepareStop calls `done` with `outcome` at once, on the
  // caller's thread (as a controller that refuses or is already prepared).
  void CompletePreparesImmediately(const platform::PrepareOutcome& outcome);

  // --- observations ------------------------------------------------------
  std::map<std::string, std::vector<uint8_t>> Contents() const;
  int resume_calls() const;
  std::optional<bool> last_batch_durable() const;

  // --- platform::Controller ---------------------------------------------
  void PrepareStop(uint32_t timeout_ms, Done done) override;
  platform::Result Resume() override;
  platform::DefragOutcome StartDefragment() override;
  platform::DefragOutcome StopDefragment() override;
  platform::ManagerSnapshot Snapshot() override;
  void SetObserver(Observer observer) override;
  platform::StoreLimits Limits() const override;
  platform::Result Put(const std::string& key, const std::vector<uint8_t>& value) override;
  platform::Result Get(const std::string& key, std::vector<uint8_t>* value) override;
  platform::Result Delete(const std::string& key, bool* existed) override;
  platform::Result Scan(const std::string& start, uint32_t limit,
                        std::vector<platform::KeyValue>* out) override;
  platform::Result PutBatch(const std::vector<platform::KeyValue>& items, bool durable,
                            uint32_t* count) override;

 private:
  // Throws if a throw is scheduled; returns the refusal, if any. Called
  // with mutex_ held.
  platform::Result Enter();

  mutable std::mutex mutex_;
  std::condition_variable prepares_changed_;
  // Protected by mutex_.
  platform::ManagerSnapshot snapshot_;
  platform::StoreLimits limits_;
  Observer observer_;
  platform::Result refusal_;
  std::string throw_next_;
  std::string throw_next_snapshot_;
  unsigned long defrag_passes_ = 0;
  unsigned long defrag_seconds_ = 0;
  std::vector<Done> pending_;
  uint32_t last_prepare_timeout_ms_ = 0;
  std::optional<platform::PrepareOutcome> immediate_outcome_;
  std::map<std::string, std::vector<uint8_t>> store_;
  int resume_calls_ = 0;
  std::optional<bool> last_batch_durable_;
};

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_TESTING_HOST_FAKE_CONTROLLER_H_
