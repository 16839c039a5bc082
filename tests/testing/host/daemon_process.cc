// DaemonProcess and RunProgram: see daemon_process.h.

#include "tests/testing/host/daemon_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace jetsvc::testing {

namespace {

using Clock = std::chrono::steady_clock;

// How often a wait looks at the child again.
constexpr auto kPollInterval = std::chrono::milliseconds(2);

// Variables that would tie a child to the test's own service manager,
// journal or buses, or hand it a state directory.
// clang-format off
const char* const kDroppedVariables[] = {
    "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "STATE_DIRECTORY",
    "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "DBUS_SYSTEM_BUS_ADDRESS",
    "DBUS_SESSION_BUS_ADDRESS"};
// clang-format on

constexpr char kWatchdogPid[] = "WATCHDOG_PID=";
// Room for the digits of any pid.
constexpr size_t kPidDigits = 20;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string VariableName(const std::string& assignment) {
  return assignment.substr(0, assignment.find('='));
}

// The test's environment minus kDroppedVariables and the variables `extra`
// sets, followed by `extra`.
std::vector<std::string> ChildEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> names;
  for (const char* name : kDroppedVariables) names.emplace_back(name);
  for (const std::string& assignment : extra) names.push_back(VariableName(assignment));
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string assignment = *entry;
    bool dropped = false;
    for (const std::string& name : names) dropped = dropped || VariableName(assignment) == name;
    if (!dropped) env.push_back(assignment);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// What the child does between fork and exec; everything is prepared
// before the fork, because only async-signal-safe calls are allowed in the
// child of a threaded process.
struct ChildPlan {
  std::vector<std::string> argv;
  std::vector<std::string> env;
  int out_fd = -1;  // becomes stdout
  int err_fd = -1;  // becomes stderr
  // The index in `env` of "WATCHDOG_PID=" plus kPidDigits of room, or -1.
  long watchdog_pid_entry = -1;
};

// Writes `pid` as decimal digits at `out` (which has kPidDigits + 1 bytes).
// Async-signal-safe.
void FormatPid(pid_t pid, char* out) {
  char digits[kPidDigits];
  size_t n = 0;
  unsigned long value = static_cast<unsigned long>(pid);
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0 && n < kPidDigits);
  for (size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
  out[n] = '\0';
}

[[noreturn]] void RunChild(ChildPlan& plan, pid_t parent, char* const* argv, char* const* envp) {
  // Die with the test; if the test already died, stop here.
  (void)::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(126);
  // A clean signal state: the test's mask and ignored signals must not
  // leak into the daemon.
  sigset_t none;
  sigemptyset(&none);
  (void)::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction default_action;
  std::memset(&default_action, 0, sizeof(default_action));
  default_action.sa_handler = SIG_DFL;
  for (int signal : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD}) {
    (void)::sigaction(signal, &default_action, nullptr);
  }
  const int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd < 0 || ::dup2(null_fd, 0) < 0 || ::dup2(plan.out_fd, 1) < 0 ||
      ::dup2(plan.err_fd, 2) < 0) {
    ::_exit(126);
  }
  // Only 0, 1 and 2 go to the program.
  if (::close_range(3, ~0u, 0) != 0) {
    for (int fd = 3; fd < 4096; ++fd) (void)::close(fd);
  }
  if (plan.watchdog_pid_entry >= 0) {
    char* entry = plan.env[static_cast<size_t>(plan.watchdog_pid_entry)].data();
    FormatPid(::getpid(), entry + sizeof(kWatchdogPid) - 1);
  }
  ::execve(argv[0], argv, envp);
  const char message[] = "daemon_process: cannot exec ";
  (void)!::write(2, message, sizeof(message) - 1);
  (void)!::write(2, argv[0], std::strlen(argv[0]));
  (void)!::write(2, "\n", 1);
  ::_exit(127);
}

// Forks a child that runs `plan`; its pid, or -1 and *error.
pid_t Spawn(ChildPlan& plan, std::string* error) {
  if (plan.argv.empty()) {
    *error = "no program to run";
    return -1;
  }
  std::vector<char*> argv, envp;
  for (std::string& arg : plan.argv) argv.push_back(arg.data());
  argv.push_back(nullptr);
  for (std::string& assignment : plan.env) envp.push_back(assignment.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    *error = Errno("fork");
    return -1;
  }
  if (pid == 0) RunChild(plan, parent, argv.data(), envp.data());
  return pid;
}

ExitStatus StatusFromWait(int wait_status) {
  ExitStatus status;
  if (WIFEXITED(wait_status)) {
    status.exited = true;
    status.code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    status.signal = WTERMSIG(wait_status);
  }
  return status;
}

// Waits for `pid` until `deadline`: the status once reaped, or nullopt
// (still running at the deadline, or *error set if waitpid failed).
std::optional<ExitStatus> WaitUntil(pid_t pid, Clock::time_point deadline, std::string* error) {
  for (;;) {
    int wait_status = 0;
    const pid_t reaped = ::waitpid(pid, &wait_status, WNOHANG);
    if (reaped == pid) return StatusFromWait(wait_status);
    if (reaped < 0 && errno != EINTR) {
      *error = Errno("waitpid");
      return std::nullopt;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

// SIGKILLs and reaps `pid`.
ExitStatus KillAndReap(pid_t pid) {
  (void)::kill(pid, SIGKILL);
  int wait_status = 0;
  while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  return StatusFromWait(wait_status);
}

// The whole contents of `fd` from offset 0.
std::string ReadAll(int fd) {
  std::string text;
  char buffer[65536];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof(buffer), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
    offset += n;
  }
  return text;
}

}  // namespace

std::string JetsvcPath() { return std::string(JETSVC_TEST_BINARY_DIR) + "/service/jetsvc"; }

std::string JetctlPath() { return std::string(JETSVC_TEST_BINARY_DIR) + "/service/jetctl"; }

std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = dir + "/" + name;
    struct stat info;
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return "";
}

std::string ExitStatus::ToString() const {
  if (!error.empty()) return error;
  std::string text;
  if (exited) {
    text = "exit code " + std::to_string(code);
  } else if (signal != 0) {
    text = "killed by signal " + std::to_string(signal) + " (" + ::strsignal(signal) + ")";
  } else {
    text = "not run";
  }
  return timed_out ? "did not exit in time, then " + text : text;
}

std::string ProgramOutput::Describe() const {
  return status.ToString() + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
}

ProgramOutput RunProgram(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                         std::chrono::milliseconds timeout) {
  ProgramOutput output;
  const int out_fd = ::memfd_create("stdout", MFD_CLOEXEC);
  const int err_fd = ::memfd_create("stderr", MFD_CLOEXEC);
  if (out_fd < 0 || err_fd < 0) {
    output.status.error = Errno("memfd_create");
    if (out_fd >= 0) ::close(out_fd);
    if (err_fd >= 0) ::close(err_fd);
    return output;
  }
  ChildPlan plan;
  plan.argv = argv;
  plan.env = ChildEnvironment(env);
  plan.out_fd = out_fd;
  plan.err_fd = err_fd;
  std::string error;
  const pid_t pid = Spawn(plan, &error);
  if (pid < 0) {
    output.status.error = error;
  } else {
    std::optional<ExitStatus> status = WaitUntil(pid, Clock::now() + timeout, &error);
    if (!status.has_value()) {
      status = KillAndReap(pid);
      status->timed_out = true;
      status->error = error;
    }
    output.status = *status;
  }
  output.out = ReadAll(out_fd);
  output.err = ReadAll(err_fd);
  ::close(out_fd);
  ::close(err_fd);
  return output;
}

ProgramOutput RunJetctl(const std::string& bus_address, const std::vector<std::string>& args,
                        std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {JetctlPath(), "--address", bus_address};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, {}, timeout);
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0 && !status_.has_value()) (void)Kill();
}

bool DaemonProcess::Start(const Options& options, std::string* error) {
  if (pid_ > 0) {
    *error = "already started";
    return false;
  }
  if (options.log_path.empty()) {
    *error = "no log_path";
    return false;
  }
  const int log_fd =
      ::open(options.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    *error = Errno("open " + options.log_path);
    return false;
  }
  ChildPlan plan;
  plan.argv.push_back(options.binary.empty() ? JetsvcPath() : options.binary);
  plan.argv.insert(plan.argv.end(), options.args.begin(), options.args.end());
  std::vector<std::string> env = options.env;
  if (!options.notify_socket.empty()) env.push_back("NOTIFY_SOCKET=" + options.notify_socket);
  if (options.watchdog.count() > 0) {
    env.push_back("WATCHDOG_USEC=" + std::to_string(options.watchdog.count()));
  }
  plan.env = ChildEnvironment(env);
  if (options.watchdog.count() > 0) {
    plan.watchdog_pid_entry = static_cast<long>(plan.env.size());
    plan.env.push_back(std::string(kWatchdogPid) + std::string(kPidDigits, '0'));
  }
  plan.out_fd = log_fd;
  plan.err_fd = log_fd;
  const pid_t pid = Spawn(plan, error);
  ::close(log_fd);
  if (pid < 0) return false;
  pid_ = pid;
  log_path_ = options.log_path;
  status_.reset();
  return true;
}

bool DaemonProcess::Reap(bool block) {
  if (status_.has_value()) return true;
  if (pid_ <= 0) return false;
  int wait_status = 0;
  pid_t reaped;
  do {
    reaped = ::waitpid(pid_, &wait_status, block ? 0 : WNOHANG);
  } while (reaped < 0 && errno == EINTR);
  if (reaped != pid_) return false;
  status_ = StatusFromWait(wait_status);
  return true;
}

bool DaemonProcess::Running() { return pid_ > 0 && !Reap(false); }

bool DaemonProcess::Signal(int signal) {
  if (!Running()) return false;
  return ::kill(pid_, signal) == 0;
}

ExitStatus DaemonProcess::Wait(std::chrono::milliseconds timeout) {
  if (status_.has_value()) return *status_;
  if (pid_ <= 0) {
    ExitStatus status;
    status.error = "not started";
    return status;
  }
  std::string error;
  std::optional<ExitStatus> status = WaitUntil(pid_, Clock::now() + timeout, &error);
  if (!status.has_value()) {
    status = KillAndReap(pid_);
    status->timed_out = true;
    status->error = error;
  }
  status_ = status;
  return *status_;
}

ExitStatus DaemonProcess::Kill() {
  if (status_.has_value()) return *status_;
  if (pid_ <= 0) {
    ExitStatus status;
    status.error = "not started";
    return status;
  }
  status_ = KillAndReap(pid_);
  return *status_;
}

std::string DaemonProcess::Log() const {
  if (log_path_.empty()) return "";
  std::ifstream file(log_path_, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

bool DaemonProcess::WaitForLog(const std::string& text, std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    // Read the log before looking at the child: a child that wrote the
    // line and then exited still counts.
    const bool exited = !Running();
    if (Log().find(text) != std::string::npos) return true;
    if (exited || Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace jetsvc::testing
