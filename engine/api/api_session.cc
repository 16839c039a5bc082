// The JET API edge, sessions: sessions and their context, transactions,
// databases (create, attach, open, close, detach) and database information.

#include <cstring>
#include <memory>
#include <string>

#include "engine/api/api_state.h"
#include "engine/instance/database.h"
#include "esent.h"
#include "platform/env.h"

namespace jetsvc {
namespace api {
namespace {

constexpr JET_GRBIT kCommitGrbits = JET_bitCommitLazyFlush | JET_bitWaitLastLevel0Commit |
                                    JET_bitWaitAllLevel0Commit | JET_bitForceNewLog;
constexpr JET_GRBIT kCreateDbGrbits =
    JET_bitDbRecoveryOff | JET_bitDbShadowingOff | JET_bitDbOverwriteExisting;
constexpr JET_GRBIT kAttachDbGrbits = JET_bitDbReadOnly | JET_bitDbDeleteCorruptIndexes |
                                      JET_bitDbUpgrade | JET_bitDbDeleteUnicodeIndexes |
                                      JET_bitDbEnableBackgroundMaintenance |
                                      JET_bitDbPurgeCacheOnAttach;
constexpr JET_GRBIT kOpenDbGrbits = JET_bitDbReadOnly | JET_bitDbExclusive;
// ESE's JET_bitForceSessionClosed (internal in ESE's header).
constexpr JET_GRBIT kEndSessionGrbits = 0x1;

// --- header conversion (JET_DbInfoMisc) ------------------------------------

// UTC calendar time of `micros` since the Unix epoch (days-from-civil
// inverted; no OS call, so it behaves the same everywhere).
JET_LOGTIME LogTime(uint64_t micros) {
  JET_LOGTIME time;
  std::memset(&time, 0, sizeof(time));
  if (micros == 0) return time;
  const int64_t days = static_cast<int64_t>(micros / 86400000000ull);
  const uint64_t micros_of_day = micros % 86400000000ull;
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const uint64_t seconds = micros_of_day / 1000000;
  const unsigned millis = static_cast<unsigned>((micros_of_day / 1000) % 1000);
  time.bSeconds = static_cast<char>(seconds % 60);
  time.bMinutes = static_cast<char>((seconds / 60) % 60);
  time.bHours = static_cast<char>(seconds / 3600);
  time.bDay = static_cast<char>(day);
  time.bMonth = static_cast<char>(month);
  time.bYear = static_cast<char>(static_cast<unsigned char>(year - 1900));
  time.fTimeIsUTC = 1;
  time.bMillisecondsLow = millis & 0x7F;
  time.bMillisecondsHigh = (millis >> 7) & 0x7;
  return time;
}

// An LSN (generation << 32 | byte offset, DESIGN.md D6) as ESE's position.
JET_LGPOS Lgpos(uint64_t lsn) {
  JET_LGPOS position;
  const uint64_t offset = lsn & 0xFFFFFFFFull;
  position.lGeneration = static_cast<long>(lsn >> 32);
  position.isec = static_cast<unsigned short>(offset / 512 > 0xFFFF ? 0xFFFF : offset / 512);
  position.ib = static_cast<unsigned short>(offset % 512);
  return position;
}

JET_SIGNATURE Signature(uint64_t random, uint64_t created_micros) {
  JET_SIGNATURE signature;
  std::memset(&signature, 0, sizeof(signature));
  signature.ulRandom = static_cast<unsigned long>(random & 0xFFFFFFFFull);
  signature.logtimeCreate = LogTime(created_micros);
  return signature;
}

// Fills JET_DBINFOMISC..4 (chosen by cb_max, as ESE does) from a header.
// Fields jetsvc does not track (backups, repair and ECC counters, OS
// version, required log range) are zero.
JET_ERR FillDbInfoMisc(const DatabaseHeader& header, void* result, unsigned long cb_max) {
  if (cb_max != sizeof(JET_DBINFOMISC) && cb_max != sizeof(JET_DBINFOMISC2) &&
      cb_max != sizeof(JET_DBINFOMISC3) && cb_max != sizeof(JET_DBINFOMISC4)) {
    return JET_errInvalidBufferSize;
  }
  if (result == nullptr) return JET_errInvalidParameter;
  JET_DBINFOMISC4 misc;
  std::memset(&misc, 0, sizeof(misc));
  misc.ulVersion = 1;  // the database format version (instance/database.cc)
  misc.ulUpdate = 0;
  misc.signDb = Signature(header.signature.random, header.signature.created_micros);
  misc.dbstate = header.state;
  if (header.state == JET_dbstateCleanShutdown) {
    misc.lgposConsistent = Lgpos(header.consistent_lsn);
    misc.logtimeConsistent = LogTime(header.last_clean_micros);
  }
  misc.lgposAttach = Lgpos(header.attach_lsn);
  misc.signLog = Signature(header.log_signature.random, header.log_signature.created_micros);
  misc.cbPageSize = header.page_size;
  std::memcpy(result, &misc, cb_max);
  return JET_errSuccess;
}

// Whether any live instance has `path` attached.
bool DatabaseInUse(const std::string& path) {
  ApiState& state = ApiState::Get();
  MutexLock lock(&state.mu);
  for (const auto& instance : state.instances) {
    if (instance->instance != nullptr && instance->instance->FindDatabaseByPath(path) != nullptr) {
      return true;
    }
  }
  return false;
}

JET_ERR CreateDatabase(JET_SESID sesid, JET_PCSTR filename, unsigned long max_pages,
                       JET_DBID* pdbid, JET_GRBIT grbit) {
  SessionCall call;
  JET_ERR err = call.Enter(sesid);
  if (err < 0) return err;
  if (filename == nullptr || pdbid == nullptr) return JET_errInvalidParameter;
  if ((grbit & ~kCreateDbGrbits) != 0) return JET_errInvalidGrbit;
  uint32_t db_id = 0;
  const Status status = call.instance()->CreateDatabase(
      filename, static_cast<uint32_t>(max_pages), static_cast<uint32_t>(grbit), &db_id);
  if (status.IsError()) return ToErr(status);
  call.session()->OpenDatabase(db_id);
  *pdbid = db_id;
  return ToErr(status);
}

JET_ERR AttachDatabase(JET_SESID sesid, JET_PCSTR filename, unsigned long max_pages,
                       JET_GRBIT grbit) {
  SessionCall call;
  const JET_ERR err = call.Enter(sesid);
  if (err < 0) return err;
  if (filename == nullptr) return JET_errInvalidParameter;
  if ((grbit & ~kAttachDbGrbits) != 0) return JET_errInvalidGrbit;
  uint32_t db_id = 0;
  // JET_wrnDatabaseAttached passes through.
  return ToErr(call.instance()->AttachDatabase(filename, static_cast<uint32_t>(max_pages),
                                               static_cast<uint32_t>(grbit), &db_id));
}

JET_ERR DetachDatabase(JET_SESID sesid, JET_PCSTR filename, JET_GRBIT grbit) {
  SessionCall call;
  const JET_ERR err = call.Enter(sesid, StopRule::kAllow);
  if (err < 0) return err;
  if ((grbit & ~JET_bitForceCloseAndDetach) != 0) return JET_errInvalidGrbit;
  // NULL or "" detaches every database of the instance.
  return ToErr(call.instance()->DetachDatabase(filename != nullptr ? filename : "",
                                               static_cast<uint32_t>(grbit)));
}

}  // namespace
}  // namespace api
}  // namespace jetsvc

using jetsvc::Database;
using jetsvc::DatabaseHeader;
using jetsvc::Env;
using jetsvc::MutexLock;
using jetsvc::Session;
using jetsvc::Status;
using namespace jetsvc::api;  // NOLINT: the edge uses its helpers throughout

extern "C" {

// --- sessions --------------------------------------------------------------

JET_ERR JET_API JetBeginSessionA(JET_INSTANCE instance, JET_SESID* psesid,
                                 JET_PCSTR /*szUserName*/, JET_PCSTR /*szPassword*/) {
  return Guard([&]() -> JET_ERR {
    if (psesid == nullptr) return JET_errInvalidParameter;
    InstanceCall call;
    const JET_ERR err = call.Enter(instance);
    if (err < 0) return err;
    Session* session = nullptr;
    const Status status = call.instance()->BeginSession(&session);
    if (status.IsError()) return ToErr(status);
    auto api_session = std::make_shared<ApiSession>();
    api_session->session = session;
    api_session->owner = call.shared_instance();
    const uint64_t handle = ApiState::Get().session_handles.Add(api_session);
    if (handle == 0) {
      call.instance()->EndSession(session).PermitUnchecked();
      return JET_errOutOfMemory;
    }
    api_session->handle = handle;
    {
      MutexLock lock(&call.api_instance()->sessions_mu);
      call.api_instance()->sessions.insert(handle);
    }
    *psesid = static_cast<JET_SESID>(handle);
    return JET_errSuccess;
  });
}

JET_ERR JET_API JetEndSession(JET_SESID sesid, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid, StopRule::kAllow);
    if (err < 0) return err;
    if ((grbit & ~kEndSessionGrbits) != 0) return JET_errInvalidGrbit;
    ApiSession* api_session = call.api_session();
    CloseSessionTables(api_session, 0);
    // From here no call may use the engine session (it is checked after a
    // call takes the in-call flag, which we hold).
    api_session->ended.store(true);
    // Rolls back an open transaction and closes the session's databases.
    const Status status = call.instance()->EndSession(api_session->session);
    ApiState::Get().session_handles.Remove(api_session->handle);
    {
      MutexLock lock(&call.api_instance()->sessions_mu);
      call.api_instance()->sessions.erase(api_session->handle);
    }
    return ToErr(status);
  });
}

JET_ERR JET_API JetDupSession(JET_SESID sesid, JET_SESID* psesid) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid);
    if (err < 0) return err;
    if (psesid == nullptr) return JET_errInvalidParameter;
    return JET_errFeatureNotAvailable;  // NOT_SUPPORTED.md
  });
}

JET_ERR JET_API JetSetSessionContext(JET_SESID sesid, JET_API_PTR ulContext) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid);
    if (err < 0) return err;
    // 0 and ~0 are ESE's reserved "no context" / "unusable" values.
    if (ulContext == 0 || ulContext == ~JET_API_PTR{0}) return JET_errInvalidParameter;
    Session* session = call.session();
    if (session->has_context()) return JET_errSessionContextAlreadySet;
    session->set_context(ulContext);
    session->set_has_context(true);
    call.api_session()->context_thread = std::this_thread::get_id();
    return JET_errSuccess;
  });
}

JET_ERR JET_API JetResetSessionContext(JET_SESID sesid) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid, StopRule::kAllow);
    if (err < 0) return err;
    Session* session = call.session();
    if (!session->has_context() ||
        call.api_session()->context_thread != std::this_thread::get_id()) {
      return JET_errSessionContextNotSetByThisThread;
    }
    session->set_context(0);
    session->set_has_context(false);
    call.api_session()->context_thread = std::thread::id();
    return JET_errSuccess;
  });
}

JET_ERR JET_API JetGetSessionInfo(JET_SESID sesid, void* pvResult, const unsigned long cbMax,
                                  const unsigned long ulInfoLevel) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid, StopRule::kAllow);
    if (err < 0) return err;
    if (ulInfoLevel != JET_SessionInfo) return JET_errInvalidParameter;
    if (pvResult == nullptr || cbMax < sizeof(JET_SESSIONINFO)) return JET_errBufferTooSmall;
    Session* session = call.session();
    JET_SESSIONINFO info;
    std::memset(&info, 0, sizeof(info));
    info.ulTrxBegin0 =
        session->trx() != nullptr ? static_cast<unsigned long>(session->trx()->id()) : 0;
    info.ulTrxLevel = static_cast<unsigned long>(session->level());
    info.ulProcid = static_cast<unsigned long>(SerialOfHandle(call.api_session()->handle));
    info.ulFlags = 0;
    info.ulTrxContext = session->has_context() ? static_cast<JET_API_PTR>(session->context()) : 0;
    std::memcpy(pvResult, &info, sizeof(info));
    return JET_errSuccess;
  });
}

// --- transactions ----------------------------------------------------------

JET_ERR JET_API JetBeginTransaction3(JET_SESID sesid, long long /*trxid*/, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid);
    if (err < 0) return err;
    // Read-only transactions are accepted; writes in them are not refused
    // (NOT_SUPPORTED.md).
    if ((grbit & ~JET_GRBIT{JET_bitTransactionReadOnly}) != 0) return JET_errInvalidGrbit;
    return ToErr(call.session()->Begin());
  });
}

JET_ERR JET_API JetBeginTransaction2(JET_SESID sesid, JET_GRBIT grbit) {
  return JetBeginTransaction3(sesid, 0, grbit);
}

JET_ERR JET_API JetBeginTransaction(JET_SESID sesid) { return JetBeginTransaction3(sesid, 0, 0); }

JET_ERR JET_API JetCommitTransaction2(JET_SESID sesid, JET_GRBIT grbit,
                                      unsigned long /*cmsecDurableCommit*/,
                                      JET_COMMIT_ID* pCommitId) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid);
    if (err < 0) return err;
    if ((grbit & ~kCommitGrbits) != 0) return JET_errInvalidGrbit;
    Session* session = call.session();
    // A durable-commit timeout (cmsecDurableCommit) is accepted: without
    // JET_bitCommitLazyFlush the commit is durable at once anyway.
    const Status status =
        session->Commit(static_cast<uint32_t>(grbit & ~JET_GRBIT{JET_bitForceNewLog}));
    if (status.ok() && pCommitId != nullptr) {
      std::memset(pCommitId, 0, sizeof(*pCommitId));
      // The LSN of the session's last level-0 commit: it only grows.
      pCommitId->commitId = static_cast<long long>(session->last_commit_lsn());
    }
    return ToErr(status);
  });
}

JET_ERR JET_API JetCommitTransaction(JET_SESID sesid, JET_GRBIT grbit) {
  return JetCommitTransaction2(sesid, grbit, 0, nullptr);
}

JET_ERR JET_API JetRollback(JET_SESID sesid, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid, StopRule::kAllow);
    if (err < 0) return err;
    if ((grbit & ~JET_GRBIT{JET_bitRollbackAll}) != 0) return JET_errInvalidGrbit;
    return ToErr(call.session()->Rollback(static_cast<uint32_t>(grbit)));
  });
}

// --- databases -------------------------------------------------------------

JET_ERR JET_API JetCreateDatabase2A(JET_SESID sesid, JET_PCSTR szFilename,
                                    const unsigned long cpgDatabaseSizeMax, JET_DBID* pdbid,
                                    JET_GRBIT grbit) {
  return Guard([&] { return CreateDatabase(sesid, szFilename, cpgDatabaseSizeMax, pdbid, grbit); });
}

JET_ERR JET_API JetCreateDatabaseA(JET_SESID sesid, JET_PCSTR szFilename,
                                   JET_PCSTR /*szConnect*/, JET_DBID* pdbid, JET_GRBIT grbit) {
  return Guard([&] { return CreateDatabase(sesid, szFilename, 0, pdbid, grbit); });
}

JET_ERR JET_API JetAttachDatabase2A(JET_SESID sesid, JET_PCSTR szFilename,
                                    const unsigned long cpgDatabaseSizeMax, JET_GRBIT grbit) {
  return Guard([&] { return AttachDatabase(sesid, szFilename, cpgDatabaseSizeMax, grbit); });
}

JET_ERR JET_API JetAttachDatabaseA(JET_SESID sesid, JET_PCSTR szFilename, JET_GRBIT grbit) {
  return Guard([&] { return AttachDatabase(sesid, szFilename, 0, grbit); });
}

JET_ERR JET_API JetDetachDatabase2A(JET_SESID sesid, JET_PCSTR szFilename, JET_GRBIT grbit) {
  return Guard([&] { return DetachDatabase(sesid, szFilename, grbit); });
}

JET_ERR JET_API JetDetachDatabaseA(JET_SESID sesid, JET_PCSTR szFilename) {
  return Guard([&] { return DetachDatabase(sesid, szFilename, 0); });
}

JET_ERR JET_API JetOpenDatabaseA(JET_SESID sesid, JET_PCSTR szFilename, JET_PCSTR /*szConnect*/,
                                 JET_DBID* pdbid, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.Enter(sesid);
    if (err < 0) return err;
    if (szFilename == nullptr || pdbid == nullptr) return JET_errInvalidParameter;
    if ((grbit & ~kOpenDbGrbits) != 0) return JET_errInvalidGrbit;
    // JET_bitDbExclusive is accepted but not enforced (NOT_SUPPORTED.md).
    uint32_t db_id = 0;
    bool read_only = false;
    const Status opened = call.instance()->OpenDatabase(call.session(), szFilename, &db_id,
                                                        &read_only);
    if (opened.IsError()) return ToErr(opened);
    *pdbid = db_id;
    if (read_only && (grbit & JET_bitDbReadOnly) == 0) return JET_wrnFileOpenReadOnly;
    return JET_errSuccess;
  });
}

JET_ERR JET_API JetCloseDatabase(JET_SESID sesid, JET_DBID dbid, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    uint32_t db_id = 0;
    const JET_ERR err = call.EnterDatabase(sesid, dbid, &db_id, StopRule::kAllow);
    if (err < 0) return err;
    if (grbit != 0) return JET_errInvalidGrbit;
    Session* session = call.session();
    // The last close of a database closes the session's tables on it (ESE's
    // ErrDBCloseDatabase).
    const auto& open = session->open_databases();
    auto it = open.find(db_id);
    if (it != open.end() && it->second == 1) CloseSessionTables(call.api_session(), db_id);
    return ToErr(session->CloseDatabase(db_id));
  });
}

JET_ERR JET_API JetGetDatabaseInfoA(JET_SESID sesid, JET_DBID dbid, void* pvResult,
                                    unsigned long cbMax, unsigned long InfoLevel) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    uint32_t db_id = 0;
    const JET_ERR err = call.EnterDatabase(sesid, dbid, &db_id);
    if (err < 0) return err;
    jetsvc::Instance* instance = call.instance();
    Database* db = instance->FindDatabase(db_id);  // stays: the session has it open
    if (db == nullptr) return JET_errInvalidDatabaseId;
    if (pvResult == nullptr && cbMax != 0) return JET_errInvalidParameter;
    switch (InfoLevel) {
      case JET_DbInfoFilename:
        return CopyString(db->path(), pvResult, cbMax);
      case JET_DbInfoConnect:
        return CopyString("", pvResult, cbMax);
      case JET_DbInfoCountry:
        return PutULong(pvResult, cbMax, 1, JET_errInvalidBufferSize);  // countryDefault
      case JET_DbInfoLCID:
        return PutULong(pvResult, cbMax, 1033, JET_errInvalidBufferSize);  // en-US
      case JET_DbInfoCp:
        return PutULong(pvResult, cbMax, 1252, JET_errInvalidBufferSize);
      case JET_DbInfoCollate:
        return PutULong(pvResult, cbMax, 0, JET_errInvalidBufferSize);
      case JET_DbInfoOptions:
        return PutULong(pvResult, cbMax, 0, JET_errInvalidBufferSize);
      case JET_DbInfoTransactions:
        return PutULong(pvResult, cbMax, jetsvc::kMaxTransactionLevels, JET_errInvalidBufferSize);
      case JET_DbInfoVersion:
        return PutULong(pvResult, cbMax, 1, JET_errInvalidBufferSize);  // format version
      case JET_DbInfoPageSize:
        return PutULong(pvResult, cbMax, instance->page_size(), JET_errBufferTooSmall);
      case JET_DbInfoFileType:
        return PutULong(pvResult, cbMax, JET_filetypeDatabase, JET_errInvalidBufferSize);
      case JET_DbInfoFilesize:
      case JET_DbInfoFilesizeOnDisk:
      case JET_DbInfoSpaceOwned:
      case JET_DbInfoSpaceAvailable: {
        jetsvc::SpaceInfo space;
        {
          // Space is read under the apply mutex (space.h thread contract).
          MutexLock apply(instance->apply_mutex());
          const Status status = db->space()->GetInfo(instance->cache(), &space);
          if (status.IsError()) return ToErr(status);
        }
        const uint64_t pages = InfoLevel == JET_DbInfoSpaceAvailable ? space.free_pages
                                                                     : space.owned_pages;
        return PutULong(pvResult, cbMax, pages, JET_errInvalidBufferSize);
      }
      case JET_DbInfoMisc: {
        DatabaseHeader header;
        {
          MutexLock apply(instance->apply_mutex());  // header writes happen under it
          header = db->header();
        }
        return FillDbInfoMisc(header, pvResult, cbMax);
      }
      case JET_DbInfoIsam:
      case JET_DbInfoUpgrade:
      case JET_DbInfoDBInUse:
        return JET_errFeatureNotAvailable;
      default:
        return JET_errInvalidParameter;
    }
  });
}

JET_ERR JET_API JetGetDatabaseFileInfoA(JET_PCSTR szDatabaseName, void* pvResult,
                                        unsigned long cbMax, unsigned long InfoLevel) {
  return Guard([&]() -> JET_ERR {
    if (szDatabaseName == nullptr || pvResult == nullptr) return JET_errInvalidParameter;
    Env* env = Env::Default();
    const std::string path = env->NormalizePath(szDatabaseName);
    uint64_t file_size = 0;
    Status status = env->GetFileSize(path, &file_size);
    if (status.IsError()) return ToErr(status);
    switch (InfoLevel) {
      case JET_DbInfoFilesize:
      case JET_DbInfoFilesizeOnDisk:
        if (cbMax != sizeof(unsigned long long)) return JET_errInvalidBufferSize;
        std::memcpy(pvResult, &file_size, sizeof(file_size));
        return JET_errSuccess;
      case JET_DbInfoDBInUse: {
        if (cbMax != sizeof(int)) return JET_errInvalidBufferSize;
        const int in_use = DatabaseInUse(path) ? 1 : 0;
        std::memcpy(pvResult, &in_use, sizeof(in_use));
        return JET_errSuccess;
      }
      case JET_DbInfoMisc:
      case JET_DbInfoPageSize:
      case JET_DbInfoFileType: {
        if (InfoLevel == JET_DbInfoMisc) {
          if (cbMax != sizeof(JET_DBINFOMISC) && cbMax != sizeof(JET_DBINFOMISC2) &&
              cbMax != sizeof(JET_DBINFOMISC3) && cbMax != sizeof(JET_DBINFOMISC4)) {
            return JET_errInvalidBufferSize;
          }
        } else if (cbMax != sizeof(unsigned long) && cbMax != sizeof(uint32_t)) {
          return JET_errInvalidBufferSize;
        }
        DatabaseHeader header;
        status = Database::ReadHeader(env, path, &header);
        if (InfoLevel == JET_DbInfoFileType) {
          // Anything that is not a database header is of unknown type.
          const uint64_t type = status.ok() ? JET_filetypeDatabase : JET_filetypeUnknown;
          if (status.IsError() && !status.IsCode(JET_errInvalidDatabase)) return ToErr(status);
          return PutULong(pvResult, cbMax, type, JET_errInvalidBufferSize);
        }
        if (status.IsError()) return ToErr(status);
        if (InfoLevel == JET_DbInfoPageSize) {
          return PutULong(pvResult, cbMax, header.page_size, JET_errInvalidBufferSize);
        }
        return FillDbInfoMisc(header, pvResult, cbMax);
      }
      case JET_DbInfoUpgrade:
        return JET_errFeatureNotAvailable;
      default:
        return JET_errInvalidParameter;
    }
  });
}

}  // extern "C"
