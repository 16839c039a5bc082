/*
 * Compile-only check that engine/include/esent.h is valid C99 and declares
 * the whole API with ESE's signatures.
 *
 * Every check is either a file-scope typedef that fails to compile when its
 * condition is false, or code inside a static inline function that is never
 * called.  Nothing is emitted, so the object links without the engine.  A
 * missing, misnamed or mistyped declaration makes this file fail to build
 * under -Wall -Wextra -Werror -pedantic.
 */

#include "esent.h"

#include <stddef.h>

/* Marks the never-called checkers so -Wunused-function stays quiet; they
 * are still never emitted. */
#if defined(__GNUC__) || defined(__clang__)
#define ESENT_C99_UNUSED __attribute__((unused))
#else
#define ESENT_C99_UNUSED
#endif

/* C99 has no _Static_assert: an array of negative size fails instead. */
#define ESENT_C99_CHECK(name, cond) \
  typedef char esent_c99_check_##name[(cond) ? 1 : -1]

/* Types are as wide as ESE declares them. */
ESENT_C99_CHECK(err_is_long, sizeof(JET_ERR) == sizeof(long));
ESENT_C99_CHECK(dbid_is_ulong, sizeof(JET_DBID) == sizeof(unsigned long));
ESENT_C99_CHECK(columnid_is_ulong,
                sizeof(JET_COLUMNID) == sizeof(unsigned long));
ESENT_C99_CHECK(grbit_is_ulong, sizeof(JET_GRBIT) == sizeof(unsigned long));
ESENT_C99_CHECK(coltyp_is_ulong, sizeof(JET_COLTYP) == sizeof(unsigned long));
ESENT_C99_CHECK(api_ptr_holds_pointer, sizeof(JET_API_PTR) >= sizeof(void *));
ESENT_C99_CHECK(api_ptr_is_unsigned, (JET_API_PTR)-1 > 0);
ESENT_C99_CHECK(handles_are_api_ptr,
                sizeof(JET_INSTANCE) == sizeof(JET_API_PTR) &&
                    sizeof(JET_SESID) == sizeof(JET_API_PTR) &&
                    sizeof(JET_TABLEID) == sizeof(JET_API_PTR) &&
                    sizeof(JET_LS) == sizeof(JET_API_PTR));
ESENT_C99_CHECK(wchar_is_16_bits, sizeof(WCHAR) == 2);

/* Byte-packed structs keep ESE's sizes wherever long is 32 bits. */
ESENT_C99_CHECK(logtime_is_8_bytes, sizeof(JET_LOGTIME) == 8);
ESENT_C99_CHECK(bklogtime_is_8_bytes, sizeof(JET_BKLOGTIME) == 8);
ESENT_C99_CHECK(lgpos_is_packed,
                sizeof(JET_LGPOS) == 2 * sizeof(unsigned short) + sizeof(long));
ESENT_C99_CHECK(signature_is_packed,
                sizeof(JET_SIGNATURE) ==
                    sizeof(unsigned long) + 8 + JET_MAX_COMPUTERNAME_LENGTH + 1);
ESENT_C99_CHECK(commit_id_is_aligned,
                offsetof(JET_COMMIT_ID, commitId) % 8 == 0);
ESENT_C99_CHECK(first_member_is_cbstruct,
                offsetof(JET_TABLECREATE3_A, cbStruct) == 0 &&
                    offsetof(JET_INDEXCREATE2_A, cbStruct) == 0 &&
                    offsetof(JET_COLUMNDEF, cbStruct) == 0);

/* Constants usable in #if, as client code expects. */
#if JET_errSuccess != 0 || JET_errInvalidParameter != -1003 || \
    JET_wrnColumnNull != 1004 || JET_paramDatabasePageSize != 64 ||  \
    JET_VERSION < 0x0A00
#error "esent.h constants are not usable in #if"
#endif

/* Every declared function, reached through its public (plain) name, with
 * the signature ESE declares.  Assigning to a pointer of another type is a
 * diagnostic, and -Werror makes it fatal. */
struct EsentC99ApiTable {
  /* instance */
  JET_ERR(JET_API *create_instance)(JET_INSTANCE *, JET_PCSTR);
  JET_ERR(JET_API *create_instance2)(JET_INSTANCE *, JET_PCSTR, JET_PCSTR,
                                     JET_GRBIT);
  JET_ERR(JET_API *init)(JET_INSTANCE *);
  JET_ERR(JET_API *init2)(JET_INSTANCE *, JET_GRBIT);
  JET_ERR(JET_API *init3)(JET_INSTANCE *, JET_RSTINFO *, JET_GRBIT);
  JET_ERR(JET_API *term)(JET_INSTANCE);
  JET_ERR(JET_API *term2)(JET_INSTANCE, JET_GRBIT);
  JET_ERR(JET_API *stop_service)(void);
  JET_ERR(JET_API *stop_service_instance)(JET_INSTANCE);
  JET_ERR(JET_API *stop_service_instance2)(JET_INSTANCE, JET_GRBIT);
  JET_ERR(JET_API *enable_multi_instance)(JET_SETSYSPARAM *, unsigned long,
                                          unsigned long *);
  JET_ERR(JET_API *set_system_parameter)(JET_INSTANCE *, JET_SESID,
                                         unsigned long, JET_API_PTR,
                                         JET_PCSTR);
  JET_ERR(JET_API *get_system_parameter)(JET_INSTANCE, JET_SESID,
                                         unsigned long, JET_API_PTR *,
                                         JET_PSTR, unsigned long);
  JET_ERR(JET_API *get_instance_info)(unsigned long *, JET_INSTANCE_INFO **);
  JET_ERR(JET_API *get_version)(JET_SESID, unsigned long *);
  JET_ERR(JET_API *idle)(JET_SESID, JET_GRBIT);
  /* sessions */
  JET_ERR(JET_API *begin_session)(JET_INSTANCE, JET_SESID *, JET_PCSTR,
                                  JET_PCSTR);
  JET_ERR(JET_API *end_session)(JET_SESID, JET_GRBIT);
  JET_ERR(JET_API *dup_session)(JET_SESID, JET_SESID *);
  JET_ERR(JET_API *set_session_context)(JET_SESID, JET_API_PTR);
  JET_ERR(JET_API *reset_session_context)(JET_SESID);
  JET_ERR(JET_API *get_session_info)(JET_SESID, void *, unsigned long,
                                     unsigned long);
  /* databases */
  JET_ERR(JET_API *create_database)(JET_SESID, JET_PCSTR, JET_PCSTR,
                                    JET_DBID *, JET_GRBIT);
  JET_ERR(JET_API *create_database2)(JET_SESID, JET_PCSTR, unsigned long,
                                     JET_DBID *, JET_GRBIT);
  JET_ERR(JET_API *attach_database)(JET_SESID, JET_PCSTR, JET_GRBIT);
  JET_ERR(JET_API *attach_database2)(JET_SESID, JET_PCSTR, unsigned long,
                                     JET_GRBIT);
  JET_ERR(JET_API *detach_database)(JET_SESID, JET_PCSTR);
  JET_ERR(JET_API *detach_database2)(JET_SESID, JET_PCSTR, JET_GRBIT);
  JET_ERR(JET_API *open_database)(JET_SESID, JET_PCSTR, JET_PCSTR, JET_DBID *,
                                  JET_GRBIT);
  JET_ERR(JET_API *close_database)(JET_SESID, JET_DBID, JET_GRBIT);
  JET_ERR(JET_API *get_database_info)(JET_SESID, JET_DBID, void *,
                                      unsigned long, unsigned long);
  JET_ERR(JET_API *get_database_file_info)(JET_PCSTR, void *, unsigned long,
                                           unsigned long);
  /* DDL */
  JET_ERR(JET_API *create_table)(JET_SESID, JET_DBID, JET_PCSTR,
                                 unsigned long, unsigned long, JET_TABLEID *);
  JET_ERR(JET_API *create_table_column_index)(JET_SESID, JET_DBID,
                                              JET_TABLECREATE *);
  JET_ERR(JET_API *create_table_column_index2)(JET_SESID, JET_DBID,
                                               JET_TABLECREATE2 *);
  JET_ERR(JET_API *create_table_column_index3)(JET_SESID, JET_DBID,
                                               JET_TABLECREATE3 *);
  JET_ERR(JET_API *delete_table)(JET_SESID, JET_DBID, JET_PCSTR);
  JET_ERR(JET_API *open_table)(JET_SESID, JET_DBID, JET_PCSTR, const void *,
                               unsigned long, JET_GRBIT, JET_TABLEID *);
  JET_ERR(JET_API *close_table)(JET_SESID, JET_TABLEID);
  JET_ERR(JET_API *add_column)(JET_SESID, JET_TABLEID, JET_PCSTR,
                               const JET_COLUMNDEF *, const void *,
                               unsigned long, JET_COLUMNID *);
  JET_ERR(JET_API *delete_column)(JET_SESID, JET_TABLEID, JET_PCSTR);
  JET_ERR(JET_API *delete_column2)(JET_SESID, JET_TABLEID, JET_PCSTR,
                                   JET_GRBIT);
  JET_ERR(JET_API *create_index)(JET_SESID, JET_TABLEID, JET_PCSTR, JET_GRBIT,
                                 const char *, unsigned long, unsigned long);
  JET_ERR(JET_API *create_index2)(JET_SESID, JET_TABLEID, JET_INDEXCREATE *,
                                  unsigned long);
  JET_ERR(JET_API *create_index3)(JET_SESID, JET_TABLEID, JET_INDEXCREATE2 *,
                                  unsigned long);
  JET_ERR(JET_API *delete_index)(JET_SESID, JET_TABLEID, JET_PCSTR);
  JET_ERR(JET_API *get_table_column_info)(JET_SESID, JET_TABLEID, JET_PCSTR,
                                          void *, unsigned long,
                                          unsigned long);
  JET_ERR(JET_API *get_column_info)(JET_SESID, JET_DBID, JET_PCSTR, JET_PCSTR,
                                    void *, unsigned long, unsigned long);
  JET_ERR(JET_API *get_table_index_info)(JET_SESID, JET_TABLEID, JET_PCSTR,
                                         void *, unsigned long,
                                         unsigned long);
  JET_ERR(JET_API *get_index_info)(JET_SESID, JET_DBID, JET_PCSTR, JET_PCSTR,
                                   void *, unsigned long, unsigned long);
  JET_ERR(JET_API *get_table_info)(JET_SESID, JET_TABLEID, void *,
                                   unsigned long, unsigned long);
  /* transactions */
  JET_ERR(JET_API *begin_transaction)(JET_SESID);
  JET_ERR(JET_API *begin_transaction2)(JET_SESID, JET_GRBIT);
  JET_ERR(JET_API *begin_transaction3)(JET_SESID, long long, JET_GRBIT);
  JET_ERR(JET_API *commit_transaction)(JET_SESID, JET_GRBIT);
  JET_ERR(JET_API *commit_transaction2)(JET_SESID, JET_GRBIT, unsigned long,
                                        JET_COMMIT_ID *);
  JET_ERR(JET_API *rollback)(JET_SESID, JET_GRBIT);
  /* records */
  JET_ERR(JET_API *prepare_update)(JET_SESID, JET_TABLEID, unsigned long);
  JET_ERR(JET_API *set_column)(JET_SESID, JET_TABLEID, JET_COLUMNID,
                               const void *, unsigned long, JET_GRBIT,
                               JET_SETINFO *);
  JET_ERR(JET_API *set_columns)(JET_SESID, JET_TABLEID, JET_SETCOLUMN *,
                                unsigned long);
  JET_ERR(JET_API *retrieve_column)(JET_SESID, JET_TABLEID, JET_COLUMNID,
                                    void *, unsigned long, unsigned long *,
                                    JET_GRBIT, JET_RETINFO *);
  JET_ERR(JET_API *retrieve_columns)(JET_SESID, JET_TABLEID,
                                     JET_RETRIEVECOLUMN *, unsigned long);
  JET_ERR(JET_API *update)(JET_SESID, JET_TABLEID, void *, unsigned long,
                           unsigned long *);
  JET_ERR(JET_API *update2)(JET_SESID, JET_TABLEID, void *, unsigned long,
                            unsigned long *, JET_GRBIT);
  JET_ERR(JET_API *delete_record)(JET_SESID, JET_TABLEID);
  JET_ERR(JET_API *get_bookmark)(JET_SESID, JET_TABLEID, void *, unsigned long,
                                 unsigned long *);
  JET_ERR(JET_API *goto_bookmark)(JET_SESID, JET_TABLEID, void *,
                                  unsigned long);
  JET_ERR(JET_API *retrieve_key)(JET_SESID, JET_TABLEID, void *, unsigned long,
                                 unsigned long *, JET_GRBIT);
  JET_ERR(JET_API *escrow_update)(JET_SESID, JET_TABLEID, JET_COLUMNID, void *,
                                  unsigned long, void *, unsigned long,
                                  unsigned long *, JET_GRBIT);
  JET_ERR(JET_API *get_lock)(JET_SESID, JET_TABLEID, JET_GRBIT);
  /* navigation */
  JET_ERR(JET_API *set_current_index)(JET_SESID, JET_TABLEID, JET_PCSTR);
  JET_ERR(JET_API *set_current_index2)(JET_SESID, JET_TABLEID, JET_PCSTR,
                                       JET_GRBIT);
  JET_ERR(JET_API *set_current_index3)(JET_SESID, JET_TABLEID, JET_PCSTR,
                                       JET_GRBIT, unsigned long);
  JET_ERR(JET_API *set_current_index4)(JET_SESID, JET_TABLEID, JET_PCSTR,
                                       JET_INDEXID *, JET_GRBIT,
                                       unsigned long);
  JET_ERR(JET_API *get_current_index)(JET_SESID, JET_TABLEID, JET_PSTR,
                                      unsigned long);
  JET_ERR(JET_API *make_key)(JET_SESID, JET_TABLEID, const void *,
                             unsigned long, JET_GRBIT);
  JET_ERR(JET_API *seek)(JET_SESID, JET_TABLEID, JET_GRBIT);
  JET_ERR(JET_API *move)(JET_SESID, JET_TABLEID, long, JET_GRBIT);
  JET_ERR(JET_API *set_index_range)(JET_SESID, JET_TABLEID, JET_GRBIT);
  JET_ERR(JET_API *get_record_position)(JET_SESID, JET_TABLEID, JET_RECPOS *,
                                        unsigned long);
  JET_ERR(JET_API *goto_position)(JET_SESID, JET_TABLEID, JET_RECPOS *);
  JET_ERR(JET_API *index_record_count)(JET_SESID, JET_TABLEID,
                                       unsigned long *, unsigned long);
  /* defrag */
  JET_ERR(JET_API *defragment)(JET_SESID, JET_DBID, JET_PCSTR,
                               unsigned long *, unsigned long *, JET_GRBIT);
  JET_ERR(JET_API *defragment2)(JET_SESID, JET_DBID, JET_PCSTR,
                                unsigned long *, unsigned long *,
                                JET_CALLBACK, JET_GRBIT);
};

ESENT_C99_UNUSED static inline void EsentC99FillApiTable(struct EsentC99ApiTable *table) {
  struct EsentC99ApiTable t = {
      &JetCreateInstance,
      &JetCreateInstance2,
      &JetInit,
      &JetInit2,
      &JetInit3,
      &JetTerm,
      &JetTerm2,
      &JetStopService,
      &JetStopServiceInstance,
      &JetStopServiceInstance2,
      &JetEnableMultiInstance,
      &JetSetSystemParameter,
      &JetGetSystemParameter,
      &JetGetInstanceInfo,
      &JetGetVersion,
      &JetIdle,
      &JetBeginSession,
      &JetEndSession,
      &JetDupSession,
      &JetSetSessionContext,
      &JetResetSessionContext,
      &JetGetSessionInfo,
      &JetCreateDatabase,
      &JetCreateDatabase2,
      &JetAttachDatabase,
      &JetAttachDatabase2,
      &JetDetachDatabase,
      &JetDetachDatabase2,
      &JetOpenDatabase,
      &JetCloseDatabase,
      &JetGetDatabaseInfo,
      &JetGetDatabaseFileInfo,
      &JetCreateTable,
      &JetCreateTableColumnIndex,
      &JetCreateTableColumnIndex2,
      &JetCreateTableColumnIndex3,
      &JetDeleteTable,
      &JetOpenTable,
      &JetCloseTable,
      &JetAddColumn,
      &JetDeleteColumn,
      &JetDeleteColumn2,
      &JetCreateIndex,
      &JetCreateIndex2,
      &JetCreateIndex3,
      &JetDeleteIndex,
      &JetGetTableColumnInfo,
      &JetGetColumnInfo,
      &JetGetTableIndexInfo,
      &JetGetIndexInfo,
      &JetGetTableInfo,
      &JetBeginTransaction,
      &JetBeginTransaction2,
      &JetBeginTransaction3,
      &JetCommitTransaction,
      &JetCommitTransaction2,
      &JetRollback,
      &JetPrepareUpdate,
      &JetSetColumn,
      &JetSetColumns,
      &JetRetrieveColumn,
      &JetRetrieveColumns,
      &JetUpdate,
      &JetUpdate2,
      &JetDelete,
      &JetGetBookmark,
      &JetGotoBookmark,
      &JetRetrieveKey,
      &JetEscrowUpdate,
      &JetGetLock,
      &JetSetCurrentIndex,
      &JetSetCurrentIndex2,
      &JetSetCurrentIndex3,
      &JetSetCurrentIndex4,
      &JetGetCurrentIndex,
      &JetMakeKey,
      &JetSeek,
      &JetMove,
      &JetSetIndexRange,
      &JetGetRecordPosition,
      &JetGotoPosition,
      &JetIndexRecordCount,
      &JetDefragment,
      &JetDefragment2,
  };
  *table = t;
}

/* A callback with the JET_CALLBACK signature. */
static inline JET_ERR JET_API EsentC99Callback(JET_SESID sesid, JET_DBID dbid,
                                               JET_TABLEID tableid,
                                               JET_CBTYP cbtyp, void *pvArg1,
                                               void *pvArg2, void *pvContext,
                                               JET_API_PTR ulUnused) {
  (void)sesid;
  (void)dbid;
  (void)tableid;
  (void)pvArg1;
  (void)pvArg2;
  (void)pvContext;
  (void)ulUnused;
  return cbtyp == JET_cbtypOnlineDefragCompleted ? JET_errSuccess
                                                 : JET_errInvalidParameter;
}

/* Builds the structs a typical client fills in, the way ESE samples do,
 * touching anonymous unions and bit-fields. */
ESENT_C99_UNUSED static inline JET_ERR EsentC99UseStructs(JET_TABLECREATE3 *out_table) {
  static char column_name[] = "id";
  static char index_name[] = "primary";
  static char index_key[] = "+id\0";
  static char table_name[] = "t";
  static JET_COLUMNCREATE columns[1];
  static JET_INDEXCREATE2 indexes[1];
  static JET_UNICODEINDEX unicode = {0x409, 0};
  static JET_TUPLELIMITS tuples = {3, 10, 0x7fff, 1, 0};
  static JET_SPACEHINTS hints;
  JET_TABLECREATE3 table;
  JET_COLUMNDEF def;
  JET_SETSYSPARAM param;
  JET_RSTMAP map;
  JET_RSTINFO rstinfo;
  JET_SETCOLUMN set_column;
  JET_RETRIEVECOLUMN retrieve_column;
  JET_RETINFO retinfo;
  JET_SETINFO setinfo;
  JET_RECPOS recpos;
  JET_INDEXRANGE index_range;
  JET_INDEXID index_id;
  JET_COMMIT_ID commit_id;
  JET_DBINFOMISC4 misc;
  JET_SESSIONINFO session_info;
  JET_INSTANCE_INFO instance_info;
  JET_OBJECTINFO object_info;
  JET_COLUMNLIST column_list;
  JET_INDEXLIST index_list;
  JET_COLUMNBASE column_base;
  JET_CONDITIONALCOLUMN conditional;
  JET_INDEXCREATE index_create;
  JET_INDEXCREATE3 index_create3;
  JET_TABLECREATE table_create;
  JET_TABLECREATE2 table_create2;
  JET_SNPROG progress;
  JET_LOGTIME logtime;
  JET_CALLBACK callback = &EsentC99Callback;
  JET_INSTANCE instance = JET_instanceNil;
  JET_SESID sesid = JET_sesidNil;
  JET_TABLEID tableid = JET_tableidNil;
  JET_DBID dbid = JET_dbidNil;
  JET_GRBIT grbit = JET_bitNil;
  JET_PCWSTR wide = NULL;
  long move = JET_MovePrevious;

  columns[0].cbStruct = sizeof(columns[0]);
  columns[0].szColumnName = column_name;
  columns[0].coltyp = JET_coltypLong;
  columns[0].grbit = JET_bitColumnFixed | JET_bitColumnNotNULL;
  columns[0].cp = 0;

  indexes[0].cbStruct = sizeof(indexes[0]);
  indexes[0].szIndexName = index_name;
  indexes[0].szKey = index_key;
  indexes[0].cbKey = sizeof(index_key);
  indexes[0].grbit = JET_bitIndexPrimary | JET_bitIndexUnique |
                     JET_bitIndexUnicode | JET_bitIndexTupleLimits;
  indexes[0].ulDensity = 100;
  indexes[0].lcid = 0x409;
  indexes[0].pidxunicode = &unicode;
  indexes[0].cbVarSegMac = JET_cbKeyMostMin;
  indexes[0].ptuplelimits = &tuples;
  indexes[0].cbKeyMost = JET_cbKeyMost8KBytePage;
  hints.cbStruct = sizeof(hints);
  hints.grbit = JET_bitCreateHintAppendSequential;
  indexes[0].pSpacehints = &hints;

  table.cbStruct = sizeof(table);
  table.szTableName = table_name;
  table.szTemplateTableName = NULL;
  table.ulPages = 16;
  table.ulDensity = 80;
  table.rgcolumncreate = columns;
  table.cColumns = 1;
  table.rgindexcreate = indexes;
  table.cIndexes = 1;
  table.szCallback = NULL;
  table.cbtyp = JET_cbtypNull;
  table.grbit = JET_bitTableCreateFixedDDL;
  table.pSeqSpacehints = &hints;
  table.pLVSpacehints = NULL;
  table.cbSeparateLV = 1024;
  table.tableid = JET_tableidNil;
  table.cCreated = 0;
  *out_table = table;

  def.cbStruct = sizeof(def);
  def.coltyp = JET_coltypLongText;
  def.cp = 1252;
  def.cbMax = JET_cbColumnMost;
  def.grbit = JET_bitColumnTagged | JET_bitColumnMultiValued;

  param.paramid = JET_paramMaxSessions;
  param.lParam = 16;
  param.sz = NULL;
  param.err = JET_errSuccess;

  map.szDatabaseName = table_name;
  map.szNewDatabaseName = table_name;
  rstinfo.cbStruct = sizeof(rstinfo);
  rstinfo.rgrstmap = &map;
  rstinfo.crstmap = 1;
  rstinfo.pfnStatus = NULL;
  rstinfo.lgposStop.lGeneration = 1;
  rstinfo.lgposStop.isec = 0;
  rstinfo.lgposStop.ib = 0;

  set_column.columnid = 1;
  set_column.pvData = &move;
  set_column.cbData = sizeof(move);
  set_column.grbit = JET_bitSetOverwriteLV;
  retrieve_column.columnid = 1;
  retrieve_column.grbit = JET_bitRetrieveCopy;
  retinfo.cbStruct = sizeof(retinfo);
  retinfo.itagSequence = 1;
  setinfo.cbStruct = sizeof(setinfo);
  setinfo.ibLongValue = 0;
  recpos.cbStruct = sizeof(recpos);
  recpos.centriesLT = 1;
  index_range.cbStruct = sizeof(index_range);
  index_range.tableid = tableid;
  index_range.grbit = JET_bitRecordInIndex;
  index_id.cbStruct = sizeof(index_id);
  index_id.rgbIndexId[0] = 0;

  commit_id.commitId = 42;
  commit_id.reserved = 0;
  commit_id.signLog.ulRandom = 7;
  commit_id.signLog.logtimeCreate.bYear = 125;
  commit_id.signLog.szComputerName[0] = '\0';

  logtime.bSeconds = 1;
  logtime.fTimeIsUTC = 1;
  logtime.bMillisecondsLow = 5;
  logtime.bMillisecondsHigh = 1;
  logtime.bFiller2 = 0;
  misc.dbstate = JET_dbstateCleanShutdown;
  misc.logtimeConsistent = logtime;
  misc.lgposConsistent = rstinfo.lgposStop;
  misc.bkinfoFullPrev.logtimeMark = logtime;
  misc.bkinfoFullPrev.bklogtimeMark.fOSSnapshot = 0;
  misc.genCommitted = 3;
  misc.bkinfoDiffPrev.genLow = 1;

  session_info.ulTrxLevel = 0;
  instance_info.hInstanceId = instance;
  instance_info.cDatabases = 0;
  object_info.objtyp = JET_objtypTable;
  object_info.grbit = JET_bitTableInfoUpdatable;
  column_list.tableid = tableid;
  index_list.tableid = tableid;
  column_base.szBaseTableName[0] = '\0';
  conditional.grbit = JET_bitIndexColumnMustBeNonNull;
  index_create.lcid = 0;
  index_create3.pidxunicode = NULL;
  table_create.rgindexcreate = &index_create;
  table_create2.rgindexcreate = &index_create;
  progress.cunitDone = 1;

  (void)def;
  (void)param;
  (void)set_column;
  (void)retrieve_column;
  (void)retinfo;
  (void)setinfo;
  (void)recpos;
  (void)index_range;
  (void)index_id;
  (void)commit_id;
  (void)misc;
  (void)session_info;
  (void)instance_info;
  (void)object_info;
  (void)column_list;
  (void)index_list;
  (void)column_base;
  (void)conditional;
  (void)index_create3;
  (void)table_create;
  (void)table_create2;
  (void)progress;
  (void)wide;
  (void)sesid;
  (void)dbid;
  (void)grbit;

  return callback(sesid, dbid, tableid, JET_cbtypOnlineDefragCompleted, NULL,
                  NULL, NULL, 0);
}
