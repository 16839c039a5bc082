// ManagerAdaptor: see manager_adaptor.h.

#include "platform/dbus/manager_adaptor.h"

#include <algorithm>
#include <exception>
#include <limits>
#include <tuple>
#include <utility>

#include <boost/log/trivial.hpp>
#include <sdbus-c++/sdbus-c++.h>

#include "platform/dbus/adaptor_errors.h"
#include "platform/dbus/names.h"

namespace jetsvc {
namespace platform {

namespace {

uint32_t ClampToU32(unsigned long value) {
  return static_cast<uint32_t>(
      std::min<unsigned long>(value, std::numeric_limits<uint32_t>::max()));
}

}  // namespace

const std::vector<std::string>& ManagerAdaptor::PropertyNames() {
  static const std::vector<std::string> names = {
      "State",         "CheckpointDepthBytes",    "DirtyPages",          "VersionStoreBytes",
      "DefragRunning", "LastPrepareDurationUsec", "LastTermDurationUsec"};
  return names;
}

ManagerAdaptor::ManagerAdaptor(Controller* controller)
    : controller_(controller), outbox_(std::make_shared<Outbox>()) {}

ManagerAdaptor::~ManagerAdaptor() {
  StopSending();
  FailPending();
}

void ManagerAdaptor::Register(sdbus::IObject* object) {
  object_ = object;
  const char* const interface = dbus_names::kManagerInterface;

  object->registerMethod("PrepareStop")
      .onInterface(interface)
      .withInputParamNames("timeout_ms")
      .withOutputParamNames("quiesced", "elapsed_usec")
      .markAsPrivileged()
      .implementedAs([this](PrepareResult&& result, uint32_t timeout_ms) {
        PrepareStop(std::move(result), timeout_ms);
      });
  object->registerMethod("Resume").onInterface(interface).markAsPrivileged().implementedAs(
      [this] { Guarded("Manager.Resume", [&] { ThrowIfFailed(controller_->Resume()); }); });
  object->registerMethod("StartDefragment")
      .onInterface(interface)
      .withOutputParamNames("was_running")
      .markAsPrivileged()
      .implementedAs([this] {
        return Guarded("Manager.StartDefragment", [&] {
          const DefragOutcome outcome = controller_->StartDefragment();
          ThrowIfFailed(outcome.result);
          return outcome.was_running;
        });
      });
  object->registerMethod("StopDefragment")
      .onInterface(interface)
      .withOutputParamNames("was_running", "passes", "seconds")
      .markAsPrivileged()
      .implementedAs([this] {
        return Guarded("Manager.StopDefragment", [&] {
          const DefragOutcome outcome = controller_->StopDefragment();
          ThrowIfFailed(outcome.result);
          return std::make_tuple(outcome.was_running, ClampToU32(outcome.passes),
                                 ClampToU32(outcome.seconds));
        });
      });

  object->registerProperty("State").onInterface(interface).withGetter(
      [this] { return Guarded("Manager.State", [&] { return controller_->Snapshot().state; }); });
  object->registerProperty("CheckpointDepthBytes").onInterface(interface).withGetter([this] {
    return Guarded("Manager.CheckpointDepthBytes",
                   [&] { return controller_->Snapshot().checkpoint_depth_bytes; });
  });
  object->registerProperty("DirtyPages").onInterface(interface).withGetter([this] {
    return Guarded("Manager.DirtyPages", [&] { return controller_->Snapshot().dirty_pages; });
  });
  object->registerProperty("VersionStoreBytes").onInterface(interface).withGetter([this] {
    return Guarded("Manager.VersionStoreBytes",
                   [&] { return controller_->Snapshot().version_store_bytes; });
  });
  object->registerProperty("DefragRunning").onInterface(interface).withGetter([this] {
    return Guarded("Manager.DefragRunning", [&] { return controller_->Snapshot().defrag_running; });
  });
  object->registerProperty("LastPrepareDurationUsec").onInterface(interface).withGetter([this] {
    return Guarded("Manager.LastPrepareDurationUsec",
                   [&] { return controller_->Snapshot().last_prepare_usec; });
  });
  object->registerProperty("LastTermDurationUsec").onInterface(interface).withGetter([this] {
    return Guarded("Manager.LastTermDurationUsec",
                   [&] { return controller_->Snapshot().last_term_usec; });
  });

  object->registerSignal("StateChanged")
      .onInterface(interface)
      .withParameters<std::string>("state");
}

void ManagerAdaptor::Observe() {
  last_state_ = controller_->Snapshot().state;
  controller_->SetObserver([outbox = outbox_, this](const std::vector<std::string>& names) {
    // Runs on a controller thread: only queue. If the server is gone the
    // outbox is closed and drops the task unrun.
    outbox->Post([this, names] { EmitChanges(names); });
  });
}

void ManagerAdaptor::StopSending() { outbox_->Close(); }

void ManagerAdaptor::FailPending() {
  std::map<uint64_t, PrepareResult> pending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending.swap(pending_);
  }
  for (auto& entry : pending) {
    try {
      entry.second.returnError(MakeDbusError(
          ErrorKind::kNotReady, "the service is shutting down; PrepareStop did not finish"));
    } catch (const std::exception& e) {
      BOOST_LOG_TRIVIAL(warning) << "D-Bus: cannot answer a pending PrepareStop: " << e.what()
                                 << ", ignoring";
    }
  }
}

void ManagerAdaptor::PrepareStop(PrepareResult&& result, uint32_t timeout_ms) {
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    id = next_id_++;
    pending_.emplace(id, std::move(result));
  }
  const sdbus::Message* call = object_->getCurrentlyProcessedMessage();
  BOOST_LOG_TRIVIAL(info) << "D-Bus: PrepareStop(timeout " << timeout_ms << " ms) requested by "
                          << (call != nullptr ? call->getSender() : std::string("?"));
  std::optional<std::string> failure;
  try {
    controller_->PrepareStop(timeout_ms,
                             [outbox = outbox_, this, id](const PrepareOutcome& outcome) {
                               outbox->Post([this, id, outcome] { FinishPrepare(id, outcome); });
                             });
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "an exception of unknown type";
  }
  if (!failure) return;
  // The controller threw; answer now unless `done` already did (a later
  // `done` finds nothing to answer).
  std::optional<PrepareResult> pending = TakePending(id);
  if (pending) pending->returnError(UnexpectedError("Manager.PrepareStop", failure->c_str()));
}

std::optional<ManagerAdaptor::PrepareResult> ManagerAdaptor::TakePending(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = pending_.find(id);
  if (it == pending_.end()) return std::nullopt;
  std::optional<PrepareResult> result(std::move(it->second));
  pending_.erase(it);
  return result;
}

void ManagerAdaptor::FinishPrepare(uint64_t id, const PrepareOutcome& outcome) {
  std::optional<PrepareResult> pending = TakePending(id);
  if (!pending) return;  // already answered
  if (!outcome.result.ok()) {
    BOOST_LOG_TRIVIAL(info) << "D-Bus: PrepareStop failed: " << outcome.result.message;
    pending->returnError(ToDbusError(outcome.result));
    return;
  }
  BOOST_LOG_TRIVIAL(info) << "D-Bus: PrepareStop " << (outcome.quiesced ? "quiesced" : "timed out")
                          << " after " << outcome.elapsed_usec << " us";
  pending->returnResults(outcome.quiesced, outcome.elapsed_usec);
}

void ManagerAdaptor::EmitChanges(const std::vector<std::string>& names) {
  const std::vector<std::string>& known = PropertyNames();
  std::vector<std::string> changed;
  for (const std::string& name : names) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      BOOST_LOG_TRIVIAL(warning) << "D-Bus: the controller reported a change of unknown property \""
                                 << name << "\", ignoring";
      continue;
    }
    if (std::find(changed.begin(), changed.end(), name) == changed.end()) changed.push_back(name);
  }
  if (changed.empty()) return;
  object_->emitPropertiesChangedSignal(dbus_names::kManagerInterface, changed);
  if (std::find(changed.begin(), changed.end(), "State") == changed.end()) return;
  std::string state = controller_->Snapshot().state;
  if (state == last_state_) return;
  object_->emitSignal("StateChanged")
      .onInterface(dbus_names::kManagerInterface)
      .withArguments(state);
  last_state_ = std::move(state);
}

}  // namespace platform
}  // namespace jetsvc
