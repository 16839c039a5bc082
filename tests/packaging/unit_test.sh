#!/usr/bin/env bash
# packaging_unit_verify / packaging_unit_security: offline checks of the
# systemd unit (packaging/jetsvc.service.in) with systemd-analyze.
#
# Usage: unit_test.sh verify|security TEMPLATE JETSVC JETCTL
#
# The unit is configured as install does, except that ExecStart= and
# ExecStop= point at JETSVC and JETCTL (the built binaries), because verify
# checks that every executable exists.
#   verify:   `systemd-analyze verify` must exit 0 and print nothing on
#             stderr (unknown keys and bad values are only warnings there).
#   security: `systemd-analyze security --offline=yes` must rate the unit's
#             overall exposure at most 1.5 (the issue asks for <= 2.0).
set -euo pipefail

mode=${1:?usage: unit_test.sh verify|security TEMPLATE JETSVC JETCTL}
template=${2:?missing TEMPLATE}
jetsvc=${3:?missing JETSVC}
jetctl=${4:?missing JETCTL}
max_exposure=1.5

fail() { echo "FAIL: $*" >&2; exit 1; }

command -v systemd-analyze >/dev/null ||
  fail "systemd-analyze is missing (package systemd; scripts/deps.sh installs it)"
[ -r "$template" ] || fail "cannot read $template"
for bin in "$jetsvc" "$jetctl"; do
  [ -x "$bin" ] || fail "$bin is not an executable (build the jetsvc and jetctl targets first)"
done

work=$(mktemp -d /tmp/jetsvc-unit.XXXXXX)
trap 'rm -rf "$work"' EXIT
unit=$work/jetsvc.service
sed -e "s|@BINDIR@/jetsvc|$jetsvc|g" -e "s|@BINDIR@/jetctl|$jetctl|g" \
  -e "s|@DOCDIR@|/usr/share/doc/jetsvc|g" "$template" >"$unit"
if grep -n '@[A-Z_]*@' "$unit"; then
  fail "placeholders left in the configured unit (the test and packaging/CMakeLists.txt disagree)"
fi
grep -q "^ExecStart=$jetsvc " "$unit" || fail "ExecStart= does not run jetsvc"
grep -q "^ExecStop=[-+@:!]*$jetctl prepare-stop " "$unit" || fail "ExecStop= does not run jetctl prepare-stop"

case $mode in
  verify)
    rc=0
    systemd-analyze verify --man=no "$unit" >"$work/out" 2>"$work/err" || rc=$?
    cat "$work/out"
    if [ "$rc" != 0 ] || [ -s "$work/err" ]; then
      cat "$work/err" >&2
      fail "systemd-analyze verify: exit $rc, stderr above must be empty"
    fi
    echo "PASS: systemd-analyze verify is silent"
    ;;
  security)
    rc=0
    systemd-analyze security --offline=yes --no-pager "$unit" >"$work/out" 2>"$work/err" || rc=$?
    cat "$work/out"
    if [ "$rc" != 0 ] || [ -s "$work/err" ]; then
      cat "$work/err" >&2
      fail "systemd-analyze security: exit $rc"
    fi
    exposure=$(sed -n 's/.*Overall exposure level for jetsvc\.service: \([0-9.]*\).*/\1/p' "$work/out")
    [ -n "$exposure" ] || fail "no 'Overall exposure level' line in the output"
    awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }' ||
      fail "exposure $exposure is above $max_exposure"
    echo "PASS: exposure $exposure <= $max_exposure"
    ;;
  *)
    fail "unknown mode $mode"
    ;;
esac
