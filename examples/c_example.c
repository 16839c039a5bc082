/*
 * c_example: the JET API from C99, as an application uses esent.dll.
 *
 *   c_example [directory]
 *
 * Creates a database in `directory` (default: a fresh directory under
 * /tmp), a table of seven column types with a primary index, an index on a
 * Text column and a descending index on a numeric column, and inserts
 * 100,000 records in transactions of 1,000.  Then terminates the instance,
 * starts a new one, attaches and opens the database, and reads every record
 * back by seek and by scanning each index in both directions, checking
 * counts and values.  Removes its files at the end.
 *
 * Prints a summary; exits non-zero on any failure.  Uses esent.h and the
 * standard C library only.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "esent.h"

#define RECORD_COUNT 100000L
#define BATCH_SIZE 1000L
#define NAME_SIZE 16

/* Stops the current function with -1 when a call fails (warnings pass). */
#define CHECK(call)                                                     \
  do {                                                                  \
    const JET_ERR err_ = (call);                                        \
    if (err_ < 0) {                                                     \
      fprintf(stderr, "%s:%d: %s failed with %ld\n", __FILE__, __LINE__, \
              #call, (long)err_);                                       \
      return -1;                                                        \
    }                                                                   \
  } while (0)

/* Stops the current function with -1 when a condition does not hold. */
#define EXPECT(cond, ...)                                         \
  do {                                                            \
    if (!(cond)) {                                                \
      fprintf(stderr, "%s:%d: check failed: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                               \
      fprintf(stderr, "\n");                                      \
      return -1;                                                  \
    }                                                             \
  } while (0)

/* The column ids, in this order: id, name, amount, ratio, flag, created,
 * payload. */
enum { COL_ID, COL_NAME, COL_AMOUNT, COL_RATIO, COL_FLAG, COL_CREATED, COL_PAYLOAD, COL_COUNT };

typedef struct {
  char dir[512];
  char db_path[600];
  JET_INSTANCE instance;
  JET_SESID sesid;
  JET_DBID dbid;
  JET_TABLEID tableid;
  JET_COLUMNID columns[COL_COUNT];
} Example;

/* --- the record of each id --------------------------------------------- */

/* Values are permutations of the id, so each index has its own order. */
static long NameKey(long id) { return (id * 7919L) % RECORD_COUNT; }
/* long long arithmetic: id * 104729 overflows a 32-bit long (Windows). */
static long long Amount(long id) { return ((id * 104729LL) % RECORD_COUNT) * 10LL + 3; }

static void MakeName(long id, char name[NAME_SIZE]) {
  snprintf(name, NAME_SIZE, "k%07ld", NameKey(id));
}

typedef struct {
  long id32; /* stored as a 4-byte Long */
  char name[NAME_SIZE];
  long long amount;
  double ratio;
  unsigned char flag;
  double created;
  unsigned char payload[32];
} Record;

static void Expected(long id, Record* r) {
  int i;
  memset(r, 0, sizeof(*r));
  r->id32 = id;
  MakeName(id, r->name);
  r->amount = Amount(id);
  r->ratio = (double)id / 4.0;
  r->flag = (unsigned char)(id % 3 == 0 ? 0xFF : 0); /* Bit: 0 or 0xFF */
  r->created = 45000.0 + (double)id / 86400.0;
  for (i = 0; i < 32; ++i) r->payload[i] = (unsigned char)(id + i);
}

/* --- setup ---------------------------------------------------------------- */

static int StartInstance(Example* ex) {
  char folder[520];
  snprintf(folder, sizeof(folder), "%s/", ex->dir);
  ex->instance = JET_instanceNil;
  CHECK(JetCreateInstance(&ex->instance, "c_example"));
  CHECK(JetSetSystemParameter(&ex->instance, 0, JET_paramCreatePathIfNotExist, 1, NULL));
  CHECK(JetSetSystemParameter(&ex->instance, 0, JET_paramSystemPath, 0, folder));
  CHECK(JetSetSystemParameter(&ex->instance, 0, JET_paramLogFilePath, 0, folder));
  CHECK(JetSetSystemParameter(&ex->instance, 0, JET_paramTempPath, 0, folder));
  CHECK(JetSetSystemParameter(&ex->instance, 0, JET_paramLogFileSize, 1024, NULL));
  CHECK(JetSetSystemParameter(&ex->instance, 0, JET_paramCircularLog, 1, NULL));
  CHECK(JetSetSystemParameter(&ex->instance, 0, JET_paramMaxVerPages, 1024, NULL));
  CHECK(JetSetSystemParameter(&ex->instance, 0, JET_paramCacheSizeMax, 8192, NULL));
  CHECK(JetInit(&ex->instance));
  CHECK(JetBeginSession(ex->instance, &ex->sesid, NULL, NULL));
  return 0;
}

static int CreateSchema(Example* ex) {
  static const char* const names[COL_COUNT] = {"id",      "name",    "amount", "ratio",
                                               "flag",    "created", "payload"};
  static const JET_COLTYP types[COL_COUNT] = {
      JET_coltypLong,     JET_coltypText, JET_coltypLongLong,  JET_coltypIEEEDouble,
      JET_coltypBit,      JET_coltypDateTime, JET_coltypLongBinary};
  /* "+id\0\0", "+name\0\0", "-amount\0\0": cbKey counts both NULs. */
  static const char key_id[] = "+id\0";
  static const char key_name[] = "+name\0";
  static const char key_amount[] = "-amount\0";
  JET_COLUMNCREATE columns[COL_COUNT];
  JET_INDEXCREATE indexes[3];
  JET_TABLECREATE table;
  int i;

  memset(columns, 0, sizeof(columns));
  for (i = 0; i < COL_COUNT; ++i) {
    columns[i].cbStruct = sizeof(JET_COLUMNCREATE);
    columns[i].szColumnName = (char*)names[i];
    columns[i].coltyp = types[i];
    columns[i].cp = types[i] == JET_coltypText ? 1252 : 0;
  }
  columns[COL_NAME].cbMax = NAME_SIZE;
  columns[COL_NAME].grbit = JET_bitColumnNotNULL;

  memset(indexes, 0, sizeof(indexes));
  indexes[0].szIndexName = (char*)"primary";
  indexes[0].szKey = (char*)key_id;
  indexes[0].cbKey = sizeof(key_id);
  indexes[0].grbit = JET_bitIndexPrimary;
  indexes[1].szIndexName = (char*)"by_name";
  indexes[1].szKey = (char*)key_name;
  indexes[1].cbKey = sizeof(key_name);
  indexes[1].grbit = JET_bitIndexUnique;
  indexes[2].szIndexName = (char*)"by_amount_desc";
  indexes[2].szKey = (char*)key_amount;
  indexes[2].cbKey = sizeof(key_amount);
  for (i = 0; i < 3; ++i) {
    indexes[i].cbStruct = sizeof(JET_INDEXCREATE);
    indexes[i].ulDensity = 90;
  }

  memset(&table, 0, sizeof(table));
  table.cbStruct = sizeof(table);
  table.szTableName = (char*)"records";
  table.ulPages = 16;
  table.ulDensity = 90;
  table.rgcolumncreate = columns;
  table.cColumns = COL_COUNT;
  table.rgindexcreate = indexes;
  table.cIndexes = 3;
  CHECK(JetCreateTableColumnIndex(ex->sesid, ex->dbid, &table));
  EXPECT(table.cCreated == 1 + COL_COUNT + 3, "cCreated is %lu", table.cCreated);
  for (i = 0; i < COL_COUNT; ++i) ex->columns[i] = columns[i].columnid;
  ex->tableid = table.tableid;
  return 0;
}

static int InsertAll(Example* ex) {
  long id;
  for (id = 0; id < RECORD_COUNT; ++id) {
    Record r;
    JET_SETCOLUMN set[COL_COUNT];
    int i;
    if (id % BATCH_SIZE == 0) CHECK(JetBeginTransaction(ex->sesid));
    Expected(id, &r);
    memset(set, 0, sizeof(set));
    {
      /* The stored Long is 4 bytes whatever the width of long. */
      const int id4 = (int)r.id32;
      const void* data[COL_COUNT];
      unsigned long sizes[COL_COUNT];
      data[COL_ID] = &id4;
      sizes[COL_ID] = sizeof(id4);
      data[COL_NAME] = r.name;
      sizes[COL_NAME] = (unsigned long)strlen(r.name);
      data[COL_AMOUNT] = &r.amount;
      sizes[COL_AMOUNT] = sizeof(r.amount);
      data[COL_RATIO] = &r.ratio;
      sizes[COL_RATIO] = sizeof(r.ratio);
      data[COL_FLAG] = &r.flag;
      sizes[COL_FLAG] = sizeof(r.flag);
      data[COL_CREATED] = &r.created;
      sizes[COL_CREATED] = sizeof(r.created);
      data[COL_PAYLOAD] = r.payload;
      sizes[COL_PAYLOAD] = sizeof(r.payload);
      for (i = 0; i < COL_COUNT; ++i) {
        set[i].columnid = ex->columns[i];
        set[i].pvData = data[i];
        set[i].cbData = sizes[i];
        set[i].itagSequence = 1;
      }
      CHECK(JetPrepareUpdate(ex->sesid, ex->tableid, JET_prepInsert));
      CHECK(JetSetColumns(ex->sesid, ex->tableid, set, COL_COUNT));
      for (i = 0; i < COL_COUNT; ++i) EXPECT(set[i].err == JET_errSuccess, "column %d: %ld", i, (long)set[i].err);
      CHECK(JetUpdate(ex->sesid, ex->tableid, NULL, 0, NULL));
    }
    if (id % BATCH_SIZE == BATCH_SIZE - 1) CHECK(JetCommitTransaction(ex->sesid, JET_bitCommitLazyFlush));
  }
  /* The last commit waits for everything before it to be durable. */
  CHECK(JetCommitTransaction(ex->sesid, JET_bitWaitAllLevel0Commit));
  return 0;
}

/* --- reading back --------------------------------------------------------- */

/* Reads the current record and checks every column against its id. */
static int ReadCurrent(Example* ex, Record* r) {
  JET_RETRIEVECOLUMN get[COL_COUNT];
  void* data[COL_COUNT];
  unsigned long sizes[COL_COUNT];
  Record want;
  int id4 = -1;
  int i;
  memset(r, 0, sizeof(*r));
  data[COL_ID] = &id4;
  sizes[COL_ID] = sizeof(id4);
  data[COL_NAME] = r->name;
  sizes[COL_NAME] = NAME_SIZE - 1;
  data[COL_AMOUNT] = &r->amount;
  sizes[COL_AMOUNT] = sizeof(r->amount);
  data[COL_RATIO] = &r->ratio;
  sizes[COL_RATIO] = sizeof(r->ratio);
  data[COL_FLAG] = &r->flag;
  sizes[COL_FLAG] = sizeof(r->flag);
  data[COL_CREATED] = &r->created;
  sizes[COL_CREATED] = sizeof(r->created);
  data[COL_PAYLOAD] = r->payload;
  sizes[COL_PAYLOAD] = sizeof(r->payload);
  memset(get, 0, sizeof(get));
  for (i = 0; i < COL_COUNT; ++i) {
    get[i].columnid = ex->columns[i];
    get[i].pvData = data[i];
    get[i].cbData = sizes[i];
    get[i].itagSequence = 1;
  }
  CHECK(JetRetrieveColumns(ex->sesid, ex->tableid, get, COL_COUNT));
  for (i = 0; i < COL_COUNT; ++i) EXPECT(get[i].err == JET_errSuccess, "column %d: %ld", i, (long)get[i].err);
  r->id32 = id4;
  EXPECT(id4 >= 0 && id4 < RECORD_COUNT, "id %d out of range", id4);
  Expected(id4, &want);
  EXPECT(get[COL_NAME].cbActual == strlen(want.name) && strcmp(r->name, want.name) == 0,
         "id %d: name %s, want %s", id4, r->name, want.name);
  EXPECT(r->amount == want.amount, "id %d: amount %lld, want %lld", id4, r->amount, want.amount);
  EXPECT(r->ratio == want.ratio && r->created == want.created, "id %d: doubles differ", id4);
  EXPECT(r->flag == want.flag, "id %d: flag %u", id4, (unsigned)r->flag);
  EXPECT(get[COL_PAYLOAD].cbActual == sizeof(want.payload) &&
             memcmp(r->payload, want.payload, sizeof(want.payload)) == 0,
         "id %d: payload differs", id4);
  return 0;
}

/* Compares the keys of two consecutive records of `index` in scan order:
 * returns 0 when `next` may follow `prev`. */
static int InOrder(int index, const Record* prev, const Record* next, int forward) {
  int cmp = 0;
  switch (index) {
    case 0: cmp = prev->id32 < next->id32 ? -1 : 1; break;
    case 1: cmp = strcmp(prev->name, next->name) < 0 ? -1 : 1; break;
    default: cmp = prev->amount > next->amount ? -1 : 1; break; /* descending */
  }
  return forward ? (cmp < 0 ? 0 : -1) : (cmp > 0 ? 0 : -1);
}

/* Walks `index` from one end to the other; every record must come in index
 * order and appear once. */
static int Scan(Example* ex, const char* index_name, int index, int forward, long* visited) {
  unsigned char* seen = (unsigned char*)calloc(RECORD_COUNT, 1);
  Record prev;
  Record cur;
  long count = 0;
  JET_ERR err;
  if (seen == NULL) return -1;
  CHECK(JetSetCurrentIndex(ex->sesid, ex->tableid, index_name));
  err = JetMove(ex->sesid, ex->tableid, forward ? JET_MoveFirst : JET_MoveLast, 0);
  while (err >= 0) {
    if (ReadCurrent(ex, &cur) != 0) {
      free(seen);
      return -1;
    }
    if (seen[cur.id32] || (count > 0 && InOrder(index, &prev, &cur, forward) != 0)) {
      fprintf(stderr, "%s: record %ld out of order or repeated\n", index_name, cur.id32);
      free(seen);
      return -1;
    }
    seen[cur.id32] = 1;
    prev = cur;
    ++count;
    err = JetMove(ex->sesid, ex->tableid, forward ? JET_MoveNext : JET_MovePrevious, 0);
  }
  free(seen);
  EXPECT(err == JET_errNoCurrentRecord, "%s: scan ended with %ld", index_name, (long)err);
  EXPECT(count == RECORD_COUNT, "%s: %ld records, want %ld", index_name, count, RECORD_COUNT);
  *visited += count;
  return 0;
}

/* Seeks every record by its primary key, and by the other two indexes. */
static int SeekAll(Example* ex, long* seeks) {
  long id;
  Record r;
  Record want;
  unsigned long count = 0;
  for (id = 0; id < RECORD_COUNT; ++id) {
    const int id4 = (int)id;
    CHECK(JetMakeKey(ex->sesid, ex->tableid, &id4, sizeof(id4), JET_bitNewKey));
    CHECK(JetSeek(ex->sesid, ex->tableid, JET_bitSeekEQ));
    if (ReadCurrent(ex, &r) != 0) return -1;
    EXPECT(r.id32 == id, "seek %ld found %ld", id, r.id32);
  }
  CHECK(JetSetCurrentIndex(ex->sesid, ex->tableid, "by_name"));
  for (id = 0; id < RECORD_COUNT; ++id) {
    Expected(id, &want);
    CHECK(JetMakeKey(ex->sesid, ex->tableid, want.name, (unsigned long)strlen(want.name), JET_bitNewKey));
    CHECK(JetSeek(ex->sesid, ex->tableid, JET_bitSeekEQ));
    if (ReadCurrent(ex, &r) != 0) return -1;
    EXPECT(r.id32 == id, "name seek %ld found %ld", id, r.id32);
  }
  CHECK(JetSetCurrentIndex(ex->sesid, ex->tableid, "by_amount_desc"));
  for (id = 0; id < RECORD_COUNT; ++id) {
    Expected(id, &want);
    CHECK(JetMakeKey(ex->sesid, ex->tableid, &want.amount, sizeof(want.amount), JET_bitNewKey));
    CHECK(JetSeek(ex->sesid, ex->tableid, JET_bitSeekEQ));
    if (ReadCurrent(ex, &r) != 0) return -1;
    EXPECT(r.id32 == id, "amount seek %ld found %ld", id, r.id32);
  }
  /* A range on the descending index: amounts from 999 down to 3 are the
   * ids whose permutation value is below 100. */
  {
    const long long high = 999;
    const long long low = 3;
    CHECK(JetMakeKey(ex->sesid, ex->tableid, &high, sizeof(high), JET_bitNewKey));
    CHECK(JetSeek(ex->sesid, ex->tableid, JET_bitSeekGE));
    CHECK(JetMakeKey(ex->sesid, ex->tableid, &low, sizeof(low), JET_bitNewKey));
    CHECK(JetSetIndexRange(ex->sesid, ex->tableid, JET_bitRangeUpperLimit | JET_bitRangeInclusive));
    CHECK(JetIndexRecordCount(ex->sesid, ex->tableid, &count, 0));
    EXPECT(count == 100, "range holds %lu records, want 100", count);
  }
  *seeks += 3 * RECORD_COUNT;
  return 0;
}

static int ReadBack(Example* ex, long* visited, long* seeks) {
  JET_ERR err;
  CHECK(JetOpenTable(ex->sesid, ex->dbid, "records", NULL, 0, JET_bitTableReadOnly, &ex->tableid));
  if (Scan(ex, "primary", 0, 1, visited) != 0) return -1;
  if (Scan(ex, "primary", 0, 0, visited) != 0) return -1;
  if (Scan(ex, "by_name", 1, 1, visited) != 0) return -1;
  if (Scan(ex, "by_name", 1, 0, visited) != 0) return -1;
  if (Scan(ex, "by_amount_desc", 2, 1, visited) != 0) return -1;
  if (Scan(ex, "by_amount_desc", 2, 0, visited) != 0) return -1;
  CHECK(JetSetCurrentIndex(ex->sesid, ex->tableid, "primary"));
  if (SeekAll(ex, seeks) != 0) return -1;
  /* A key that is not there. */
  {
    const int missing = (int)RECORD_COUNT;
    CHECK(JetSetCurrentIndex(ex->sesid, ex->tableid, NULL));
    CHECK(JetMakeKey(ex->sesid, ex->tableid, &missing, sizeof(missing), JET_bitNewKey));
    err = JetSeek(ex->sesid, ex->tableid, JET_bitSeekEQ);
    EXPECT(err == JET_errRecordNotFound, "seek of a missing key gave %ld", (long)err);
  }
  CHECK(JetCloseTable(ex->sesid, ex->tableid));
  return 0;
}

/* --- files -------------------------------------------------------------- */

/* Removes what the engine may have written in the directory: the
 * database, the checkpoint, the temporary database and the log files
 * (edb.log, edbtmp.log, edbXXXXXXXX.log). */
static void RemoveFiles(const Example* ex) {
  char path[700];
  unsigned long generation;
  unsigned long misses = 0;
  remove(ex->db_path);
  snprintf(path, sizeof(path), "%s/edb.chk", ex->dir);
  remove(path);
  snprintf(path, sizeof(path), "%s/edb.log", ex->dir);
  remove(path);
  snprintf(path, sizeof(path), "%s/edbtmp.log", ex->dir);
  remove(path);
  snprintf(path, sizeof(path), "%s/tmp.edb", ex->dir);
  remove(path);
  for (generation = 1; generation < 0x100000 && misses < 4096; ++generation) {
    snprintf(path, sizeof(path), "%s/edb%08lX.log", ex->dir, generation);
    misses = remove(path) == 0 ? 0 : misses + 1;
  }
}

static int Run(Example* ex, long* visited, long* seeks) {
  JET_ERR err;
  if (StartInstance(ex) != 0) return -1;
  CHECK(JetCreateDatabase(ex->sesid, ex->db_path, NULL, &ex->dbid, 0));
  if (CreateSchema(ex) != 0) return -1;
  if (InsertAll(ex) != 0) return -1;
  CHECK(JetCloseTable(ex->sesid, ex->tableid));
  CHECK(JetEndSession(ex->sesid, 0));
  CHECK(JetTerm2(ex->instance, JET_bitTermComplete));
  ex->instance = JET_instanceNil;

  if (StartInstance(ex) != 0) return -1;
  err = JetAttachDatabase(ex->sesid, ex->db_path, 0);
  EXPECT(err == JET_errSuccess, "attach gave %ld", (long)err);
  CHECK(JetOpenDatabase(ex->sesid, ex->db_path, NULL, &ex->dbid, 0));
  if (ReadBack(ex, visited, seeks) != 0) return -1;
  CHECK(JetCloseDatabase(ex->sesid, ex->dbid, 0));
  CHECK(JetEndSession(ex->sesid, 0));
  CHECK(JetTerm2(ex->instance, JET_bitTermComplete));
  ex->instance = JET_instanceNil;
  return 0;
}

int main(int argc, char** argv) {
  Example ex;
  long visited = 0;
  long seeks = 0;
  clock_t start;
  int result;
  memset(&ex, 0, sizeof(ex));
  ex.instance = JET_instanceNil;
  if (argc > 1) {
    snprintf(ex.dir, sizeof(ex.dir), "%s", argv[1]);
  } else {
    /* The engine creates it (JET_paramCreatePathIfNotExist). */
    snprintf(ex.dir, sizeof(ex.dir), "/tmp/jetsvc_c_example_%lu_%lu", (unsigned long)time(NULL),
             (unsigned long)clock());
  }
  snprintf(ex.db_path, sizeof(ex.db_path), "%s/example.edb", ex.dir);
  RemoveFiles(&ex); /* left by an earlier, failed run */

  start = clock();
  result = Run(&ex, &visited, &seeks);
  if (ex.instance != JET_instanceNil) JetTerm2(ex.instance, JET_bitTermAbrupt);
  RemoveFiles(&ex);
  remove(ex.dir); /* the directory, if it is empty now (POSIX) */
  if (result != 0) {
    fprintf(stderr, "c_example: FAILED (files were in %s)\n", ex.dir);
    return 1;
  }
  printf("c_example: %ld records inserted in transactions of %ld; after term and init, "
         "%ld records scanned over 3 indexes in both directions and %ld seeks matched "
         "(%.1f s CPU)\n",
         RECORD_COUNT, BATCH_SIZE, visited, seeks, (double)(clock() - start) / CLOCKS_PER_SEC);
  return 0;
}
