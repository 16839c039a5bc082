// The JET API edge, records: updates, column values, bookmarks, keys, index
// selection, seeks, moves, ranges and positions. Thin wrappers over
// TableCursor that apply ESE's argument rules (fldext.cxx, fldmod.cxx,
// recupd.cxx, fldnorm.cxx).

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/api/api_state.h"
#include "esent.h"

namespace jetsvc {
namespace api {
namespace {

constexpr JET_GRBIT kSetColumnGrbits =
    JET_bitSetAppendLV | JET_bitSetOverwriteLV | JET_bitSetSizeLV | JET_bitSetZeroLength |
    JET_bitSetSeparateLV | JET_bitSetUniqueMultiValues | JET_bitSetUniqueNormalizedMultiValues |
    JET_bitSetRevertToDefaultValue | JET_bitSetIntrinsicLV | JET_bitSetUncompressed |
    JET_bitSetCompressed | JET_bitSetContiguousLV;
constexpr JET_GRBIT kRetrieveColumnGrbits =
    JET_bitRetrieveCopy | JET_bitRetrieveFromIndex | JET_bitRetrieveFromPrimaryBookmark |
    JET_bitRetrieveTag | JET_bitRetrieveNull | JET_bitRetrieveIgnoreDefault |
    JET_bitRetrieveTuple;
constexpr JET_GRBIT kMakeKeyGrbits =
    JET_bitNewKey | JET_bitStrLimit | JET_bitSubStrLimit | JET_bitNormalizedKey |
    JET_bitKeyDataZeroLength | JET_bitFullColumnStartLimit | JET_bitFullColumnEndLimit |
    JET_bitPartialColumnStartLimit | JET_bitPartialColumnEndLimit;
constexpr JET_GRBIT kSeekGrbits = JET_bitSeekEQ | JET_bitSeekLT | JET_bitSeekLE | JET_bitSeekGE |
                                  JET_bitSeekGT | JET_bitSetIndexRange | JET_bitCheckUniqueness;
constexpr JET_GRBIT kIndexRangeGrbits = JET_bitRangeInclusive | JET_bitRangeUpperLimit |
                                        JET_bitRangeInstantDuration | JET_bitRangeRemove;

bool IsInsert(unsigned long prep) {
  return prep == JET_prepInsert || prep == JET_prepInsertCopy ||
         prep == JET_prepInsertCopyDeleteOriginal || prep == JET_prepInsertCopyReplaceOriginal;
}

// Copies min(size, cb_max) bytes of `value`.
void CopyOut(const std::string& value, void* buffer, unsigned long cb_max) {
  if (buffer == nullptr) return;
  const size_t n = std::min<size_t>(value.size(), cb_max);
  if (n > 0) std::memcpy(buffer, value.data(), n);
}

JET_ERR SetOneColumn(TableCursor* cursor, JET_COLUMNID columnid, const void* data,
                     unsigned long size, JET_GRBIT grbit, unsigned long itag,
                     unsigned long offset) {
  if ((grbit & ~kSetColumnGrbits) != 0) return JET_errInvalidGrbit;
  if (size > JET_cbLVColumnMost || (data == nullptr && size > 0)) return JET_errInvalidParameter;
  return ToErr(cursor->SetColumn(static_cast<uint32_t>(columnid), data, size,
                                 static_cast<uint32_t>(grbit), static_cast<uint32_t>(itag),
                                 offset));
}

// One JetRetrieveColumn; *actual gets the full size.
JET_ERR RetrieveOneColumn(TableCursor* cursor, JET_COLUMNID columnid, void* data,
                          unsigned long size, JET_GRBIT grbit, unsigned long itag,
                          unsigned long offset, unsigned long* actual) {
  if ((grbit & ~kRetrieveColumnGrbits) != 0) return JET_errInvalidGrbit;
  if ((grbit & JET_bitRetrieveTuple) && !(grbit & JET_bitRetrieveFromIndex)) {
    return JET_errInvalidGrbit;
  }
  RetrieveResult result;
  const Status status = cursor->RetrieveColumn(static_cast<uint32_t>(columnid), data,
                                               data != nullptr ? size : 0,
                                               static_cast<uint32_t>(grbit),
                                               static_cast<uint32_t>(itag), offset, &result);
  if (status.IsError()) return ToErr(status);
  *actual = static_cast<unsigned long>(result.actual);
  if (status.IsWarning()) return ToErr(status);
  return result.warning;
}

// The largest bookmark `table` can have: its primary key limit, or the
// 8-byte sequence number of a table without a primary index.
size_t MaxBookmarkSize(const TableDef& table) {
  const IndexDef* primary = table.PrimaryIndex();
  return std::max<size_t>(primary != nullptr ? primary->cb_key_most : 0, 8) + 1;
}

JET_ERR UpdateRecord(JET_SESID sesid, JET_TABLEID tableid, void* bookmark,
                     unsigned long cb_bookmark, unsigned long* pcb_actual, JET_GRBIT grbit) {
  SessionCall call;
  JET_ERR err = call.EnterTable(sesid, tableid);
  if (err < 0) return err;
  if ((grbit & ~JET_GRBIT{JET_bitUpdateCheckESE97Compatibility}) != 0) {
    return JET_errInvalidGrbit;
  }
  TableCursor* cursor = call.cursor();
  Session* session = call.session();
  std::string written;
  // ESE fails an insert whose bookmark does not fit the caller's buffer
  // with JET_errBufferTooSmall and inserts nothing. The size is known only
  // after the update, so when it might not fit the update runs in a nested
  // transaction level that is rolled back if it does not.
  const bool check = bookmark != nullptr && call.table()->insert_prepared &&
                     cursor->update_prepared() && cb_bookmark < MaxBookmarkSize(cursor->def());
  if (check) {
    const bool outer = session->level() > 0;
    err = ToErr(session->Begin());
    if (err < 0) return err;
    const Status status = cursor->Update(&written);
    if (status.IsError() || written.size() > cb_bookmark) {
      session->Rollback(0).PermitUnchecked();
      return status.IsError() ? ToErr(status) : JET_errBufferTooSmall;
    }
    err = ToErr(session->Commit(outer ? 0 : JET_bitCommitLazyFlush));
    if (err < 0) return err;
  } else {
    err = ToErr(cursor->Update(&written));
    if (err < 0) return err;
  }
  // A replace copies what fits, silently, as ESE does.
  CopyOut(written, bookmark, cb_bookmark);
  if (pcb_actual != nullptr) *pcb_actual = static_cast<unsigned long>(written.size());
  return err;
}

JET_ERR SetCurrentIndex(JET_SESID sesid, JET_TABLEID tableid, const char* index_name,
                        const JET_INDEXID* index_id, JET_GRBIT grbit, unsigned long itag) {
  SessionCall call;
  JET_ERR err = call.EnterTable(sesid, tableid);
  if (err < 0) return err;
  if ((grbit & ~JET_GRBIT{JET_bitNoMove}) != 0) return JET_errInvalidGrbit;
  if (index_id != nullptr && index_id->cbStruct != sizeof(JET_INDEXID)) {
    return JET_errInvalidParameter;
  }
  if (itag == 0) return JET_errInvalidParameter;
  // Positioning on the n-th entry of a multi-valued index.
  if (itag > 1 && (grbit & JET_bitNoMove)) return JET_errFeatureNotAvailable;
  TableCursor* cursor = call.cursor();
  std::string name;
  if (index_name != nullptr && index_name[0] != '\0') {
    err = CheckName(index_name, &name);
    if (err < 0) return err;
  } else if (index_id != nullptr) {
    // The id from JET_IdxInfoIndexId names the index by its object id.
    uint32_t objid = 0;
    std::memcpy(&objid, index_id->rgbIndexId, sizeof(objid));
    const TableDef& table = cursor->def();
    for (const IndexDef& index : table.indexes) {
      if (index.objid == objid && !index.primary()) name = index.name;
    }
  }
  return ToErr(cursor->SetCurrentIndex(name, static_cast<uint32_t>(grbit)));
}

}  // namespace
}  // namespace api
}  // namespace jetsvc

using jetsvc::RetrieveResult;
using jetsvc::Status;
using jetsvc::TableCursor;
using namespace jetsvc::api;  // NOLINT: the edge uses its helpers throughout

extern "C" {

// --- updates ---------------------------------------------------------------

JET_ERR JET_API JetPrepareUpdate(JET_SESID sesid, JET_TABLEID tableid, unsigned long prep) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    switch (prep) {
      case JET_prepInsert:
      case JET_prepReplace:
      case JET_prepCancel:
      case JET_prepReplaceNoLock:
      case JET_prepInsertCopy:
      case JET_prepInsertCopyDeleteOriginal:
      case JET_prepInsertCopyReplaceOriginal:
        break;
      default:
        return JET_errInvalidParameter;
    }
    const Status status = call.cursor()->PrepareUpdate(static_cast<uint32_t>(prep));
    if (status.ok()) call.table()->insert_prepared = IsInsert(prep);
    return ToErr(status);
  });
}

JET_ERR JET_API JetSetColumn(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid,
                             const void* pvData, unsigned long cbData, JET_GRBIT grbit,
                             JET_SETINFO* psetinfo) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    unsigned long itag = 1;
    unsigned long offset = 0;
    if (psetinfo != nullptr) {
      if (psetinfo->cbStruct < sizeof(JET_SETINFO)) return JET_errInvalidParameter;
      itag = psetinfo->itagSequence;
      offset = psetinfo->ibLongValue;
    }
    return SetOneColumn(call.cursor(), columnid, pvData, cbData, grbit, itag, offset);
  });
}

JET_ERR JET_API JetSetColumns(JET_SESID sesid, JET_TABLEID tableid, JET_SETCOLUMN* psetcolumn,
                              unsigned long csetcolumn) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if (psetcolumn == nullptr && csetcolumn > 0) return JET_errInvalidParameter;
    for (unsigned long i = 0; i < csetcolumn; ++i) {
      JET_SETCOLUMN& c = psetcolumn[i];
      c.err = SetOneColumn(call.cursor(), c.columnid, c.pvData, c.cbData, c.grbit,
                           c.itagSequence, c.ibLongValue);
      if (c.err < 0) return c.err;
    }
    return JET_errSuccess;
  });
}

JET_ERR JET_API JetRetrieveColumn(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid,
                                  void* pvData, unsigned long cbData, unsigned long* pcbActual,
                                  JET_GRBIT grbit, JET_RETINFO* pretinfo) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    unsigned long itag = 1;
    unsigned long offset = 0;
    if (pretinfo != nullptr) {
      if (pretinfo->cbStruct < sizeof(JET_RETINFO)) return JET_errInvalidParameter;
      itag = pretinfo->itagSequence;
      offset = pretinfo->ibLongValue;
    }
    unsigned long actual = 0;
    err = RetrieveOneColumn(call.cursor(), columnid, pvData, cbData, grbit, itag, offset,
                            &actual);
    if (err < 0) return err;
    if (pcbActual != nullptr) *pcbActual = actual;
    // Walking the tagged columns (columnid 0) is not supported.
    if (pretinfo != nullptr) pretinfo->columnidNextTagged = 0;
    return err;
  });
}

JET_ERR JET_API JetRetrieveColumns(JET_SESID sesid, JET_TABLEID tableid,
                                   JET_RETRIEVECOLUMN* pretrievecolumn,
                                   unsigned long cretrievecolumn) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if (pretrievecolumn == nullptr && cretrievecolumn > 0) return JET_errInvalidParameter;
    bool truncated = false;
    for (unsigned long i = 0; i < cretrievecolumn; ++i) {
      JET_RETRIEVECOLUMN& c = pretrievecolumn[i];
      c.columnidNextTagged = 0;
      if (c.itagSequence == 0) {
        // ESE: itagSequence 0 asks for the number of values, returned in
        // itagSequence.
        uint32_t count = 0;
        c.err = ToErr(call.cursor()->CountColumnValues(static_cast<uint32_t>(c.columnid),
                                                       static_cast<uint32_t>(c.grbit), &count));
        if (c.err < 0) return c.err;
        c.itagSequence = count;
        c.cbActual = 0;
        continue;
      }
      unsigned long actual = 0;
      c.err = RetrieveOneColumn(call.cursor(), c.columnid, c.pvData, c.cbData, c.grbit,
                                c.itagSequence, c.ibLongValue, &actual);
      if (c.err < 0) return c.err;
      c.cbActual = actual;
      if (c.err == JET_wrnBufferTruncated) truncated = true;
    }
    return truncated ? JET_wrnBufferTruncated : JET_errSuccess;
  });
}

JET_ERR JET_API JetUpdate2(JET_SESID sesid, JET_TABLEID tableid, void* pvBookmark,
                           unsigned long cbBookmark, unsigned long* pcbActual,
                           const JET_GRBIT grbit) {
  return Guard([&] { return UpdateRecord(sesid, tableid, pvBookmark, cbBookmark, pcbActual, grbit); });
}

JET_ERR JET_API JetUpdate(JET_SESID sesid, JET_TABLEID tableid, void* pvBookmark,
                          unsigned long cbBookmark, unsigned long* pcbActual) {
  return Guard([&] { return UpdateRecord(sesid, tableid, pvBookmark, cbBookmark, pcbActual, 0); });
}

JET_ERR JET_API JetDelete(JET_SESID sesid, JET_TABLEID tableid) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    return ToErr(call.cursor()->Delete());
  });
}

// --- bookmarks and keys ----------------------------------------------------

JET_ERR JET_API JetGetBookmark(JET_SESID sesid, JET_TABLEID tableid, void* pvBookmark,
                               unsigned long cbMax, unsigned long* pcbActual) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if (pvBookmark == nullptr && cbMax > 0) return JET_errInvalidParameter;
    std::string bookmark;
    const Status status = call.cursor()->GetBookmark(&bookmark);
    if (status.IsError()) return ToErr(status);
    if (pcbActual != nullptr) *pcbActual = static_cast<unsigned long>(bookmark.size());
    // ESE copies what fits and reports JET_errBufferTooSmall.
    CopyOut(bookmark, pvBookmark, cbMax);
    if (bookmark.size() > cbMax) return JET_errBufferTooSmall;
    return ToErr(status);
  });
}

JET_ERR JET_API JetGotoBookmark(JET_SESID sesid, JET_TABLEID tableid, void* pvBookmark,
                                unsigned long cbBookmark) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if (pvBookmark == nullptr && cbBookmark > 0) return JET_errInvalidParameter;
    if (cbBookmark == 0) return JET_errInvalidBookmark;
    return ToErr(call.cursor()->GotoBookmark(
        std::string_view(static_cast<const char*>(pvBookmark), cbBookmark)));
  });
}

JET_ERR JET_API JetRetrieveKey(JET_SESID sesid, JET_TABLEID tableid, void* pvKey,
                               unsigned long cbMax, unsigned long* pcbActual, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if ((grbit & ~JET_GRBIT{JET_bitRetrieveCopy}) != 0) return JET_errInvalidGrbit;
    if (pvKey == nullptr && cbMax > 0) return JET_errInvalidParameter;
    std::string key;
    const Status status = call.cursor()->RetrieveKey(&key, static_cast<uint32_t>(grbit));
    if (status.IsError()) return ToErr(status);
    if (pcbActual != nullptr) *pcbActual = static_cast<unsigned long>(key.size());
    CopyOut(key, pvKey, cbMax);
    // ESE truncates the key being made silently, the current key with a
    // warning.
    if (key.size() > cbMax && !(grbit & JET_bitRetrieveCopy)) return JET_wrnBufferTruncated;
    return ToErr(status);
  });
}

// --- index selection and navigation ---------------------------------------

JET_ERR JET_API JetSetCurrentIndex4A(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                     JET_INDEXID* pindexid, JET_GRBIT grbit,
                                     unsigned long itagSequence) {
  return Guard(
      [&] { return SetCurrentIndex(sesid, tableid, szIndexName, pindexid, grbit, itagSequence); });
}

JET_ERR JET_API JetSetCurrentIndex3A(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                     JET_GRBIT grbit, unsigned long itagSequence) {
  return JetSetCurrentIndex4A(sesid, tableid, szIndexName, nullptr, grbit, itagSequence);
}

JET_ERR JET_API JetSetCurrentIndex2A(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                     JET_GRBIT grbit) {
  return JetSetCurrentIndex4A(sesid, tableid, szIndexName, nullptr, grbit, 1);
}

JET_ERR JET_API JetSetCurrentIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName) {
  return JetSetCurrentIndex4A(sesid, tableid, szIndexName, nullptr, JET_bitMoveFirst, 1);
}

JET_ERR JET_API JetGetCurrentIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PSTR szIndexName,
                                    unsigned long cbIndexName) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if (szIndexName == nullptr) return JET_errInvalidParameter;
    if (cbIndexName == 0) return JET_errInvalidBufferSize;
    const std::string name = call.cursor()->CurrentIndexName();
    const size_t n = std::min<size_t>(name.size(), cbIndexName - 1);
    std::memcpy(szIndexName, name.data(), n);
    szIndexName[n] = '\0';
    return n < name.size() ? JET_wrnBufferTruncated : JET_errSuccess;
  });
}

JET_ERR JET_API JetMakeKey(JET_SESID sesid, JET_TABLEID tableid, const void* pvData,
                           unsigned long cbData, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if ((grbit & ~kMakeKeyGrbits) != 0) return JET_errInvalidGrbit;
    if (pvData == nullptr && cbData > 0) return JET_errInvalidParameter;
    const std::string_view data =
        pvData != nullptr ? std::string_view(static_cast<const char*>(pvData), cbData)
                          : std::string_view();
    return ToErr(call.cursor()->MakeKey(data, static_cast<uint32_t>(grbit)));
  });
}

JET_ERR JET_API JetSeek(JET_SESID sesid, JET_TABLEID tableid, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if ((grbit & ~kSeekGrbits) != 0) return JET_errInvalidGrbit;
    // JET_wrnSeekNotEqual passes through.
    return ToErr(call.cursor()->Seek(static_cast<uint32_t>(grbit)));
  });
}

JET_ERR JET_API JetMove(JET_SESID sesid, JET_TABLEID tableid, long cRow, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if ((grbit & ~JET_GRBIT{JET_bitMoveKeyNE}) != 0) return JET_errInvalidGrbit;
    // JET_MoveFirst is 0x80000000: LONG_MIN where long has 32 bits, the
    // positive 2^31 on LP64. Compare with the macro, and also accept
    // INT32_MIN from code that passes an int (see esent.h).
    int64_t rows = cRow;
    if (cRow == static_cast<long>(JET_MoveFirst) || static_cast<int64_t>(cRow) == INT32_MIN) {
      rows = static_cast<int64_t>(JET_MoveFirst);
    }
    return ToErr(call.cursor()->Move(rows, static_cast<uint32_t>(grbit)));
  });
}

JET_ERR JET_API JetSetIndexRange(JET_SESID sesid, JET_TABLEID tableidSrc, JET_GRBIT grbit) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableidSrc);
    if (err < 0) return err;
    if ((grbit & ~kIndexRangeGrbits) != 0) return JET_errInvalidGrbit;
    return ToErr(call.cursor()->SetIndexRange(static_cast<uint32_t>(grbit)));
  });
}

JET_ERR JET_API JetGetRecordPosition(JET_SESID sesid, JET_TABLEID tableid, JET_RECPOS* precpos,
                                     unsigned long cbRecpos) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if (precpos == nullptr || cbRecpos < sizeof(JET_RECPOS)) return JET_errInvalidParameter;
    uint64_t before = 0;
    uint64_t total = 0;
    const Status status = call.cursor()->GetRecordPosition(&before, &total);
    if (status.IsError()) return ToErr(status);
    precpos->cbStruct = sizeof(JET_RECPOS);
    precpos->centriesLT = static_cast<unsigned long>(before);
    precpos->centriesInRange = 1;
    precpos->centriesTotal = static_cast<unsigned long>(total);
    return ToErr(status);
  });
}

JET_ERR JET_API JetGotoPosition(JET_SESID sesid, JET_TABLEID tableid, JET_RECPOS* precpos) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if (precpos == nullptr || precpos->centriesTotal == 0 ||
        precpos->centriesLT > precpos->centriesTotal) {
      return JET_errInvalidParameter;
    }
    return ToErr(call.cursor()->GotoPosition(precpos->centriesLT, precpos->centriesTotal));
  });
}

JET_ERR JET_API JetIndexRecordCount(JET_SESID sesid, JET_TABLEID tableid, unsigned long* pcrec,
                                    unsigned long crecMax) {
  return Guard([&]() -> JET_ERR {
    SessionCall call;
    const JET_ERR err = call.EnterTable(sesid, tableid);
    if (err < 0) return err;
    if (pcrec == nullptr) return JET_errInvalidParameter;
    uint64_t count = 0;
    const Status status = call.cursor()->IndexRecordCount(crecMax, &count);
    if (status.IsError()) return ToErr(status);
    *pcrec = static_cast<unsigned long>(count);
    return ToErr(status);
  });
}

}  // extern "C"
