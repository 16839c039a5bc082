/*
 * esent.h: the public C API of jetsvc's storage engine, a portable
 * re-implementation of the JET API of Windows' esent.dll (the Extensible
 * Storage Engine).
 *
 * Compatibility: every type, struct member, constant and function keeps the
 * name, order and value that ESE's esent.h gives it, so code written against
 * Windows' esent.h compiles unchanged.  On Windows, structs are packed as
 * ESE packs them, so layouts match.  On LP64 systems `long` and `unsigned
 * long` are 64 bits wide, so structs holding them are larger than on
 * Windows; names and values still match.  Only the narrow ("A") forms of
 * string functions and structs are provided; the plain names are macros
 * that select them, and JET_UNICODE is not supported.
 *
 * Thread contract: every function may be called from any thread, and calls
 * on different sessions run concurrently.  One session (JET_SESID) must not
 * be used by two threads at the same time; a call that would overlap another
 * call on the same session fails with JET_errSessionSharingViolation.
 * Cursors (JET_TABLEID) belong to their session and follow the same rule.
 *
 * Usable from C99 and C++17.  Everything that ESE guards with JET_VERSION
 * is declared unconditionally; JET_VERSION is defined only so that client
 * code which tests it keeps compiling.
 */

#ifndef JETSVC_ENGINE_INCLUDE_ESENT_H_
#define JETSVC_ENGINE_INCLUDE_ESENT_H_

#ifndef JET_VERSION
#define JET_VERSION 0x0A01
#endif

#if defined(JET_UNICODE)
#error "jetsvc provides only the narrow (A) JET API; do not define JET_UNICODE"
#endif

#if defined(_WIN32)
#include <stddef.h> /* wchar_t */
#endif

/* ------------------------------------------------------------------------
 * Calling convention, symbol visibility and private helpers.
 * ------------------------------------------------------------------------ */

/* JET_API is the calling convention of every entry point and callback. */
#if defined(_WIN32)
#define JET_API __stdcall
#else
#define JET_API
#endif

/* JETSVC_EXPORT marks the exported entry points of the engine library.
 * Windows: define JETSVC_BUILDING_ENGINE while building the DLL and
 * JETSVC_SHARED when linking against it; define neither for a static
 * library. */
#if defined(_WIN32)
#if defined(JETSVC_BUILDING_ENGINE)
#define JETSVC_EXPORT __declspec(dllexport)
#elif defined(JETSVC_SHARED)
#define JETSVC_EXPORT __declspec(dllimport)
#else
#define JETSVC_EXPORT
#endif
#elif defined(__GNUC__)
#define JETSVC_EXPORT __attribute__((visibility("default")))
#else
#define JETSVC_EXPORT
#endif

/* ESE writes `__int64`, which only MSVC knows.  long long is the same
 * type under MSVC and is standard C99 and C++11 elsewhere. */
#define JETSVC_INT64_ long long
#define JETSVC_UINT64_ unsigned long long

/* ESE's structs use anonymous unions, and anonymous structs of bit-fields
 * inside them; C99 and ISO C++ lack both.  GCC and Clang (also in MSVC
 * mode) accept them silently after __extension__; MSVC accepts them once
 * warning C4201 is off. */
#if defined(__GNUC__) || defined(__clang__)
#define JETSVC_ANONYMOUS_ __extension__
#else
#define JETSVC_ANONYMOUS_
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Struct packing as in ESE: 8 on 64-bit Windows, 4 on 32-bit Windows.
 * Other systems keep their natural layout. */
#if defined(_WIN64)
#pragma pack(push, 8)
#elif defined(_WIN32)
#pragma pack(push, 4)
#endif

#if defined(_MSC_VER)
#pragma warning(push)
#pragma warning(disable : 4201) /* nameless struct/union */
#endif

/* ------------------------------------------------------------------------
 * Basic types.
 * ------------------------------------------------------------------------ */

/* JET_API_PTR is an unsigned integer as wide as a pointer: 64 bits on every
 * 64-bit target (LP64 and LLP64), the 32-bit unsigned long elsewhere. */
#if defined(_WIN64)
typedef JETSVC_UINT64_ JET_API_PTR;
#elif defined(_WIN32)
typedef unsigned long JET_API_PTR;
#elif defined(__LP64__) || defined(_LP64) || \
    (defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ == 8)
typedef JETSVC_UINT64_ JET_API_PTR;
#else
typedef unsigned long JET_API_PTR;
#endif

/* 0 is success, negative values are errors, positive values warnings. */
typedef long JET_ERR;

/* Opaque handles. */
typedef JET_API_PTR JET_HANDLE;   /* backup file handle */
typedef JET_API_PTR JET_INSTANCE; /* engine instance */
typedef JET_API_PTR JET_SESID;    /* session */
typedef JET_API_PTR JET_TABLEID;  /* cursor on a table */
typedef JET_API_PTR JET_LS;       /* client local storage value */

/* Small identifiers and flag words. */
typedef unsigned long JET_COLUMNID; /* column */
typedef unsigned long JET_DBID;     /* database opened by a session */
typedef unsigned long JET_OBJTYP;   /* catalog object type */
typedef unsigned long JET_COLTYP;   /* column data type */
typedef unsigned long JET_GRBIT;    /* group of option bits */
typedef unsigned long JET_SNP;      /* status notification: process */
typedef unsigned long JET_SNT;      /* status notification: type */
typedef unsigned long JET_CBTYP;    /* callback reason bits */
typedef double JET_DATESERIAL;      /* JET_coltypDateTime value */

/* UTF-16 code unit of the wide strings: wchar_t on Windows, where it is
 * 16 bits; unsigned short elsewhere, where wchar_t is 32 bits.  MinGW's
 * <winnt.h> guards its own identical typedef with __WCHAR_DEFINED. */
#if defined(_WIN32)
#if !defined(__WCHAR_DEFINED)
#define __WCHAR_DEFINED
typedef wchar_t WCHAR;
#endif
#else
typedef unsigned short WCHAR;
#endif

/* NUL-terminated strings. */
typedef char *JET_PSTR;
typedef const char *JET_PCSTR;
typedef WCHAR *JET_PWSTR;
typedef const WCHAR *JET_PCWSTR;

/* An index, identified faster than by name; contents are private. */
typedef struct tagJET_INDEXID {
  unsigned long cbStruct;
  unsigned char rgbIndexId[sizeof(JET_API_PTR) + sizeof(unsigned long) +
                           sizeof(unsigned long)];
} JET_INDEXID;

/* ------------------------------------------------------------------------
 * Callbacks.
 * ------------------------------------------------------------------------ */

/* Progress report from long operations such as restore (JET_RSTINFO). */
typedef JET_ERR(JET_API *JET_PFNSTATUS)(JET_SESID sesid, JET_SNP snp,
                                         JET_SNT snt, void *pv);

/* Progress payload of JET_sntProgress. */
typedef struct {
  unsigned long cbStruct;
  unsigned long cunitDone;
  unsigned long cunitTotal;
} JET_SNPROG;

/* Table and defrag callback; cbtyp says why it was called. */
typedef JET_ERR(JET_API *JET_CALLBACK)(JET_SESID sesid, JET_DBID dbid,
                                        JET_TABLEID tableid, JET_CBTYP cbtyp,
                                        void *pvArg1, void *pvArg2,
                                        void *pvContext, JET_API_PTR ulUnused);

/* ------------------------------------------------------------------------
 * System parameters and restore (JetEnableMultiInstance, JetInit3).
 * ------------------------------------------------------------------------ */

/* One parameter for JetEnableMultiInstance; err receives its result. */
typedef struct {
  unsigned long paramid;
  JET_API_PTR lParam;
  const char *sz;
  JET_ERR err;
} JET_SETSYSPARAM_A;

/* Database path recorded in the log -> path to use now. */
typedef struct {
  char *szDatabaseName;
  char *szNewDatabaseName;
} JET_RSTMAP_A;

/* ------------------------------------------------------------------------
 * Log positions, times and signatures: byte-packed as in ESE.
 * ------------------------------------------------------------------------ */

#pragma pack(push, 1)

#define JET_MAX_COMPUTERNAME_LENGTH 15

/* Calendar time: years since 1900, milliseconds split over two fields. */
typedef struct {
  char bSeconds;
  char bMinutes;
  char bHours;
  char bDay;
  char bMonth;
  char bYear;
  JETSVC_ANONYMOUS_ union {
    char bFiller1;
    JETSVC_ANONYMOUS_ struct {
      unsigned char fTimeIsUTC : 1;
      unsigned char bMillisecondsLow : 7;
    };
  };
  JETSVC_ANONYMOUS_ union {
    char bFiller2;
    JETSVC_ANONYMOUS_ struct {
      unsigned char fReserved : 1;
      unsigned char bMillisecondsHigh : 3;
      unsigned char fUnused : 4;
    };
  };
} JET_LOGTIME;

/* JET_LOGTIME as kept in backup records: same size, and the first
 * reserved bit marks a snapshot backup. */
typedef struct {
  char bSeconds;
  char bMinutes;
  char bHours;
  char bDay;
  char bMonth;
  char bYear;
  JETSVC_ANONYMOUS_ union {
    char bFiller1;
    JETSVC_ANONYMOUS_ struct {
      unsigned char fTimeIsUTC : 1;
      unsigned char bMillisecondsLow : 7;
    };
  };
  JETSVC_ANONYMOUS_ union {
    char bFiller2;
    JETSVC_ANONYMOUS_ struct {
      unsigned char fOSSnapshot : 1;
      unsigned char bMillisecondsHigh : 3;
      unsigned char fReserved : 4;
    };
  };
} JET_BKLOGTIME;

/* A position in the log: generation, sector, byte within the sector. */
typedef struct {
  unsigned short ib;
  unsigned short isec;
  long lGeneration;
} JET_LGPOS;

/* Identity of a database or log stream: random value, creation time and
 * host name. */
typedef struct {
  unsigned long ulRandom;
  JET_LOGTIME logtimeCreate;
  char szComputerName[JET_MAX_COMPUTERNAME_LENGTH + 1];
} JET_SIGNATURE;

/* One backup: its log mark, its time and the log generations it covers. */
typedef struct {
  JET_LGPOS lgposMark;
  JETSVC_ANONYMOUS_ union {
    JET_LOGTIME logtimeMark;
    JET_BKLOGTIME bklogtimeMark;
  };
  unsigned long genLow;
  unsigned long genHigh;
} JET_BKINFO;

#pragma pack(pop)

/* Restore options for JetInit3: path remapping, stop point, progress. */
typedef struct {
  unsigned long cbStruct;
  JET_RSTMAP_A *rgrstmap;
  long crstmap;
  JET_LGPOS lgposStop;
  JET_LOGTIME logtimeStop;
  JET_PFNSTATUS pfnStatus;
} JET_RSTINFO_A;

/* ------------------------------------------------------------------------
 * Database header (JetGetDatabaseInfo / JetGetDatabaseFileInfo with
 * JET_DbInfoMisc).  Each version appends members to the one before; the
 * caller picks one through cbMax.
 * ------------------------------------------------------------------------ */

#define JETSVC_DBINFOMISC_MEMBERS_                                   \
  unsigned long ulVersion;         /* engine format version */       \
  unsigned long ulUpdate;          /* format update within version */ \
  JET_SIGNATURE signDb;                                              \
  unsigned long dbstate;           /* JET_dbstate* */                \
  JET_LGPOS lgposConsistent;       /* zero unless consistent */      \
  JET_LOGTIME logtimeConsistent;                                     \
  JET_LOGTIME logtimeAttach;                                         \
  JET_LGPOS lgposAttach;                                             \
  JET_LOGTIME logtimeDetach;                                         \
  JET_LGPOS lgposDetach;                                             \
  JET_SIGNATURE signLog;           /* log stream it belongs to */    \
  JET_BKINFO bkinfoFullPrev;                                         \
  JET_BKINFO bkinfoIncPrev;                                          \
  JET_BKINFO bkinfoFullCur;                                          \
  unsigned long fShadowingDisabled;                                  \
  unsigned long fUpgradeDb;                                          \
  unsigned long dwMajorVersion;    /* OS that last wrote the file */ \
  unsigned long dwMinorVersion;                                      \
  unsigned long dwBuildNumber;                                       \
  long lSPNumber;                                                    \
  unsigned long cbPageSize;        /* 0 means 4 KB */

#define JETSVC_DBINFOMISC2_MEMBERS_                                  \
  JETSVC_DBINFOMISC_MEMBERS_                                         \
  unsigned long genMinRequired;    /* oldest log needed for replay */ \
  unsigned long genMaxRequired;    /* newest log needed for replay */ \
  JET_LOGTIME logtimeGenMaxCreate;                                   \
  unsigned long ulRepairCount;                                       \
  JET_LOGTIME logtimeRepair;                                         \
  unsigned long ulRepairCountOld;                                    \
  unsigned long ulECCFixSuccess;                                     \
  JET_LOGTIME logtimeECCFixSuccess;                                  \
  unsigned long ulECCFixSuccessOld;                                  \
  unsigned long ulECCFixFail;                                        \
  JET_LOGTIME logtimeECCFixFail;                                     \
  unsigned long ulECCFixFailOld;                                     \
  unsigned long ulBadChecksum;                                       \
  JET_LOGTIME logtimeBadChecksum;                                    \
  unsigned long ulBadChecksumOld;

#define JETSVC_DBINFOMISC3_MEMBERS_ \
  JETSVC_DBINFOMISC2_MEMBERS_       \
  unsigned long genCommitted; /* newest log committed to the file */

typedef struct {
  JETSVC_DBINFOMISC_MEMBERS_
} JET_DBINFOMISC;

typedef struct {
  JETSVC_DBINFOMISC2_MEMBERS_
} JET_DBINFOMISC2;

typedef struct {
  JETSVC_DBINFOMISC3_MEMBERS_
} JET_DBINFOMISC3;

/* The newest public layout. */
typedef struct {
  JETSVC_DBINFOMISC3_MEMBERS_
  JET_BKINFO bkinfoCopyPrev;
  JET_BKINFO bkinfoDiffPrev;
} JET_DBINFOMISC4;

#undef JETSVC_DBINFOMISC3_MEMBERS_
#undef JETSVC_DBINFOMISC2_MEMBERS_
#undef JETSVC_DBINFOMISC_MEMBERS_

/* ------------------------------------------------------------------------
 * Instances, sessions and commits.
 * ------------------------------------------------------------------------ */

/* One running instance, as listed by JetGetInstanceInfo.  The arrays hold
 * cDatabases entries; the obsolete SLV array is NULL. */
typedef struct tagJET_INSTANCE_INFO_A {
  JET_INSTANCE hInstanceId;
  char *szInstanceName;
  JET_API_PTR cDatabases;
  char **szDatabaseFileName;
  char **szDatabaseDisplayName;
  char **szDatabaseSLVFileName_Obsolete;
} JET_INSTANCE_INFO_A;

/* JetGetSessionInfo, info level JET_SessionInfo (internal in ESE). */
typedef struct JET_SESSIONINFO {
  unsigned long ulTrxBegin0; /* transaction id taken at level-0 begin */
  unsigned long ulTrxLevel;  /* current nesting depth, 0 outside */
  unsigned long ulProcid;    /* engine's id for the session */
  unsigned long ulFlags;     /* always 0 */
  JET_API_PTR ulTrxContext;  /* value of JetSetSessionContext */
} JET_SESSIONINFO;

/* Identifies a commit (JetCommitTransaction2): the log stream and a
 * position in it.  `reserved` keeps commitId 8-aligned on 32-bit. */
typedef struct {
  JET_SIGNATURE signLog;
  int reserved;
  JETSVC_INT64_ commitId;
} JET_COMMIT_ID;

/* Called once commits up to pCommitIdSeen are durable
 * (JET_paramDurableCommitCallback). */
typedef JET_ERR(JET_API *JET_PFNDURABLECOMMITCALLBACK)(
    JET_INSTANCE instance, JET_COMMIT_ID *pCommitIdSeen, JET_GRBIT grbit);

/* ------------------------------------------------------------------------
 * Catalog information (JetGet*Info).
 * ------------------------------------------------------------------------ */

/* One table (JET_ObjInfo*). */
typedef struct {
  unsigned long cbStruct;
  JET_OBJTYP objtyp;
  JET_DATESERIAL dtCreate; /* deprecated */
  JET_DATESERIAL dtUpdate; /* deprecated */
  JET_GRBIT grbit;         /* JET_bitTableInfo* */
  unsigned long flags;     /* JET_bitObject* */
  unsigned long cRecord;
  unsigned long cPage;
} JET_OBJECTINFO;

/* A temporary table listing columns, one row each (JET_ColInfoList);
 * the members name the columnid of each field of that table. */
typedef struct {
  unsigned long cbStruct;
  JET_TABLEID tableid;
  unsigned long cRecord;
  JET_COLUMNID columnidPresentationOrder;
  JET_COLUMNID columnidcolumnname;
  JET_COLUMNID columnidcolumnid;
  JET_COLUMNID columnidcoltyp;
  JET_COLUMNID columnidCountry;
  JET_COLUMNID columnidLangid;
  JET_COLUMNID columnidCp;
  JET_COLUMNID columnidCollate;
  JET_COLUMNID columnidcbMax;
  JET_COLUMNID columnidgrbit;
  JET_COLUMNID columnidDefault;
  JET_COLUMNID columnidBaseTableName;
  JET_COLUMNID columnidBaseColumnName;
  JET_COLUMNID columnidDefinitionName;
} JET_COLUMNLIST;

/* Definition of one column (JetAddColumn, JET_ColInfo). */
typedef struct {
  unsigned long cbStruct;
  JET_COLUMNID columnid;
  JET_COLTYP coltyp;
  unsigned short wCountry;
  unsigned short langid;
  unsigned short cp; /* code page of text columns */
  unsigned short wCollate; /* must be 0 */
  unsigned long cbMax;
  JET_GRBIT grbit; /* JET_bitColumn* */
} JET_COLUMNDEF;

/* JET_COLUMNDEF plus where the column is defined (JET_ColInfoBase). */
typedef struct {
  unsigned long cbStruct;
  JET_COLUMNID columnid;
  JET_COLTYP coltyp;
  unsigned short wCountry;
  unsigned short langid;
  unsigned short cp;
  unsigned short wFiller; /* must be 0 */
  unsigned long cbMax;
  JET_GRBIT grbit;
  char szBaseTableName[256];
  char szBaseColumnName[256];
} JET_COLUMNBASE_A;

/* A temporary table listing index segments, one row each
 * (JET_IdxInfoList); the members name its columnids. */
typedef struct {
  unsigned long cbStruct;
  JET_TABLEID tableid;
  unsigned long cRecord;
  JET_COLUMNID columnidindexname;
  JET_COLUMNID columnidgrbitIndex;
  JET_COLUMNID columnidcKey;
  JET_COLUMNID columnidcEntry;
  JET_COLUMNID columnidcPage;
  JET_COLUMNID columnidcColumn;
  JET_COLUMNID columnidiColumn;
  JET_COLUMNID columnidcolumnid;
  JET_COLUMNID columnidcoltyp;
  JET_COLUMNID columnidCountry;
  JET_COLUMNID columnidLangid;
  JET_COLUMNID columnidCp;
  JET_COLUMNID columnidCollate;
  JET_COLUMNID columnidgrbitColumn;
  JET_COLUMNID columnidcolumnname;
  JET_COLUMNID columnidLCMapFlags;
} JET_INDEXLIST;

/* Number of fields in the object, column and index list tables. */
#define cObjectInfoCols 9
#define cColumnInfoCols 14
#define cIndexInfoCols 15

/* ------------------------------------------------------------------------
 * DDL: creating columns, indexes and tables.
 * ------------------------------------------------------------------------ */

/* One column to create; columnid and err are outputs. */
typedef struct tag_JET_COLUMNCREATE_A {
  unsigned long cbStruct;
  char *szColumnName;
  JET_COLTYP coltyp;
  unsigned long cbMax;
  JET_GRBIT grbit;
  void *pvDefault;
  unsigned long cbDefault;
  unsigned long cp;
  JET_COLUMNID columnid;
  JET_ERR err;
} JET_COLUMNCREATE_A;

/* A column whose null-ness decides whether a record is in an index. */
typedef struct tagJET_CONDITIONALCOLUMN_A {
  unsigned long cbStruct;
  char *szColumnName;
  JET_GRBIT grbit; /* JET_bitIndexColumnMustBe* */
} JET_CONDITIONALCOLUMN_A;

/* Locale and LCMapString flags of a Unicode index. */
typedef struct tagJET_UNICODEINDEX {
  unsigned long lcid;
  unsigned long dwMapFlags;
} JET_UNICODEINDEX;

/* Same, with the locale given by name. */
typedef struct tagJET_UNICODEINDEX2 {
  WCHAR *szLocaleName;
  unsigned long dwMapFlags;
} JET_UNICODEINDEX2;

/* Limits of a tuple (substring) index, in characters. */
typedef struct tagJET_TUPLELIMITS {
  unsigned long chLengthMin;
  unsigned long chLengthMax;
  unsigned long chToIndexMax;
  unsigned long cchIncrement;
  unsigned long ichStart;
} JET_TUPLELIMITS;

/* Allocation and usage hints for one B-tree. */
typedef struct tagJET_SPACEHINTS {
  unsigned long cbStruct;
  unsigned long ulInitialDensity; /* percent full at initial layout */
  unsigned long cbInitial;
  JET_GRBIT grbit; /* JET_bit*Hint* */
  unsigned long ulMaintDensity;   /* percent full to maintain */
  unsigned long ulGrowth;         /* percent growth per extension */
  unsigned long cbMinExtent;
  unsigned long cbMaxExtent;
} JET_SPACEHINTS;

/* One index to create (JetCreateIndex2); err is an output.  szKey holds
 * "+col" / "-col" names, each NUL-terminated, then one more NUL; cbKey
 * counts all of it.  lcid and cbVarSegMac turn into pointers when
 * JET_bitIndexUnicode / JET_bitIndexTupleLimits is set. */
typedef struct tagJET_INDEXCREATE_A {
  unsigned long cbStruct;
  char *szIndexName;
  char *szKey;
  unsigned long cbKey;
  JET_GRBIT grbit;
  unsigned long ulDensity;
  JETSVC_ANONYMOUS_ union {
    unsigned long lcid;
    JET_UNICODEINDEX *pidxunicode;
  };
  JETSVC_ANONYMOUS_ union {
    unsigned long cbVarSegMac;
    JET_TUPLELIMITS *ptuplelimits;
  };
  JET_CONDITIONALCOLUMN_A *rgconditionalcolumn;
  unsigned long cConditionalColumn;
  JET_ERR err;
  unsigned long cbKeyMost; /* with JET_bitIndexKeyMost */
} JET_INDEXCREATE_A;

/* JET_INDEXCREATE_A plus space hints (JetCreateIndex3). */
typedef struct tagJET_INDEXCREATE2_A {
  unsigned long cbStruct;
  char *szIndexName;
  char *szKey;
  unsigned long cbKey;
  JET_GRBIT grbit;
  unsigned long ulDensity;
  JETSVC_ANONYMOUS_ union {
    unsigned long lcid;
    JET_UNICODEINDEX *pidxunicode;
  };
  JETSVC_ANONYMOUS_ union {
    unsigned long cbVarSegMac;
    JET_TUPLELIMITS *ptuplelimits;
  };
  JET_CONDITIONALCOLUMN_A *rgconditionalcolumn;
  unsigned long cConditionalColumn;
  JET_ERR err;
  unsigned long cbKeyMost;
  JET_SPACEHINTS *pSpacehints;
} JET_INDEXCREATE2_A;

/* JET_INDEXCREATE2_A with a named locale instead of an LCID. */
typedef struct tagJET_INDEXCREATE3_A {
  unsigned long cbStruct;
  char *szIndexName;
  char *szKey;
  unsigned long cbKey;
  JET_GRBIT grbit;
  unsigned long ulDensity;
  JET_UNICODEINDEX2 *pidxunicode;
  JETSVC_ANONYMOUS_ union {
    unsigned long cbVarSegMac;
    JET_TUPLELIMITS *ptuplelimits;
  };
  JET_CONDITIONALCOLUMN_A *rgconditionalcolumn;
  unsigned long cConditionalColumn;
  JET_ERR err;
  unsigned long cbKeyMost;
  JET_SPACEHINTS *pSpacehints;
} JET_INDEXCREATE3_A;

/* A table with its columns and indexes (JetCreateTableColumnIndex).
 * Outputs: tableid (the new table is left open) and cCreated. */
typedef struct tagJET_TABLECREATE_A {
  unsigned long cbStruct;
  char *szTableName;
  char *szTemplateTableName;
  unsigned long ulPages;
  unsigned long ulDensity;
  JET_COLUMNCREATE_A *rgcolumncreate;
  unsigned long cColumns;
  JET_INDEXCREATE_A *rgindexcreate;
  unsigned long cIndexes;
  JET_GRBIT grbit; /* JET_bitTableCreate* */
  JET_TABLEID tableid;
  unsigned long cCreated;
} JET_TABLECREATE_A;

/* JET_TABLECREATE_A plus a callback (JetCreateTableColumnIndex2). */
typedef struct tagJET_TABLECREATE2_A {
  unsigned long cbStruct;
  char *szTableName;
  char *szTemplateTableName;
  unsigned long ulPages;
  unsigned long ulDensity;
  JET_COLUMNCREATE_A *rgcolumncreate;
  unsigned long cColumns;
  JET_INDEXCREATE_A *rgindexcreate;
  unsigned long cIndexes;
  char *szCallback;
  JET_CBTYP cbtyp;
  JET_GRBIT grbit;
  JET_TABLEID tableid;
  unsigned long cCreated;
} JET_TABLECREATE2_A;

/* JET_TABLECREATE2_A with JET_INDEXCREATE2_A indexes and space hints
 * (JetCreateTableColumnIndex3). */
typedef struct tagJET_TABLECREATE3_A {
  unsigned long cbStruct;
  char *szTableName;
  char *szTemplateTableName;
  unsigned long ulPages;
  unsigned long ulDensity;
  JET_COLUMNCREATE_A *rgcolumncreate;
  unsigned long cColumns;
  JET_INDEXCREATE2_A *rgindexcreate;
  unsigned long cIndexes;
  char *szCallback;
  JET_CBTYP cbtyp;
  JET_GRBIT grbit;
  JET_SPACEHINTS *pSeqSpacehints; /* the clustered (primary) tree */
  JET_SPACEHINTS *pLVSpacehints;  /* the long-value tree */
  unsigned long cbSeparateLV;     /* long values above this leave the record */
  JET_TABLEID tableid;
  unsigned long cCreated;
} JET_TABLECREATE3_A;

/* ------------------------------------------------------------------------
 * Records, cursors and positions.
 * ------------------------------------------------------------------------ */

/* Extra arguments of JetRetrieveColumn; columnidNextTagged is an output. */
typedef struct {
  unsigned long cbStruct;
  unsigned long ibLongValue;  /* byte offset into a long value */
  unsigned long itagSequence; /* 1-based value of a multi-valued column */
  JET_COLUMNID columnidNextTagged;
} JET_RETINFO;

/* Extra arguments of JetSetColumn. */
typedef struct {
  unsigned long cbStruct;
  unsigned long ibLongValue;
  unsigned long itagSequence;
} JET_SETINFO;

/* One column to set in JetSetColumns; err is an output. */
typedef struct {
  JET_COLUMNID columnid;
  const void *pvData;
  unsigned long cbData;
  JET_GRBIT grbit;
  unsigned long ibLongValue;
  unsigned long itagSequence;
  JET_ERR err;
} JET_SETCOLUMN;

/* One column to read in JetRetrieveColumns; cbActual, columnidNextTagged
 * and err are outputs. */
typedef struct {
  JET_COLUMNID columnid;
  void *pvData;
  unsigned long cbData;
  unsigned long cbActual;
  JET_GRBIT grbit;
  unsigned long ibLongValue;
  unsigned long itagSequence;
  JET_COLUMNID columnidNextTagged;
  JET_ERR err;
} JET_RETRIEVECOLUMN;

/* Approximate position: centriesLT of centriesTotal entries lie before the
 * cursor (JetGetRecordPosition, JetGotoPosition). */
typedef struct {
  unsigned long cbStruct;
  unsigned long centriesLT;
  unsigned long centriesInRange;
  unsigned long centriesTotal;
} JET_RECPOS;

/* A cursor with an index range, for JET_bitRecordInIndex tests. */
typedef struct {
  unsigned long cbStruct;
  JET_TABLEID tableid;
  JET_GRBIT grbit;
} JET_INDEXRANGE;

/* ------------------------------------------------------------------------
 * The narrow forms are the only forms: plain struct names select them.
 * ------------------------------------------------------------------------ */

#define JET_SETSYSPARAM JET_SETSYSPARAM_A
#define JET_RSTMAP JET_RSTMAP_A
#define JET_RSTINFO JET_RSTINFO_A
#define JET_INSTANCE_INFO JET_INSTANCE_INFO_A
#define JET_COLUMNBASE JET_COLUMNBASE_A
#define JET_COLUMNCREATE JET_COLUMNCREATE_A
#define JET_CONDITIONALCOLUMN JET_CONDITIONALCOLUMN_A
#define JET_INDEXCREATE JET_INDEXCREATE_A
#define JET_INDEXCREATE2 JET_INDEXCREATE2_A
#define JET_INDEXCREATE3 JET_INDEXCREATE3_A
#define JET_TABLECREATE JET_TABLECREATE_A
#define JET_TABLECREATE2 JET_TABLECREATE2_A
#define JET_TABLECREATE3 JET_TABLECREATE3_A

/* ------------------------------------------------------------------------
 * Nil handles and limits.
 * ------------------------------------------------------------------------ */

#define JET_instanceNil (~(JET_INSTANCE)0)
#define JET_sesidNil (~(JET_SESID)0)
#define JET_tableidNil (~(JET_TABLEID)0)
#define JET_dbidNil ((JET_DBID)0xFFFFFFFF)
#define JET_LSNil (~(JET_LS)0)
#define JET_bitNil ((JET_GRBIT)0)

/* Bookmarks and keys, in bytes.  The real key limit depends on the page
 * size (JET_paramKeyMost); the JET_cbKeyMost-style names keep their old
 * 255-byte values for compatibility. */
#define JET_cbBookmarkMost 256
#define JET_cbBookmarkMostMost JET_cbKeyMostMost
#define JET_cbKeyMostMost JET_cbKeyMost32KBytePage
#define JET_cbKeyMost32KBytePage JET_cbKeyMost8KBytePage
#define JET_cbKeyMost16KBytePage JET_cbKeyMost8KBytePage
#define JET_cbKeyMost8KBytePage 2000
#define JET_cbKeyMost4KBytePage 1000
#define JET_cbKeyMost2KBytePage 500
#define JET_cbKeyMostMin 255
#define JET_cbKeyMost 255
#define JET_cbLimitKeyMost 256
#define JET_cbPrimaryKeyMost 255
#define JET_cbSecondaryKeyMost 255

/* Names, in bytes (narrow strings). */
#define JET_cbNameMost 64
#define JET_cbFullNameMost 255

/* Column data, in bytes. */
#define JET_cbColumnLVPageOverhead 82 /* per long-value page, pages <= 8 KB */
#define JET_cbLVDefaultValueMost 255
#define JET_cbColumnMost 255 /* non-long columns */
#define JET_cbLVColumnMost 0x7FFFFFFF

/* Counts of key segments and columns. */
#define JET_ccolKeyMost 16
#define JET_ccolMost 0x0000fee0
#define JET_ccolFixedMost 0x0000007f
#define JET_ccolVarMost 0x00000080
#define JET_ccolTaggedMost (JET_ccolMost - 0x000000ff)

/* ------------------------------------------------------------------------
 * System parameter ids (JetSetSystemParameter / JetGetSystemParameter).
 * ------------------------------------------------------------------------ */

/* Where files live and what they are called. */
#define JET_paramSystemPath                                  0
#define JET_paramTempPath                                    1
#define JET_paramLogFilePath                                 2
#define JET_paramBaseName                                    3
#define JET_paramEventSource                                 4

/* Resource quotas. */
#define JET_paramMaxSessions                                 5
#define JET_paramMaxOpenTables                               6
#define JET_paramPreferredMaxOpenTables                      7
#define JET_paramCachedClosedTables                          125
#define JET_paramMaxCursors                                  8
#define JET_paramMaxVerPages                                 9
#define JET_paramPreferredVerPages                           63
#define JET_paramGlobalMinVerPages                           81
#define JET_paramVersionStoreTaskQueueMax                    105
#define JET_paramMaxTemporaryTables                          10

/* Transaction log. */
#define JET_paramLogFileSize                                 11
#define JET_paramLogBuffers                                  12
#define JET_paramWaitLogFlush                                13
#define JET_paramLogCheckpointPeriod                         14
#define JET_paramLogWaitingUserMax                           15
#define JET_paramCommitDefault                               16
#define JET_paramCircularLog                                 17
#define JET_paramDbExtensionSize                             18
#define JET_paramPageTempDBMin                               19
#define JET_paramPageFragment                                20

/* Engine-wide switches. */
#define JET_paramEnableFileCache                             126
#define JET_paramVerPageSize                                 128
#define JET_paramConfiguration                               129
#define JET_paramEnableAdvanced                              130
#define JET_paramMaxColtyp                                   131

/* Database cache and I/O. */
#define JET_paramBatchIOBufferMax                            22
#define JET_paramCacheSize                                   41
#define JET_paramCacheSizeMin                                60
#define JET_paramCacheSizeMax                                23
#define JET_paramCheckpointDepthMax                          24
#define JET_paramLRUKCorrInterval                            25
#define JET_paramLRUKHistoryMax                              26
#define JET_paramLRUKPolicy                                  27
#define JET_paramLRUKTimeout                                 28
#define JET_paramLRUKTrxCorrInterval                         29
#define JET_paramOutstandingIOMax                            30
#define JET_paramStartFlushThreshold                         31
#define JET_paramStopFlushThreshold                          32
#define JET_paramEnableViewCache                             127
#define JET_paramCheckpointIOMax                             135

/* Names of the table statistics classes (JET_bitTableClass1..15). */
#define JET_paramTableClass1Name                             137
#define JET_paramTableClass2Name                             138
#define JET_paramTableClass3Name                             139
#define JET_paramTableClass4Name                             140
#define JET_paramTableClass5Name                             141
#define JET_paramTableClass6Name                             142
#define JET_paramTableClass7Name                             143
#define JET_paramTableClass8Name                             144
#define JET_paramTableClass9Name                             145
#define JET_paramTableClass10Name                            146
#define JET_paramTableClass11Name                            147
#define JET_paramTableClass12Name                            148
#define JET_paramTableClass13Name                            149
#define JET_paramTableClass14Name                            150
#define JET_paramTableClass15Name                            151

/* I/O priority, recovery and online defrag. */
#define JET_paramIOPriority                                  152
#define JET_paramRecovery                                    34
#define JET_paramEnableOnlineDefrag                          35

/* Compatibility and event logging. */
#define JET_paramCheckFormatWhenOpenFail                     44
#define JET_paramEnableTempTableVersioning                   46
#define JET_paramIgnoreLogVersion                            47
#define JET_paramDeleteOldLogs                               48
#define JET_paramEventSourceKey                              49
#define JET_paramNoInformationEvent                          50
#define JET_paramEventLoggingLevel                           51
#define JET_paramDeleteOutOfRangeLogs                        52
#define JET_paramAccessDeniedRetryPeriod                     53

/* Index checks, page size and callbacks. */
#define JET_paramEnableIndexChecking                         45
#define JET_paramEnableIndexCleanup                          54
#define JET_paramDatabasePageSize                            64
#define JET_paramDisableCallbacks                            65

/* Miscellaneous. */
#define JET_paramLogFileCreateAsynch                         69
#define JET_paramErrorToString                               70
#define JET_paramZeroDatabaseDuringBackup                    71
#define JET_paramUnicodeIndexDefault                         72
#define JET_paramRuntimeCallback                             73
#define JET_paramCleanupMismatchedLogFiles                   77
#define JET_paramRecordUpgradeDirtyLevel                     78
#define JET_paramOSSnapshotTimeout                           82

/* Process-wide settings and index tuples. */
#define JET_paramExceptionAction                             98
#define JET_paramEventLogCache                               99
#define JET_paramCreatePathIfNotExist                        100
#define JET_paramPageHintCacheSize                           101
#define JET_paramOneDatabasePerSession                       102
#define JET_paramMaxInstances                                104
#define JET_paramDisablePerfmon                              107
#define JET_paramIndexTuplesLengthMin                        110
#define JET_paramIndexTuplesLengthMax                        111
#define JET_paramIndexTuplesToIndexMax                       112
#define JET_paramAlternateDatabaseRecoveryPath               113

/* Newer tuning parameters. */
#define JET_paramIndexTupleIncrement                         132
#define JET_paramIndexTupleStart                             133
#define JET_paramKeyMost                                     134
#define JET_paramLegacyFileNames                             136
#define JET_paramEnablePersistedCallbacks                    156
#define JET_paramWaypointLatency                             153
#define JET_paramDefragmentSequentialBTrees                  160
#define JET_paramDefragmentSequentialBTreesDensityCheckFrequency 161
#define JET_paramIOThrottlingTimeQuanta                      162
#define JET_paramLVChunkSizeMost                             163
#define JET_paramMaxCoalesceReadSize                         164
#define JET_paramMaxCoalesceWriteSize                        165
#define JET_paramMaxCoalesceReadGapSize                      166
#define JET_paramMaxCoalesceWriteGapSize                     167
#define JET_paramEnableDBScanInRecovery                      169
#define JET_paramDbScanThrottle                              170
#define JET_paramDbScanIntervalMinSec                        171
#define JET_paramDbScanIntervalMaxSec                        172
#define JET_paramCachePriority                               177
#define JET_paramMaxTransactionSize                          178
#define JET_paramPrereadIOMax                                179
#define JET_paramEnableDBScanSerialization                   180
#define JET_paramHungIOThreshold                             181
#define JET_paramHungIOActions                               182
#define JET_paramMinDataForXpress                            183
#define JET_paramEnableShrinkDatabase                        184
#define JET_paramProcessFriendlyName                         186
#define JET_paramDurableCommitCallback                       187
#define JET_paramEnableSqm                                   188
#define JET_paramConfigStoreSpec                             189
#define JET_paramUseFlushForWriteDurability                  214
#define JET_paramEnableRBS                                   215
#define JET_paramRBSFilePath                                 216
#define JET_paramPerfmonRefreshInterval                      217
#define JET_paramEnableBlockCache                            218
#define JET_paramEnableBlockCacheDetach                      220

/* One past the last valid id; not a parameter. */
#define JET_paramMaxValueInvalid                             221

/* Values of JET_paramEnableOnlineDefrag (bits). */
#define JET_OnlineDefragDisable 0x0000
#define JET_OnlineDefragAllOBSOLETE 0x0001
#define JET_OnlineDefragDatabases 0x0002
#define JET_OnlineDefragSpaceTrees 0x0004
#define JET_OnlineDefragAll 0xffff

/* Values of JET_paramEventLoggingLevel. */
#define JET_EventLoggingDisable 0
#define JET_EventLoggingLevelMin 1
#define JET_EventLoggingLevelLow 25
#define JET_EventLoggingLevelMedium 50
#define JET_EventLoggingLevelHigh 75
#define JET_EventLoggingLevelMax 100

/* Values of JET_paramEnableIndexChecking. */
typedef enum {
  JET_IndexCheckingOff = 0,
  JET_IndexCheckingOn = 1,
  JET_IndexCheckingDeferToOpenTable = 2,
  JET_IndexCheckingMax = 3
} JET_INDEXCHECKING;

/* Values of JET_paramIOPriority (bits). */
#define JET_IOPriorityNormal 0x0
#define JET_IOPriorityLow 0x1

/* Values of JET_paramConfiguration: preset bundles of parameters. */
#define JET_configDefault 0x0001
#define JET_configRemoveQuotas 0x0002
#define JET_configLowDiskFootprint 0x0004
#define JET_configMediumDiskFootprint 0x0008
#define JET_configLowMemory 0x0010
#define JET_configDynamicMediumMemory 0x0020
#define JET_configLowPower 0x0040
#define JET_configSSDProfileIO 0x0080
#define JET_configRunSilent 0x0100
#define JET_configUnthrottledMemory 0x0200
#define JET_configHighConcurrencyScaling 0x0400

/* Values of JET_paramLegacyFileNames (bits). */
#define JET_bitESE98FileNames 0x00000001      /* .log and .chk names */
#define JET_bitEightDotThreeSoftCompat 0x00000002

/* Values of JET_paramHungIOActions (bits). */
#define JET_bitHungIOEvent 0x00000001

/* Values of JET_paramEnableShrinkDatabase (bits). */
#define JET_bitShrinkDatabaseOff 0x0
#define JET_bitShrinkDatabaseOn 0x1
#define JET_bitShrinkDatabaseRealtime 0x2
#define JET_bitShrinkDatabaseTrim 0x1 /* deprecated name of ...On */

/* Values of JET_paramEnableSqm. */
#define JET_sqmDisable 0
#define JET_sqmEnable 1
#define JET_sqmFromCEIP 2

/* Values of JET_paramExceptionAction. */
#define JET_ExceptionMsgBox 0x0001
#define JET_ExceptionNone 0x0002
#define JET_ExceptionFailFast 0x0004

/* ------------------------------------------------------------------------
 * Option bits (JET_GRBIT), grouped by the call that takes them.
 * ------------------------------------------------------------------------ */

/* JetInit2, JetInit3. */
#define JET_bitReplayIgnoreMissingDB 0x00000004
#define JET_bitRecoveryWithoutUndo 0x00000008
#define JET_bitTruncateLogsAfterRecovery 0x00000010
#define JET_bitReplayMissingMapEntryDB 0x00000020
#define JET_bitLogStreamMustExist 0x00000040
#define JET_bitReplayIgnoreLostLogs 0x00000080
#define JET_bitKeepDbAttachedAtEndOfRecovery 0x00001000

/* JetTerm2.  JetTerm(i) means JetTerm2(i, JET_bitTermAbrupt). */
#define JET_bitTermComplete 0x00000001
#define JET_bitTermAbrupt 0x00000002
#define JET_bitTermStopBackup 0x00000004
#define JET_bitTermDirty 0x00000008

/* JetStopServiceInstance2.  0x1 is reserved for the engine's own "all"
 * marker.  StopAndEmitLog is internal in ESE; jetsvc accepts it alone. */
#define JET_bitStopServiceAll 0x00000000
#define JET_bitStopServiceBackgroundUserTasks 0x00000002
#define JET_bitStopServiceQuiesceCaches 0x00000004
#define JET_bitStopServiceStopAndEmitLog 0x00000008
#define JET_bitStopServiceResume 0x80000000

/* JetIdle. */
#define JET_bitIdleFlushBuffers 0x00000001
#define JET_bitIdleCompact 0x00000002
#define JET_bitIdleStatus 0x00000004

/* JetAttachDatabase, JetOpenDatabase. */
#define JET_bitDbReadOnly 0x00000001
#define JET_bitDbExclusive 0x00000002
#define JET_bitDbDeleteCorruptIndexes 0x00000010
#define JET_bitDbUpgrade 0x00000200
#define JET_bitDbDeleteUnicodeIndexes 0x00000400
#define JET_bitDbEnableBackgroundMaintenance 0x00000800
#define JET_bitDbPurgeCacheOnAttach 0x00001000

/* JetCreateDatabase. */
#define JET_bitDbRecoveryOff 0x00000008
#define JET_bitDbShadowingOff 0x00000080
#define JET_bitDbOverwriteExisting 0x00000200

/* JetDetachDatabase2. */
#define JET_bitForceDetach 0x00000001
#define JET_bitForceCloseAndDetach (0x00000002 | JET_bitForceDetach)

/* JetCreateTableColumnIndex*. */
#define JET_bitTableCreateFixedDDL 0x00000001
#define JET_bitTableCreateTemplateTable 0x00000002
#define JET_bitTableCreateNoFixedVarColumnsInDerivedTables 0x00000004
#define JET_bitTableCreateImmutableStructure 0x00000008

/* JetOpenTable. */
#define JET_bitTableDenyWrite 0x00000001
#define JET_bitTableDenyRead 0x00000002
#define JET_bitTableReadOnly 0x00000004
#define JET_bitTableUpdatable 0x00000008
#define JET_bitTablePermitDDL 0x00000010
#define JET_bitTableNoCache 0x00000020
#define JET_bitTablePreread 0x00000040
#define JET_bitTableOpportuneRead 0x00000080
#define JET_bitTableSequential 0x00008000

/* JetOpenTable: statistics class of the table (one value in the mask). */
#define JET_bitTableClassMask 0x001F0000
#define JET_bitTableClassNone 0x00000000
#define JET_bitTableClass1 0x00010000
#define JET_bitTableClass2 0x00020000
#define JET_bitTableClass3 0x00030000
#define JET_bitTableClass4 0x00040000
#define JET_bitTableClass5 0x00050000
#define JET_bitTableClass6 0x00060000
#define JET_bitTableClass7 0x00070000
#define JET_bitTableClass8 0x00080000
#define JET_bitTableClass9 0x00090000
#define JET_bitTableClass10 0x000A0000
#define JET_bitTableClass11 0x000B0000
#define JET_bitTableClass12 0x000C0000
#define JET_bitTableClass13 0x000D0000
#define JET_bitTableClass14 0x000E0000
#define JET_bitTableClass15 0x000F0000

/* JET_OBJECTINFO.grbit. */
#define JET_bitTableInfoUpdatable 0x00000001
#define JET_bitTableInfoBookmark 0x00000002
#define JET_bitTableInfoRollback 0x00000004

/* JET_OBJECTINFO.flags. */
#define JET_bitObjectSystem 0x80000000
#define JET_bitObjectTableFixedDDL 0x40000000
#define JET_bitObjectTableTemplate 0x20000000
#define JET_bitObjectTableDerived 0x10000000
#define JET_bitObjectTableNoFixedVarColumnsInDerivedTables 0x04000000

/* JetAddColumn, JET_COLUMNDEF, JET_COLUMNCREATE. */
#define JET_bitColumnFixed 0x00000001
#define JET_bitColumnTagged 0x00000002
#define JET_bitColumnNotNULL 0x00000004
#define JET_bitColumnVersion 0x00000008
#define JET_bitColumnAutoincrement 0x00000010
#define JET_bitColumnUpdatable 0x00000020 /* reported only */
#define JET_bitColumnTTKey 0x00000040
#define JET_bitColumnTTDescending 0x00000080
#define JET_bitColumnMultiValued 0x00000400
#define JET_bitColumnEscrowUpdate 0x00000800
#define JET_bitColumnUnversioned 0x00001000
#define JET_bitColumnMaybeNull 0x00002000
#define JET_bitColumnFinalize 0x00004000 /* deprecated */
#define JET_bitColumnUserDefinedDefault 0x00008000
#define JET_bitColumnDeleteOnZero 0x00020000
#define JET_bitColumnCompressed 0x00080000

/* JetDeleteColumn2. */
#define JET_bitDeleteColumnIgnoreTemplateColumns 0x00000001

/* JetCreateIndex*, JET_INDEXCREATE*. */
#define JET_bitIndexUnique 0x00000001
#define JET_bitIndexPrimary 0x00000002
#define JET_bitIndexDisallowNull 0x00000004
#define JET_bitIndexIgnoreNull 0x00000008
#define JET_bitIndexIgnoreAnyNull 0x00000020
#define JET_bitIndexIgnoreFirstNull 0x00000040
#define JET_bitIndexLazyFlush 0x00000080
#define JET_bitIndexEmpty 0x00000100
#define JET_bitIndexUnversioned 0x00000200
#define JET_bitIndexSortNullsHigh 0x00000400
#define JET_bitIndexUnicode 0x00000800     /* lcid is pidxunicode */
#define JET_bitIndexTuples 0x00001000
#define JET_bitIndexTupleLimits 0x00002000 /* cbVarSegMac is ptuplelimits */
#define JET_bitIndexCrossProduct 0x00004000
#define JET_bitIndexKeyMost 0x00008000     /* cbKeyMost is set */
#define JET_bitIndexDisallowTruncation 0x00010000
#define JET_bitIndexNestedTable 0x00020000
#define JET_bitIndexDotNetGuid 0x00040000
#define JET_bitIndexImmutableStructure 0x00080000

/* Key segment direction in an index definition. */
#define JET_bitKeyAscending 0x00000000
#define JET_bitKeyDescending 0x00000001

/* JET_CONDITIONALCOLUMN.grbit. */
#define JET_bitIndexColumnMustBeNull 0x00000001
#define JET_bitIndexColumnMustBeNonNull 0x00000002

/* JET_INDEXRANGE.grbit. */
#define JET_bitRecordInIndex 0x00000001
#define JET_bitRecordNotInIndex 0x00000002

/* JET_SPACEHINTS.grbit. */
#define JET_bitSpaceHintsUtilizeParentSpace 0x00000001
#define JET_bitCreateHintAppendSequential 0x00000002
#define JET_bitCreateHintHotpointSequential 0x00000004
#define JET_bitRetrieveHintReserve1 0x00000008
#define JET_bitRetrieveHintTableScanForward 0x00000010
#define JET_bitRetrieveHintTableScanBackward 0x00000020
#define JET_bitRetrieveHintReserve2 0x00000040
#define JET_bitRetrieveHintReserve3 0x00000080
#define JET_bitDeleteHintTableSequential 0x00000100

/* JetBeginTransaction2, JetBeginTransaction3. */
#define JET_bitTransactionReadOnly 0x00000001

/* JetCommitTransaction, JetCommitTransaction2. */
#define JET_bitCommitLazyFlush 0x00000001      /* do not wait for the log */
#define JET_bitWaitLastLevel0Commit 0x00000002 /* wait for this session's */
#define JET_bitWaitAllLevel0Commit 0x00000008  /* wait for everyone's */
#define JET_bitForceNewLog 0x00000010

/* JetRollback. */
#define JET_bitRollbackAll 0x00000001

/* JetPrepareUpdate (not bits: one value). */
#define JET_prepInsert 0
#define JET_prepReplace 2
#define JET_prepCancel 3
#define JET_prepReplaceNoLock 4
#define JET_prepInsertCopy 5
#define JET_prepInsertCopyDeleteOriginal 7
#define JET_prepInsertCopyReplaceOriginal 9

/* JetUpdate2. */
#define JET_bitUpdateCheckESE97Compatibility 0x00000001

/* JetSetColumn, JetSetColumns. */
#define JET_bitSetAppendLV 0x00000001
#define JET_bitSetOverwriteLV 0x00000004
#define JET_bitSetSizeLV 0x00000008
#define JET_bitSetZeroLength 0x00000020
#define JET_bitSetSeparateLV 0x00000040
#define JET_bitSetUniqueMultiValues 0x00000080
#define JET_bitSetUniqueNormalizedMultiValues 0x00000100
#define JET_bitSetRevertToDefaultValue 0x00000200
#define JET_bitSetIntrinsicLV 0x00000400
#define JET_bitSetUncompressed 0x00010000
#define JET_bitSetCompressed 0x00020000
#define JET_bitSetContiguousLV 0x00040000

/* JetRetrieveColumn, JetRetrieveColumns. */
#define JET_bitRetrieveCopy 0x00000001 /* read the prepared update */
#define JET_bitRetrieveFromIndex 0x00000002
#define JET_bitRetrieveFromPrimaryBookmark 0x00000004
#define JET_bitRetrieveTag 0x00000008
#define JET_bitRetrieveNull 0x00000010
#define JET_bitRetrieveIgnoreDefault 0x00000020
#define JET_bitRetrieveTuple 0x00000800

/* JetEscrowUpdate. */
#define JET_bitEscrowNoRollback 0x0001

/* JetGetLock. */
#define JET_bitReadLock 0x00000001
#define JET_bitWriteLock 0x00000002

/* JetSetCurrentIndex2..4. */
#define JET_bitMoveFirst 0x00000000
#define JET_bitNoMove 0x00000002

/* JetMakeKey. */
#define JET_bitNewKey 0x00000001
#define JET_bitStrLimit 0x00000002
#define JET_bitSubStrLimit 0x00000004
#define JET_bitNormalizedKey 0x00000008
#define JET_bitKeyDataZeroLength 0x00000010
#define JET_bitFullColumnStartLimit 0x00000100
#define JET_bitFullColumnEndLimit 0x00000200
#define JET_bitPartialColumnStartLimit 0x00000400
#define JET_bitPartialColumnEndLimit 0x00000800

/* JetSeek.  An inexact hit returns JET_wrnSeekNotEqual; no hit returns
 * JET_errRecordNotFound. */
#define JET_bitSeekEQ 0x00000001
#define JET_bitSeekLT 0x00000002
#define JET_bitSeekLE 0x00000004
#define JET_bitSeekGE 0x00000008
#define JET_bitSeekGT 0x00000010
#define JET_bitSetIndexRange 0x00000020 /* with JET_bitSeekEQ */
#define JET_bitCheckUniqueness 0x00000040

/* JetMove row counts.  JetMove takes a long; on LP64 JET_MoveFirst stays
 * the positive value 0x80000000, so compare against the macro, not
 * LONG_MIN. */
#define JET_MoveFirst (0x80000000)
#define JET_MovePrevious (-1)
#define JET_MoveNext (+1)
#define JET_MoveLast (0x7fffffff)

/* JetMove. */
#define JET_bitMoveKeyNE 0x00000001

/* JetSetIndexRange. */
#define JET_bitRangeInclusive 0x00000001
#define JET_bitRangeUpperLimit 0x00000002
#define JET_bitRangeInstantDuration 0x00000004
#define JET_bitRangeRemove 0x00000008

/* JetDefragment, JetDefragment2. */
#define JET_bitDefragmentBatchStart 0x00000001
#define JET_bitDefragmentBatchStop 0x00000002
#define JET_bitDefragmentAvailSpaceTreesOnly 0x00000040
#define JET_bitDefragmentNoPartialMerges 0x00000080
#define JET_bitDefragmentBTree 0x00000100

/* JET_PFNDURABLECOMMITCALLBACK. */
#define JET_bitDurableCommitCallbackLogUnavailable 0x00000001

/* ------------------------------------------------------------------------
 * Callback reasons (JET_CBTYP bits).
 * ------------------------------------------------------------------------ */

#define JET_cbtypNull 0x00000000
#define JET_cbtypFinalize 0x00000001 /* deprecated */
#define JET_cbtypBeforeInsert 0x00000002
#define JET_cbtypAfterInsert 0x00000004
#define JET_cbtypBeforeReplace 0x00000008
#define JET_cbtypAfterReplace 0x00000010
#define JET_cbtypBeforeDelete 0x00000020
#define JET_cbtypAfterDelete 0x00000040
#define JET_cbtypUserDefinedDefaultValue 0x00000080
#define JET_cbtypOnlineDefragCompleted 0x00000100
#define JET_cbtypFreeCursorLS 0x00000200
#define JET_cbtypFreeTableLS 0x00000400

/* ------------------------------------------------------------------------
 * Status notifications (JET_PFNSTATUS).
 * ------------------------------------------------------------------------ */

/* Processes (JET_SNP). */
#define JET_snpRepair 2
#define JET_snpCompact 4
#define JET_snpRestore 8
#define JET_snpBackup 9
#define JET_snpUpgrade 10
#define JET_snpScrub 11
#define JET_snpUpgradeRecordFormat 12

/* Types (JET_SNT). */
#define JET_sntProgress 0 /* pv is a JET_SNPROG */
#define JET_sntFail 3
#define JET_sntBegin 5
#define JET_sntComplete 6
#define JET_sntRequirements 7

/* ------------------------------------------------------------------------
 * Column types (JET_COLTYP).
 * ------------------------------------------------------------------------ */

#define JET_coltypNil 0
#define JET_coltypBit 1           /* 1 byte: true, false or NULL */
#define JET_coltypUnsignedByte 2  /* 1 byte */
#define JET_coltypShort 3         /* 2 bytes, signed */
#define JET_coltypLong 4          /* 4 bytes, signed */
#define JET_coltypCurrency 5      /* 8 bytes, signed */
#define JET_coltypIEEESingle 6    /* 4-byte float */
#define JET_coltypIEEEDouble 7    /* 8-byte double */
#define JET_coltypDateTime 8      /* JET_DATESERIAL */
#define JET_coltypBinary 9        /* up to 255 bytes */
#define JET_coltypText 10         /* up to 255 bytes */
#define JET_coltypLongBinary 11   /* long value */
#define JET_coltypLongText 12     /* long value */
#define JET_coltypSLV 13          /* obsolete */
#define JET_coltypUnsignedLong 14 /* 4 bytes */
#define JET_coltypLongLong 15     /* 8 bytes, signed */
#define JET_coltypGUID 16         /* 16 bytes */
#define JET_coltypUnsignedShort 17     /* 2 bytes */
#define JET_coltypUnsignedLongLong 18  /* 8 bytes */
#define JET_coltypMax 19 /* number of column types */

/* ------------------------------------------------------------------------
 * Catalog object types (JET_OBJTYP).
 * ------------------------------------------------------------------------ */

#define JET_objtypNil 0
#define JET_objtypTable 1

/* ------------------------------------------------------------------------
 * Information levels.
 * ------------------------------------------------------------------------ */

/* JetGetDatabaseInfo, JetGetDatabaseFileInfo. */
#define JET_DbInfoFilename 0
#define JET_DbInfoConnect 1
#define JET_DbInfoCountry 2
#define JET_DbInfoLCID 3
#define JET_DbInfoLangid 3 /* old name of JET_DbInfoLCID */
#define JET_DbInfoCp 4
#define JET_DbInfoCollate 5
#define JET_DbInfoOptions 6
#define JET_DbInfoTransactions 7
#define JET_DbInfoVersion 8
#define JET_DbInfoIsam 9
#define JET_DbInfoFilesize 10
#define JET_DbInfoSpaceOwned 11
#define JET_DbInfoSpaceAvailable 12
#define JET_DbInfoUpgrade 13
#define JET_DbInfoMisc 14 /* JET_DBINFOMISC..4, chosen by cbMax */
#define JET_DbInfoDBInUse 15
#define JET_DbInfoPageSize 17
#define JET_DbInfoFileType 19
#define JET_DbInfoFilesizeOnDisk 21

/* JET_DBINFOMISC.dbstate.  Create writes JustCreated, attach writes
 * DirtyShutdown, a clean detach or term writes CleanShutdown.  Values 6-8
 * are internal in ESE. */
#define JET_dbstateJustCreated 1
#define JET_dbstateDirtyShutdown 2
#define JET_dbstateCleanShutdown 3
#define JET_dbstateBeingConverted 4
#define JET_dbstateForceDetach 5
#define JET_dbstateIncrementalReseedInProgress 6
#define JET_dbstateDirtyAndPatchedShutdown 7
#define JET_dbstateRevertInProgress 8

/* File types reported by JET_DbInfoFileType. */
#define JET_filetypeUnknown 0
#define JET_filetypeDatabase 1
#define JET_filetypeLog 3
#define JET_filetypeCheckpoint 4
#define JET_filetypeTempDatabase 5
#define JET_filetypeFlushMap 7

/* JetGetSessionInfo (internal in ESE): fills a JET_SESSIONINFO. */
#define JET_SessionInfo 0U

/* Catalog object lists and information. */
#define JET_ObjInfo 0U
#define JET_ObjInfoListNoStats 1U
#define JET_ObjInfoList 2U
#define JET_ObjInfoSysTabCursor 3U
#define JET_ObjInfoListACM 4U
#define JET_ObjInfoNoStats 5U
#define JET_ObjInfoSysTabReadOnly 6U
#define JET_ObjInfoRulesLoaded 7U
#define JET_ObjInfoMax 8U

/* JetGetTableInfo. */
#define JET_TblInfo 0U
#define JET_TblInfoName 1U
#define JET_TblInfoDbid 2U
#define JET_TblInfoMostMany 3U
#define JET_TblInfoRvt 4U
#define JET_TblInfoOLC 5U
#define JET_TblInfoResetOLC 6U
#define JET_TblInfoSpaceUsage 7U
#define JET_TblInfoDumpTable 8U
#define JET_TblInfoSpaceAlloc 9U
#define JET_TblInfoSpaceOwned 10U
#define JET_TblInfoSpaceAvailable 11U
#define JET_TblInfoTemplateTableName 12U
#define JET_TblInfoSpaceOwnedLV 17U
#define JET_TblInfoSpaceAvailableLV 18U

/* JetGetIndexInfo, JetGetTableIndexInfo. */
#define JET_IdxInfo 0U
#define JET_IdxInfoList 1U
#define JET_IdxInfoSysTabCursor 2U /* obsolete */
#define JET_IdxInfoOLC 3U          /* obsolete */
#define JET_IdxInfoResetOLC 4U     /* obsolete */
#define JET_IdxInfoSpaceAlloc 5U
#define JET_IdxInfoLCID 6U
#define JET_IdxInfoLangid 6U /* old name of JET_IdxInfoLCID */
#define JET_IdxInfoCount 7U
#define JET_IdxInfoVarSegMac 8U
#define JET_IdxInfoIndexId 9U
#define JET_IdxInfoKeyMost 10U
#define JET_IdxInfoCreateIndex 11U
#define JET_IdxInfoCreateIndex2 12U
#define JET_IdxInfoCreateIndex3 13U
#define JET_IdxInfoLocaleName 14U
#define JET_IdxInfoSpaceOwned 18U
#define JET_IdxInfoSpaceAvailable 19U

/* JetGetColumnInfo, JetGetTableColumnInfo. */
#define JET_ColInfo 0U
#define JET_ColInfoList 1U
#define JET_ColInfoSysTabCursor 3U
#define JET_ColInfoBase 4U
#define JET_ColInfoListCompact 5U
#define JET_ColInfoByColid 6U
#define JET_ColInfoListSortColumnid 7U /* obsolete: use the grbit */
#define JET_ColInfoBaseByColid 8U

/* Bits OR-ed into the column info level for list levels. */
#define JET_ColInfoGrbitNonDerivedColumnsOnly 0x80000000
#define JET_ColInfoGrbitMinimalInfo 0x40000000
#define JET_ColInfoGrbitSortByColumnid 0x20000000

/* ------------------------------------------------------------------------
 * Error and warning codes (JET_ERR).  Errors are negative, warnings
 * positive.  Codes that ESE keeps internal are not listed; where a name is
 * an alias, it maps to the current name.
 * ------------------------------------------------------------------------ */

/* Success, and the one negative "warning" ESE kept. */
#define JET_errSuccess                                       0
#define JET_wrnNyi                                           (-1)

/* System and resource-failure simulator (-100s). */
#define JET_errRfsFailure                                    (-100)
#define JET_errRfsNotArmed                                   (-101)
#define JET_errFileClose                                     (-102)
#define JET_errOutOfThreads                                  (-103)
#define JET_errTooManyIO                                     (-105)
#define JET_errTaskDropped                                   (-106)
#define JET_errInternalError                                 (-107)
#define JET_errDisabledFunctionality                         (-112)
#define JET_errUnloadableOSFunctionality                     (-113)

/* Buffer manager (-200s). */
#define JET_errDatabaseBufferDependenciesCorrupted           (-255)

/* B-tree, space and directory manager (-300s). */
#define JET_wrnRemainingVersions                             321
#define JET_errPreviousVersion                               (-322)
#define JET_errPageBoundary                                  (-323)
#define JET_errKeyBoundary                                   (-324)
#define JET_errBadPageLink                                   (-327)
#define JET_errBadBookmark                                   (-328)
#define JET_errNTSystemCallFailed                            (-334)
#define JET_errBadParentPageLink                             (-338)
#define JET_errSPAvailExtCacheOutOfSync                      (-340)
#define JET_errSPAvailExtCorrupted                           (-341)
#define JET_errSPAvailExtCacheOutOfMemory                    (-342)
#define JET_errSPOwnExtCorrupted                             (-343)
#define JET_errDbTimeCorrupted                               (-344)
#define JET_wrnUniqueKey                                     345
#define JET_errKeyTruncated                                  (-346)
#define JET_errDatabaseLeakInSpace                           (-348)
#define JET_errBadEmptyPage                                  (-351)
#define JET_errBadLineCount                                  (-354)
#define JET_errPageTagCorrupted                              (-357)
#define JET_errNodeCorrupted                                 (-358)

/* Record manager (-400s). */
#define JET_wrnSeparateLongValue                             406
#define JET_wrnRecordFoundGreater                            JET_wrnSeekNotEqual
#define JET_wrnRecordFoundLess                               JET_wrnSeekNotEqual
#define JET_errColumnIllegalNull                             JET_errNullInvalid
#define JET_errKeyTooBig                                     (-408)
#define JET_errCannotSeparateIntrinsicLV                     (-416)
#define JET_errSeparatedLongValue                            (-421)
#define JET_errMustBeSeparateLongValue                       (-423)
#define JET_errInvalidPreread                                (-424)

/* Log, recovery and backup (-500s to -800s). */
#define JET_errInvalidLoggedOperation                        (-500)
#define JET_errLogFileCorrupt                                (-501)
#define JET_errNoBackupDirectory                             (-503)
#define JET_errBackupDirectoryNotEmpty                       (-504)
#define JET_errBackupInProgress                              (-505)
#define JET_errRestoreInProgress                             (-506)
#define JET_errMissingPreviousLogFile                        (-509)
#define JET_errLogWriteFail                                  (-510)
#define JET_errLogDisabledDueToRecoveryFailure               (-511)
#define JET_errCannotLogDuringRecoveryRedo                   (-512)
#define JET_errLogGenerationMismatch                         (-513)
#define JET_errBadLogVersion                                 (-514)
#define JET_errInvalidLogSequence                            (-515)
#define JET_errLoggingDisabled                               (-516)
#define JET_errLogBufferTooSmall                             (-517)
#define JET_errLogSequenceEnd                                (-519)
#define JET_errNoBackup                                      (-520)
#define JET_errInvalidBackupSequence                         (-521)
#define JET_errBackupNotAllowedYet                           (-523)
#define JET_errDeleteBackupFileFail                          (-524)
#define JET_errMakeBackupDirectoryFail                       (-525)
#define JET_errInvalidBackup                                 (-526)
#define JET_errRecoveredWithErrors                           (-527)
#define JET_errMissingLogFile                                (-528)
#define JET_errLogDiskFull                                   (-529)
#define JET_errBadLogSignature                               (-530)
#define JET_errBadDbSignature                                (-531)
#define JET_errBadCheckpointSignature                        (-532)
#define JET_errCheckpointCorrupt                             (-533)
#define JET_errMissingPatchPage                              (-534)
#define JET_errBadPatchPage                                  (-535)
#define JET_errRedoAbruptEnded                               (-536)
#define JET_errPatchFileMissing                              (-538)
#define JET_errDatabaseLogSetMismatch                        (-539)
#define JET_errDatabaseStreamingFileMismatch                 (-540)
#define JET_errLogFileSizeMismatch                           (-541)
#define JET_errCheckpointFileNotFound                        (-542)
#define JET_errRequiredLogFilesMissing                       (-543)
#define JET_errSoftRecoveryOnBackupDatabase                  (-544)
#define JET_errLogFileSizeMismatchDatabasesConsistent        (-545)
#define JET_errLogSectorSizeMismatch                         (-546)
#define JET_errLogSectorSizeMismatchDatabasesConsistent      (-547)
#define JET_errLogSequenceEndDatabasesConsistent             (-548)
#define JET_errStreamingDataNotLogged                        (-549)
#define JET_errDatabaseDirtyShutdown                         (-550)
#define JET_errDatabaseInconsistent                          JET_errDatabaseDirtyShutdown
#define JET_errConsistentTimeMismatch                        (-551)
#define JET_errDatabasePatchFileMismatch                     (-552)
#define JET_errEndingRestoreLogTooLow                        (-553)
#define JET_errStartingRestoreLogTooHigh                     (-554)
#define JET_errGivenLogFileHasBadSignature                   (-555)
#define JET_errGivenLogFileIsNotContiguous                   (-556)
#define JET_errMissingRestoreLogFiles                        (-557)
#define JET_wrnExistingLogFileHasBadSignature                558
#define JET_wrnExistingLogFileIsNotContiguous                559
#define JET_errMissingFullBackup                             (-560)
#define JET_errBadBackupDatabaseSize                         (-561)
#define JET_errDatabaseAlreadyUpgraded                       (-562)
#define JET_errDatabaseIncompleteUpgrade                     (-563)
#define JET_wrnSkipThisRecord                                564
#define JET_errMissingCurrentLogFiles                        (-565)
#define JET_errDbTimeTooOld                                  (-566)
#define JET_errDbTimeTooNew                                  (-567)
#define JET_errMissingFileToBackup                           (-569)
#define JET_errLogTornWriteDuringHardRestore                 (-570)
#define JET_errLogTornWriteDuringHardRecovery                (-571)
#define JET_errLogCorruptDuringHardRestore                   (-573)
#define JET_errLogCorruptDuringHardRecovery                  (-574)
#define JET_errMustDisableLoggingForDbUpgrade                (-575)
#define JET_errBadRestoreTargetInstance                      (-577)
#define JET_wrnTargetInstanceRunning                         578
#define JET_errRecoveredWithoutUndo                          (-579)
#define JET_errDatabasesNotFromSameSnapshot                  (-580)
#define JET_errSoftRecoveryOnSnapshot                        (-581)
#define JET_errCommittedLogFilesMissing                      (-582)
#define JET_errSectorSizeNotSupported                        (-583)
#define JET_errRecoveredWithoutUndoDatabasesConsistent       (-584)
#define JET_wrnCommittedLogFilesLost                         585
#define JET_errCommittedLogFileCorrupt                       (-586)
#define JET_wrnCommittedLogFilesRemoved                      587
#define JET_wrnFinishWithUndo                                588
#define JET_errLogSequenceChecksumMismatch                   (-590)
#define JET_wrnDatabaseRepaired                              595
#define JET_errPageInitializedMismatch                       (-596)
#define JET_errUnicodeTranslationBufferTooSmall              (-601)
#define JET_errUnicodeTranslationFail                        (-602)
#define JET_errUnicodeNormalizationNotSupported              (-603)
#define JET_errUnicodeLanguageValidationFailure              (-604)
#define JET_errExistingLogFileHasBadSignature                (-610)
#define JET_errExistingLogFileIsNotContiguous                (-611)
#define JET_errLogReadVerifyFailure                          (-612)
#define JET_errCheckpointDepthTooDeep                        (-614)
#define JET_errRestoreOfNonBackupDatabase                    (-615)
#define JET_errLogFileNotCopied                              (-616)
#define JET_errTransactionTooLong                            (-618)
#define JET_errEngineFormatVersionNoLongerSupportedTooLow    (-619)
#define JET_errEngineFormatVersionNotYetImplementedTooHigh   (-620)
#define JET_errEngineFormatVersionParamTooLowForRequestedFeature (-621)
#define JET_errEngineFormatVersionSpecifiedTooLowForLogVersion (-622)
#define JET_errEngineFormatVersionSpecifiedTooLowForDatabaseVersion (-623)
#define JET_errDbTimeBeyondMaxRequired                       (-625)
#define JET_errLogOperationInconsistentWithDatabase          (-626)
#define JET_errBackupAbortByServer                           (-801)

/* Bad grbit (-900). */
#define JET_errInvalidGrbit                                  (-900)

/* API, instance, session and transaction state (-1000s and -1100s). */
#define JET_errTermInProgress                                (-1000)
#define JET_errFeatureNotAvailable                           (-1001)
#define JET_errInvalidName                                   (-1002)
#define JET_errInvalidParameter                              (-1003)
#define JET_wrnColumnNull                                    1004
#define JET_wrnBufferTruncated                               1006
#define JET_wrnDatabaseAttached                              1007
#define JET_errDatabaseFileReadOnly                          (-1008)
#define JET_wrnSortOverflow                                  1009
#define JET_errInvalidDatabaseId                             (-1010)
#define JET_errOutOfMemory                                   (-1011)
#define JET_errOutOfDatabaseSpace                            (-1012)
#define JET_errOutOfCursors                                  (-1013)
#define JET_errOutOfBuffers                                  (-1014)
#define JET_errTooManyIndexes                                (-1015)
#define JET_errTooManyKeys                                   (-1016)
#define JET_errRecordDeleted                                 (-1017)
#define JET_errReadVerifyFailure                             (-1018)
#define JET_errPageNotInitialized                            (-1019)
#define JET_errOutOfFileHandles                              (-1020)
#define JET_errDiskReadVerificationFailure                   (-1021)
#define JET_errDiskIO                                        (-1022)
#define JET_errInvalidPath                                   (-1023)
#define JET_errInvalidSystemPath                             (-1024)
#define JET_errInvalidLogDirectory                           (-1025)
#define JET_errRecordTooBig                                  (-1026)
#define JET_errTooManyOpenDatabases                          (-1027)
#define JET_errInvalidDatabase                               (-1028)
#define JET_errNotInitialized                                (-1029)
#define JET_errAlreadyInitialized                            (-1030)
#define JET_errInitInProgress                                (-1031)
#define JET_errFileAccessDenied                              (-1032)
#define JET_errBufferTooSmall                                (-1038)
#define JET_wrnSeekNotEqual                                  1039
#define JET_errTooManyColumns                                (-1040)
#define JET_errContainerNotEmpty                             (-1043)
#define JET_errInvalidFilename                               (-1044)
#define JET_errInvalidBookmark                               (-1045)
#define JET_errColumnInUse                                   (-1046)
#define JET_errInvalidBufferSize                             (-1047)
#define JET_errColumnNotUpdatable                            (-1048)
#define JET_errIndexInUse                                    (-1051)
#define JET_errLinkNotSupported                              (-1052)
#define JET_errNullKeyDisallowed                             (-1053)
#define JET_errNotInTransaction                              (-1054)
#define JET_wrnNoErrorInfo                                   1055
#define JET_errMustRollback                                  (-1057)
#define JET_wrnNoIdleActivity                                1058
#define JET_errTooManyActiveUsers                            (-1059)
#define JET_errInvalidCountry                                (-1061)
#define JET_errInvalidLanguageId                             (-1062)
#define JET_errInvalidCodePage                               (-1063)
#define JET_errInvalidLCMapStringFlags                       (-1064)
#define JET_errVersionStoreEntryTooBig                       (-1065)
#define JET_errVersionStoreOutOfMemoryAndCleanupTimedOut     (-1066)
#define JET_wrnNoWriteLock                                   1067
#define JET_wrnColumnSetNull                                 1068
#define JET_errVersionStoreOutOfMemory                       (-1069)
#define JET_errCannotIndex                                   (-1071)
#define JET_errRecordNotDeleted                              (-1072)
#define JET_errTooManyMempoolEntries                         (-1073)
#define JET_errOutOfObjectIDs                                (-1074)
#define JET_errOutOfLongValueIDs                             (-1075)
#define JET_errOutOfAutoincrementValues                      (-1076)
#define JET_errOutOfDbtimeValues                             (-1077)
#define JET_errOutOfSequentialIndexValues                    (-1078)
#define JET_errRunningInOneInstanceMode                      (-1080)
#define JET_errRunningInMultiInstanceMode                    (-1081)
#define JET_errSystemParamsAlreadySet                        (-1082)
#define JET_errSystemPathInUse                               (-1083)
#define JET_errLogFilePathInUse                              (-1084)
#define JET_errTempPathInUse                                 (-1085)
#define JET_errInstanceNameInUse                             (-1086)
#define JET_errSystemParameterConflict                       (-1087)
#define JET_errInstanceUnavailable                           (-1090)
#define JET_errDatabaseUnavailable                           (-1091)
#define JET_errInstanceUnavailableDueToFatalLogDiskFull      (-1092)
#define JET_errInvalidSesparamId                             (-1093)
#define JET_errTooManyRecords                                (-1094)
#define JET_errInvalidDbparamId                              (-1095)
#define JET_errOutOfSessions                                 (-1101)
#define JET_errWriteConflict                                 (-1102)
#define JET_errTransTooDeep                                  (-1103)
#define JET_errInvalidSesid                                  (-1104)
#define JET_errWriteConflictPrimaryIndex                     (-1105)
#define JET_errInTransaction                                 (-1108)
#define JET_errRollbackRequired                              (-1109)
#define JET_errTransReadOnly                                 (-1110)
#define JET_errSessionWriteConflict                          (-1111)
#define JET_errRecordTooBigForBackwardCompatibility          (-1112)
#define JET_errCannotMaterializeForwardOnlySort              (-1113)
#define JET_errSesidTableIdMismatch                          (-1114)
#define JET_errInvalidInstance                               (-1115)
#define JET_errDirtyShutdown                                 (-1116)
#define JET_errReadPgnoVerifyFailure                         (-1118)
#define JET_errReadLostFlushVerifyFailure                    (-1119)
#define JET_errFileSystemCorruption                          (-1121)
#define JET_wrnShrinkNotPossible                             1122
#define JET_errRecoveryVerifyFailure                         (-1123)
#define JET_errFilteredMoveNotSupported                      (-1124)

/* Databases (-1200s). */
#define JET_errDatabaseDuplicate                             (-1201)
#define JET_errDatabaseInUse                                 (-1202)
#define JET_errDatabaseNotFound                              (-1203)
#define JET_errDatabaseInvalidName                           (-1204)
#define JET_errDatabaseInvalidPages                          (-1205)
#define JET_errDatabaseCorrupted                             (-1206)
#define JET_errDatabaseLocked                                (-1207)
#define JET_errCannotDisableVersioning                       (-1208)
#define JET_errInvalidDatabaseVersion                        (-1209)
#define JET_errDatabase200Format                             (-1210)
#define JET_errDatabase400Format                             (-1211)
#define JET_errDatabase500Format                             (-1212)
#define JET_errPageSizeMismatch                              (-1213)
#define JET_errTooManyInstances                              (-1214)
#define JET_errDatabaseSharingViolation                      (-1215)
#define JET_errAttachedDatabaseMismatch                      (-1216)
#define JET_errDatabaseInvalidPath                           (-1217)
#define JET_errDatabaseIdInUse                               (-1218)
#define JET_errForceDetachNotAllowed                         (-1219)
#define JET_errCatalogCorrupted                              (-1220)
#define JET_errPartiallyAttachedDB                           (-1221)
#define JET_errDatabaseSignInUse                             (-1222)
#define JET_errDatabaseCorruptedNoRepair                     (-1224)
#define JET_errInvalidCreateDbVersion                        (-1225)
#define JET_errDatabaseNotReady                              (-1230)
#define JET_errDatabaseAttachedForRecovery                   (-1231)
#define JET_errTransactionsNotReadyDuringRecovery            (-1232)

/* Tables (-1300s). */
#define JET_wrnTableEmpty                                    1301
#define JET_errTableLocked                                   (-1302)
#define JET_errTableDuplicate                                (-1303)
#define JET_errTableInUse                                    (-1304)
#define JET_errObjectNotFound                                (-1305)
#define JET_errDensityInvalid                                (-1307)
#define JET_errTableNotEmpty                                 (-1308)
#define JET_errInvalidTableId                                (-1310)
#define JET_errTooManyOpenTables                             (-1311)
#define JET_errIllegalOperation                              (-1312)
#define JET_errTooManyOpenTablesAndCleanupTimedOut           (-1313)
#define JET_errObjectDuplicate                               (-1314)
#define JET_errInvalidObject                                 (-1316)
#define JET_errCannotDeleteTempTable                         (-1317)
#define JET_errCannotDeleteSystemTable                       (-1318)
#define JET_errCannotDeleteTemplateTable                     (-1319)
#define JET_errExclusiveTableLockRequired                    (-1322)
#define JET_errFixedDDL                                      (-1323)
#define JET_errFixedInheritedDDL                             (-1324)
#define JET_errCannotNestDDL                                 (-1325)
#define JET_errDDLNotInheritable                             (-1326)
#define JET_wrnTableInUseBySystem                            1327
#define JET_errInvalidSettings                               (-1328)
#define JET_errClientRequestToStopJetService                 (-1329)
#define JET_errCannotAddFixedVarColumnToDerivedTable         (-1330)

/* Indexes (-1400s). */
#define JET_errIndexCantBuild                                (-1401)
#define JET_errIndexHasPrimary                               (-1402)
#define JET_errIndexDuplicate                                (-1403)
#define JET_errIndexNotFound                                 (-1404)
#define JET_errIndexMustStay                                 (-1405)
#define JET_errIndexInvalidDef                               (-1406)
#define JET_errInvalidCreateIndex                            (-1409)
#define JET_errTooManyOpenIndexes                            (-1410)
#define JET_errMultiValuedIndexViolation                     (-1411)
#define JET_errIndexBuildCorrupted                           (-1412)
#define JET_errPrimaryIndexCorrupted                         (-1413)
#define JET_errSecondaryIndexCorrupted                       (-1414)
#define JET_wrnCorruptIndexDeleted                           1415
#define JET_errInvalidIndexId                                (-1416)
#define JET_wrnPrimaryIndexOutOfDate                         1417
#define JET_wrnSecondaryIndexOutOfDate                       1418
#define JET_errIndexTuplesSecondaryIndexOnly                 (-1430)
#define JET_errIndexTuplesTooManyColumns                     (-1431)
#define JET_errIndexTuplesOneColumnOnly                      JET_errIndexTuplesTooManyColumns
#define JET_errIndexTuplesNonUniqueOnly                      (-1432)
#define JET_errIndexTuplesTextBinaryColumnsOnly              (-1433)
#define JET_errIndexTuplesTextColumnsOnly                    JET_errIndexTuplesTextBinaryColumnsOnly
#define JET_errIndexTuplesVarSegMacNotAllowed                (-1434)
#define JET_errIndexTuplesInvalidLimits                      (-1435)
#define JET_errIndexTuplesCannotRetrieveFromIndex            (-1436)
#define JET_errIndexTuplesKeyTooSmall                        (-1437)
#define JET_errInvalidLVChunkSize                            (-1438)
#define JET_errColumnCannotBeEncrypted                       (-1439)
#define JET_errCannotIndexOnEncryptedColumn                  (-1440)

/* Columns (-1500s). */
#define JET_errColumnLong                                    (-1501)
#define JET_errColumnNoChunk                                 (-1502)
#define JET_errColumnDoesNotFit                              (-1503)
#define JET_errNullInvalid                                   (-1504)
#define JET_errColumnIndexed                                 (-1505)
#define JET_errColumnTooBig                                  (-1506)
#define JET_errColumnNotFound                                (-1507)
#define JET_errColumnDuplicate                               (-1508)
#define JET_errMultiValuedColumnMustBeTagged                 (-1509)
#define JET_errColumnRedundant                               (-1510)
#define JET_errInvalidColumnType                             (-1511)
#define JET_wrnColumnMaxTruncated                            1512
#define JET_errTaggedNotNULL                                 (-1514)
#define JET_errNoCurrentIndex                                (-1515)
#define JET_errKeyIsMade                                     (-1516)
#define JET_errBadColumnId                                   (-1517)
#define JET_errBadItagSequence                               (-1518)
#define JET_errColumnInRelationship                          (-1519)
#define JET_wrnCopyLongValue                                 1520
#define JET_errCannotBeTagged                                (-1521)
#define JET_errDefaultValueTooBig                            (-1524)
#define JET_errMultiValuedDuplicate                          (-1525)
#define JET_errLVCorrupted                                   (-1526)
#define JET_errMultiValuedDuplicateAfterTruncation           (-1528)
#define JET_errDerivedColumnCorruption                       (-1529)
#define JET_errInvalidPlaceholderColumn                      (-1530)
#define JET_wrnColumnSkipped                                 1531
#define JET_wrnColumnNotLocal                                1532
#define JET_wrnColumnMoreTags                                1533
#define JET_wrnColumnTruncated                               1534
#define JET_wrnColumnPresent                                 1535
#define JET_wrnColumnSingleValue                             1536
#define JET_wrnColumnDefault                                 1537
#define JET_errColumnCannotBeCompressed                      (-1538)
#define JET_wrnColumnNotInRecord                             1539
#define JET_errColumnNoEncryptionKey                         (-1540)
#define JET_wrnColumnReference                               1541

/* Records and updates (-1600s). */
#define JET_errRecordNotFound                                (-1601)
#define JET_errRecordNoCopy                                  (-1602)
#define JET_errNoCurrentRecord                               (-1603)
#define JET_errRecordPrimaryChanged                          (-1604)
#define JET_errKeyDuplicate                                  (-1605)
#define JET_errAlreadyPrepared                               (-1607)
#define JET_errKeyNotMade                                    (-1608)
#define JET_errUpdateNotPrepared                             (-1609)
#define JET_wrnDataHasChanged                                1610
#define JET_errDataHasChanged                                (-1611)
#define JET_wrnKeyChanged                                    1618
#define JET_errLanguageNotSupported                          (-1619)
#define JET_errDecompressionFailed                           (-1620)
#define JET_errUpdateMustVersion                             (-1621)
#define JET_errDecryptionFailed                              (-1622)
#define JET_errEncryptionBadItag                             (-1623)
#define JET_errSetAutoIncrementTooHigh                       (-1624)
#define JET_errAutoIncrementNotSet                           (-1625)

/* Sorts (-1700s). */
#define JET_errTooManySorts                                  (-1701)
#define JET_errInvalidOnSort                                 (-1702)

/* Files and disks (-1800s). */
#define JET_errTempFileOpenError                             (-1803)
#define JET_errTooManyAttachedDatabases                      (-1805)
#define JET_errDiskFull                                      (-1808)
#define JET_errPermissionDenied                              (-1809)
#define JET_errFileNotFound                                  (-1811)
#define JET_errFileInvalidType                               (-1812)
#define JET_wrnFileOpenReadOnly                              1813
#define JET_errFileAlreadyExists                             (-1814)
#define JET_errAfterInitialization                           (-1850)
#define JET_errLogCorrupted                                  (-1852)

/* Operations and sessions (-1900s). */
#define JET_errInvalidOperation                              (-1906)
#define JET_errAccessDenied                                  (-1907)
#define JET_wrnIdleFull                                      1908
#define JET_errTooManySplits                                 (-1909)
#define JET_errSessionSharingViolation                       (-1910)
#define JET_errEntryPointNotFound                            (-1911)
#define JET_errSessionContextAlreadySet                      (-1912)
#define JET_errSessionContextNotSetByThisThread              (-1913)
#define JET_errSessionInUse                                  (-1914)
#define JET_errRecordFormatConversionFailed                  (-1915)
#define JET_errOneDatabasePerSession                         (-1916)
#define JET_errRollbackError                                 (-1917)
#define JET_errFlushMapVersionUnsupported                    (-1918)
#define JET_errFlushMapDatabaseMismatch                      (-1919)
#define JET_errFlushMapUnrecoverable                         (-1920)

/* Online defrag, maintenance, callbacks and snapshots (2000s). */
#define JET_wrnDefragAlreadyRunning                          2000
#define JET_wrnDefragNotRunning                              2001
#define JET_errDatabaseAlreadyRunningMaintenance             (-2004)
#define JET_wrnCallbackNotRegistered                         2100
#define JET_errCallbackFailed                                (-2101)
#define JET_errCallbackNotResolved                           (-2102)
#define JET_errSpaceHintsInvalid                             (-2103)
#define JET_errOSSnapshotInvalidSequence                     (-2401)
#define JET_errOSSnapshotTimeOut                             (-2402)
#define JET_errOSSnapshotNotAllowed                          (-2403)
#define JET_errOSSnapshotInvalidSnapId                       (-2404)

/* Local storage (-3000s). */
#define JET_errLSCallbackNotSpecified                        (-3000)
#define JET_errLSAlreadySet                                  (-3001)
#define JET_errLSNotSet                                      (-3002)

/* File I/O (-4000s). */
#define JET_errFileIOSparse                                  (-4000)
#define JET_errFileIOBeyondEOF                               (-4001)
#define JET_errFileIOAbort                                   (-4002)
#define JET_errFileIORetry                                   (-4003)
#define JET_errFileIOFail                                    (-4004)
#define JET_errFileCompressed                                (-4005)

/* Client-reserved range: jetsvc never returns these. */
#define JET_errClientSpaceBegin                              (-10000)
#define JET_errClientSpaceEnd                                (-11999)

/* ------------------------------------------------------------------------
 * Functions.  Each returns JET_errSuccess, a warning (> 0) or an error
 * (< 0).  String functions exist only as ...A; the plain name selects it.
 * ------------------------------------------------------------------------ */

/* Instances: create, initialise (run recovery), stop, terminate.
 * JetCreateInstance / JetEnableMultiInstance select multi-instance mode; a
 * first JetInit(NULL) selects single-instance mode. */
JETSVC_EXPORT JET_ERR JET_API JetCreateInstanceA(JET_INSTANCE *pinstance,
                                                 JET_PCSTR szInstanceName);
JETSVC_EXPORT JET_ERR JET_API JetCreateInstance2A(JET_INSTANCE *pinstance,
                                                  JET_PCSTR szInstanceName,
                                                  JET_PCSTR szDisplayName,
                                                  JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetInit(JET_INSTANCE *pinstance);
JETSVC_EXPORT JET_ERR JET_API JetInit2(JET_INSTANCE *pinstance,
                                       JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetInit3A(JET_INSTANCE *pinstance,
                                        JET_RSTINFO_A *prstInfo,
                                        JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetTerm(JET_INSTANCE instance);
JETSVC_EXPORT JET_ERR JET_API JetTerm2(JET_INSTANCE instance,
                                       JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetStopService(void);
JETSVC_EXPORT JET_ERR JET_API JetStopServiceInstance(JET_INSTANCE instance);
JETSVC_EXPORT JET_ERR JET_API JetStopServiceInstance2(JET_INSTANCE instance,
                                                      const JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetEnableMultiInstanceA(
    JET_SETSYSPARAM_A *psetsysparam, unsigned long csetsysparam,
    unsigned long *pcsetsucceed);
JETSVC_EXPORT JET_ERR JET_API JetSetSystemParameterA(JET_INSTANCE *pinstance,
                                                     JET_SESID sesid,
                                                     unsigned long paramid,
                                                     JET_API_PTR lParam,
                                                     JET_PCSTR szParam);
JETSVC_EXPORT JET_ERR JET_API JetGetSystemParameterA(JET_INSTANCE instance,
                                                     JET_SESID sesid,
                                                     unsigned long paramid,
                                                     JET_API_PTR *plParam,
                                                     JET_PSTR szParam,
                                                     unsigned long cbMax);
/* The engine allocates the array; ESE frees it with JetFreeBuffer, which
 * this header does not declare yet. */
JETSVC_EXPORT JET_ERR JET_API JetGetInstanceInfoA(
    unsigned long *pcInstanceInfo, JET_INSTANCE_INFO_A **paInstanceInfo);
JETSVC_EXPORT JET_ERR JET_API JetGetVersion(JET_SESID sesid,
                                            unsigned long *pwVersion);
JETSVC_EXPORT JET_ERR JET_API JetIdle(JET_SESID sesid, JET_GRBIT grbit);

#define JetCreateInstance JetCreateInstanceA
#define JetCreateInstance2 JetCreateInstance2A
#define JetInit3 JetInit3A
#define JetEnableMultiInstance JetEnableMultiInstanceA
#define JetSetSystemParameter JetSetSystemParameterA
#define JetGetSystemParameter JetGetSystemParameterA
#define JetGetInstanceInfo JetGetInstanceInfoA

/* Sessions.  JetGetSessionInfo is internal in ESE; jetsvc exports it. */
JETSVC_EXPORT JET_ERR JET_API JetBeginSessionA(JET_INSTANCE instance,
                                               JET_SESID *psesid,
                                               JET_PCSTR szUserName,
                                               JET_PCSTR szPassword);
JETSVC_EXPORT JET_ERR JET_API JetEndSession(JET_SESID sesid, JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetDupSession(JET_SESID sesid,
                                            JET_SESID *psesid);
JETSVC_EXPORT JET_ERR JET_API JetSetSessionContext(JET_SESID sesid,
                                                   JET_API_PTR ulContext);
JETSVC_EXPORT JET_ERR JET_API JetResetSessionContext(JET_SESID sesid);
JETSVC_EXPORT JET_ERR JET_API JetGetSessionInfo(JET_SESID sesid,
                                                void *pvResult,
                                                const unsigned long cbMax,
                                                const unsigned long ulInfoLevel);

#define JetBeginSession JetBeginSessionA

/* Databases.  A NULL szFilename in JetDetachDatabase* detaches all. */
JETSVC_EXPORT JET_ERR JET_API JetCreateDatabaseA(JET_SESID sesid,
                                                 JET_PCSTR szFilename,
                                                 JET_PCSTR szConnect,
                                                 JET_DBID *pdbid,
                                                 JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetCreateDatabase2A(
    JET_SESID sesid, JET_PCSTR szFilename,
    const unsigned long cpgDatabaseSizeMax, JET_DBID *pdbid, JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetAttachDatabaseA(JET_SESID sesid,
                                                 JET_PCSTR szFilename,
                                                 JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetAttachDatabase2A(
    JET_SESID sesid, JET_PCSTR szFilename,
    const unsigned long cpgDatabaseSizeMax, JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetDetachDatabaseA(JET_SESID sesid,
                                                 JET_PCSTR szFilename);
JETSVC_EXPORT JET_ERR JET_API JetDetachDatabase2A(JET_SESID sesid,
                                                  JET_PCSTR szFilename,
                                                  JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetOpenDatabaseA(JET_SESID sesid,
                                               JET_PCSTR szFilename,
                                               JET_PCSTR szConnect,
                                               JET_DBID *pdbid,
                                               JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetCloseDatabase(JET_SESID sesid, JET_DBID dbid,
                                               JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetGetDatabaseInfoA(JET_SESID sesid,
                                                  JET_DBID dbid,
                                                  void *pvResult,
                                                  unsigned long cbMax,
                                                  unsigned long InfoLevel);
/* Reads the header of a file that need not be attached. */
JETSVC_EXPORT JET_ERR JET_API JetGetDatabaseFileInfoA(JET_PCSTR szDatabaseName,
                                                      void *pvResult,
                                                      unsigned long cbMax,
                                                      unsigned long InfoLevel);

#define JetCreateDatabase JetCreateDatabaseA
#define JetCreateDatabase2 JetCreateDatabase2A
#define JetAttachDatabase JetAttachDatabaseA
#define JetAttachDatabase2 JetAttachDatabase2A
#define JetDetachDatabase JetDetachDatabaseA
#define JetDetachDatabase2 JetDetachDatabase2A
#define JetOpenDatabase JetOpenDatabaseA
#define JetGetDatabaseInfo JetGetDatabaseInfoA
#define JetGetDatabaseFileInfo JetGetDatabaseFileInfoA

/* Tables, columns and indexes (DDL). */
JETSVC_EXPORT JET_ERR JET_API JetCreateTableA(JET_SESID sesid, JET_DBID dbid,
                                              JET_PCSTR szTableName,
                                              unsigned long lPages,
                                              unsigned long lDensity,
                                              JET_TABLEID *ptableid);
JETSVC_EXPORT JET_ERR JET_API JetCreateTableColumnIndexA(
    JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE_A *ptablecreate);
JETSVC_EXPORT JET_ERR JET_API JetCreateTableColumnIndex2A(
    JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE2_A *ptablecreate);
JETSVC_EXPORT JET_ERR JET_API JetCreateTableColumnIndex3A(
    JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE3_A *ptablecreate);
JETSVC_EXPORT JET_ERR JET_API JetDeleteTableA(JET_SESID sesid, JET_DBID dbid,
                                              JET_PCSTR szTableName);
JETSVC_EXPORT JET_ERR JET_API JetOpenTableA(JET_SESID sesid, JET_DBID dbid,
                                            JET_PCSTR szTableName,
                                            const void *pvParameters,
                                            unsigned long cbParameters,
                                            JET_GRBIT grbit,
                                            JET_TABLEID *ptableid);
JETSVC_EXPORT JET_ERR JET_API JetCloseTable(JET_SESID sesid,
                                            JET_TABLEID tableid);
JETSVC_EXPORT JET_ERR JET_API JetAddColumnA(JET_SESID sesid,
                                            JET_TABLEID tableid,
                                            JET_PCSTR szColumnName,
                                            const JET_COLUMNDEF *pcolumndef,
                                            const void *pvDefault,
                                            unsigned long cbDefault,
                                            JET_COLUMNID *pcolumnid);
JETSVC_EXPORT JET_ERR JET_API JetDeleteColumnA(JET_SESID sesid,
                                               JET_TABLEID tableid,
                                               JET_PCSTR szColumnName);
JETSVC_EXPORT JET_ERR JET_API JetDeleteColumn2A(JET_SESID sesid,
                                                JET_TABLEID tableid,
                                                JET_PCSTR szColumnName,
                                                const JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetCreateIndexA(JET_SESID sesid,
                                              JET_TABLEID tableid,
                                              JET_PCSTR szIndexName,
                                              JET_GRBIT grbit,
                                              const char *szKey,
                                              unsigned long cbKey,
                                              unsigned long lDensity);
JETSVC_EXPORT JET_ERR JET_API JetCreateIndex2A(JET_SESID sesid,
                                               JET_TABLEID tableid,
                                               JET_INDEXCREATE_A *pindexcreate,
                                               unsigned long cIndexCreate);
JETSVC_EXPORT JET_ERR JET_API JetCreateIndex3A(
    JET_SESID sesid, JET_TABLEID tableid, JET_INDEXCREATE2_A *pindexcreate,
    unsigned long cIndexCreate);
JETSVC_EXPORT JET_ERR JET_API JetDeleteIndexA(JET_SESID sesid,
                                              JET_TABLEID tableid,
                                              JET_PCSTR szIndexName);
JETSVC_EXPORT JET_ERR JET_API JetGetTableColumnInfoA(JET_SESID sesid,
                                                     JET_TABLEID tableid,
                                                     JET_PCSTR szColumnName,
                                                     void *pvResult,
                                                     unsigned long cbMax,
                                                     unsigned long InfoLevel);
JETSVC_EXPORT JET_ERR JET_API JetGetColumnInfoA(JET_SESID sesid,
                                                JET_DBID dbid,
                                                JET_PCSTR szTableName,
                                                JET_PCSTR pColumnNameOrId,
                                                void *pvResult,
                                                unsigned long cbMax,
                                                unsigned long InfoLevel);
JETSVC_EXPORT JET_ERR JET_API JetGetTableIndexInfoA(JET_SESID sesid,
                                                    JET_TABLEID tableid,
                                                    JET_PCSTR szIndexName,
                                                    void *pvResult,
                                                    unsigned long cbResult,
                                                    unsigned long InfoLevel);
JETSVC_EXPORT JET_ERR JET_API JetGetIndexInfoA(JET_SESID sesid,
                                               JET_DBID dbid,
                                               JET_PCSTR szTableName,
                                               JET_PCSTR szIndexName,
                                               void *pvResult,
                                               unsigned long cbResult,
                                               unsigned long InfoLevel);
JETSVC_EXPORT JET_ERR JET_API JetGetTableInfoA(JET_SESID sesid,
                                               JET_TABLEID tableid,
                                               void *pvResult,
                                               unsigned long cbMax,
                                               unsigned long InfoLevel);

#define JetCreateTable JetCreateTableA
#define JetCreateTableColumnIndex JetCreateTableColumnIndexA
#define JetCreateTableColumnIndex2 JetCreateTableColumnIndex2A
#define JetCreateTableColumnIndex3 JetCreateTableColumnIndex3A
#define JetDeleteTable JetDeleteTableA
#define JetOpenTable JetOpenTableA
#define JetAddColumn JetAddColumnA
#define JetDeleteColumn JetDeleteColumnA
#define JetDeleteColumn2 JetDeleteColumn2A
#define JetCreateIndex JetCreateIndexA
#define JetCreateIndex2 JetCreateIndex2A
#define JetCreateIndex3 JetCreateIndex3A
#define JetDeleteIndex JetDeleteIndexA
#define JetGetTableColumnInfo JetGetTableColumnInfoA
#define JetGetColumnInfo JetGetColumnInfoA
#define JetGetTableIndexInfo JetGetTableIndexInfoA
#define JetGetIndexInfo JetGetIndexInfoA
#define JetGetTableInfo JetGetTableInfoA

/* Transactions: up to 7 nested levels; an 8th gives JET_errTransTooDeep. */
JETSVC_EXPORT JET_ERR JET_API JetBeginTransaction(JET_SESID sesid);
JETSVC_EXPORT JET_ERR JET_API JetBeginTransaction2(JET_SESID sesid,
                                                   JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetBeginTransaction3(JET_SESID sesid,
                                                   JETSVC_INT64_ trxid,
                                                   JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetCommitTransaction(JET_SESID sesid,
                                                   JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetCommitTransaction2(
    JET_SESID sesid, JET_GRBIT grbit, unsigned long cmsecDurableCommit,
    JET_COMMIT_ID *pCommitId);
JETSVC_EXPORT JET_ERR JET_API JetRollback(JET_SESID sesid, JET_GRBIT grbit);

/* Records: prepare an update, set columns, then JetUpdate; read with
 * JetRetrieveColumn(s). */
JETSVC_EXPORT JET_ERR JET_API JetPrepareUpdate(JET_SESID sesid,
                                               JET_TABLEID tableid,
                                               unsigned long prep);
JETSVC_EXPORT JET_ERR JET_API JetSetColumn(JET_SESID sesid,
                                           JET_TABLEID tableid,
                                           JET_COLUMNID columnid,
                                           const void *pvData,
                                           unsigned long cbData,
                                           JET_GRBIT grbit,
                                           JET_SETINFO *psetinfo);
JETSVC_EXPORT JET_ERR JET_API JetSetColumns(JET_SESID sesid,
                                            JET_TABLEID tableid,
                                            JET_SETCOLUMN *psetcolumn,
                                            unsigned long csetcolumn);
JETSVC_EXPORT JET_ERR JET_API JetRetrieveColumn(JET_SESID sesid,
                                                JET_TABLEID tableid,
                                                JET_COLUMNID columnid,
                                                void *pvData,
                                                unsigned long cbData,
                                                unsigned long *pcbActual,
                                                JET_GRBIT grbit,
                                                JET_RETINFO *pretinfo);
JETSVC_EXPORT JET_ERR JET_API JetRetrieveColumns(
    JET_SESID sesid, JET_TABLEID tableid, JET_RETRIEVECOLUMN *pretrievecolumn,
    unsigned long cretrievecolumn);
JETSVC_EXPORT JET_ERR JET_API JetUpdate(JET_SESID sesid, JET_TABLEID tableid,
                                        void *pvBookmark,
                                        unsigned long cbBookmark,
                                        unsigned long *pcbActual);
JETSVC_EXPORT JET_ERR JET_API JetUpdate2(JET_SESID sesid, JET_TABLEID tableid,
                                         void *pvBookmark,
                                         unsigned long cbBookmark,
                                         unsigned long *pcbActual,
                                         const JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetDelete(JET_SESID sesid, JET_TABLEID tableid);
JETSVC_EXPORT JET_ERR JET_API JetGetBookmark(JET_SESID sesid,
                                             JET_TABLEID tableid,
                                             void *pvBookmark,
                                             unsigned long cbMax,
                                             unsigned long *pcbActual);
JETSVC_EXPORT JET_ERR JET_API JetGotoBookmark(JET_SESID sesid,
                                              JET_TABLEID tableid,
                                              void *pvBookmark,
                                              unsigned long cbBookmark);
JETSVC_EXPORT JET_ERR JET_API JetRetrieveKey(JET_SESID sesid,
                                             JET_TABLEID tableid,
                                             void *pvKey,
                                             unsigned long cbMax,
                                             unsigned long *pcbActual,
                                             JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetEscrowUpdate(JET_SESID sesid,
                                              JET_TABLEID tableid,
                                              JET_COLUMNID columnid,
                                              void *pv,
                                              unsigned long cbMax,
                                              void *pvOld,
                                              unsigned long cbOldMax,
                                              unsigned long *pcbOldActual,
                                              JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetGetLock(JET_SESID sesid, JET_TABLEID tableid,
                                         JET_GRBIT grbit);

/* Navigation: choose an index, build a key, seek, move, limit a range. */
JETSVC_EXPORT JET_ERR JET_API JetSetCurrentIndexA(JET_SESID sesid,
                                                  JET_TABLEID tableid,
                                                  JET_PCSTR szIndexName);
JETSVC_EXPORT JET_ERR JET_API JetSetCurrentIndex2A(JET_SESID sesid,
                                                   JET_TABLEID tableid,
                                                   JET_PCSTR szIndexName,
                                                   JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetSetCurrentIndex3A(JET_SESID sesid,
                                                   JET_TABLEID tableid,
                                                   JET_PCSTR szIndexName,
                                                   JET_GRBIT grbit,
                                                   unsigned long itagSequence);
JETSVC_EXPORT JET_ERR JET_API JetSetCurrentIndex4A(JET_SESID sesid,
                                                   JET_TABLEID tableid,
                                                   JET_PCSTR szIndexName,
                                                   JET_INDEXID *pindexid,
                                                   JET_GRBIT grbit,
                                                   unsigned long itagSequence);
JETSVC_EXPORT JET_ERR JET_API JetGetCurrentIndexA(JET_SESID sesid,
                                                  JET_TABLEID tableid,
                                                  JET_PSTR szIndexName,
                                                  unsigned long cbIndexName);
JETSVC_EXPORT JET_ERR JET_API JetMakeKey(JET_SESID sesid, JET_TABLEID tableid,
                                         const void *pvData,
                                         unsigned long cbData,
                                         JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetSeek(JET_SESID sesid, JET_TABLEID tableid,
                                      JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetMove(JET_SESID sesid, JET_TABLEID tableid,
                                      long cRow, JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetSetIndexRange(JET_SESID sesid,
                                               JET_TABLEID tableidSrc,
                                               JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetGetRecordPosition(JET_SESID sesid,
                                                   JET_TABLEID tableid,
                                                   JET_RECPOS *precpos,
                                                   unsigned long cbRecpos);
JETSVC_EXPORT JET_ERR JET_API JetGotoPosition(JET_SESID sesid,
                                              JET_TABLEID tableid,
                                              JET_RECPOS *precpos);
JETSVC_EXPORT JET_ERR JET_API JetIndexRecordCount(JET_SESID sesid,
                                                  JET_TABLEID tableid,
                                                  unsigned long *pcrec,
                                                  unsigned long crecMax);

#define JetSetCurrentIndex JetSetCurrentIndexA
#define JetSetCurrentIndex2 JetSetCurrentIndex2A
#define JetSetCurrentIndex3 JetSetCurrentIndex3A
#define JetSetCurrentIndex4 JetSetCurrentIndex4A
#define JetGetCurrentIndex JetGetCurrentIndexA

/* Online defragmentation of one database (or one table's B-tree). */
JETSVC_EXPORT JET_ERR JET_API JetDefragmentA(JET_SESID sesid, JET_DBID dbid,
                                             JET_PCSTR szTableName,
                                             unsigned long *pcPasses,
                                             unsigned long *pcSeconds,
                                             JET_GRBIT grbit);
JETSVC_EXPORT JET_ERR JET_API JetDefragment2A(JET_SESID sesid, JET_DBID dbid,
                                              JET_PCSTR szTableName,
                                              unsigned long *pcPasses,
                                              unsigned long *pcSeconds,
                                              JET_CALLBACK callback,
                                              JET_GRBIT grbit);

#define JetDefragment JetDefragmentA
#define JetDefragment2 JetDefragment2A

#if defined(_MSC_VER)
#pragma warning(pop)
#endif

#if defined(_WIN32)
#pragma pack(pop)
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#undef JETSVC_ANONYMOUS_

#endif /* JETSVC_ENGINE_INCLUDE_ESENT_H_ */
