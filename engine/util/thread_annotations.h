// Clang thread-safety annotations; empty for other compilers.
//
// CI builds with clang -Wthread-safety so that GUARDED_BY and friends are
// checked; g++ builds see plain code.

#ifndef JETSVC_ENGINE_UTIL_THREAD_ANNOTATIONS_H_
#define JETSVC_ENGINE_UTIL_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define JETSVC_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define JETSVC_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) JETSVC_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY JETSVC_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) JETSVC_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) JETSVC_THREAD_ANNOTATION(pt_guarded_by(x))
#define ACQUIRED_BEFORE(...) JETSVC_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) JETSVC_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define EXCLUSIVE_LOCKS_REQUIRED(...) \
  JETSVC_THREAD_ANNOTATION(exclusive_locks_required(__VA_ARGS__))
#define SHARED_LOCKS_REQUIRED(...) \
  JETSVC_THREAD_ANNOTATION(shared_locks_required(__VA_ARGS__))
#define LOCKS_EXCLUDED(...) JETSVC_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define EXCLUSIVE_LOCK_FUNCTION(...) \
  JETSVC_THREAD_ANNOTATION(exclusive_lock_function(__VA_ARGS__))
#define SHARED_LOCK_FUNCTION(...) \
  JETSVC_THREAD_ANNOTATION(shared_lock_function(__VA_ARGS__))
#define UNLOCK_FUNCTION(...) JETSVC_THREAD_ANNOTATION(unlock_function(__VA_ARGS__))
#define EXCLUSIVE_TRYLOCK_FUNCTION(...) \
  JETSVC_THREAD_ANNOTATION(exclusive_trylock_function(__VA_ARGS__))
#define ASSERT_EXCLUSIVE_LOCK(...) \
  JETSVC_THREAD_ANNOTATION(assert_exclusive_lock(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS JETSVC_THREAD_ANNOTATION(no_thread_safety_analysis)

#endif  // JETSVC_ENGINE_UTIL_THREAD_ANNOTATIONS_H_
