// The JET API edge, instances: run modes, creation, JetInit, JetTerm, stop
// service (argument checks only, for now) and system parameters.
// Reference: /work/shared/reference/ese-api.md §3 "Mode", and ESE's
// jetapi.cxx (JetInitEx, JetCreateInstanceEx, JetEnableMultiInstanceEx,
// ErrTermComplete, JetSetSystemParameterEx).

#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "engine/api/api_state.h"
#include "esent.h"
#include "jetsvc_ext.h"

namespace jetsvc {
namespace api {
namespace {

// JetInit2/JetInit3 options the engine understands (it passes them on to
// recovery).
constexpr JET_GRBIT kInitGrbits = JET_bitReplayIgnoreMissingDB | JET_bitRecoveryWithoutUndo |
                                  JET_bitTruncateLogsAfterRecovery |
                                  JET_bitReplayMissingMapEntryDB | JET_bitLogStreamMustExist |
                                  JET_bitReplayIgnoreLostLogs |
                                  JET_bitKeepDbAttachedAtEndOfRecovery;
constexpr JET_GRBIT kTermGrbits =
    JET_bitTermComplete | JET_bitTermAbrupt | JET_bitTermStopBackup | JET_bitTermDirty;

bool IsZero(const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

// JetInit3's restore information: jetsvc replays the logged paths as they
// are and to the end of the log, so only an empty JET_RSTINFO is usable.
JET_ERR CheckRestoreInfo(const JET_RSTINFO_A* info) {
  if (info == nullptr) return JET_errSuccess;
  if (info->cbStruct != sizeof(JET_RSTINFO_A)) return JET_errInvalidParameter;
  if (info->crstmap != 0 || info->rgrstmap != nullptr) return JET_errFeatureNotAvailable;
  if (!IsZero(&info->lgposStop, sizeof(info->lgposStop)) ||
      !IsZero(&info->logtimeStop, sizeof(info->logtimeStop))) {
    return JET_errFeatureNotAvailable;
  }
  return JET_errSuccess;  // pfnStatus: no progress is reported
}

JET_ERR InitInstance(JET_INSTANCE* pinstance, JET_RSTINFO_A* restore_info, JET_GRBIT grbit) {
  ApiState& state = ApiState::Get();
  if ((grbit & ~kInitGrbits) != 0) return JET_errInvalidGrbit;
  bool allocate = pinstance == nullptr || IsNilInstance(*pinstance);
  if (allocate && pinstance != nullptr) *pinstance = JET_instanceNil;

  std::shared_ptr<ApiInstance> instance;
  {
    MutexLock lock(&state.mu);
    if (state.mode == RunMode::kMultiInstance && pinstance == nullptr) {
      return JET_errRunningInMultiInstanceMode;
    }
    if (state.mode == RunMode::kOneInstance && !state.instances.empty()) {
      return JET_errAlreadyInitialized;
    }
    JET_ERR err = CheckRestoreInfo(restore_info);
    if (err < 0) return err;
    if (state.mode == RunMode::kNotSet) state.SetModeLocked(RunMode::kOneInstance);
    // In one-instance mode the argument may be bogus: always allocate.
    allocate = allocate || state.mode == RunMode::kOneInstance;
    if (allocate) {
      err = state.NewInstanceLocked(nullptr, nullptr, &instance);
      if (err < 0) {
        if (state.instances.empty()) state.SetModeLocked(RunMode::kNotSet);
        return err;
      }
    } else {
      instance = state.instance_handles.Find(*pinstance);
      if (instance == nullptr) return JET_errInvalidInstance;
    }
  }

  MutexLock lifecycle(&instance->lifecycle_mu);
  if (instance->freed.load()) return JET_errInvalidInstance;
  Instance* engine = instance->instance.get();
  if (engine->state() != InstanceState::kCreated) return JET_errAlreadyInitialized;
  instance->initializing.store(true);
  const Status status = engine->Init(static_cast<uint32_t>(grbit));
  instance->initializing.store(false);
  if (status.IsError()) {
    // A failed JetInit frees the instance, even one from JetCreateInstance.
    FreeInstance(instance);
    if (pinstance != nullptr) *pinstance = 0;
    return ToErr(status);
  }
  if (allocate && pinstance != nullptr) *pinstance = static_cast<JET_INSTANCE>(instance->handle);
  return ToErr(status);
}

JET_ERR TermInstance(JET_INSTANCE instance_handle, JET_GRBIT grbit) {
  ApiState& state = ApiState::Get();
  if ((grbit & ~kTermGrbits) != 0) return JET_errInvalidGrbit;
  std::shared_ptr<ApiInstance> instance;
  {
    MutexLock lock(&state.mu);
    const JET_ERR err = state.FindInstanceLocked(instance_handle, &instance);
    if (err < 0) return err;
  }
  MutexLock lifecycle(&instance->lifecycle_mu);
  if (instance->freed.load()) return JET_errNotInitialized;  // someone beat us to it
  Instance* engine = instance->instance.get();
  if (!engine->initialized()) {
    // Allocated but never initialized: just freed.
    FreeInstance(instance);
    return JET_errSuccess;
  }

  instance->terminating.store(true);
  WaitForCalls(instance.get());

  std::set<uint64_t> session_handles;
  {
    MutexLock lock(&instance->sessions_mu);
    session_handles = instance->sessions;
  }
  const bool dirty =
      (grbit & JET_bitTermDirty) != 0 || engine->state() == InstanceState::kFailed;
  if (!dirty) {
    // ESE: an open transaction makes every non-dirty term fail with
    // JET_errTooManyActiveUsers and leaves the instance alive. Checked here
    // so that nothing (the cursors below) is torn down first.
    for (uint64_t handle : session_handles) {
      std::shared_ptr<ApiSession> session = state.session_handles.Find(handle);
      if (session != nullptr && session->session->level() > 0) {
        instance->terminating.store(false);
        return JET_errTooManyActiveUsers;
      }
    }
  }
  // Cursors go before the sessions the engine is about to end.
  for (uint64_t handle : session_handles) {
    std::shared_ptr<ApiSession> session = state.session_handles.Find(handle);
    if (session != nullptr) CloseSessionTables(session.get(), 0);
  }

  // JetTerm2(i, 0) behaves like JET_bitTermComplete.
  const uint32_t engine_grbit = grbit == 0 ? JET_bitTermComplete : static_cast<uint32_t>(grbit);
  const Status status = engine->Term(engine_grbit);
  if (engine->state() == InstanceState::kTerminated) {
    FreeInstance(instance);
  } else {
    instance->terminating.store(false);
  }
  return ToErr(status);
}

// The stop-service calls (reference §3; ESE's JetStopServiceInstanceEx):
// they only look the instance up (no API-enter, so they are never refused
// by a stop), then hand over to the engine.
JET_ERR FindStopServiceInstance(JET_INSTANCE handle, std::shared_ptr<ApiInstance>* instance) {
  ApiState& state = ApiState::Get();
  MutexLock lock(&state.mu);
  return state.FindInstanceLocked(handle, instance);
}

// Counts a stop-service or extension call as a call in flight, so JetTerm
// cannot free the engine instance under it (api_state.h, invariants 1-2:
// count first, then check `terminating`).
class StopCall {
 public:
  explicit StopCall(std::shared_ptr<ApiInstance> instance) : instance_(std::move(instance)) {
    instance_->calls_in_flight.fetch_add(1);
  }
  ~StopCall() { instance_->calls_in_flight.fetch_sub(1); }
  StopCall(const StopCall&) = delete;
  StopCall& operator=(const StopCall&) = delete;

  // The engine instance, if it can take the call.
  JET_ERR Engine(Instance** engine) {
    if (instance_->freed.load()) return JET_errInvalidInstance;
    if (instance_->terminating.load()) return JET_errTermInProgress;
    *engine = instance_->instance.get();
    if (*engine == nullptr || !(*engine)->initialized()) return JET_errNotInitialized;
    return JET_errSuccess;
  }

 private:
  const std::shared_ptr<ApiInstance> instance_;
};

JET_ERR CheckStopServiceGrbit(JET_GRBIT grbit) {
  constexpr JET_GRBIT kResumable =
      JET_bitStopServiceBackgroundUserTasks | JET_bitStopServiceQuiesceCaches;
  // ESE's internal StopAndEmitLog (0x8) is refused too: see
  // engine/api/NOT_SUPPORTED.md.
  constexpr JET_GRBIT kUserBits = kResumable | JET_bitStopServiceResume;
  if ((grbit & ~kUserBits) != 0) return JET_errInvalidGrbit;
  return JET_errSuccess;
}

// The target of JetSet/GetSystemParameter (ESE's "divine what instance we
// are addressing"): null means the process-wide store.
JET_ERR ParamTargetLocked(JET_INSTANCE handle, JET_SESID sesid, uint32_t paramid,
                          std::shared_ptr<ApiInstance>* target) {
  ApiState& state = ApiState::Get();
  state.mu.AssertHeld();
  target->reset();
  if (state.mode == RunMode::kOneInstance) {
    if (!ParamValues::IsGlobal(paramid) && !state.instances.empty()) {
      *target = state.instances.front();
    }
  } else if (state.mode == RunMode::kMultiInstance) {
    if (sesid != 0 && sesid != JET_sesidNil) {
      std::shared_ptr<ApiSession> session = state.session_handles.Find(sesid);
      if (session == nullptr || session->ended.load() || session->owner->freed.load()) {
        return JET_errInvalidSesid;
      }
      *target = session->owner;
    } else if (!IsNilInstance(handle)) {
      *target = state.instance_handles.Find(handle);
      if (*target == nullptr) return JET_errInvalidInstance;
    }
  }
  return JET_errSuccess;
}

}  // namespace
}  // namespace api
}  // namespace jetsvc

using jetsvc::Instance;
using jetsvc::MutexLock;
using jetsvc::StopProgress;
using jetsvc::ParamValues;
using jetsvc::Status;
using namespace jetsvc::api;  // NOLINT: the edge uses its helpers throughout

extern "C" {

JET_ERR JET_API JetCreateInstance2A(JET_INSTANCE* pinstance, JET_PCSTR szInstanceName,
                                    JET_PCSTR szDisplayName, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    if (pinstance == nullptr) return JET_errInvalidParameter;
    *pinstance = JET_instanceNil;
    if (grbit != 0) return JET_errInvalidGrbit;
    ApiState& state = ApiState::Get();
    MutexLock lock(&state.mu);
    if (state.mode == RunMode::kOneInstance) return JET_errRunningInOneInstanceMode;
    if (state.mode == RunMode::kNotSet) state.SetModeLocked(RunMode::kMultiInstance);
    std::shared_ptr<ApiInstance> instance;
    const JET_ERR err = state.NewInstanceLocked(szInstanceName, szDisplayName, &instance);
    if (err < 0) {
      if (state.instances.empty()) state.SetModeLocked(RunMode::kNotSet);
      return err;
    }
    *pinstance = static_cast<JET_INSTANCE>(instance->handle);
    return JET_errSuccess;
  });
}

JET_ERR JET_API JetCreateInstanceA(JET_INSTANCE* pinstance, JET_PCSTR szInstanceName) {
  return JetCreateInstance2A(pinstance, szInstanceName, nullptr, 0);
}

JET_ERR JET_API JetInit3A(JET_INSTANCE* pinstance, JET_RSTINFO_A* prstInfo, JET_GRBIT grbit) {
  return Guard([&] { return InitInstance(pinstance, prstInfo, grbit); });
}

JET_ERR JET_API JetInit2(JET_INSTANCE* pinstance, JET_GRBIT grbit) {
  return JetInit3A(pinstance, nullptr, grbit);
}

JET_ERR JET_API JetInit(JET_INSTANCE* pinstance) { return JetInit3A(pinstance, nullptr, 0); }

JET_ERR JET_API JetTerm2(JET_INSTANCE instance, JET_GRBIT grbit) {
  return Guard([&] { return TermInstance(instance, grbit); });
}

JET_ERR JET_API JetTerm(JET_INSTANCE instance) { return JetTerm2(instance, JET_bitTermAbrupt); }

JET_ERR JET_API JetStopServiceInstance2(JET_INSTANCE instance, const JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    std::shared_ptr<ApiInstance> found;
    JET_ERR err = FindStopServiceInstance(instance, &found);
    if (err < 0) return err;
    err = CheckStopServiceGrbit(grbit);
    if (err < 0) return err;
    StopCall call(found);
    Instance* engine = nullptr;
    err = call.Engine(&engine);
    if (err < 0) return err;
    return ToErr(engine->StopService(grbit));
  });
}

JET_ERR JET_API JetStopServiceInstance(JET_INSTANCE instance) {
  return Guard([&]() -> JET_ERR {
    std::shared_ptr<ApiInstance> found;
    JET_ERR err = FindStopServiceInstance(instance, &found);
    if (err < 0) return err;
    StopCall call(found);
    Instance* engine = nullptr;
    err = call.Engine(&engine);
    if (err < 0) return err;
    return ToErr(engine->StopServiceLegacy());
  });
}

// jetsvc_ext.h: progress of a stop, and the wait for the quiesce.
JET_ERR JET_API JetsvcGetStopProgress(JET_INSTANCE instance, JETSVC_STOP_PROGRESS* pprogress) {
  return Guard([&]() -> JET_ERR {
    std::shared_ptr<ApiInstance> found;
    JET_ERR err = FindStopServiceInstance(instance, &found);
    if (err < 0) return err;
    if (pprogress == nullptr || pprogress->cbStruct != sizeof(JETSVC_STOP_PROGRESS)) {
      return JET_errInvalidParameter;
    }
    StopCall call(found);
    Instance* engine = nullptr;
    err = call.Engine(&engine);
    if (err < 0) return err;
    const StopProgress progress = engine->GetStopProgress();
    pprogress->ulStopState = (progress.stopped_bits & 0x7) |
                             (progress.quiesced ? JETSVC_bitStopQuiesced : 0);
    if (progress.stop_requested) pprogress->ulStopState |= JETSVC_bitStopAll;
    if (progress.quiescing) pprogress->ulStopState |= JETSVC_bitStopQuiescing;
    pprogress->fDefragRunning = progress.defrag_running ? 1 : 0;
    pprogress->ulReserved = 0;
    pprogress->cDirtyPages = progress.dirty_pages;
    pprogress->cbDirty = progress.dirty_bytes;
    pprogress->cbCheckpointDepth = progress.checkpoint_depth_bytes;
    pprogress->cbVersionStore = progress.version_store_bytes;
    pprogress->cbFlushedSinceStop = progress.bytes_flushed;
    pprogress->cusecSinceStop = progress.flush_micros;
    return JET_errSuccess;
  });
}

JET_ERR JET_API JetsvcWaitForQuiesce(JET_INSTANCE instance, unsigned long cmsecTimeout) {
  return Guard([&]() -> JET_ERR {
    std::shared_ptr<ApiInstance> found;
    JET_ERR err = FindStopServiceInstance(instance, &found);
    if (err < 0) return err;
    // Counted as a call in flight: a JetTerm waits for the wait to end.
    StopCall call(found);
    Instance* engine = nullptr;
    err = call.Engine(&engine);
    if (err < 0) return err;
    bool quiesced = false;
    const Status status = engine->WaitQuiesced(uint64_t{cmsecTimeout} * 1000, &quiesced);
    if (status.IsError()) return ToErr(status);
    return quiesced ? JET_errSuccess : JETSVC_wrnQuiesceTimedOut;
  });
}

JET_ERR JET_API JetsvcGetInstanceFailure(JET_INSTANCE instance, JET_ERR* perrFatal) {
  return Guard([&]() -> JET_ERR {
    if (perrFatal == nullptr) return JET_errInvalidParameter;
    std::shared_ptr<ApiInstance> found;
    JET_ERR err = FindStopServiceInstance(instance, &found);
    if (err < 0) return err;
    StopCall call(found);
    Instance* engine = nullptr;
    err = call.Engine(&engine);
    if (err < 0) return err;
    const Status sticky = engine->sticky_error();
    *perrFatal = sticky.ok() ? JET_errSuccess : ToErr(sticky);
    if (*perrFatal >= 0 && !sticky.ok()) *perrFatal = JET_errInstanceUnavailable;
    return JET_errSuccess;
  });
}

JET_ERR JET_API JetStopService(void) {
  return Guard([&]() -> JET_ERR {
    ApiState& state = ApiState::Get();
    {
      MutexLock lock(&state.mu);
      // ESE's ErrRUNINSTCheckOneInstMode.
      if (state.mode == RunMode::kNotSet) return JET_errInvalidParameter;
      if (state.mode == RunMode::kMultiInstance) return JET_errRunningInMultiInstanceMode;
    }
    return JetStopServiceInstance(0);
  });
}

JET_ERR JET_API JetEnableMultiInstanceA(JET_SETSYSPARAM_A* psetsysparam,
                                        unsigned long csetsysparam,
                                        unsigned long* pcsetsucceed) {
  return Guard([&]() -> JET_ERR {
    if ((psetsysparam == nullptr) != (csetsysparam == 0)) return JET_errInvalidParameter;
    ApiState& state = ApiState::Get();
    unsigned long succeeded = 0;
    JET_ERR err = JET_errSuccess;
    {
      MutexLock lock(&state.mu);
      if (state.mode == RunMode::kOneInstance) {
        err = JET_errRunningInOneInstanceMode;
      } else if (state.mode == RunMode::kMultiInstance) {
        // A second call: succeed (with -1082) only if it asks for exactly
        // what the first one set.
        std::set<uint32_t> given;
        for (unsigned long i = 0; i < csetsysparam && err >= 0; ++i) {
          JET_SETSYSPARAM_A& p = psetsysparam[i];
          const jetsvc::ParamSpec* spec = ParamValues::Spec(static_cast<uint32_t>(p.paramid));
          if (spec == nullptr) {
            err = JET_errInvalidParameter;
            break;
          }
          const bool frozen_global = (spec->flags & jetsvc::kParamGlobal) &&
                                     (spec->flags & jetsvc::kParamFrozenAfterGlobalInit);
          bool matches;
          if (frozen_global && state.globals_written.count(spec->id) == 0) {
            matches = false;
          } else if (spec->type == jetsvc::ParamType::kString) {
            matches = state.globals.String(spec->id) == (p.sz != nullptr ? p.sz : "");
          } else {
            uint64_t value = state.globals.Integer(spec->id);
            if (spec->id == JET_paramConfiguration) value &= ~uint64_t{JET_configDefault};
            matches = value == p.lParam;
          }
          if (!matches) {
            p.err = JET_errSystemParameterConflict;
            err = p.err;
            break;
          }
          p.err = JET_errSuccess;
          given.insert(spec->id);
          ++succeeded;
        }
        if (err >= 0) {
          for (uint32_t id : state.globals_written) {
            const jetsvc::ParamSpec* spec = ParamValues::Spec(id);
            if ((spec->flags & jetsvc::kParamGlobal) &&
                (spec->flags & jetsvc::kParamFrozenAfterGlobalInit) && given.count(id) == 0) {
              err = JET_errSystemParameterConflict;
              break;
            }
          }
        }
        if (err >= 0) err = JET_errSystemParamsAlreadySet;
      } else {
        for (unsigned long i = 0; i < csetsysparam; ++i) {
          JET_SETSYSPARAM_A& p = psetsysparam[i];
          const uint32_t id = static_cast<uint32_t>(p.paramid);
          const Status status = state.globals.Set(id, p.lParam, p.sz,
                                                  jetsvc::ParamState::kBeforeFirstInstance);
          p.err = ToErr(status);
          if (status.IsError()) {
            err = p.err;
            break;
          }
          state.globals_written.insert(id);
          ++succeeded;
        }
        if (err >= 0) state.SetModeLocked(RunMode::kMultiInstance);
      }
    }
    if (pcsetsucceed != nullptr) *pcsetsucceed = succeeded;
    return err;
  });
}

JET_ERR JET_API JetSetSystemParameterA(JET_INSTANCE* pinstance, JET_SESID sesid,
                                       unsigned long paramid, JET_API_PTR lParam,
                                       JET_PCSTR szParam) {
  return Guard([&]() -> JET_ERR {
    if (paramid >= jetsvc::kParamIdLimit) return JET_errInvalidParameter;
    const uint32_t id = static_cast<uint32_t>(paramid);
    ApiState& state = ApiState::Get();
    MutexLock lock(&state.mu);
    std::shared_ptr<ApiInstance> target;
    const JET_ERR err = ParamTargetLocked(pinstance != nullptr ? *pinstance : 0, sesid, id,
                                          &target);
    if (err < 0) return err;
    if (target != nullptr && target->initializing.load()) return JET_errInitInProgress;
    const jetsvc::ParamState param_state = state.ParamStateFor(target.get());

    if (target != nullptr && !ParamValues::IsGlobal(id)) {
      return ToErr(target->instance->SetParam(id, lParam, szParam, param_state));
    }
    const Status status = state.globals.Set(id, lParam, szParam, param_state);
    if (status.IsError()) return ToErr(status);
    state.globals_written.insert(id);
    if (ParamValues::IsGlobal(id)) {
      // One value for the process: every live instance sees it.
      for (const auto& instance : state.instances) {
        instance->instance->SetParam(id, lParam, szParam, jetsvc::ParamState::kBeforeFirstInstance)
            .PermitUnchecked();
      }
    }
    return ToErr(status);
  });
}

JET_ERR JET_API JetGetSystemParameterA(JET_INSTANCE instance, JET_SESID sesid,
                                       unsigned long paramid, JET_API_PTR* plParam,
                                       JET_PSTR szParam, unsigned long cbMax) {
  return Guard([&]() -> JET_ERR {
    if (paramid >= jetsvc::kParamIdLimit) return JET_errInvalidParameter;
    const uint32_t id = static_cast<uint32_t>(paramid);
    ApiState& state = ApiState::Get();
    MutexLock lock(&state.mu);
    std::shared_ptr<ApiInstance> target;
    const JET_ERR err = ParamTargetLocked(instance, sesid, id, &target);
    if (err < 0) return err;
    uint64_t value = plParam != nullptr ? static_cast<uint64_t>(*plParam) : 0;
    uint64_t* integer = plParam != nullptr ? &value : nullptr;
    const Status status = target != nullptr && !ParamValues::IsGlobal(id)
                              ? target->instance->GetParam(id, integer, szParam, cbMax)
                              : state.globals.Get(id, integer, szParam, cbMax);
    if (status.ok() && plParam != nullptr) *plParam = static_cast<JET_API_PTR>(value);
    return ToErr(status);
  });
}

JET_ERR JET_API JetGetInstanceInfoA(unsigned long* pcInstanceInfo,
                                    JET_INSTANCE_INFO_A** paInstanceInfo) {
  return Guard([&]() -> JET_ERR {
    if (pcInstanceInfo == nullptr || paInstanceInfo == nullptr) return JET_errInvalidParameter;
    // The result is engine-allocated and ESE frees it with JetFreeBuffer,
    // which esent.h does not declare (NOT_SUPPORTED.md).
    return JET_errFeatureNotAvailable;
  });
}

}  // extern "C"
