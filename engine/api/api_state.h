// ApiState: the process-wide state behind the C API (esent.h) — the run
// mode, the instances, the process-wide parameter defaults and the handle
// tables — plus the entry guards every API function goes through.
//
// Run mode (ESE's RUNINSTMODE, reference §3 "Mode"):
//
//            JetCreateInstance / JetEnableMultiInstance
//   kNotSet ───────────────────────────────────────────► kMultiInstance
//      │  ▲                                                    │
//      │  └────────── last instance freed (FreeInstance) ──────┘
//      │  ▲
//      │  └────────── the one instance freed ──────────┐
//      │ first JetInit without an instance             │
//      └──────────────────────────────────────► kOneInstance
//
// Call accounting (what JetTerm relies on):
//  1. Every call that uses an instance (its sessions' calls, JetBeginSession)
//     increments ApiInstance::calls_in_flight *before* it checks
//     `terminating`, and decrements it when it returns.
//  2. JetTerm sets `terminating` *before* it waits for calls_in_flight to
//     reach 0. With (1) no call can pass its check and still be running
//     when term proceeds.
//  3. A freed instance keeps `terminating` and `freed` set forever, so a
//     call that found its handle just before the free stops at the check.
//  4. A session is used by one call at a time (ApiSession::in_call); a
//     second call gets JET_errSessionSharingViolation. The session's table
//     set is changed only by calls holding in_call, or by JetTerm once (2)
//     holds.
//
// Lock order: ApiInstance::lifecycle_mu -> ApiState::mu ->
// ApiInstance::sessions_mu -> engine locks. Calls on sessions take none of
// the first two.
//
// Thread contract: thread-safe as described above.

#ifndef JETSVC_ENGINE_API_API_STATE_H_
#define JETSVC_ENGINE_API_API_STATE_H_

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/api/handles.h"
#include "engine/instance/instance.h"
#include "engine/instance/params.h"
#include "engine/instance/session.h"
#include "engine/table/table_cursor.h"
#include "engine/util/mutex.h"
#include "engine/util/status.h"
#include "esent.h"

namespace jetsvc {
namespace api {

enum class RunMode { kNotSet, kOneInstance, kMultiInstance };

// One instance (JET_INSTANCE).
struct ApiInstance {
  ApiInstance(std::unique_ptr<Instance> engine_instance, bool has_name)
      : instance(std::move(engine_instance)), named(has_name) {}

  // Reset by FreeInstance once no call can reach it.
  std::unique_ptr<Instance> instance;
  const bool named;  // created with a non-NULL name (ESE compares NULL names too)
  uint64_t handle = 0;

  std::atomic<int64_t> calls_in_flight{0};
  std::atomic<bool> terminating{false};
  std::atomic<bool> freed{false};
  std::atomic<bool> initializing{false};
  std::atomic<int64_t> open_cursors{0};

  // JetInit and JetTerm of this instance run one at a time.
  Mutex lifecycle_mu ACQUIRED_BEFORE(sessions_mu);
  Mutex sessions_mu;
  std::set<uint64_t> sessions GUARDED_BY(sessions_mu);  // handles
};

// One session (JET_SESID).
struct ApiSession {
  Session* session = nullptr;  // owned by the engine instance
  std::shared_ptr<ApiInstance> owner;
  uint64_t handle = 0;
  std::atomic<bool> in_call{false};
  std::atomic<bool> ended{false};
  // Handles of the session's open tables (invariant 4 of the file comment).
  std::set<uint64_t> tables;
  // JetSetSessionContext: the thread that set the context.
  std::thread::id context_thread;
};

// One cursor (JET_TABLEID).
struct ApiTable {
  std::unique_ptr<TableCursor> cursor;  // null once closed
  uint64_t session_handle = 0;
  uint64_t handle = 0;
  uint32_t db_id = 0;
  // The update prepared last was an insert (JetUpdate's bookmark rules
  // differ); meaningful only while the cursor has an update prepared.
  bool insert_prepared = false;
};

class ApiState {
 public:
  // The process-wide state; created on first use and never destroyed
  // (instances may still be running when static destructors run).
  static ApiState& Get();

  // ESE's ErrFindPinst after JET_VALIDATE_INSTANCE: a handle that names no
  // live instance gives JET_errInvalidInstance; in one-instance mode the
  // argument is otherwise ignored; 0 / nil gives JET_errInvalidParameter
  // unless the mode is kOneInstance.
  JET_ERR FindInstanceLocked(JET_INSTANCE handle, std::shared_ptr<ApiInstance>* result)
      EXCLUSIVE_LOCKS_REQUIRED(mu);
  // ESE's ErrNewInst: JET_errTooManyInstances, JET_errInstanceNameInUse.
  // The new instance copies `globals`.
  JET_ERR NewInstanceLocked(const char* name, const char* display_name,
                            std::shared_ptr<ApiInstance>* result) EXCLUSIVE_LOCKS_REQUIRED(mu);
  // ESE's RUNINSTSetMode: also fixes max_instances.
  void SetModeLocked(RunMode new_mode) EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Which ParamState a write through `instance` (null: the process-wide
  // store) uses.
  ParamState ParamStateFor(const ApiInstance* instance) const EXCLUSIVE_LOCKS_REQUIRED(mu);

  // The "instance critical section". Taken after ApiInstance::lifecycle_mu.
  Mutex mu;
  RunMode mode GUARDED_BY(mu) = RunMode::kNotSet;
  // g_cpinstMax: 1 in one-instance mode, JET_paramMaxInstances (read when
  // the mode was chosen) in multi-instance mode.
  uint64_t max_instances GUARDED_BY(mu) = 0;
  // The process-wide parameters: global parameters and the defaults new
  // instances copy.
  ParamValues globals GUARDED_BY(mu) = ParamValues::Defaults();
  // The Env instances created from now on use; null means Env::Default().
  // Tests set a fault-injecting Env here to fail the engine through the
  // public API. REQUIRES: it outlives every instance created with it.
  Env* env_for_new_instances GUARDED_BY(mu) = nullptr;
  // Global parameters set by the application (JetEnableMultiInstance's
  // second-call comparison).
  std::set<uint32_t> globals_written GUARDED_BY(mu);
  std::vector<std::shared_ptr<ApiInstance>> instances GUARDED_BY(mu);  // creation order

  HandleTable<ApiInstance> instance_handles;
  HandleTable<ApiSession> session_handles;
  HandleTable<ApiTable> table_handles;

 private:
  ApiState();
};

// --- errors ---------------------------------------------------------------

inline JET_ERR ToErr(const Status& status) { return static_cast<JET_ERR>(status.code()); }

// Runs an API body; no exception leaves it.
template <typename Body>
JET_ERR Guard(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return JET_errOutOfMemory;
  } catch (...) {
    return JET_errInternalError;
  }
}

// --- instances -------------------------------------------------------------

bool IsNilInstance(JET_INSTANCE instance);
// Waits until no call is inside `instance` (file comment, invariant 2).
// REQUIRES: instance->terminating is set.
void WaitForCalls(ApiInstance* instance);
// Unregisters and deletes the instance: sets terminating, waits for calls,
// drops its sessions' handles, resets the mode after the last instance.
// REQUIRES: lifecycle_mu held, ApiState::mu not held.
void FreeInstance(const std::shared_ptr<ApiInstance>& instance);
// --- entry guards ----------------------------------------------------------

// An API call on an instance (JetBeginSession): the instance must be
// initialized and not terminating.
class InstanceCall {
 public:
  InstanceCall() = default;
  ~InstanceCall();
  InstanceCall(const InstanceCall&) = delete;
  InstanceCall& operator=(const InstanceCall&) = delete;

  JET_ERR Enter(JET_INSTANCE instance);
  ApiInstance* api_instance() const { return instance_.get(); }
  const std::shared_ptr<ApiInstance>& shared_instance() const { return instance_; }
  Instance* instance() const { return instance_->instance.get(); }

 private:
  std::shared_ptr<ApiInstance> instance_;
  bool counted_ = false;
};

// How a session call treats a stopped instance (reference §3 "Who returns
// -1329").
enum class StopRule { kRefuse, kAllow };

// An API call on a session (and possibly one of its tables).
class SessionCall {
 public:
  SessionCall() = default;
  ~SessionCall();
  SessionCall(const SessionCall&) = delete;
  SessionCall& operator=(const SessionCall&) = delete;

  // JET_errInvalidSesid, JET_errTermInProgress, JET_errInstanceUnavailable,
  // JET_errClientRequestToStopJetService, JET_errSessionSharingViolation.
  JET_ERR Enter(JET_SESID sesid, StopRule stop = StopRule::kRefuse);
  // Also JET_errInvalidTableId and JET_errSesidTableIdMismatch (checked
  // before entering, in ESE's order).
  JET_ERR EnterTable(JET_SESID sesid, JET_TABLEID tableid, StopRule stop = StopRule::kRefuse);
  // Enter(), then JET_errInvalidDatabaseId unless the session has opened
  // `dbid`; *db_id receives it.
  JET_ERR EnterDatabase(JET_SESID sesid, JET_DBID dbid, uint32_t* db_id,
                        StopRule stop = StopRule::kRefuse);

  ApiSession* api_session() const { return session_.get(); }
  Session* session() const { return session_->session; }
  ApiInstance* api_instance() const { return session_->owner.get(); }
  Instance* instance() const { return session_->owner->instance.get(); }
  ApiTable* table() const { return table_.get(); }
  TableCursor* cursor() const { return table_->cursor.get(); }

 private:
  JET_ERR EnterFound(StopRule stop);

  std::shared_ptr<ApiSession> session_;
  std::shared_ptr<ApiTable> table_;
  bool counted_ = false;
  bool in_call_ = false;
};

// --- cursors ---------------------------------------------------------------

// Registers `cursor` as a table of the session of `call`; *tableid gets its
// handle. JET_errOutOfCursors past JET_paramMaxCursors.
JET_ERR RegisterCursor(SessionCall* call, uint32_t db_id, std::unique_ptr<TableCursor> cursor,
                       JET_TABLEID* tableid);
// Whether one more cursor fits JET_paramMaxCursors.
JET_ERR CheckCursorQuota(SessionCall* call);
// Closes one table of `session` (its cursor is destroyed here).
void CloseTable(ApiSession* session, uint64_t table_handle);
// Closes the session's tables (of database `db_id` only, unless 0).
void CloseSessionTables(ApiSession* session, uint32_t db_id);

// --- arguments and results -------------------------------------------------

// ESE's name rules (ErrUTILCheckName): not null, no leading space, 1..64
// characters, no control characters or ! . [ ]; trailing spaces are
// dropped. JET_errInvalidName otherwise.
JET_ERR CheckName(const char* name, std::string* result);
// Copies `text` and its NUL into (buffer, cb_max); JET_errBufferTooSmall
// if it does not fit.
JET_ERR CopyString(const std::string& text, void* buffer, unsigned long cb_max);
// Writes an `unsigned long` result. ESE's ULONG is 32 bits and LP64's
// unsigned long is 64, so both sizes are accepted; anything else gives
// `size_error`.
JET_ERR PutULong(void* buffer, unsigned long cb_max, uint64_t value, JET_ERR size_error);
// The JET_DBID as an engine database id (JET_errInvalidDatabaseId if it
// cannot be one).
JET_ERR ToDatabaseId(JET_DBID dbid, uint32_t* db_id);

}  // namespace api
}  // namespace jetsvc

#endif  // JETSVC_ENGINE_API_API_STATE_H_
