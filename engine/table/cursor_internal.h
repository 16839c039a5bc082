// Internal to engine/table: helpers shared by the cursor's source files.
//
// Thread contract: as TableCursor (one session's thread).

#ifndef JETSVC_ENGINE_TABLE_CURSOR_INTERNAL_H_
#define JETSVC_ENGINE_TABLE_CURSOR_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "engine/instance/session.h"
#include "engine/record/record.h"
#include "engine/table/table_cursor.h"
#include "engine/version/version_store.h"

namespace jetsvc {

// The view one API call reads with: the session's transaction, or, outside
// one, a snapshot registered for the call's duration.
class ReadScope {
 public:
  explicit ReadScope(Session* session);
  ReadScope(const ReadScope&) = delete;
  ReadScope& operator=(const ReadScope&) = delete;
  const ReadView& view() const { return view_; }

 private:
  std::optional<SnapshotGuard> guard_;
  ReadView view_;
};

// ESE's copy buffer: the record being inserted or replaced.
struct TableCursor::PreparedUpdate {
  PreparedUpdate(const TableDef& def, uint32_t prep_kind, int prep_level)
      : builder(def), prep(prep_kind), level(prep_level) {}
  RecordBuilder builder;
  std::shared_ptr<const TableDef> def;  // the schema the builder uses
  uint32_t prep;           // JET_prepInsert, JET_prepReplace, ...
  int level;               // transaction level at prepare time
  std::string bookmark;    // replace: the record being replaced
  std::string original;    // replace: its bytes at prepare time
};

// Long values are stored in chunks of this many bytes (the last may be
// shorter), each a node of the table's long-value tree.
uint32_t LongValueChunkSize(uint32_t page_size);
// Long values larger than this are always stored separately.
constexpr size_t kLongValueInlineMax = 1024;

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_TABLE_CURSOR_INTERNAL_H_
