#!/usr/bin/env bash
# Builds the Boost libraries the Windows service needs (program_options, log,
# log_setup and what they pull in: filesystem, thread, atomic, chrono,
# date_time, regex, system) for 64-bit Windows with MinGW-w64, from Debian
# 12's own boost1.74 source package (Debian's patches applied), and caches
# the installed headers and static libraries outside the source tree.
#
#   BOOST_ROOT=$(scripts/build-boost-mingw.sh | tail -1)
#
# The last line of stdout is the install prefix; everything else goes to
# stderr. A finished cache (its stamp file) is reused at once; otherwise the
# build runs in a temporary directory beside it and is renamed into place
# when complete, so an interrupted run never leaves a partial cache.
#
# Boost.Log keeps its Windows event log backend: Boost.Build's `mc` tool
# runs a command named `mc`, which here is MinGW's windmc (same options for
# what Boost uses: -a -U -h -r), and the gcc toolset's resource compiler is
# MinGW's windres.
#
# Environment: JETSVC_CACHE_DIR (default /var/cache/jetsvc-build).
# Needs the network (deb.debian.org) and apt-get on a cold cache.
set -euo pipefail

readonly boost_version=1.74.0
readonly source_package=boost1.74
readonly source_suite=bookworm
readonly source_mirror=http://deb.debian.org/debian
readonly triple=x86_64-w64-mingw32

# The recipe. Everything here goes into the cache key, so changing a flag
# makes a new cache directory instead of reusing a different build.
readonly user_config="using gcc : mingw : ${triple}-g++-posix
    : <archiver>${triple}-ar <ranlib>${triple}-ranlib <rc>${triple}-windres <rc-type>windres ;
using mc ;  # runs 'mc', which is ${triple}-windmc here"
readonly b2_options=(
  toolset=gcc-mingw target-os=windows architecture=x86 address-model=64
  link=static runtime-link=static threading=multi variant=release
  --layout=system --disable-icu
  --with-program_options --with-log)
recipe_hash=$(printf '%s\n' "$source_package" "$source_suite" "$user_config" \
  "${b2_options[@]}" | sha256sum | cut -c1-12)

cache_root=${JETSVC_CACHE_DIR:-/var/cache/jetsvc-build}
prefix=$cache_root/boost-mingw-$boost_version-$recipe_hash
stamp=$prefix/.jetsvc-boost-complete

if [[ -f $stamp ]]; then
  echo "$prefix"
  exit 0
fi

# From here on, stdout is for the final path only.
exec 3>&1 1>&2
start_seconds=$SECONDS

sudo=""
[[ $(id -u) -eq 0 ]] || sudo=sudo

if ! mkdir -p "$cache_root" 2>/dev/null || [[ ! -w $cache_root ]]; then
  echo "== creating $cache_root (set JETSVC_CACHE_DIR to use another directory)"
  $sudo install -d -o "$(id -u)" -g "$(id -g)" "$cache_root"
fi

# One build at a time per cache; a run that waited finds the stamp.
exec 9>"$cache_root/.boost-mingw.lock"
flock 9
if [[ -f $stamp ]]; then
  echo "$prefix" >&3
  exit 0
fi

# What the build needs (apt-get leaves installed packages as they are):
# the host compiler and bison for b2, the cross compiler and binutils
# (windmc, windres), dpkg-source.
echo "== installing the build tools"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends \
  g++ bison g++-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 dpkg-dev xz-utils \
  debian-archive-keyring
for tool in "${triple}-g++-posix" "${triple}-windmc" "${triple}-windres" "${triple}-ar" \
    "${triple}-ranlib"; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found" >&2; exit 1; }
done

# Work directories of runs that were killed (the lock says none is running).
rm -rf "$cache_root"/.boost-mingw-*.tmp.*

# The work directory sits beside the cache entry (same file system, so the
# final rename is atomic) and is removed however the script ends.
work=$(mktemp -d "$cache_root/.boost-mingw-$boost_version-$recipe_hash.tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP  # through the EXIT trap
chmod 755 "$work"  # apt's download sandbox user writes into it

echo "== fetching the $source_package source package ($source_suite, $source_mirror)"
# A private apt configuration with only the deb-src entry: the system's
# sources and lists stay untouched.
apt_dir=$work/apt
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
cat >"$apt_dir/sources.list.d/jetsvc-boost-src.sources" <<EOF
Types: deb-src
URIs: $source_mirror
Suites: $source_suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_options=(
  -o Dir::Etc::SourceList=/dev/null
  -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache")
apt-get "${apt_options[@]}" update
mkdir "$work/download"
chmod 755 "$work/download"
(cd "$work/download" && apt-get "${apt_options[@]}" source --download-only "$source_package")
dsc=$(echo "$work/download/${source_package}_"*.dsc)
[[ -f $dsc ]] || { echo "error: no .dsc downloaded" >&2; exit 1; }
debian_version=$(sed -n 's/^Version: //p' "$dsc")
if [[ $debian_version != "$boost_version"[+~-]* ]]; then
  echo "error: $source_package in $source_suite is $debian_version, not Boost $boost_version" >&2
  exit 1
fi
echo "== unpacking $source_package $debian_version (Debian patches applied)"
# apt-get already checked the files against the signed Sources index.
dpkg-source -x "$dsc" "$work/src"
rm -rf "$work/download" "$apt_dir"

echo "== bootstrapping b2 with the host compiler"
# The repacked (+ds1) source has no generated parser: make it as
# debian/rules does.
(cd "$work/src/tools/build" && bison -y -d -o src/engine/jamgram.cpp src/engine/jamgram.y)
(cd "$work/src/tools/build/src/engine" && env -u CXX -u CXXFLAGS ./build.sh gcc)
b2=$work/src/tools/build/src/engine/b2

printf '%s\n' "$user_config" >"$work/user-config.jam"
# Boost.Build's mc tool runs a command named mc: point it at windmc.
mkdir "$work/tools"
ln -s "$(command -v "${triple}-windmc")" "$work/tools/mc"

echo "== building Boost $boost_version for $triple: ${b2_options[*]}"
# The ~16000 lines of header copies and links are left out of the log;
# compilations, warnings and errors stay.
(cd "$work/src" &&
  PATH="$work/tools:$PATH" "$b2" -j"$(nproc)" -q \
    --ignore-site-config --user-config="$work/user-config.jam" \
    --build-dir="$work/build" --prefix="$work/prefix" \
    "${b2_options[@]}" install) |
  { grep -v -E '^(common\.copy|link\.mklink|mklink-or-dir|boost-install\.generate-cmake)' || true; }

# The event log backend must be in (BOOST_LOG_WITHOUT_EVENT_LOG not defined):
# without a working message compiler b2 would silently leave it out.
members=$("${triple}-ar" t "$work/prefix/lib/libboost_log.a")
for member in event_log_backend.o simple_event_log_res.o; do
  grep -qx "$member" <<<"$members" || {
    echo "error: libboost_log.a has no $member: the event log backend was not built" >&2
    exit 1
  }
done

build_seconds=$((SECONDS - start_seconds))
cat >"$work/prefix/.jetsvc-boost-complete" <<EOF
boost $boost_version from Debian source package $source_package $debian_version ($source_suite)
built for $triple with: ${b2_options[*]}
user-config.jam:
$user_config
built $(date -u +%Y-%m-%dT%H:%M:%SZ) in ${build_seconds}s
EOF
rm -rf "$prefix"  # an unfinished entry from a tool other than this script
mv -T "$work/prefix" "$prefix"
echo "== Boost $boost_version for $triple built in $((build_seconds / 60))m$((build_seconds % 60))s: $prefix"
echo "$prefix" >&3
