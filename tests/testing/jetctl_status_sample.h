// The sample Manager snapshot of the jetctl status tests and the exact
// text every jetctl (Linux over D-Bus, Windows over the named pipe) must
// print for it: one copy, so both clients are held to the same output.

#ifndef JETSVC_TESTS_TESTING_JETCTL_STATUS_SAMPLE_H_
#define JETSVC_TESTS_TESTING_JETCTL_STATUS_SAMPLE_H_

#include "platform/controller.h"

namespace jetsvc::testing {

inline platform::ManagerSnapshot SampleStatusSnapshot() {
  platform::ManagerSnapshot snapshot;
  snapshot.state = "running";
  snapshot.checkpoint_depth_bytes = 3u << 20;
  snapshot.dirty_pages = 42;
  snapshot.version_store_bytes = 100;
  snapshot.defrag_running = true;
  snapshot.last_prepare_usec = 250000;
  return snapshot;
}

constexpr char kSampleStatusText[] =
    "State:              running\n"
    "Checkpoint depth:   3.0 MiB (3145728 bytes)\n"
    "Dirty pages:        42\n"
    "Version store:      100 B (100 bytes)\n"
    "Defragmentation:    running\n"
    "Last prepare took:  0.250 s\n"
    "Last term took:     none\n";

constexpr char kSampleStatusJson[] =
    "{\"State\": \"running\", \"CheckpointDepthBytes\": 3145728, \"DirtyPages\": 42, "
    "\"VersionStoreBytes\": 100, \"DefragRunning\": true, \"LastPrepareDurationUsec\": 250000, "
    "\"LastTermDurationUsec\": 0}\n";

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_TESTING_JETCTL_STATUS_SAMPLE_H_
