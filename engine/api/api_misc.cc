// The JET API edge, the rest: version, idle, online defragmentation, and
// the functions jetsvc does not support. Each checks
// its handles and grbits first, so a bad call still gets ESE's error;
// engine/api/NOT_SUPPORTED.md lists what then answers
// JET_errFeatureNotAvailable.

#include <cstdint>

#include "engine/api/api_state.h"
#include "esent.h"

namespace jetsvc {
namespace api {
namespace {

// JetGetVersion: jetsvc's version, encoded as ESENT encodes Windows'
// (bits 28-31 major, 24-27 minor, 8-23 build, 0-7 service pack): here
// major.minor.patch of the project (CMakeLists.txt `project(VERSION)`) in
// the first three fields and 0 in the last.
constexpr unsigned long kVersionMajor = 0;
constexpr unsigned long kVersionMinor = 1;
constexpr unsigned long kVersionPatch = 0;
constexpr unsigned long kEncodedVersion =
    ((kVersionMajor & 0xF) << 28) | ((kVersionMinor & 0xF) << 24) | ((kVersionPatch & 0xFFFF) << 8);

constexpr JET_GRBIT kIdleGrbits = JET_bitIdleFlushBuffers | JET_bitIdleCompact | JET_bitIdleStatus;
constexpr JET_GRBIT kDefragGrbits = JET_bitDefragmentBatchStart | JET_bitDefragmentBatchStop |
                                    JET_bitDefragmentAvailSpaceTreesOnly |
                                    JET_bitDefragmentNoPartialMerges | JET_bitDefragmentBTree;

JET_ERR Defragment(JET_SESID sesid, JET_DBID dbid, unsigned long* passes,
                   unsigned long* seconds, JET_GRBIT grbit) {
  SessionCall call;
  uint32_t db_id = 0;
  const JET_ERR err = call.EnterDatabase(sesid, dbid, &db_id);
  if (err < 0) return err;
  if ((grbit & ~kDefragGrbits) != 0) return JET_errInvalidGrbit;
  // With JET_paramEnableOnlineDefrag 0 the call does nothing and succeeds
  // (ESE's ErrOLDDefragment).
  if (call.instance()->Param(JET_paramEnableOnlineDefrag) == JET_OnlineDefragDisable) {
    return JET_errSuccess;
  }
  if (grbit & JET_bitDefragmentBatchStop) {
    uint32_t done_passes = 0;
    uint32_t done_seconds = 0;
    const Status status = call.instance()->StopDefrag(db_id, &done_passes, &done_seconds);
    if (passes != nullptr) *passes = done_passes;
    if (seconds != nullptr) *seconds = done_seconds;
    return ToErr(status);
  }
  // BatchStart (or no batch bit, as ESE): limits of 0 mean none.
  const uint32_t max_passes = passes != nullptr ? static_cast<uint32_t>(*passes) : 0;
  const uint32_t max_seconds = seconds != nullptr ? static_cast<uint32_t>(*seconds) : 0;
  return ToErr(call.instance()->StartDefrag(db_id, max_passes, max_seconds));
}

}  // namespace
}  // namespace api
}  // namespace jetsvc

using namespace jetsvc::api;  // NOLINT: the edge uses its helpers throughout

extern "C" {

JET_ERR JET_API JetGetVersion(JET_SESID sesid, unsigned long* pwVersion) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid);
    if (err < 0) return err;
    if (pwVersion == nullptr) return JET_errInvalidParameter;
    *pwVersion = kEncodedVersion;
    return JET_errSuccess;
  });
}

JET_ERR JET_API JetIdle(JET_SESID sesid, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid);
    if (err < 0) return err;
    if ((grbit & ~kIdleGrbits) != 0) return JET_errInvalidGrbit;
    // Version cleanup and flushing run in the background already.
    if (grbit & JET_bitIdleStatus) return JET_errSuccess;
    return JET_wrnNoIdleActivity;
  });
}

// szTableName: jetsvc defragments every tree of the database (ESE's OLD
// also works database-wide); a callback is not called.
JET_ERR JET_API JetDefragment2A(JET_SESID sesid, JET_DBID dbid, JET_PCSTR /*szTableName*/,
                                unsigned long* pcPasses, unsigned long* pcSeconds,
                                JET_CALLBACK /*callback*/, JET_GRBIT grbit) {
  return Guard([&] { return Defragment(sesid, dbid, pcPasses, pcSeconds, grbit); });
}

JET_ERR JET_API JetDefragmentA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR /*szTableName*/,
                               unsigned long* pcPasses, unsigned long* pcSeconds,
                               JET_GRBIT grbit) {
  return Guard([&] { return Defragment(sesid, dbid, pcPasses, pcSeconds, grbit); });
}

JET_ERR JET_API JetEscrowUpdate(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID /*columnid*/,
                                void* pv, unsigned long cbMax, void* /*pvOld*/,
                                unsigned long /*cbOldMax*/, unsigned long* /*pcbOldActual*/,
                                JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if ((grbit & ~JET_GRBIT{JET_bitEscrowNoRollback}) != 0) return JET_errInvalidGrbit;
    if (pv == nullptr && cbMax > 0) return JET_errInvalidParameter;
    return JET_errFeatureNotAvailable;
  });
}

JET_ERR JET_API JetGetLock(JET_SESID sesid, JET_TABLEID tableid, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if (grbit != JET_bitReadLock && grbit != JET_bitWriteLock) return JET_errInvalidGrbit;
    return JET_errFeatureNotAvailable;
  });
}

}  // extern "C"
