// Logging: see logging.h.

#include "platform/logging.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <ostream>

#include <boost/core/null_deleter.hpp>
#include <boost/log/attributes/value_extraction.hpp>
#include <boost/log/core.hpp>
#include <boost/log/expressions.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_file_backend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/support/date_time.hpp>
#include <boost/log/trivial.hpp>
#include <boost/log/utility/setup/common_attributes.hpp>
#include <boost/shared_ptr.hpp>
#include <boost/smart_ptr/make_shared_object.hpp>

namespace jetsvc {
namespace platform {

namespace logging = boost::log;
namespace trivial = boost::log::trivial;

namespace {

// The threshold the sink's filter reads; an atomic so SetLogLevel needs no
// lock against logging threads.
std::atomic<int> g_threshold{static_cast<int>(trivial::info)};

constexpr uintmax_t kLogFileRotationBytes = 16u << 20;
constexpr size_t kLogFilesKept = 4;

bool ParseLevel(const std::string& name, trivial::severity_level* level) {
  static const struct {
    const char* name;
    trivial::severity_level level;
  } kLevels[] = {{"trace", trivial::trace}, {"debug", trivial::debug},
                 {"info", trivial::info},   {"warning", trivial::warning},
                 {"error", trivial::error}, {"fatal", trivial::fatal}};
  for (const auto& entry : kLevels) {
    if (name == entry.name) {
      *level = entry.level;
      return true;
    }
  }
  return false;
}

// sd-daemon(3) priorities: 2 crit, 3 err, 4 warning, 6 info, 7 debug.
int SyslogPriority(trivial::severity_level level) {
  switch (level) {
    case trivial::fatal:
      return 2;
    case trivial::error:
      return 3;
    case trivial::warning:
      return 4;
    case trivial::info:
      return 6;
    default:
      return 7;
  }
}

bool ThresholdFilter(const logging::attribute_value_set& values) {
  auto severity = logging::extract<trivial::severity_level>("Severity", values);
  return severity && static_cast<int>(*severity) >= g_threshold.load(std::memory_order_relaxed);
}

// "2026-11-24 10:00:00.123456 [info] text". Adds the TimeStamp attribute
// (once) that it reads.
logging::formatter PlainFormatter() {
  static std::once_flag attributes_added;
  std::call_once(attributes_added, [] { logging::add_common_attributes(); });
  namespace expr = logging::expressions;
  return expr::stream << expr::format_date_time<boost::posix_time::ptime>(
                             "TimeStamp", "%Y-%m-%d %H:%M:%S.%f")
                      << " [" << trivial::severity << "] " << expr::smessage;
}

}  // namespace

bool PassesLogLevel(int severity) {
  return severity >= g_threshold.load(std::memory_order_relaxed);
}

bool AddLogFile(const std::string& path, std::string* error) {
  namespace keywords = logging::keywords;
  namespace sinks = logging::sinks;
  const std::filesystem::path file(path);
  std::error_code ec;
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
  std::filesystem::create_directories(dir, ec);
  // Opening it here gives the error now, with the file's name, rather than
  // a silent sink later.
  std::ofstream probe(file, std::ios::app);
  if (!probe) {
    *error = "cannot open the log file " + path + ": " +
             (ec ? ec.message() : std::string("cannot create or append"));
    return false;
  }
  probe.close();
  try {
    auto backend = boost::make_shared<sinks::text_file_backend>(
        keywords::file_name = file.string(), keywords::open_mode = std::ios::app,
        keywords::rotation_size = kLogFileRotationBytes,
        keywords::target_file_name = file.filename().string() + ".%N", keywords::auto_flush = true,
        // A restart appends to the same file: no rotation when the sink
        // closes at exit.
        keywords::enable_final_rotation = false);
    backend->set_file_collector(
        sinks::file::make_collector(keywords::target = dir.string(),
                                    keywords::max_files = kLogFilesKept));
    backend->scan_for_files();
    auto sink = boost::make_shared<sinks::synchronous_sink<sinks::text_file_backend>>(backend);
    sink->set_filter(&ThresholdFilter);
    sink->set_formatter(PlainFormatter());
    logging::core::get()->add_sink(sink);
  } catch (const std::exception& e) {
    *error = "cannot log to " + path + ": " + e.what();
    return false;
  }
  return true;
}

bool IsValidLogLevel(const std::string& level) {
  trivial::severity_level parsed;
  return ParseLevel(level, &parsed);
}

bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  unsigned long long device = 0, inode = 0;
  if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
  struct stat st;
  if (::fstat(STDERR_FILENO, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == device &&
         static_cast<unsigned long long>(st.st_ino) == inode;
}

void InitLogging(const std::string& level) {
  (void)SetLogLevel(level);
  using Backend = logging::sinks::text_ostream_backend;
  auto backend = boost::make_shared<Backend>();
  backend->add_stream(boost::shared_ptr<std::ostream>(&std::clog, boost::null_deleter()));
  backend->auto_flush(true);
  auto sink = boost::make_shared<logging::sinks::synchronous_sink<Backend>>(backend);
  sink->set_filter(&ThresholdFilter);
  if (StderrIsJournal()) {
    sink->set_formatter([](const logging::record_view& record, logging::formatting_ostream& out) {
      auto severity = logging::extract<trivial::severity_level>("Severity", record);
      out << '<' << SyslogPriority(severity ? *severity : trivial::info) << '>'
          << record[logging::expressions::smessage];
    });
  } else {
    sink->set_formatter(PlainFormatter());
  }
  logging::core::get()->remove_all_sinks();
  logging::core::get()->add_sink(sink);
}

bool SetLogLevel(const std::string& level) {
  trivial::severity_level parsed;
  if (!ParseLevel(level, &parsed)) return false;
  g_threshold.store(static_cast<int>(parsed), std::memory_order_relaxed);
  return true;
}

}  // namespace platform
}  // namespace jetsvc
