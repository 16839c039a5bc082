#!/usr/bin/env bash
# Installs what jetsvc needs to build, test and run on Debian 12 (as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  g++ cmake ninja-build pkg-config
  libgtest-dev
  libboost-log-dev libboost-program-options-dev
  libsdbus-c++-dev libsystemd-dev dbus
  # packaging tests: systemd-analyze and systemd-sysusers (systemd), the
  # D-Bus policy test's stand-in service (python3-dbus, python3-gi)
  systemd python3-dbus python3-gi
  # the real-systemd test (tests/systemd/): a Debian root booted with
  # systemd-nspawn
  debootstrap systemd-container
)
if [ "${JETSVC_BENCH:-0}" = 1 ]; then
  packages+=(libsqlite3-dev liblmdb-dev librocksdb-dev)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
