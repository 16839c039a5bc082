// runner.h: runs each engine's part of a workload in a forked child process
// and prints the results as Markdown tables.
//
// Why a child per part: each engine's peak memory is read from wait4()'s
// rusage, so engines cannot pollute each other's figures (or the parent's),
// and a failing engine ends only its own process.
//
// Thread contract: the parent is single-threaded; RunInChild() must be
// called with no other threads running (it forks).

#ifndef JETSVC_BENCH_RUNNER_H_
#define JETSVC_BENCH_RUNNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bench {

// One measured figure, as the child reports it.
struct Measurement {
  std::string label;   // the case: "fillseq", "8 threads", "20 MiB", "ready"
  double value = 0;    // the rate (ops/s or MiB/s), or a count
  double seconds = 0;  // the time measured
  double bytes = 0;    // bytes involved, if any
  std::string note;    // free text (no tabs or newlines)
};

// The child's side of the pipe to the parent.
class Reporter {
 public:
  explicit Reporter(int fd) : fd_(fd) {}
  void Report(const Measurement& measurement);

 private:
  int fd_;
};

// What the parent learned about one child.
struct ChildOutcome {
  std::vector<Measurement> measurements;
  long peak_rss_kib = 0;  // ru_maxrss of the child (and of children it waited for)
  bool ok = false;        // exited with status 0 (or was killed on request)
  std::string failure;    // how it ended otherwise
};

// Forks; the child runs `body` and exits. Waits at most `timeout_seconds`,
// then kills the child. With a non-empty `kill_on_label`, SIGKILLs the child
// as soon as it reports a measurement with that label (the crash point of
// the recovery workload) and counts that as success.
ChildOutcome RunInChild(const std::function<void(Reporter&)>& body, double timeout_seconds,
                        const std::string& kill_on_label = "");

// One line of a result table.
struct Row {
  std::string engine;
  Measurement m;
  long peak_rss_kib = 0;
  bool ok = true;
  std::string failure;
};

// Rows from one child outcome, one per measurement (or one failure row).
std::vector<Row> RowsOf(const std::string& engine, const ChildOutcome& outcome);

// Prints a Markdown table: engine, case, `unit`, seconds, ratio to jetsvc's
// value for the same case, peak RSS, note.
void PrintTable(const std::string& title, const std::string& unit, const std::vector<Row>& rows);

// Prints jetsvc's largest peak RSS in `rows` against the bound of issue 2:
// its cache plus 64 MiB.
void PrintMemoryBound(const std::vector<Row>& rows, uint64_t cache_mb);

// "1,234,567" and friends, for tables and notes.
std::string FormatCount(double value);
std::string FormatFixed(double value, int decimals);

}  // namespace bench

#endif  // JETSVC_BENCH_RUNNER_H_
