#!/usr/bin/env bash
# packaging_sysusers: systemd-sysusers, run on packaging/jetsvc.sysusers
# against an empty root, creates the system user and group jetsvc as the
# unit (User=/Group=jetsvc) and the D-Bus policy expect: a system uid, its own
# group as primary group, home /var/lib/jetsvc, no login shell, no password.
#
# Usage: sysusers_test.sh SYSUSERS_FILE
set -euo pipefail

file=${1:?usage: sysusers_test.sh SYSUSERS_FILE}

fail() { echo "FAIL: $*" >&2; exit 1; }

command -v systemd-sysusers >/dev/null ||
  fail "systemd-sysusers is missing (package systemd; scripts/deps.sh installs it)"
[ -r "$file" ] || fail "cannot read $file"

root=$(mktemp -d /tmp/jetsvc-sysusers.XXXXXX)
trap 'rm -rf "$root"' EXIT
mkdir "$root/etc"
systemd-sysusers --root="$root" - <"$file" >"$root/log" 2>&1 ||
  { cat "$root/log" >&2; fail "systemd-sysusers failed"; }

user=$(grep '^jetsvc:' "$root/etc/passwd") || fail "no user jetsvc in passwd"
group=$(grep '^jetsvc:' "$root/etc/group") || fail "no group jetsvc in group"
IFS=: read -r _ _ uid gid _ home shell <<<"$user"
IFS=: read -r _ _ group_gid _ <<<"$group"
echo "passwd: $user"
echo "group:  $group"
if [ "$uid" -le 0 ] || [ "$uid" -ge 1000 ]; then fail "uid $uid is not a system uid"; fi
[ "$gid" = "$group_gid" ] || fail "primary gid $gid is not group jetsvc ($group_gid)"
[ "$home" = /var/lib/jetsvc ] || fail "home is $home, want /var/lib/jetsvc"
case $shell in
  */nologin|/bin/false) ;;
  *) fail "shell $shell allows logins" ;;
esac
password=$(grep '^jetsvc:' "$root/etc/shadow" | cut -d: -f2)
case $password in
  '!'*) ;;
  *) fail "the account has a usable password field '$password'" ;;
esac
[ "$(grep -c . "$root/etc/passwd")" = 1 ] || fail "the entry created more than one user"
echo "PASS: sysusers entry"
