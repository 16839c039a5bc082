// Child processes, the pipe protocol between them and the parent, and the
// result tables.
//
// Pipe protocol: one line per measurement, fields separated by tabs:
// label, value, seconds, bytes, note.

#include "bench/runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <thread>

namespace bench {
namespace {

std::string Sanitize(std::string text) {
  for (char& c : text) {
    if (c == '\t' || c == '\n') c = ' ';
  }
  return text;
}

bool ParseLine(const std::string& line, Measurement* m) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) fields.push_back(field);
  if (fields.size() < 4) return false;
  m->label = fields[0];
  m->value = std::strtod(fields[1].c_str(), nullptr);
  m->seconds = std::strtod(fields[2].c_str(), nullptr);
  m->bytes = std::strtod(fields[3].c_str(), nullptr);
  m->note = fields.size() > 4 ? fields[4] : "";
  return true;
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return std::string("killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  }
  return "ended with wait status " + std::to_string(status);
}

}  // namespace

void Reporter::Report(const Measurement& m) {
  char numbers[128];
  std::snprintf(numbers, sizeof(numbers), "\t%.17g\t%.17g\t%.17g\t", m.value, m.seconds, m.bytes);
  const std::string line = Sanitize(m.label) + numbers + Sanitize(m.note) + "\n";
  size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(4);  // the parent is gone
    done += static_cast<size_t>(n);
  }
}

ChildOutcome RunInChild(const std::function<void(Reporter&)>& body, double timeout_seconds,
                        const std::string& kill_on_label) {
  ChildOutcome outcome;
  int fds[2];
  if (::pipe(fds) != 0) {
    outcome.failure = std::string("pipe: ") + std::strerror(errno);
    return outcome;
  }
  std::fflush(nullptr);  // nothing buffered may be written twice
  const pid_t pid = ::fork();
  if (pid < 0) {
    outcome.failure = std::string("fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return outcome;
  }
  if (pid == 0) {
    ::close(fds[0]);
    Reporter reporter(fds[1]);
    body(reporter);
    std::fflush(nullptr);
    std::_Exit(0);
  }
  ::close(fds[1]);
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);

  const auto start = std::chrono::steady_clock::now();
  std::string pending;
  bool killed_on_request = false;
  bool timed_out = false;
  bool pipe_open = true;
  int status = 0;
  struct rusage usage;
  std::memset(&usage, 0, sizeof(usage));
  for (;;) {
    // Drain the pipe, so a chatty child never blocks on it.
    while (pipe_open) {
      char buffer[4096];
      const ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
      if (n > 0) {
        pending.append(buffer, static_cast<size_t>(n));
        continue;
      }
      if (n == 0) pipe_open = false;
      break;
    }
    size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      Measurement m;
      if (ParseLine(pending.substr(0, newline), &m)) {
        if (!kill_on_label.empty() && m.label == kill_on_label && !killed_on_request) {
          ::kill(pid, SIGKILL);
          killed_on_request = true;
        }
        outcome.measurements.push_back(m);
      }
      pending.erase(0, newline + 1);
    }
    const pid_t done = ::wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed > timeout_seconds && !timed_out) {
      ::kill(pid, SIGKILL);
      timed_out = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Whatever the child wrote last.
  for (;;) {
    char buffer[4096];
    const ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    pending.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  size_t newline;
  while ((newline = pending.find('\n')) != std::string::npos) {
    Measurement m;
    if (ParseLine(pending.substr(0, newline), &m)) outcome.measurements.push_back(m);
    pending.erase(0, newline + 1);
  }
  outcome.peak_rss_kib = usage.ru_maxrss;
  if (timed_out) {
    outcome.failure = "timed out after " + FormatFixed(timeout_seconds, 1) + " s";
  } else if (killed_on_request && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
    outcome.ok = true;
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    outcome.ok = true;
  } else {
    outcome.failure = DescribeStatus(status);
  }
  return outcome;
}

std::vector<Row> RowsOf(const std::string& engine, const ChildOutcome& outcome) {
  std::vector<Row> rows;
  for (const Measurement& m : outcome.measurements) {
    Row row;
    row.engine = engine;
    row.m = m;
    row.peak_rss_kib = outcome.peak_rss_kib;
    rows.push_back(row);
  }
  if (!outcome.ok) {
    Row row;
    row.engine = engine;
    row.ok = false;
    row.failure = outcome.failure;
    row.peak_rss_kib = outcome.peak_rss_kib;
    rows.push_back(row);
  }
  return rows;
}

std::string FormatCount(double value) {
  if (!std::isfinite(value)) return "-";
  const long long whole = std::llround(value);
  std::string digits = std::to_string(whole < 0 ? -whole : whole);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return whole < 0 ? "-" + out : out;
}

std::string FormatFixed(double value, int decimals) {
  if (!std::isfinite(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

void PrintTable(const std::string& title, const std::string& unit, const std::vector<Row>& rows) {
  std::printf("\n### %s\n\n", title.c_str());
  std::printf("| engine | case | %s | seconds | vs jetsvc | peak RSS MiB | note |\n", unit.c_str());
  std::printf("|---|---|---:|---:|---:|---:|---|\n");
  const bool per_second = unit.find("MiB") == std::string::npos;
  for (const Row& row : rows) {
    const std::string rss = FormatFixed(static_cast<double>(row.peak_rss_kib) / 1024.0, 0);
    if (!row.ok) {
      std::printf("| %s | | FAILED | | | %s | %s |\n", row.engine.c_str(), rss.c_str(),
                  row.failure.c_str());
      continue;
    }
    // The ratio to jetsvc's row of the same case, where some other engine
    // has that case too.
    bool compared = false;
    for (const Row& other : rows) {
      if (other.engine != "jetsvc" && other.ok && other.m.label == row.m.label) compared = true;
    }
    std::string ratio = "";
    for (const Row& base : rows) {
      if (compared && base.engine == "jetsvc" && base.ok && base.m.label == row.m.label &&
          base.m.value > 0 && row.m.value > 0) {
        ratio = FormatFixed(row.m.value / base.m.value, 2) + "x";
      }
    }
    const std::string value =
        row.m.value > 0 ? (per_second ? FormatCount(row.m.value) : FormatFixed(row.m.value, 1))
                        : "-";
    std::printf("| %s | %s | %s | %s | %s | %s | %s |\n", row.engine.c_str(), row.m.label.c_str(),
                value.c_str(), FormatFixed(row.m.seconds, 3).c_str(), ratio.c_str(), rss.c_str(),
                row.m.note.c_str());
  }
  std::fflush(stdout);
}

}  // namespace bench

namespace bench {

void PrintMemoryBound(const std::vector<Row>& rows, uint64_t cache_mb) {
  long peak_kib = 0;
  for (const Row& row : rows) {
    if (row.engine == "jetsvc") peak_kib = std::max(peak_kib, row.peak_rss_kib);
  }
  if (peak_kib == 0) return;
  const double peak_mib = static_cast<double>(peak_kib) / 1024.0;
  const double bound_mib = static_cast<double>(cache_mb + 64);
  std::printf("\njetsvc peak RSS %s MiB; bound = cache %s MiB + 64 MiB = %s MiB: %s\n",
              FormatFixed(peak_mib, 0).c_str(), FormatCount(static_cast<double>(cache_mb)).c_str(),
              FormatCount(bound_mib).c_str(),
              peak_mib <= bound_mib
                  ? "within"
                  : ("OVER by " + FormatFixed(peak_mib - bound_mib, 0) + " MiB").c_str());
  std::fflush(stdout);
}

}  // namespace bench
