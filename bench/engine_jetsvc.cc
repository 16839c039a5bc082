// The jetsvc adapter: the public JET API only (esent.h, plus the jetsvc_ext.h
// extension header when the build has it), used the way an application
// uses esent.dll. Any JET error ends the process with the call that failed
// and its error number.
//
// Schema: database <dir>/bench.edb, table "kv" with a fixed 16-byte Binary
// column "key" (the primary index) and a variable Binary column "value".

#include "bench/engine_jetsvc.h"

#include <chrono>
#include <cstring>
#include <string>

#if JETSVC_BENCH_HAVE_STOP_EXT
#include "jetsvc_ext.h"
#endif

namespace bench {
namespace {

constexpr char kTableName[] = "kv";
constexpr char kKeyColumn[] = "key";
constexpr char kValueColumn[] = "value";

// Fails the process when a JET call returns an error (warnings pass).
#define JET_CHECK(call)                                                                 \
  do {                                                                                  \
    const JET_ERR err_ = (call);                                                        \
    if (err_ < 0)                                                                       \
      Die("jetsvc", std::string(#call) + " failed with error " + std::to_string(err_)); \
  } while (0)

[[maybe_unused]] double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Sets an instance parameter.
void SetParam(JET_INSTANCE* instance, unsigned long id, JET_API_PTR value, const char* text,
              const char* what) {
  const JET_ERR err = JetSetSystemParameter(instance, JET_sesidNil, id, value, text);
  if (err < 0) {
    Die("jetsvc", std::string("JetSetSystemParameter(") + what + ") failed with error " +
                      std::to_string(err));
  }
}

// Inserts one record through `table` (an open cursor of `session`).
void InsertRecord(JET_SESID session, JET_TABLEID table, JET_COLUMNID key_column,
                  JET_COLUMNID value_column, const std::string& key, const std::string& value) {
  JET_CHECK(JetPrepareUpdate(session, table, JET_prepInsert));
  JET_CHECK(JetSetColumn(session, table, key_column, key.data(),
                         static_cast<unsigned long>(key.size()), 0, nullptr));
  JET_CHECK(JetSetColumn(session, table, value_column, value.data(),
                         static_cast<unsigned long>(value.size()), 0, nullptr));
  JET_CHECK(JetUpdate(session, table, nullptr, 0, nullptr));
}

JET_COLUMNID ColumnId(JET_SESID session, JET_TABLEID table, const char* name) {
  JET_COLUMNDEF def;
  std::memset(&def, 0, sizeof(def));
  def.cbStruct = sizeof(def);
  JET_CHECK(JetGetTableColumnInfo(session, table, name, &def, sizeof(def), JET_ColInfo));
  return def.columnid;
}

// One thread's durable inserts: its own session, database and table handles.
class JetsvcCommitter : public Committer {
 public:
  JetsvcCommitter(JET_INSTANCE instance, const std::string& database_path) {
    JET_CHECK(JetBeginSession(instance, &session_, nullptr, nullptr));
    JET_CHECK(JetOpenDatabase(session_, database_path.c_str(), nullptr, &database_, 0));
    JET_CHECK(JetOpenTable(session_, database_, kTableName, nullptr, 0, 0, &table_));
    key_column_ = ColumnId(session_, table_, kKeyColumn);
    value_column_ = ColumnId(session_, table_, kValueColumn);
  }
  ~JetsvcCommitter() override {
    JET_CHECK(JetCloseTable(session_, table_));
    JET_CHECK(JetCloseDatabase(session_, database_, 0));
    JET_CHECK(JetEndSession(session_, 0));
  }

  void InsertDurable(const std::string& key, const std::string& value) override {
    JET_CHECK(JetBeginTransaction(session_));
    InsertRecord(session_, table_, key_column_, value_column_, key, value);
    JET_CHECK(JetCommitTransaction(session_, 0));  // waits for the log flush
  }

 private:
  JET_SESID session_ = JET_sesidNil;
  JET_DBID database_ = JET_dbidNil;
  JET_TABLEID table_ = JET_tableidNil;
  JET_COLUMNID key_column_ = 0;
  JET_COLUMNID value_column_ = 0;
};

}  // namespace

JetsvcEngine::JetsvcEngine(JetsvcSettings settings) : settings_(settings) {}

JetsvcEngine::~JetsvcEngine() {
  if (initialized_) Close();
}

void JetsvcEngine::Open(const EngineOptions& options) {
  Init(options);
  OpenDatabase(options.create);
}

void JetsvcEngine::Init(const EngineOptions& options) {
  dir_ = options.dir;
  cache_bytes_ = options.cache_bytes;
  const std::string folder = dir_ + "/";
  JET_CHECK(JetCreateInstance(&instance_, "jetsvc_bench"));
  SetParam(&instance_, JET_paramCreatePathIfNotExist, 1, nullptr, "CreatePathIfNotExist");
  SetParam(&instance_, JET_paramSystemPath, 0, folder.c_str(), "SystemPath");
  SetParam(&instance_, JET_paramLogFilePath, 0, folder.c_str(), "LogFilePath");
  SetParam(&instance_, JET_paramTempPath, 0, folder.c_str(), "TempPath");
  JET_API_PTR page_size = 0;
  JET_CHECK(JetGetSystemParameter(instance_, JET_sesidNil, JET_paramDatabasePageSize, &page_size,
                                  nullptr, 0));
  SetParam(&instance_, JET_paramCacheSizeMax, cache_bytes_ / page_size, nullptr, "CacheSizeMax");
  if (settings_.log_file_kib != 0) {
    SetParam(&instance_, JET_paramLogFileSize, settings_.log_file_kib, nullptr, "LogFileSize");
  }
  if (settings_.checkpoint_depth_bytes != 0) {
    SetParam(&instance_, JET_paramCheckpointDepthMax, settings_.checkpoint_depth_bytes, nullptr,
             "CheckpointDepthMax");
  }
  JET_CHECK(JetInit(&instance_));
  initialized_ = true;
  JET_CHECK(JetBeginSession(instance_, &session_, nullptr, nullptr));
}

void JetsvcEngine::OpenDatabase(bool create) {
  const std::string path = database_path();
  if (create) {
    JET_CHECK(JetCreateDatabase(session_, path.c_str(), nullptr, &database_, 0));
    JET_COLUMNCREATE columns[2];
    std::memset(columns, 0, sizeof(columns));
    columns[0].cbStruct = sizeof(JET_COLUMNCREATE);
    columns[0].szColumnName = const_cast<char*>(kKeyColumn);
    columns[0].coltyp = JET_coltypBinary;
    columns[0].cbMax = kKeySize;
    columns[0].grbit = JET_bitColumnFixed | JET_bitColumnNotNULL;
    columns[1].cbStruct = sizeof(JET_COLUMNCREATE);
    columns[1].szColumnName = const_cast<char*>(kValueColumn);
    columns[1].coltyp = JET_coltypBinary;
    columns[1].cbMax = 255;
    static const char kIndexKey[] = "+key\0";  // cbKey counts both NULs
    JET_INDEXCREATE index;
    std::memset(&index, 0, sizeof(index));
    index.cbStruct = sizeof(index);
    index.szIndexName = const_cast<char*>("primary");
    index.szKey = const_cast<char*>(kIndexKey);
    index.cbKey = sizeof(kIndexKey);
    index.grbit = JET_bitIndexPrimary | JET_bitIndexUnique;
    index.ulDensity = 100;
    JET_TABLECREATE table;
    std::memset(&table, 0, sizeof(table));
    table.cbStruct = sizeof(table);
    table.szTableName = const_cast<char*>(kTableName);
    table.ulDensity = 100;
    table.rgcolumncreate = columns;
    table.cColumns = 2;
    table.rgindexcreate = &index;
    table.cIndexes = 1;
    JET_CHECK(JetCreateTableColumnIndex(session_, database_, &table));
    table_ = table.tableid;
  } else {
    JET_CHECK(JetAttachDatabase(session_, path.c_str(), 0));
    JET_CHECK(JetOpenDatabase(session_, path.c_str(), nullptr, &database_, 0));
    JET_CHECK(JetOpenTable(session_, database_, kTableName, nullptr, 0, 0, &table_));
  }
  key_column_ = ColumnId(session_, table_, kKeyColumn);
  value_column_ = ColumnId(session_, table_, kValueColumn);
}

void JetsvcEngine::Close() {
  if (!initialized_) return;
  if (table_ != JET_tableidNil) JET_CHECK(JetCloseTable(session_, table_));
  if (database_ != JET_dbidNil) JET_CHECK(JetCloseDatabase(session_, database_, 0));
  JET_CHECK(JetEndSession(session_, 0));
  JET_CHECK(JetTerm2(instance_, JET_bitTermComplete));
  table_ = JET_tableidNil;
  database_ = JET_dbidNil;
  session_ = JET_sesidNil;
  initialized_ = false;
}

void JetsvcEngine::Term() {
  JET_CHECK(JetTerm(instance_));
  table_ = JET_tableidNil;
  database_ = JET_dbidNil;
  session_ = JET_sesidNil;
  initialized_ = false;
}

void JetsvcEngine::InsertBatch(const std::vector<Record>& records) {
  JET_CHECK(JetBeginTransaction(session_));
  for (const Record& record : records) {
    InsertRecord(session_, table_, key_column_, value_column_, record.key, record.value);
  }
  JET_CHECK(JetCommitTransaction(session_, JET_bitCommitLazyFlush));
}

bool JetsvcEngine::Get(const std::string& key, std::string* value) {
  JET_CHECK(JetMakeKey(session_, table_, key.data(), static_cast<unsigned long>(key.size()),
                       JET_bitNewKey));
  const JET_ERR err = JetSeek(session_, table_, JET_bitSeekEQ);
  if (err == JET_errRecordNotFound) return false;
  if (err < 0) Die("jetsvc", "JetSeek(JET_bitSeekEQ) failed with error " + std::to_string(err));
  char buffer[256];
  unsigned long actual = 0;
  JET_CHECK(JetRetrieveColumn(session_, table_, value_column_, buffer, sizeof(buffer), &actual, 0,
                              nullptr));
  value->assign(buffer, actual);
  return true;
}

uint64_t JetsvcEngine::Scan(const std::function<void(std::string_view, std::string_view)>& visit) {
  uint64_t count = 0;
  JET_ERR err = JetMove(session_, table_, JET_MoveFirst, 0);
  while (err >= 0) {
    char key[kKeySize + 16];
    char value[256];
    unsigned long key_size = 0;
    unsigned long value_size = 0;
    JET_CHECK(
        JetRetrieveColumn(session_, table_, key_column_, key, sizeof(key), &key_size, 0, nullptr));
    JET_CHECK(JetRetrieveColumn(session_, table_, value_column_, value, sizeof(value), &value_size,
                                0, nullptr));
    visit(std::string_view(key, key_size), std::string_view(value, value_size));
    ++count;
    err = JetMove(session_, table_, JET_MoveNext, 0);
  }
  if (err != JET_errNoCurrentRecord) {
    Die("jetsvc", "JetMove failed with error " + std::to_string(err));
  }
  return count;
}

std::unique_ptr<Committer> JetsvcEngine::NewCommitter() {
  return std::make_unique<JetsvcCommitter>(instance_, database_path());
}

void JetsvcEngine::Update(const std::string& key, const std::string& value, bool durable) {
  JET_CHECK(JetBeginTransaction(session_));
  JET_CHECK(JetMakeKey(session_, table_, key.data(), static_cast<unsigned long>(key.size()),
                       JET_bitNewKey));
  JET_CHECK(JetSeek(session_, table_, JET_bitSeekEQ));
  JET_CHECK(JetPrepareUpdate(session_, table_, JET_prepReplace));
  JET_CHECK(JetSetColumn(session_, table_, value_column_, value.data(),
                         static_cast<unsigned long>(value.size()), 0, nullptr));
  JET_CHECK(JetUpdate(session_, table_, nullptr, 0, nullptr));
  JET_CHECK(JetCommitTransaction(session_, durable ? 0 : JET_bitCommitLazyFlush));
}

std::string JetsvcEngine::version() const {
  return std::string("jetsvc ") + JETSVC_BENCH_GIT_VERSION + " (this tree, libjetengine)";
}

std::unique_ptr<Engine> NewJetsvcEngine() { return std::make_unique<JetsvcEngine>(); }

bool JetsvcEngine::HasStopExtension() { return JETSVC_BENCH_HAVE_STOP_EXT != 0; }

bool JetsvcEngine::Progress(StopProgress* progress) {
#if JETSVC_BENCH_HAVE_STOP_EXT
  JETSVC_STOP_PROGRESS snapshot;
  std::memset(&snapshot, 0, sizeof(snapshot));
  snapshot.cbStruct = sizeof(snapshot);
  JET_CHECK(JetsvcGetStopProgress(instance_, &snapshot));
  progress->dirty_pages = snapshot.cDirtyPages;
  progress->dirty_bytes = snapshot.cbDirty;
  progress->checkpoint_depth_bytes = snapshot.cbCheckpointDepth;
  progress->flushed_since_stop = snapshot.cbFlushedSinceStop;
  return true;
#else
  (void)progress;
  return false;
#endif
}

StopTimes JetsvcEngine::StopAndQuiesce() {
  StopTimes times;
#if JETSVC_BENCH_HAVE_STOP_EXT
  const auto start = std::chrono::steady_clock::now();
  const JET_ERR stop_err = JetStopServiceInstance2(instance_, JET_bitStopServiceAll);
  times.stop_call_seconds = SecondsSince(start);
  if (stop_err == JET_errFeatureNotAvailable) {
    times.note = "JetStopServiceInstance2 returns JET_errFeatureNotAvailable";
    return times;
  }
  if (stop_err < 0) {
    Die("jetsvc", "JetStopServiceInstance2(JET_bitStopServiceAll) failed with error " +
                      std::to_string(stop_err));
  }
  const auto waited = std::chrono::steady_clock::now();
  const JET_ERR wait_err = JetsvcWaitForQuiesce(instance_, 10 * 60 * 1000);
  times.quiesce_seconds = SecondsSince(waited);
  if (wait_err < 0) {
    Die("jetsvc", "JetsvcWaitForQuiesce failed with error " + std::to_string(wait_err));
  }
  if (wait_err == JETSVC_wrnQuiesceTimedOut) {
    Die("jetsvc", "JetsvcWaitForQuiesce: not quiesced after 10 minutes");
  }
  Progress(&times.after);
  times.supported = true;
#else
  times.note = "this build has no jetsvc_ext.h with JetsvcWaitForQuiesce/JetsvcGetStopProgress";
#endif
  return times;
}

}  // namespace bench
