// Logging: journald priority prefixes when JOURNAL_STREAM names stderr,
// timestamped plain lines otherwise, and the level changing at run time.

#include "platform/logging.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/log/core.hpp>
#include <boost/log/trivial.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/testing/test_util.h"

namespace jetsvc::platform {
namespace {

// Sends stderr to a file for the life of the object.
class CapturedStderr {
 public:
  explicit CapturedStderr(const std::string& path) : path_(path) {
    std::clog.flush();
    saved_ = ::dup(STDERR_FILENO);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~CapturedStderr() { Restore(); }
  void Restore() {
    if (saved_ < 0) return;
    std::clog.flush();
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
    saved_ = -1;
  }
  std::string Text() {
    Restore();
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::string path_;
  int saved_ = -1;
};

std::string StderrIdentity() {
  struct stat st;
  EXPECT_EQ(0, ::fstat(STDERR_FILENO, &st));
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

TEST(LoggingTest, JournalGetsPriorityPrefixesAndNoTimestamps) {
  testing::ScratchDir dir;
  CapturedStderr captured(dir.Join("stderr"));
  ::setenv("JOURNAL_STREAM", StderrIdentity().c_str(), 1);
  EXPECT_TRUE(StderrIsJournal());
  InitLogging("debug");
  BOOST_LOG_TRIVIAL(info) << "hello journal";
  BOOST_LOG_TRIVIAL(warning) << "careful";
  BOOST_LOG_TRIVIAL(error) << "broken";
  BOOST_LOG_TRIVIAL(debug) << "details";
  boost::log::core::get()->flush();
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_EQ("<6>hello journal\n<4>careful\n<3>broken\n<7>details\n", captured.Text());
}

TEST(LoggingTest, PlainLinesWhenStderrIsNotTheJournal) {
  testing::ScratchDir dir;
  CapturedStderr captured(dir.Join("stderr"));
  ::setenv("JOURNAL_STREAM", "1:2", 1);  // some other stream
  EXPECT_FALSE(StderrIsJournal());
  InitLogging("info");
  BOOST_LOG_TRIVIAL(info) << "plain line";
  BOOST_LOG_TRIVIAL(debug) << "hidden at info";
  boost::log::core::get()->flush();
  ::unsetenv("JOURNAL_STREAM");
  const std::string text = captured.Text();
  EXPECT_NE(std::string::npos, text.find("[info] plain line")) << text;
  EXPECT_EQ(std::string::npos, text.find("hidden")) << text;
  EXPECT_EQ(std::string::npos, text.find("<6>")) << text;
  // "2026-11-24 10:00:00.123456 [info] ..."
  EXPECT_EQ('-', text[4]) << text;
}

TEST(LoggingTest, LevelChangesAtRunTimeAndBadNamesAreRefused) {
  testing::ScratchDir dir;
  CapturedStderr captured(dir.Join("stderr"));
  ::unsetenv("JOURNAL_STREAM");
  InitLogging("warning");
  BOOST_LOG_TRIVIAL(info) << "before";
  EXPECT_TRUE(SetLogLevel("info"));
  BOOST_LOG_TRIVIAL(info) << "after";
  EXPECT_FALSE(SetLogLevel("loud"));
  EXPECT_FALSE(IsValidLogLevel("loud"));
  EXPECT_TRUE(IsValidLogLevel("trace"));
  BOOST_LOG_TRIVIAL(info) << "still info";
  boost::log::core::get()->flush();
  const std::string text = captured.Text();
  EXPECT_EQ(std::string::npos, text.find("before")) << text;
  EXPECT_NE(std::string::npos, text.find("after")) << text;
  EXPECT_NE(std::string::npos, text.find("still info")) << text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(LoggingTest, LogFileGetsTimestampedLinesAtTheLevelInEffect) {
  testing::ScratchDir dir;
  CapturedStderr captured(dir.Join("stderr"));
  ::unsetenv("JOURNAL_STREAM");
  InitLogging("info");
  const std::string path = dir.Join("logs/sub/jetsvc.log");  // directories are created
  std::string error;
  ASSERT_TRUE(AddLogFile(path, &error)) << error;
  BOOST_LOG_TRIVIAL(info) << "to the file";
  BOOST_LOG_TRIVIAL(debug) << "below the level";
  EXPECT_TRUE(SetLogLevel("debug"));
  BOOST_LOG_TRIVIAL(debug) << "now shown";
  boost::log::core::get()->flush();
  const std::string text = ReadFile(path);
  EXPECT_NE(std::string::npos, text.find("[info] to the file")) << text;
  EXPECT_EQ(std::string::npos, text.find("below the level")) << text;
  EXPECT_NE(std::string::npos, text.find("[debug] now shown")) << text;
  EXPECT_EQ('-', text[4]) << text;
  // stderr still gets the lines too.
  InitLogging("info");  // drops the file sink
  BOOST_LOG_TRIVIAL(info) << "after the file sink went";
  boost::log::core::get()->flush();
  EXPECT_EQ(std::string::npos, ReadFile(path).find("after the file sink went"));
  EXPECT_NE(std::string::npos, captured.Text().find("to the file"));
}

TEST(LoggingTest, LogFileIsAppendedToAcrossRestarts) {
  testing::ScratchDir dir;
  CapturedStderr captured(dir.Join("stderr"));
  const std::string path = dir.Join("jetsvc.log");
  for (const char* run : {"first run", "second run"}) {
    InitLogging("info");  // a new process: the old sinks go
    std::string error;
    ASSERT_TRUE(AddLogFile(path, &error)) << error;
    BOOST_LOG_TRIVIAL(info) << run;
    boost::log::core::get()->flush();
  }
  InitLogging("info");
  const std::string text = ReadFile(path);
  EXPECT_NE(std::string::npos, text.find("first run")) << text;
  EXPECT_NE(std::string::npos, text.find("second run")) << text;
}

TEST(LoggingTest, LogFileThatCannotBeOpenedIsAnErrorNamingIt) {
  testing::ScratchDir dir;
  // A directory where the file should be.
  const std::string path = dir.Join("taken");
  ASSERT_EQ(0, ::mkdir(path.c_str(), 0700));
  std::string error;
  EXPECT_FALSE(AddLogFile(path, &error));
  EXPECT_NE(std::string::npos, error.find(path)) << error;
  EXPECT_TRUE(PassesLogLevel(static_cast<int>(boost::log::trivial::fatal)));
}

}  // namespace
}  // namespace jetsvc::platform
