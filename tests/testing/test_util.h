// Helpers shared by the test suites: status assertions, scratch
// directories, seeded randomness.

#ifndef JETSVC_TESTS_TESTING_TEST_UTIL_H_
#define JETSVC_TESTS_TESTING_TEST_UTIL_H_

#include <cstdint>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "engine/util/status.h"

// Status assertions; extra context can be streamed: ASSERT_OK(s) << "round";
#define ASSERT_OK(expr) ASSERT_PRED_FORMAT1(::jetsvc::testing::StatusIsOk, expr)
#define EXPECT_OK(expr) EXPECT_PRED_FORMAT1(::jetsvc::testing::StatusIsOk, expr)
// Asserts a JET_ERR-returning C API call gives `expected`; more context
// can be streamed: ASSERT_JET(0, JetSeek(...)) << "key " << k;
#define ASSERT_JET(expected, expr) \
  ASSERT_EQ(static_cast<long>(expected), static_cast<long>(expr)) << #expr
#define EXPECT_JET(expected, expr) \
  EXPECT_EQ(static_cast<long>(expected), static_cast<long>(expr)) << #expr

namespace jetsvc::testing {

inline ::testing::AssertionResult StatusIsOk(const char* expr, const Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << expr << " -> " << status.ToString();
}

// A fresh, empty directory under $TMPDIR (or /tmp) named after the running
// test; removed by the destructor unless the test failed (kept for
// post-mortem) or JETSVC_KEEP_TEST_DIRS is set.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The seed for randomized tests: $JETSVC_TEST_SEED if set, else `fallback`.
// Tests print it so a failure can be replayed.
uint64_t TestSeed(uint64_t fallback);

// Removes a directory tree (tests only).
void RemoveTree(const std::string& path);

}  // namespace jetsvc::testing

#endif  // JETSVC_TESTS_TESTING_TEST_UTIL_H_
