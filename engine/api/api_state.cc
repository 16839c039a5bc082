// ApiState: process-wide API state, entry guards and small argument helpers.

#include "engine/api/api_state.h"

#include <algorithm>
#include <limits>

#include "platform/env.h"

namespace jetsvc {
namespace api {

namespace {

constexpr uint64_t kMaxSerial = MaxHandleSerial(static_cast<int>(sizeof(JET_API_PTR) * 8));

// The code a call on a failed instance gets (ESE's
// ErrInstanceUnavailableErrorCode).
JET_ERR UnavailableError(Instance* instance) {
  const Status sticky = instance->sticky_error();
  if (sticky.IsCode(JET_errLogDiskFull)) return JET_errInstanceUnavailableDueToFatalLogDiskFull;
  return JET_errInstanceUnavailable;
}

}  // namespace

ApiState::ApiState()
    : instance_handles(HandleKind::kInstance, kMaxSerial),
      session_handles(HandleKind::kSession, kMaxSerial),
      table_handles(HandleKind::kTable, kMaxSerial) {}

ApiState& ApiState::Get() {
  static ApiState* const state = new ApiState();
  return *state;
}

bool IsNilInstance(JET_INSTANCE instance) {
  return instance == 0 || instance == JET_instanceNil;
}

JET_ERR ApiState::FindInstanceLocked(JET_INSTANCE handle, std::shared_ptr<ApiInstance>* result) {
  std::shared_ptr<ApiInstance> found;
  if (!IsNilInstance(handle)) {
    found = instance_handles.Find(handle);
    if (found == nullptr) return JET_errInvalidInstance;
  }
  switch (mode) {
    case RunMode::kOneInstance:
      if (instances.empty()) return JET_errInvalidParameter;
      *result = instances.front();
      return JET_errSuccess;
    case RunMode::kMultiInstance:
      if (found == nullptr) return JET_errInvalidParameter;
      *result = std::move(found);
      return JET_errSuccess;
    case RunMode::kNotSet:
      break;
  }
  return JET_errInvalidParameter;
}

JET_ERR ApiState::NewInstanceLocked(const char* name, const char* display_name,
                                    std::shared_ptr<ApiInstance>* result) {
  if (instances.size() >= max_instances) return JET_errTooManyInstances;
  for (const auto& existing : instances) {
    if (name == nullptr && !existing->named) return JET_errInstanceNameInUse;
    if (name != nullptr && existing->named && existing->instance->name() == name) {
      return JET_errInstanceNameInUse;
    }
  }
  const std::string instance_name = name != nullptr ? name : "";
  const std::string shown = display_name != nullptr ? display_name : instance_name;
  Env* env = env_for_new_instances != nullptr ? env_for_new_instances : Env::Default();
  auto engine = std::make_unique<Instance>(env, instance_name, shown, globals);
  auto created = std::make_shared<ApiInstance>(std::move(engine), name != nullptr);
  created->handle = instance_handles.Add(created);
  if (created->handle == 0) return JET_errOutOfMemory;
  instances.push_back(created);
  *result = std::move(created);
  return JET_errSuccess;
}

void ApiState::SetModeLocked(RunMode new_mode) {
  mode = new_mode;
  switch (new_mode) {
    case RunMode::kNotSet:
      max_instances = 0;
      break;
    case RunMode::kOneInstance:
      max_instances = 1;
      break;
    case RunMode::kMultiInstance:
      max_instances = globals.Integer(JET_paramMaxInstances);
      break;
  }
}

ParamState ApiState::ParamStateFor(const ApiInstance* instance) const {
  if (instance == nullptr) {
    return mode == RunMode::kNotSet ? ParamState::kBeforeFirstInstance
                                    : ParamState::kAfterFirstInstance;
  }
  return instance->instance->initialized() ? ParamState::kInstanceInitialized
                                           : ParamState::kInstanceNotInitialized;
}

void WaitForCalls(ApiInstance* instance) {
  while (instance->calls_in_flight.load() > 0) {
    Env::Default()->SleepForMicroseconds(1000);
  }
}

void FreeInstance(const std::shared_ptr<ApiInstance>& instance) {
  ApiState& state = ApiState::Get();
  instance->terminating.store(true);
  WaitForCalls(instance.get());
  // Sessions and their cursors: the engine instance owns (or already
  // deleted) the sessions; JetTerm closed the cursors before Term.
  std::set<uint64_t> sessions;
  {
    MutexLock lock(&instance->sessions_mu);
    sessions.swap(instance->sessions);
  }
  for (uint64_t handle : sessions) {
    std::shared_ptr<ApiSession> session = state.session_handles.Remove(handle);
    if (session == nullptr) continue;
    session->ended.store(true);
    for (uint64_t table : session->tables) {
      std::shared_ptr<ApiTable> removed = state.table_handles.Remove(table);
      // A cursor left open here would outlive its session; keep its memory
      // rather than run its destructor against a deleted session.
      if (removed != nullptr && removed->cursor != nullptr) (void)removed->cursor.release();
    }
    session->tables.clear();
  }
  {
    MutexLock lock(&state.mu);
    auto& list = state.instances;
    list.erase(std::remove(list.begin(), list.end(), instance), list.end());
    state.instance_handles.Remove(instance->handle);
    instance->freed.store(true);
    if (list.empty()) state.SetModeLocked(RunMode::kNotSet);
  }
  instance->instance.reset();
}

// --- InstanceCall ----------------------------------------------------------

InstanceCall::~InstanceCall() {
  if (counted_) instance_->calls_in_flight.fetch_sub(1);
}

JET_ERR InstanceCall::Enter(JET_INSTANCE handle) {
  ApiState& state = ApiState::Get();
  {
    MutexLock lock(&state.mu);
    const JET_ERR err = state.FindInstanceLocked(handle, &instance_);
    if (err < 0) return err;
  }
  instance_->calls_in_flight.fetch_add(1);
  counted_ = true;
  if (instance_->freed.load()) return JET_errInvalidInstance;
  if (instance_->terminating.load()) return JET_errTermInProgress;
  if (instance_->initializing.load()) return JET_errInitInProgress;
  Instance* engine = instance_->instance.get();
  if (!engine->initialized()) return JET_errNotInitialized;
  if (engine->stop_requested()) return JET_errClientRequestToStopJetService;
  if (engine->state() == InstanceState::kFailed) return UnavailableError(engine);
  return JET_errSuccess;
}

// --- SessionCall -----------------------------------------------------------

SessionCall::~SessionCall() {
  if (in_call_) session_->in_call.store(false);
  if (counted_) session_->owner->calls_in_flight.fetch_sub(1);
}

JET_ERR SessionCall::Enter(JET_SESID sesid, StopRule stop) {
  session_ = ApiState::Get().session_handles.Find(sesid);
  if (session_ == nullptr) return JET_errInvalidSesid;
  return EnterFound(stop);
}

JET_ERR SessionCall::EnterTable(JET_SESID sesid, JET_TABLEID tableid, StopRule stop) {
  ApiState& state = ApiState::Get();
  session_ = state.session_handles.Find(sesid);
  if (session_ == nullptr) return JET_errInvalidSesid;
  table_ = state.table_handles.Find(tableid);
  if (table_ == nullptr) return JET_errInvalidTableId;
  if (table_->session_handle != session_->handle) return JET_errSesidTableIdMismatch;
  const JET_ERR err = EnterFound(stop);
  if (err < 0) return err;
  // Closing happens under the session's in-call flag, which we hold now.
  if (table_->cursor == nullptr) return JET_errInvalidTableId;
  return JET_errSuccess;
}

JET_ERR SessionCall::EnterDatabase(JET_SESID sesid, JET_DBID dbid, uint32_t* db_id,
                                   StopRule stop) {
  JET_ERR err = Enter(sesid, stop);
  if (err < 0) return err;
  err = ToDatabaseId(dbid, db_id);
  if (err < 0) return err;
  if (!session()->HasDatabaseOpen(*db_id)) return JET_errInvalidDatabaseId;
  return JET_errSuccess;
}

JET_ERR SessionCall::EnterFound(StopRule stop) {
  ApiInstance* owner = session_->owner.get();
  owner->calls_in_flight.fetch_add(1);
  counted_ = true;
  if (owner->freed.load() || session_->ended.load()) return JET_errInvalidSesid;
  // Checked before anything touches the engine instance (invariant 2).
  if (owner->terminating.load()) return JET_errTermInProgress;
  Instance* engine = owner->instance.get();
  if (stop == StopRule::kRefuse && engine->stop_requested()) {
    return JET_errClientRequestToStopJetService;
  }
  if (engine->state() == InstanceState::kFailed) return UnavailableError(engine);
  if (session_->in_call.exchange(true)) return JET_errSessionSharingViolation;
  in_call_ = true;
  if (session_->ended.load()) return JET_errInvalidSesid;
  return JET_errSuccess;
}

// --- cursors ---------------------------------------------------------------

JET_ERR CheckCursorQuota(SessionCall* call) {
  const uint64_t limit = call->instance()->Param(JET_paramMaxCursors);
  if (static_cast<uint64_t>(call->api_instance()->open_cursors.load()) >= limit) {
    return JET_errOutOfCursors;
  }
  return JET_errSuccess;
}

JET_ERR RegisterCursor(SessionCall* call, uint32_t db_id, std::unique_ptr<TableCursor> cursor,
                       JET_TABLEID* tableid) {
  auto table = std::make_shared<ApiTable>();
  table->cursor = std::move(cursor);
  table->session_handle = call->api_session()->handle;
  table->db_id = db_id;
  const uint64_t handle = ApiState::Get().table_handles.Add(table);
  if (handle == 0) return JET_errOutOfMemory;
  table->handle = handle;
  call->api_session()->tables.insert(handle);
  call->api_instance()->open_cursors.fetch_add(1);
  *tableid = static_cast<JET_TABLEID>(handle);
  return JET_errSuccess;
}

void CloseTable(ApiSession* session, uint64_t table_handle) {
  session->tables.erase(table_handle);
  std::shared_ptr<ApiTable> table = ApiState::Get().table_handles.Remove(table_handle);
  if (table == nullptr || table->cursor == nullptr) return;
  table->cursor.reset();
  session->owner->open_cursors.fetch_sub(1);
}

void CloseSessionTables(ApiSession* session, uint32_t db_id) {
  const std::set<uint64_t> tables = session->tables;
  for (uint64_t handle : tables) {
    if (db_id != 0) {
      std::shared_ptr<ApiTable> table = ApiState::Get().table_handles.Find(handle);
      if (table != nullptr && table->db_id != db_id) continue;
    }
    CloseTable(session, handle);
  }
}

// --- arguments and results -------------------------------------------------

JET_ERR CheckName(const char* name, std::string* result) {
  if (name == nullptr || name[0] == ' ') return JET_errInvalidName;
  size_t length = 0;
  size_t significant = 0;  // up to the last non-space character
  for (; length < JET_cbNameMost && name[length] != '\0'; ++length) {
    const unsigned char ch = static_cast<unsigned char>(name[length]);
    if (ch < 0x20 || ch == '!' || ch == '.' || ch == '[' || ch == ']') return JET_errInvalidName;
    if (ch != ' ') significant = length + 1;
  }
  if (length == JET_cbNameMost && name[length] != '\0') return JET_errInvalidName;
  if (significant == 0) return JET_errInvalidName;
  result->assign(name, significant);
  return JET_errSuccess;
}

JET_ERR CopyString(const std::string& text, void* buffer, unsigned long cb_max) {
  if (buffer == nullptr || text.size() + 1 > cb_max) return JET_errBufferTooSmall;
  std::memcpy(buffer, text.c_str(), text.size() + 1);
  return JET_errSuccess;
}

JET_ERR PutULong(void* buffer, unsigned long cb_max, uint64_t value, JET_ERR size_error) {
  if (buffer == nullptr) return JET_errInvalidParameter;
  if (cb_max == sizeof(unsigned long)) {
    const unsigned long v = static_cast<unsigned long>(value);
    std::memcpy(buffer, &v, sizeof(v));
  } else if (cb_max == sizeof(uint32_t)) {
    const uint32_t v = static_cast<uint32_t>(value);
    std::memcpy(buffer, &v, sizeof(v));
  } else {
    return size_error;
  }
  return JET_errSuccess;
}

JET_ERR ToDatabaseId(JET_DBID dbid, uint32_t* db_id) {
  if (dbid == 0 || dbid == JET_dbidNil || dbid > std::numeric_limits<uint32_t>::max()) {
    return JET_errInvalidDatabaseId;
  }
  *db_id = static_cast<uint32_t>(dbid);
  return JET_errSuccess;
}

}  // namespace api
}  // namespace jetsvc
