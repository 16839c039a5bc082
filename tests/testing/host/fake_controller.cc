// FakeController: see fake_controller.h.

#include "tests/testing/host/fake_controller.h"

#include <stdexcept>
#include <utility>

namespace jetsvc::testing {

using platform::DefragOutcome;
using platform::ErrorKind;
using platform::KeyValue;
using platform::ManagerSnapshot;
using platform::PrepareOutcome;
using platform::Result;
using platform::StoreLimits;

FakeController::FakeController() { snapshot_.state = "running"; }

void FakeController::SetSnapshot(const ManagerSnapshot& snapshot) {
  std::lock_guard<std::mutex> lock(mutex_);
  snapshot_ = snapshot;
}

void FakeController::SetState(const std::string& state) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    snapshot_.state = state;
  }
  Notify({"State"});
}

bool FakeController::Notify(const std::vector<std::string>& names) {
  Observer observer;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    observer = observer_;
  }
  if (!observer) return false;
  observer(names);
  return true;
}

bool FakeController::has_observer() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<bool>(observer_);
}

void FakeController::SetLimits(const StoreLimits& limits) {
  std::lock_guard<std::mutex> lock(mutex_);
  limits_ = limits;
}

void FakeController::SetRefusal(ErrorKind kind, const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  refusal_ = Result::Error(kind, message);
}

void FakeController::ClearRefusal() {
  std::lock_guard<std::mutex> lock(mutex_);
  refusal_ = Result::Ok();
}

void FakeController::ThrowOnNextCall(const std::string& what) {
  std::lock_guard<std::mutex> lock(mutex_);
  throw_next_ = what;
}

void FakeController::ThrowOnNextSnapshot(const std::string& what) {
  std::lock_guard<std::mutex> lock(mutex_);
  throw_next_snapshot_ = what;
}

void FakeController::SetDefragWork(unsigned long passes, unsigned long seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  defrag_passes_ = passes;
  defrag_seconds_ = seconds;
}

bool FakeController::WaitForPendingPrepares(size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return prepares_changed_.wait_for(lock, timeout, [&] { return pending_.size() >= count; });
}

size_t FakeController::pending_prepares() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_.size();
}

uint32_t FakeController::last_prepare_timeout_ms() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_prepare_timeout_ms_;
}

size_t FakeController::CompletePrepares(const PrepareOutcome& outcome) {
  std::vector<Done> pending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending.swap(pending_);
    prepares_changed_.notify_all();
  }
  for (Done& done : pending) done(outcome);
  return pending.size();
}

void FakeController::CompletePreparesImmediately(const PrepareOutcome& outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  immediate_outcome_ = outcome;
}

std::map<std::string, std::vector<uint8_t>> FakeController::Contents() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return store_;
}

int FakeController::resume_calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return resume_calls_;
}

std::optional<bool> FakeController::last_batch_durable() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_batch_durable_;
}

Result FakeController::Enter() {
  if (!throw_next_.empty()) {
    const std::string what = std::move(throw_next_);
    throw_next_.clear();
    throw std::runtime_error(what);
  }
  return refusal_;
}

void FakeController::PrepareStop(uint32_t timeout_ms, Done done) {
  PrepareOutcome immediate;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    last_prepare_timeout_ms_ = timeout_ms;
    Result refusal = Enter();
    if (!refusal.ok()) {
      immediate.result = refusal;
    } else if (immediate_outcome_) {
      immediate = *immediate_outcome_;
    } else {
      pending_.push_back(std::move(done));
      prepares_changed_.notify_all();
      return;
    }
  }
  done(immediate);
}

Result FakeController::Resume() {
  std::lock_guard<std::mutex> lock(mutex_);
  Result refusal = Enter();
  if (!refusal.ok()) return refusal;
  ++resume_calls_;
  return Result::Ok();
}

DefragOutcome FakeController::StartDefragment() {
  std::lock_guard<std::mutex> lock(mutex_);
  DefragOutcome outcome;
  outcome.result = Enter();
  if (!outcome.result.ok()) return outcome;
  outcome.was_running = snapshot_.defrag_running;
  snapshot_.defrag_running = true;
  return outcome;
}

DefragOutcome FakeController::StopDefragment() {
  std::lock_guard<std::mutex> lock(mutex_);
  DefragOutcome outcome;
  outcome.result = Enter();
  if (!outcome.result.ok()) return outcome;
  outcome.was_running = snapshot_.defrag_running;
  if (outcome.was_running) {
    outcome.passes = defrag_passes_;
    outcome.seconds = defrag_seconds_;
  }
  snapshot_.defrag_running = false;
  return outcome;
}

ManagerSnapshot FakeController::Snapshot() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!throw_next_snapshot_.empty()) {
    const std::string what = std::move(throw_next_snapshot_);
    throw_next_snapshot_.clear();
    throw std::runtime_error(what);
  }
  return snapshot_;
}

void FakeController::SetObserver(Observer observer) {
  std::lock_guard<std::mutex> lock(mutex_);
  observer_ = std::move(observer);
}

StoreLimits FakeController::Limits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return limits_;
}

Result FakeController::Put(const std::string& key, const std::vector<uint8_t>& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result refusal = Enter();
  if (!refusal.ok()) return refusal;
  store_[key] = value;
  return Result::Ok();
}

Result FakeController::Get(const std::string& key, std::vector<uint8_t>* value) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result refusal = Enter();
  if (!refusal.ok()) return refusal;
  auto it = store_.find(key);
  if (it == store_.end())
    return Result::Error(ErrorKind::kNotFound, "key \"" + key + "\" not found");
  *value = it->second;
  return Result::Ok();
}

Result FakeController::Delete(const std::string& key, bool* existed) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result refusal = Enter();
  if (!refusal.ok()) return refusal;
  *existed = store_.erase(key) > 0;
  return Result::Ok();
}

Result FakeController::Scan(const std::string& start, uint32_t limit, std::vector<KeyValue>* out) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result refusal = Enter();
  if (!refusal.ok()) return refusal;
  out->clear();
  for (auto it = store_.lower_bound(start); it != store_.end() && out->size() < limit; ++it) {
    out->push_back(*it);
  }
  return Result::Ok();
}

Result FakeController::PutBatch(const std::vector<KeyValue>& items, bool durable, uint32_t* count) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result refusal = Enter();
  if (!refusal.ok()) return refusal;
  for (const KeyValue& item : items) store_[item.first] = item.second;
  last_batch_durable_ = durable;
  *count = static_cast<uint32_t>(items.size());
  return Result::Ok();
}

}  // namespace jetsvc::testing
