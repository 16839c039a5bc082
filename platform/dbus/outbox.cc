// Outbox: see outbox.h.

#include "platform/dbus/outbox.h"

#include <exception>
#include <utility>

#include <boost/log/trivial.hpp>

namespace jetsvc {
namespace platform {

Outbox::Outbox() : thread_([this] { Run(); }) {}

Outbox::~Outbox() { Close(); }

bool Outbox::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!closed_) {
      queue_.push_back(std::move(task));
      wake_.notify_one();
      return true;
    }
  }
  return false;  // `task` is destroyed here, outside the lock
}

void Outbox::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void Outbox::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return closed_ || !queue_.empty(); });
    if (queue_.empty()) return;  // closed and drained
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    try {
      task();
    } catch (const std::exception& e) {
      BOOST_LOG_TRIVIAL(warning) << "D-Bus: a signal or reply could not be sent: " << e.what()
                                 << ", ignoring";
    } catch (...) {
      BOOST_LOG_TRIVIAL(warning) << "D-Bus: a signal or reply could not be sent, ignoring";
    }
    task = nullptr;  // destroy captures before taking the lock again
    lock.lock();
  }
}

}  // namespace platform
}  // namespace jetsvc
