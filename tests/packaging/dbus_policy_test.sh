#!/usr/bin/env bash
# packaging_dbus_policy: the shipped system bus policy
# (packaging/org.jetsvc.Jetsvc1.conf) parses, and a private dbus-daemon that
# loads it under a system-bus-like default policy enforces what the file
# promises: only the service user owns the name, Manager methods are root's,
# Store methods are root's and the jetsvc group's, and everyone may
# introspect and read (not set) properties.
#
# Usage: dbus_policy_test.sh POLICY_FILE
#
# The policy names the user and group jetsvc, which a build machine lacks
# (dbus-daemon ignores rules for unknown users). The enforcement part runs on
# a copy in which user jetsvc is replaced by the system user "daemon" and
# group jetsvc by the group "bin", and runs the clients under those
# identities with setpriv; so it needs root.
set -euo pipefail

policy=${1:?usage: dbus_policy_test.sh POLICY_FILE}
here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3  # the Debian interpreter, which has python3-dbus
name=org.jetsvc.Jetsvc1
path=/org/jetsvc/Jetsvc1

fail() { echo "FAIL: $*" >&2; exit 1; }

[ -r "$policy" ] || fail "cannot read $policy"
for tool in dbus-daemon dbus-send setpriv "$python"; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/deps.sh installs it)"
done
"$python" -c 'import dbus, gi.repository.GLib' ||
  fail "$python lacks dbus or gi (packages python3-dbus python3-gi, scripts/deps.sh)"
[ "$(id -u)" = 0 ] || fail "must run as root: the enforcement checks switch users with setpriv"
for who in daemon bin nobody; do
  getent passwd "$who" >/dev/null || fail "system user $who is missing"
done
getent group bin >/dev/null || fail "system group bin is missing"

work=$(mktemp -d /tmp/jetsvc-policy.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A bus whose default policy is the one of Debian's system.conf (deny owning
# names and method calls, allow signals, requested replies and the bus
# driver), plus the policy under test. $1: file to include; $2: socket.
write_bus_config() {
  cat <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$2</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
  </policy>
  <include>$1</include>
</busconfig>
EOF
}

# Starts dbus-daemon on config $1; sets bus_address and records the pid.
start_bus() {
  local out=$work/bus.out
  dbus-daemon --config-file="$1" --fork --print-address=3 --print-pid=4 \
    3>"$out.addr" 4>"$out.pid" 2>"$out.err" ||
    { cat "$out.err" >&2; fail "dbus-daemon refused config $1"; }
  bus_address=$(head -n1 "$out.addr")
  pids+=("$(head -n1 "$out.pid")")
  [ -n "$bus_address" ] || fail "dbus-daemon printed no address"
}

# --- 1. The shipped file, unmodified, parses. --------------------------------
write_bus_config "$(realpath "$policy")" "$work/parse.sock" >"$work/parse.conf"
start_bus "$work/parse.conf"
# The only complaints allowed are about the jetsvc user and group, which
# this machine may lack.
if grep -v -e 'Unknown username "jetsvc"' -e 'Unknown group "jetsvc"' "$work/bus.out.err" | grep -q .; then
  cat "$work/bus.out.err" >&2
  fail "dbus-daemon complained about the policy"
fi
echo "ok: $policy parses"

# --- 2. Enforcement, with jetsvc mapped onto existing accounts. --------------
mapped=$work/mapped.conf
sed -e 's/user="jetsvc"/user="daemon"/g' -e 's/group="jetsvc"/group="bin"/g' "$policy" >"$mapped"
chmod 644 "$mapped"
[ "$(grep -c 'user="daemon"' "$mapped")" = 1 ] || fail "expected exactly one policy for user jetsvc"
[ "$(grep -c 'group="bin"' "$mapped")" = 1 ] || fail "expected exactly one policy for group jetsvc"
grep -q jetsvc <(grep -o '\(user\|group\)="[^"]*"' "$mapped") && fail "unmapped jetsvc principal left"

write_bus_config "$mapped" "$work/enforce.sock" >"$work/enforce.conf"
start_bus "$work/enforce.conf"
if [ -s "$work/bus.out.err" ]; then
  cat "$work/bus.out.err" >&2
  fail "dbus-daemon complained about the mapped policy"
fi

as_service=(setpriv --reuid=daemon --regid=daemon --init-groups)
as_member=(setpriv --reuid=bin --regid=bin --init-groups)
as_other=(setpriv --reuid=nobody --regid=nogroup --clear-groups)

# Owning the name: refused to root, to a group member and to anyone else;
# granted to the service user (who keeps it for the call checks).
for who in root member other; do
  case $who in
    root) run=() ;;
    member) run=("${as_member[@]}") ;;
    other) run=("${as_other[@]}") ;;
  esac
  out=$(timeout 20 "${run[@]}" "$python" "$here/echo_service.py" "$bus_address" "$name" || true)
  [ "$out" = org.freedesktop.DBus.Error.AccessDenied ] ||
    fail "$who was not refused the name $name (got: '$out')"
  echo "ok: $who may not own $name"
done

"${as_service[@]}" "$python" "$here/echo_service.py" "$bus_address" "$name" >"$work/owner.out" 2>&1 &
pids+=("$!")
for _ in $(seq 1 200); do
  grep -q . "$work/owner.out" && break
  sleep 0.05
done
[ "$(head -n1 "$work/owner.out")" = owned ] ||
  { cat "$work/owner.out" >&2; fail "the service user could not own $name"; }
echo "ok: the service user owns $name"

# call WHO EXPECT INTERFACE.MEMBER [ARGS...]: EXPECT is allow or deny.
call() {
  local who=$1 expect=$2 method=$3
  shift 3
  local run=()
  case $who in
    root) ;;
    member) run=("${as_member[@]}") ;;
    other) run=("${as_other[@]}") ;;
    *) fail "bad caller $who" ;;
  esac
  local out rc=0
  out=$(timeout 20 "${run[@]}" dbus-send --bus="$bus_address" --print-reply --reply-timeout=10000 \
    --dest="$name" "$path" "$method" "$@" 2>&1) || rc=$?
  case $expect in
    allow)
      [ "$rc" = 0 ] || fail "$who calling $method: expected the call through, got: $out" ;;
    deny)
      if [ "$rc" = 0 ] || ! grep -q 'org.freedesktop.DBus.Error.AccessDenied' <<<"$out"; then
        fail "$who calling $method: expected AccessDenied, got (rc $rc): $out"
      fi ;;
  esac
  echo "ok: $who $expect $method"
}

manager=org.jetsvc.Jetsvc1.Manager
store=org.jetsvc.Jetsvc1.Store
props=org.freedesktop.DBus.Properties

for m in PrepareStop Resume StartDefragment StopDefragment; do
  call root allow "$manager.$m"
  call member deny "$manager.$m"
  call other deny "$manager.$m"
done
for m in Put Get Delete Scan PutBatch; do
  call root allow "$store.$m"
  call member allow "$store.$m"
  call other deny "$store.$m"
done
for who in root member other; do
  call "$who" allow org.freedesktop.DBus.Introspectable.Introspect
  call "$who" allow org.freedesktop.DBus.Peer.Ping
  call "$who" allow "$props.Get" string:$manager string:State
  call "$who" allow "$props.GetAll" string:$manager
done
call root allow "$props.Set" string:$manager string:State variant:string:x
call member deny "$props.Set" string:$manager string:State variant:string:x
call other deny "$props.Set" string:$manager string:State variant:string:x
# Unknown interfaces of the object are root's too.
call member deny org.example.Other.Method
call other deny org.example.Other.Method

echo "PASS: D-Bus policy"
