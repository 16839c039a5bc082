// Annotated wrappers over the standard mutexes, so clang's thread-safety
// analysis can check GUARDED_BY members.
//
// Thread contract: as std::mutex / std::shared_mutex.

#ifndef JETSVC_ENGINE_UTIL_MUTEX_H_
#define JETSVC_ENGINE_UTIL_MUTEX_H_

#include <cassert>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "engine/util/thread_annotations.h"

namespace jetsvc {

class CondVar;

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() EXCLUSIVE_LOCK_FUNCTION() {
    mu_.lock();
#ifndef NDEBUG
    owner_ = std::this_thread::get_id();
#endif
  }
  void Unlock() UNLOCK_FUNCTION() {
#ifndef NDEBUG
    owner_ = std::thread::id();
#endif
    mu_.unlock();
  }
  bool TryLock() EXCLUSIVE_TRYLOCK_FUNCTION(true) {
    if (!mu_.try_lock()) return false;
#ifndef NDEBUG
    owner_ = std::this_thread::get_id();
#endif
    return true;
  }
  // Debug builds check that the calling thread holds the mutex.
  void AssertHeld() const ASSERT_EXCLUSIVE_LOCK() {
#ifndef NDEBUG
    assert(owner_ == std::this_thread::get_id());
#endif
  }

 private:
  friend class CondVar;
  std::mutex mu_;
#ifndef NDEBUG
  std::thread::id owner_;
#endif
};

class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex* mu) EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// Condition variable bound to one Mutex, which callers must hold. (Not
// annotated: clang's analysis cannot name the bound mutex at call sites;
// debug builds check the holder instead.)
class CondVar {
 public:
  explicit CondVar(Mutex* mu) : mu_(mu) {}
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void Wait() {
    mu_->AssertHeld();
    std::unique_lock<std::mutex> lock(mu_->mu_, std::adopt_lock);
#ifndef NDEBUG
    mu_->owner_ = std::thread::id();
#endif
    cv_.wait(lock);
#ifndef NDEBUG
    mu_->owner_ = std::this_thread::get_id();
#endif
    lock.release();
  }
  // Returns false if the wait timed out.
  bool WaitFor(std::chrono::microseconds timeout) {
    mu_->AssertHeld();
    std::unique_lock<std::mutex> lock(mu_->mu_, std::adopt_lock);
#ifndef NDEBUG
    mu_->owner_ = std::thread::id();
#endif
    const bool signalled = cv_.wait_for(lock, timeout) == std::cv_status::no_timeout;
#ifndef NDEBUG
    mu_->owner_ = std::this_thread::get_id();
#endif
    lock.release();
    return signalled;
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  Mutex* const mu_;
  std::condition_variable cv_;
};

class CAPABILITY("shared_mutex") SharedMutex {
 public:
  SharedMutex() = default;
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  void Lock() EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  void Unlock() UNLOCK_FUNCTION() { mu_.unlock(); }
  void LockShared() SHARED_LOCK_FUNCTION() { mu_.lock_shared(); }
  void UnlockShared() UNLOCK_FUNCTION() { mu_.unlock_shared(); }

 private:
  std::shared_mutex mu_;
};

class SCOPED_CAPABILITY ReaderLock {
 public:
  explicit ReaderLock(SharedMutex* mu) SHARED_LOCK_FUNCTION(mu) : mu_(mu) {
    mu_->LockShared();
  }
  ~ReaderLock() UNLOCK_FUNCTION() { mu_->UnlockShared(); }
  ReaderLock(const ReaderLock&) = delete;
  ReaderLock& operator=(const ReaderLock&) = delete;

 private:
  SharedMutex* const mu_;
};

class SCOPED_CAPABILITY WriterLock {
 public:
  explicit WriterLock(SharedMutex* mu) EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) {
    mu_->Lock();
  }
  ~WriterLock() UNLOCK_FUNCTION() { mu_->Unlock(); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  SharedMutex* const mu_;
};

}  // namespace jetsvc

#endif  // JETSVC_ENGINE_UTIL_MUTEX_H_
