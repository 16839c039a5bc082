#!/usr/bin/env bash
# The Windows service end to end under Wine (CTest: windows_service, in the
# MinGW build; scripts/test-windows.sh runs it).
#
# Wine cannot deliver PRESHUTDOWN or SHUTDOWN (os-lifecycle §2), so the
# stop sequence is driven by STOP and by user control 128, which reach the
# same routine as PRESHUTDOWN (scm_service.cc's MapControl, unit-tested).
#
#   run 1: install (config read back from the SCM), second install refused,
#          start (START_PENDING -> RUNNING), put, bulk load, control 128
#          (the resumable prepare: state prepared, dirty pages 0, the API
#          answers as ESE's does), 129 (resume), more load, unknown control
#          refused with ERROR_CALL_NOT_IMPLEMENTED, PARAMCHANGE (reload),
#          STOP: STOP_PENDING with rising checkpoints and wait hints, then
#          STOPPED with exit code 0
#   run 2: start, every value is back, jetctl prepare-stop (JetStopService
#          All: the API refuses with exit code 3), STOP, STOPPED 0
#   run 3: a bad config: STOPPED with ERROR_SERVICE_SPECIFIC_ERROR (1066)
#          and exit code 2; --check-config names the option
#   the event-log sink: info, warning and error events (Wine's stub
#          ReportEventW prints them on its eventlog debug channel)
#   console mode: jetsvc.exe from a console runs in the foreground on the
#          same data; Ctrl+C (SIGINT under Wine) stops it cleanly
#   uninstall while running refused; uninstall; a second one says why
#
# The test has its own Wine prefix and wineserver.
#
# Usage: service_test.sh BUILD_DIR
set -euo pipefail

build=$(cd "$1" && pwd)
jetsvc_exe=$build/service/jetsvc.exe
jetctl_exe=$build/platform/windows/jetctl.exe
svcctl_exe=$build/tests/tools/svcctl.exe
load_exe=$build/tests/tools/pipe_load.exe
for exe in "$jetsvc_exe" "$jetctl_exe" "$svcctl_exe" "$load_exe"; do
  [[ -f $exe ]] || { echo "missing $exe: build it first" >&2; exit 1; }
done

work=$(mktemp -d /tmp/jetsvc-wsvc.XXXXXX)
export WINEPREFIX=$work/prefix
export WINEARCH=win64
export WINEDLLOVERRIDES="mscoree,mshtml="
export WINEDEBUG=-all
wineserver=/usr/lib/wine/wineserver64
[[ -x $wineserver ]] || wineserver=$(command -v wineserver)
# A copy of the suite's prefix when there is one (seconds instead of a new
# wineboot -i).
if [[ -n ${JETSVC_WINEPREFIX_TEMPLATE:-} && -f $JETSVC_WINEPREFIX_TEMPLATE/system.reg ]]; then
  cp -a "$JETSVC_WINEPREFIX_TEMPLATE" "$WINEPREFIX"
fi
cleanup() {
  "$wineserver" -k 2>/dev/null || true
  if [[ ${KEEP_WORK:-0} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
if [[ ! -f $WINEPREFIX/system.reg ]]; then
  wine wineboot -i >/dev/null 2>&1 </dev/null || true
  "$wineserver" -w
fi
"$wineserver" -p
# services.exe starts now, its output on wine.log (not on ctest's pipe).
wine wineboot >"$work/wine.log" 2>&1 </dev/null

failures=0
step() { echo "== $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() {  # check DESCRIPTION COMMAND...: the command must succeed
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else fail "$what"; fi
}
# Wine's console output ends lines with CR LF: the CRs go.
w() { wine "$@" </dev/null 2>>"$work/client.err" | tr -d '\r'; }
w2() { wine "$@" </dev/null 2>&1 | tr -d '\r'; }  # stderr too
# A Unix path as Wine sees it: drive Z: is / in every prefix. (winepath, a
# Wine program itself, is slower and once returned nothing under load.)
winpath() { printf 'Z:%s' "${1//\//\\}"; }

pipe=jetsvc-test-$$
conf=$work/jetsvc.conf
data=$work/data
write_config() {
  cat >"$conf" <<EOF
[service]
data-dir = $(winpath "$data")
[windows]
pipe-name = $pipe
preshutdown-timeout-ms = 90000
[engine]
checkpoint-depth-max = 1073741824
EOF
}
write_config
ctl() { w "$jetctl_exe" --pipe "$pipe" "$@"; }
# Waits until a `svcctl watch` has printed its first status (it sees the
# whole stop only if it polls before the stop begins).
wait_for_watcher() {
  for _ in $(seq 1 200); do
    grep -q "state=RUNNING" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  fail "the status watcher did not start"
}

step "install"
w "$jetsvc_exe" uninstall >/dev/null 2>&1 || true
out=$(w "$jetsvc_exe" install --config "$(winpath "$conf")") || fail "install: exit $?"
echo "$out"
check "install names the service" grep -q "installed service jetsvc" <<<"$out"
config=$(w "$svcctl_exe" config jetsvc) || fail "svcctl config"
echo "$config"
check "command line: quoted program path, then --config" \
  grep -qE '^command_line="[^"]*jetsvc\.exe" --config ' <<<"$config"
check "preshutdown timeout from the config" grep -qx "preshutdown_timeout_ms=90000" <<<"$config"
# Wine 8 accepts SERVICE_CONFIG_FAILURE_ACTIONS and keeps nothing (a FIXME
# in its services.exe): an empty read-back is Wine's, anything else must
# be exactly ours.
actions=$(grep '^failure_action=' <<<"$config" | tr '\n' ' ' || true)
if [[ -z $actions ]]; then
  echo "note: this SCM keeps no failure actions (Wine)"
else
  check "failure actions: restart, restart, none" test "$actions" = \
    "failure_action=1/5000 failure_action=1/30000 failure_action=0/0 "
  check "failure count reset after a day" grep -qx "failure_reset_seconds=86400" <<<"$config"
fi
# Wine 8 has no SERVICE_CONFIG_FAILURE_ACTIONS_FLAG: install says so.
if grep -q "does not support SERVICE_CONFIG_FAILURE_ACTIONS_FLAG" "$work/client.err"; then
  echo "note: this SCM has no failure-actions flag (Wine); install said so"
else
  check "failure actions on non-crash failures" grep -qx "failure_actions_on_non_crash=1" <<<"$config"
fi
check "auto start" grep -qx "auto_start=1" <<<"$config"
check "description" grep -q "^description=.*PRESHUTDOWN" <<<"$config"
check "event-log source registered" grep -qx "event_source_registered=1" <<<"$config"
set +e
again=$(w2 "$jetsvc_exe" install --config "$(winpath "$conf")")
code=$?
set -e
check "a second install fails" test "$code" -ne 0
check "and says the service exists" grep -q "already exists" <<<"$again"
check "and changes nothing" test "$(w "$svcctl_exe" config jetsvc)" = "$config"

step "run 1: start"
w sc start jetsvc >/dev/null || fail "sc start"
started=$(w "$svcctl_exe" watch jetsvc RUNNING 60000) || fail "not RUNNING: $started"
echo "$started"
check "RUNNING accepts STOP, SHUTDOWN, PARAMCHANGE, PRESHUTDOWN (0x10d)" \
  grep -q "state=RUNNING .*controls=0x10d" <<<"$started"
check "put" ctl put greeting hello
check "get" test "$(ctl get greeting)" = "hello"
check "bulk load 64 MiB (lazy)" w "$load_exe" "$pipe" write 64
status=$(ctl status)
echo "$status"
check "dirty pages before the prepare" grep -qE "^Dirty pages: *[1-9]" <<<"$status"

step "run 1: control 128 (the resumable prepare)"
check "control 128 accepted" w "$svcctl_exe" control jetsvc 128
prepared=""
for _ in $(seq 1 300); do
  status=$(ctl status) || true
  if grep -q "prepared" <<<"$status"; then
    prepared=yes
    break
  fi
  sleep 0.1
done
echo "$status"
check "state prepared" test "$prepared" = yes
check "no dirty page left" grep -qE "^Dirty pages: *0$" <<<"$status"
check "the prepare's duration is shown" grep -qE "^Last prepare took: *[0-9]" <<<"$status"
check "the API answers during a resumable prepare (as ESE's)" ctl put during-prepare yes
check "control 129 accepted" w "$svcctl_exe" control jetsvc 129
for _ in $(seq 1 100); do
  status=$(ctl status) || true
  grep -q "running" <<<"$status" && break
  sleep 0.1
done
check "running again after 129" grep -q "running" <<<"$status"

step "run 1: other controls"
set +e
unknown=$(w "$svcctl_exe" control jetsvc 200)
set -e
echo "$unknown"
# HandlerEx answers ERROR_CALL_NOT_IMPLEMENTED (scm_test checks the
# mapping); Wine's ControlService does not pass a handler's result back.
if ! grep -q "^result 120 " <<<"$unknown"; then
  echo "note: this SCM did not pass HandlerEx's result back (Wine)"
fi
check "still RUNNING after an unknown control" grep -q "state=RUNNING" <<<"$(w "$svcctl_exe" query jetsvc)"
check "PARAMCHANGE (reload) accepted" w "$svcctl_exe" control jetsvc 6

step "run 1: STOP"
check "bulk load 96 MiB more" w "$load_exe" "$pipe" write 96
# Not through w's tr, which would hold the lines back until the end.
wine "$svcctl_exe" watch jetsvc STOPPED 120000 </dev/null >"$work/stop.watch" 2>>"$work/client.err" &
watcher=$!
wait_for_watcher "$work/stop.watch"
w sc stop jetsvc >/dev/null || fail "sc stop"
wait "$watcher" || fail "not STOPPED"
cat "$work/stop.watch"
checkpoints=$(grep "state=STOP_PENDING" "$work/stop.watch" | sed 's/.*checkpoint=\([0-9]*\).*/\1/')
check "at least two STOP_PENDING steps" test "$(wc -l <<<"$checkpoints")" -ge 2
check "checkpoints rise" test "$(sort -n <<<"$checkpoints" | uniq)" = "$checkpoints"
check "wait hints are given" bash -c "! grep 'state=STOP_PENDING' '$work/stop.watch' | grep -q 'wait_hint=0 '"
check "STOPPED with exit code 0" grep -q "state=STOPPED checkpoint=0 wait_hint=0 win32_exit=0 specific_exit=0" "$work/stop.watch"
check "the log file tells the stop" grep -q "JetTerm took" "$data/jetsvc.log"

step "run 2: restart finds the data"
w sc start jetsvc >/dev/null || fail "sc start (2)"
w "$svcctl_exe" watch jetsvc RUNNING 60000 >/dev/null || fail "not RUNNING (2)"
check "greeting is back" test "$(ctl get greeting)" = "hello"
check "the value put during the prepare is back" test "$(ctl get during-prepare)" = "yes"
# The second load rewrote the first one's keys and added more: 96 MiB.
check "all bulk values are back" w "$load_exe" "$pipe" verify 96
check "a clean restart replayed nothing" bash -c "grep -q 'shut down cleanly' '$data/jetsvc.log'"
check "prepare-stop (JetStopServiceInstance2 All)" ctl prepare-stop
set +e
ctl put refused no >/dev/null 2>&1
code=$?
set -e
check "the API refuses after prepare-stop: exit code 3" test "$code" -eq 3
set +e
running_uninstall=$(w2 "$jetsvc_exe" uninstall)
code=$?
set -e
check "uninstall while running is refused" test "$code" -ne 0
check "and says to stop it first" grep -q "stop it first" <<<"$running_uninstall"
# Not through w's tr, which would hold the lines back until the end.
wine "$svcctl_exe" watch jetsvc STOPPED 60000 </dev/null >"$work/stop2.watch" 2>>"$work/client.err" &
watcher=$!
wait_for_watcher "$work/stop2.watch"
w sc stop jetsvc >/dev/null || fail "sc stop (2)"
wait "$watcher" || fail "not STOPPED (2)"
check "STOPPED with exit code 0 (2)" grep -q "state=STOPPED .*win32_exit=0 specific_exit=0" "$work/stop2.watch"

step "run 3: a bad config"
echo "cache-size-max = lots" >>"$conf"
w sc start jetsvc >/dev/null 2>&1 || true
w "$svcctl_exe" watch jetsvc STOPPED 60000 >"$work/bad.watch" || fail "not STOPPED (3)"
cat "$work/bad.watch"
check "STOPPED with ERROR_SERVICE_SPECIFIC_ERROR and exit code 2" \
  grep -q "state=STOPPED .*win32_exit=1066 specific_exit=2" "$work/bad.watch"
# What the event-log entry says (the sink itself is checked below), as a
# user would see it with the same loader from a console:
set +e
checked=$(w2 "$jetsvc_exe" --config "$(winpath "$conf")" --check-config)
set -e
echo "$checked"
check "--check-config names the option and the value" grep -q "cache-size-max.*lots" <<<"$checked"
write_config

step "the event-log sink"
# Wine's ReportEventW keeps nothing and prints each event's strings on the
# eventlog debug channel; the service process does not get our WINEDEBUG
# (services.exe gives it the system environment), so the same sink runs
# here in svcctl.exe. On Windows the Event Viewer shows the entries of
# source jetsvc rendered with the message table (messages.mc).
WINEDEBUG=-all,+eventlog wine "$svcctl_exe" eventlog jetsvc "probe-$$" </dev/null >/dev/null \
  2>"$work/eventlog.txt" || fail "svcctl eventlog"
grep "probe-$$" "$work/eventlog.txt" | head -5
check "an information event" grep -q "info probe-$$" "$work/eventlog.txt"
check "a warning event" grep -q "warning probe-$$" "$work/eventlog.txt"
check "an error event" grep -q "error probe-$$" "$work/eventlog.txt"
check "nothing below the level" bash -c "! grep -q 'debug probe-$$' '$work/eventlog.txt'"
# What the Event Viewer renders: the message table inside jetsvc.exe (the
# source's EventMessageFile) turns each event ID into its text.
for id in 40000001 80000002 c0000003; do
  check "message 0x$id renders the line" \
    test "$(w "$svcctl_exe" render "$(winpath "$jetsvc_exe")" "$id" "rendered-$id")" = "rendered-$id"
done
set +e
w "$svcctl_exe" render "$(winpath "$jetsvc_exe")" 40000009 x >/dev/null
code=$?
set -e
check "an unknown message ID does not render" test "$code" -ne 0

step "console mode (not started by the SCM)"
# StartServiceCtrlDispatcherW fails (1063) and jetsvc.exe runs in the
# foreground on the same data; Wine turns SIGINT into CTRL_C_EVENT.
wine "$jetsvc_exe" --config "$(winpath "$conf")" >"$work/console.out" 2>&1 </dev/null &
console_pid=$!
for _ in $(seq 1 300); do
  grep -q "ready:" "$work/console.out" && break
  sleep 0.2
done
check "console mode is ready" grep -q "starting in the foreground" "$work/console.out"
check "the service's data is there" test "$(ctl get greeting)" = "hello"
kill -INT "$console_pid"
set +e
wait "$console_pid"
code=$?
set -e
tr -d '\r' <"$work/console.out" | tail -4
check "Ctrl+C stops it with exit code 0" test "$code" -eq 0
check "through the same stop routine" grep -q "stop requested: Ctrl+C" "$work/console.out"
check "ending with JetTerm" grep -q "JetTerm took" "$work/console.out"

step "uninstall"
check "uninstall" w "$jetsvc_exe" uninstall
set +e
w "$svcctl_exe" query jetsvc >/dev/null 2>&1
code=$?
gone=$(w2 "$jetsvc_exe" uninstall)
set -e
check "the service is gone" test "$code" -ne 0
check "a second uninstall says it is not installed" grep -q "not installed" <<<"$gone"

if ((failures)); then
  echo "$failures check(s) failed; client stderr:"
  cat "$work/client.err"
  echo "--- service log"
  tail -40 "$data/jetsvc.log" 2>/dev/null || true
  exit 1
fi
echo "all checks passed"
