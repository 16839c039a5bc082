#!/usr/bin/env bash
# packaging_deb: builds the .deb with CPack from a built tree and checks it
# with dpkg-deb: exactly the service's files at their Debian 12 paths, the
# control fields, the conffile, the maintainer scripts, and a unit whose
# commands name binaries the package ships.
#
# Usage: deb_test.sh BUILD_DIR SOURCE_DIR VERSION
#
# BUILD_DIR must be built (cpack installs from it; it does not build).
set -euo pipefail

build=${1:?usage: deb_test.sh BUILD_DIR SOURCE_DIR VERSION}
source=${2:?missing SOURCE_DIR}
version=${3:?missing VERSION}

fail() { echo "FAIL: $*" >&2; exit 1; }

for tool in cpack dpkg-deb dpkg dpkg-query readelf ldd; do
  command -v "$tool" >/dev/null || fail "$tool is missing"
done
[ -r "$build/CPackConfig.cmake" ] || fail "$build/CPackConfig.cmake is missing (packaging/ not configured?)"

work=$(mktemp -d /tmp/jetsvc-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT

if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  fail "cpack failed"
fi
arch=$(dpkg --print-architecture)
deb=$work/out/jetsvc_${version}_${arch}.deb
[ -f "$deb" ] || { ls -l "$work/out" >&2; fail "no $deb"; }
echo "built $(basename "$deb")"

# --- Contents: every expected file, nothing else. ----------------------------
dpkg-deb -c "$deb" >"$work/contents"
# Regular files as "mode owner path", e.g. "-rwxr-xr-x root/root ./usr/bin/jetsvc".
awk '$1 ~ /^-/ { print $1, $2, $6 }' "$work/contents" | sort >"$work/files"
expected=(
  "-rwxr-xr-x root/root ./usr/bin/jetsvc"
  "-rwxr-xr-x root/root ./usr/bin/jetctl"
  "-rw-r--r-- root/root ./lib/systemd/system/jetsvc.service"
  "-rw-r--r-- root/root ./usr/share/dbus-1/system.d/org.jetsvc.Jetsvc1.conf"
  "-rw-r--r-- root/root ./usr/share/dbus-1/interfaces/org.jetsvc.Jetsvc1.xml"
  "-rw-r--r-- root/root ./usr/lib/sysusers.d/jetsvc.conf"
  "-rw-r--r-- root/root ./etc/jetsvc/jetsvc.conf"
  "-rw-r--r-- root/root ./usr/share/doc/jetsvc/README.md"
)
printf '%s\n' "${expected[@]}" | sort >"$work/expected"
if ! diff -u "$work/expected" "$work/files" >"$work/diff"; then
  cat "$work/contents" >&2
  echo "--- expected / +++ in the package:" >&2
  cat "$work/diff" >&2
  hint="a file of the service is missing or another one slipped in."
  hint+=" Every install() rule of the service side (jetsvc, jetctl, config, the XML)"
  hint+=" needs COMPONENT service; the engine's must not use it. CPack installs with prefix"
  hint+=" /usr, so a DESTINATION computed from the configure-time prefix (such as"
  hint+=" CMAKE_INSTALL_FULL_SYSCONFDIR, /usr/local/etc by default) lands in the wrong place"
  fail "$hint"
fi
echo "ok: contents"

# --- Control fields. ----------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = jetsvc ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', want $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)'"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
echo "Depends: $depends"
# Each required relation, as written, is one comma-separated entry.
IFS=',' read -r -a entries <<<"$depends"
for want in "libsdbus-c++1 (>= 1.2.0)" libsystemd0 libboost-log1.74.0 \
    libboost-program-options1.74.0 dbus systemd procps; do
  found=0
  for entry in "${entries[@]}"; do
    entry=${entry#"${entry%%[![:space:]]*}"}  # trim leading blanks
    [ "$entry" = "$want" ] && found=1
  done
  [ "$found" = 1 ] || fail "Depends lacks '$want'"
done
echo "ok: control fields"

# --- Every shared library the binaries link comes from a package in Depends,
# from a dependency of one, or from the base every Debian system has. ------
# owner LIBPATH: the package that ships LIBPATH on this machine (merged /usr:
# dpkg may know the file under /lib or /usr/lib).
owner() {
  local path candidate
  path=$(readlink -f "$1")
  for candidate in "$1" "$path" "${path#/usr}" "/usr${1}"; do
    dpkg-query -S "$candidate" 2>/dev/null | head -n1 | cut -d: -f1 && return 0
  done
  return 1
}
depends_names=$(tr ',|' '\n' <<<"$depends" | sed 's/(.*//; s/[[:space:]]//g' | grep .)
# The packages those depend on in turn (one level is enough for the Boost
# libraries that libboost-log1.74.0 pulls in).
indirect_names=$(for p in $depends_names; do
  dpkg-query -W -f='${Depends}\n' "$p" 2>/dev/null || true
done | tr ',|' '\n' | sed 's/(.*//; s/:any//; s/[[:space:]]//g' | grep . || true)
base_names="libc6 libgcc-s1 libstdc++6"
dpkg-deb -x "$deb" "$work/elf"
for binary in "$work/elf/usr/bin/jetsvc" "$work/elf/usr/bin/jetctl"; do
  [ -f "$binary" ] || continue  # reported above
  ldd "$binary" >"$work/ldd" 2>&1 || { cat "$work/ldd" >&2; fail "ldd $(basename "$binary") failed"; }
  if grep -q 'not found' "$work/ldd"; then cat "$work/ldd" >&2; fail "$(basename "$binary") misses libraries"; fi
  # Only the binary's own DT_NEEDED entries: the libraries' own needs are
  # their packages' business.
  readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >"$work/needed"
  grep -q . "$work/needed" || fail "readelf found no NEEDED entries in $(basename "$binary")"
  while read -r lib path; do
    grep -qxF -- "$lib" "$work/needed" || continue
    pkg=$(owner "$path") || fail "no package owns $path ($lib, needed by $(basename "$binary"))"
    pkg=${pkg%%:*}
    if ! grep -qx -- "$pkg" <<<"$depends_names"$'\n'"$indirect_names" &&
       ! grep -qw -- "$pkg" <<<"$base_names"; then
      fail "$(basename "$binary") needs $lib from $pkg, which Depends does not cover"
    fi
  done < <(awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' "$work/ldd")
done
echo "ok: Depends covers the shared libraries"

# --- Control archive: conffiles and maintainer scripts. -----------------------
dpkg-deb --info "$deb" >"$work/info"
for member in conffiles postinst prerm postrm; do
  grep -Eq "^ +[0-9]+ bytes, +[0-9]+ lines +\*? *$member( |$)" "$work/info" ||
    { cat "$work/info" >&2; fail "control member $member is missing"; }
done
dpkg-deb -e "$deb" "$work/control"
[ "$(cat "$work/control/conffiles")" = /etc/jetsvc/jetsvc.conf ] ||
  fail "conffiles is '$(cat "$work/control/conffiles")', want /etc/jetsvc/jetsvc.conf"
for script in postinst prerm postrm; do
  [ -x "$work/control/$script" ] || fail "$script is not executable"
  sh -n "$work/control/$script" || fail "$script has a syntax error"
  cmp -s "$work/control/$script" "$source/packaging/debian/$script" ||
    fail "$script differs from packaging/debian/$script"
done
echo "ok: conffiles and maintainer scripts"

# --- Data: the shipped files. -------------------------------------------------
root=$work/root
dpkg-deb -x "$deb" "$root"
cmp -s "$root/usr/share/dbus-1/system.d/org.jetsvc.Jetsvc1.conf" "$source/packaging/org.jetsvc.Jetsvc1.conf" ||
  fail "the packaged D-Bus policy differs from packaging/org.jetsvc.Jetsvc1.conf"
cmp -s "$root/usr/lib/sysusers.d/jetsvc.conf" "$source/packaging/jetsvc.sysusers" ||
  fail "the packaged sysusers entry differs from packaging/jetsvc.sysusers"
unit=$root/lib/systemd/system/jetsvc.service
if grep -n '@[A-Z_]*@' "$unit"; then fail "placeholders left in the packaged unit"; fi
grep -qx 'ExecStart=/usr/bin/jetsvc --config /etc/jetsvc/jetsvc.conf' "$unit" ||
  fail "the packaged unit's ExecStart= is not /usr/bin/jetsvc --config /etc/jetsvc/jetsvc.conf"
grep -qx 'Documentation=file:/usr/share/doc/jetsvc/README.md' "$unit" ||
  fail "the packaged unit's Documentation= is not /usr/share/doc/jetsvc/README.md"
# Every program the unit runs from /usr is one the package ships.
sed -n 's/^Exec[A-Za-z]*=[-+@:!]*\(\/usr\/[^ ]*\).*/\1/p' "$unit" | sort -u >"$work/programs"
grep -q . "$work/programs" || fail "the packaged unit runs nothing from /usr"
while read -r program; do
  [ -x "$root$program" ] || fail "the unit runs $program, which the package does not ship"
done <"$work/programs"
grep -qx 'ExecStop=-+/usr/bin/jetctl prepare-stop --timeout [0-9]*' "$unit" ||
  fail "the packaged unit's ExecStop= is not jetctl prepare-stop"
echo "ok: unit, policy and sysusers entry"

echo "PASS: $(basename "$deb")"
