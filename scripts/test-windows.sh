#!/usr/bin/env bash
# Cross-builds the engine, the service, the examples and the unit tests for
# 64-bit Windows with MinGW-w64 (cmake/mingw-w64-x86_64.cmake) into
# $BUILD_DIR (default build-windows/), then runs them under Wine with CTest
# (CMAKE_CROSSCOMPILING_EMULATOR). Installs the cross compiler and Wine with
# apt-get when they are missing. Boost comes from scripts/build-boost-mingw.sh
# (built from Debian's boost1.74 source package on first use, then cached in
# $JETSVC_CACHE_DIR, default /var/cache/jetsvc-build).
#
# Environment: BUILD_TYPE (default RelWithDebInfo), WINEPREFIX (default
# /tmp/jetsvc-wineprefix, created on first use), CTEST_ARGS (extra ctest
# arguments, e.g. "-R platform"), BUILD_DIR, JETSVC_CACHE_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(g++-mingw-w64-x86-64-posix wine64 wine cmake ninja-build)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi

echo "== Boost for MinGW-w64"
boost_root=$(scripts/build-boost-mingw.sh | tail -1)
echo "== Boost: $boost_root"

export WINEPREFIX=${WINEPREFIX:-/tmp/jetsvc-wineprefix}
export WINEARCH=win64
export WINEDEBUG=-all
# No Mono or Gecko installer prompts in a new prefix.
export WINEDLLOVERRIDES="mscoree,mshtml="
wineserver=/usr/lib/wine/wineserver64
[[ -x $wineserver ]] || wineserver=$(command -v wineserver)

if [[ ! -f $WINEPREFIX/system.reg ]]; then
  echo "== creating the Wine prefix $WINEPREFIX"
  wine wineboot -i >/dev/null 2>&1 || true
  "$wineserver" -w  # the registry files are written when the server exits
  [[ -f $WINEPREFIX/system.reg ]] || { echo "wineboot did not create $WINEPREFIX" >&2; exit 1; }
fi
# One persistent wineserver for all the tests (Debian's wineserver wrapper
# would pass -p0 and restart it for every program); stopped on exit.
"$wineserver" -p 2>/dev/null || true  # fails only when one already runs
trap '"$wineserver" -k 2>/dev/null || true' EXIT
# Start Wine's background processes (services.exe, winedevice.exe, ...) now,
# with their output on /dev/null: the first Wine program after the server
# starts them, and they inherit its stdout and stderr. Were that a test,
# ctest would wait for the end of its output pipe, which those processes
# keep open as long as the server lives: the test "times out".
wine wineboot >/dev/null 2>&1 </dev/null
# The service test (tests/windows/service_test.sh) runs in a prefix of its
# own: a copy of this one is quicker than a new one.
export JETSVC_WINEPREFIX_TEMPLATE=$WINEPREFIX

build_dir=${BUILD_DIR:-build-windows}
echo "== configuring $build_dir"
cmake -S . -B "$build_dir" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/mingw-w64-x86_64.cmake" \
  -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v wine)" \
  -DBOOST_ROOT="$boost_root" -DJETSVC_BUILD_SERVICE=ON
echo "== building"
cmake --build "$build_dir"
echo "== testing under $(wine --version)"
# shellcheck disable=SC2086
ctest --test-dir "$build_dir" --output-on-failure -j2 ${CTEST_ARGS:-}
