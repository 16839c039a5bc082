// jetsvc_dbstate: prints the shutdown state recorded in the header of an
// engine database file, for tests that look at a database from outside
// (tests/systemd/poweroff_test.sh reads the container's database after a
// poweroff). Single-threaded; reads the file through
// JetGetDatabaseFileInfo(JET_DbInfoMisc) and needs no instance.
//
// Usage: jetsvc_dbstate DATABASE
// Prints one line, "dbstate <name> (<number>)", e.g.
// "dbstate clean-shutdown (3)", and exits 0; on a read error prints the
// JET_ERR to stderr and exits 1; usage errors exit 2.

#include <cstdio>
#include <cstring>

#include "esent.h"

namespace {

const char* StateName(unsigned long state) {
  switch (state) {
    case JET_dbstateJustCreated:
      return "just-created";
    case JET_dbstateDirtyShutdown:
      return "dirty-shutdown";
    case JET_dbstateCleanShutdown:
      return "clean-shutdown";
    case JET_dbstateBeingConverted:
      return "being-converted";
    case JET_dbstateForceDetach:
      return "force-detach";
    default:
      return "other";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || argv[1][0] == '\0') {
    std::fprintf(stderr, "usage: jetsvc_dbstate DATABASE\n");
    return 2;
  }
  JET_DBINFOMISC info;
  std::memset(&info, 0, sizeof(info));
  const JET_ERR err = JetGetDatabaseFileInfo(argv[1], &info, sizeof(info), JET_DbInfoMisc);
  if (err < 0) {
    std::fprintf(stderr, "jetsvc_dbstate: cannot read the header of %s: JET_ERR %ld\n", argv[1],
                 static_cast<long>(err));
    return 1;
  }
  std::printf("dbstate %s (%lu)\n", StateName(info.dbstate), info.dbstate);
  return 0;
}
