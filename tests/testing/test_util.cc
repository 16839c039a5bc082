#include "tests/testing/test_util.h"

#include <cstdlib>
#include <filesystem>

namespace jetsvc::testing {

ScratchDir::ScratchDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string base = (tmp != nullptr && *tmp != '\0') ? tmp : "/tmp";
  std::string name = "jetsvc-test";
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    name += std::string("-") + info->test_suite_name() + "-" + info->name();
  }
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  std::random_device rd;
  path_ = base + "/" + name + "-" + std::to_string(rd() % 1000000);
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const bool failed = info != nullptr && info->result() != nullptr && info->result()->Failed();
  if (!failed && std::getenv("JETSVC_KEEP_TEST_DIRS") == nullptr) RemoveTree(path_);
}

uint64_t TestSeed(uint64_t fallback) {
  const char* env = std::getenv("JETSVC_TEST_SEED");
  if (env != nullptr && *env != '\0') return std::strtoull(env, nullptr, 0);
  return fallback;
}

void RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

}  // namespace jetsvc::testing
