/* jetsvc_ext.h: jetsvc's extensions to the JET API.
 *
 * Not part of esent.h, and named so nothing here can collide with ESE
 * (every name starts with Jetsvc / JETSVC_). Include after esent.h.
 *
 * Why: ESE's JetStopService only lowers the checkpoint target and waits for
 * nothing, so a host cannot tell the operating system how long the stop
 * still needs. jetsvc's JetStopServiceInstance2(All or QuiesceCaches)
 * flushes every dirty page, in file order, toward checkpoint depth 0, and
 * these two calls let a host watch and wait for that:
 *   JetsvcGetStopProgress  a snapshot of what is left (dirty pages and
 *                          bytes, checkpoint depth, version store, defrag,
 *                          stop state, bytes flushed since the stop began);
 *   JetsvcWaitForQuiesce   blocks until the instance is quiesced or a
 *                          deadline passes.
 * "Quiesced" means: no dirty page, the checkpoint at the log tip (the next
 * JetInit replays nothing), online defrag halted, and a version cleanup
 * pass completed after the stop began.
 *
 * Thread contract: both calls may be made from any thread, at any time
 * between JetInit and JetTerm; they are never refused by the stop itself.
 */

#ifndef JETSVC_ENGINE_INCLUDE_JETSVC_EXT_H_
#define JETSVC_ENGINE_INCLUDE_JETSVC_EXT_H_

#include "esent.h"

#ifdef __cplusplus
extern "C" {
#endif

/* JETSVC_STOP_PROGRESS.ulStopState bits. */
#define JETSVC_bitStopAll 0x00000001           /* JetStopService*(All): calls refused */
#define JETSVC_bitStopBackgroundTasks 0x00000002 /* defrag paused */
#define JETSVC_bitStopQuiescing 0x00000004     /* flushing toward depth 0 */
#define JETSVC_bitStopQuiesced 0x00000100      /* nothing left to do */

typedef struct {
  unsigned long cbStruct;         /* in: sizeof(JETSVC_STOP_PROGRESS) */
  unsigned long ulStopState;      /* JETSVC_bitStop* */
  unsigned long fDefragRunning;   /* an online defrag task is running */
  unsigned long ulReserved;
  unsigned long long cDirtyPages;          /* pages not yet on disk */
  unsigned long long cbDirty;              /* their bytes */
  unsigned long long cbCheckpointDepth;    /* log bytes recovery would replay now */
  unsigned long long cbVersionStore;       /* bytes in the version store */
  unsigned long long cbFlushedSinceStop;   /* page bytes written since the stop began */
  unsigned long long cusecSinceStop;       /* microseconds since the stop began */
} JETSVC_STOP_PROGRESS;

/* Fills *pprogress. Errors: JET_errInvalidInstance, JET_errInvalidParameter
 * (NULL or a cbStruct that does not match), JET_errNotInitialized. */
JETSVC_EXPORT JET_ERR JET_API JetsvcGetStopProgress(JET_INSTANCE instance,
                                                    JETSVC_STOP_PROGRESS *pprogress);

/* Waits up to cmsecTimeout milliseconds for the instance to be quiesced.
 * Returns JET_errSuccess once quiesced, JETSVC_wrnQuiesceTimedOut if the
 * time ran out first. Errors: JET_errInvalidInstance, JET_errNotInitialized,
 * JET_errInvalidOperation (no stop with All or QuiesceCaches is in effect),
 * or the instance's fatal error. */
#define JETSVC_wrnQuiesceTimedOut 21000
JETSVC_EXPORT JET_ERR JET_API JetsvcWaitForQuiesce(JET_INSTANCE instance,
                                                   unsigned long cmsecTimeout);

/* The instance's fatal error: *perrFatal is JET_errSuccess while the
 * instance is healthy, else the error that made it stop taking writes
 * (ESE's "instance unavailable": a failed log write, JET_errLogDiskFull,
 * JET_errDiskIO, ...). Once set it stays until JetTerm; a host's watchdog
 * uses this to exit and let the service manager restart it, so the next
 * JetInit recovers. Errors: JET_errInvalidInstance, JET_errNotInitialized,
 * JET_errInvalidParameter (NULL perrFatal). */
JETSVC_EXPORT JET_ERR JET_API JetsvcGetInstanceFailure(JET_INSTANCE instance, JET_ERR *perrFatal);

#ifdef __cplusplus
}
#endif

#endif /* JETSVC_ENGINE_INCLUDE_JETSVC_EXT_H_ */
