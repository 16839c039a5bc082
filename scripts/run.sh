#!/usr/bin/env bash
# Installs the dependencies, builds, and runs the jetsvc daemon in the
# foreground on the shipped default config (config/jetsvc.conf, every option
# at its default) with its data in ./jetsvc-data. Stop it with Ctrl+C
# (SIGINT: the same clean stop as systemd's SIGTERM).
#
# From another shell: build/service/jetctl status | put KEY VALUE | get KEY |
# prepare-stop | ...  (see README).
#
# A container has no system D-Bus: then this starts a stand-in bus on the
# system bus socket (scripts/dev-bus.conf, an open policy) so the daemon and
# jetctl meet there with no options.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
mkdir -p jetsvc-data
if ! dbus-send --system --print-reply --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.GetId >/dev/null 2>&1; then
  mkdir -p /run/dbus
  rm -f /run/dbus/system_bus_socket
  dbus-daemon --config-file="$PWD/scripts/dev-bus.conf" --fork --nosyslog
  echo "run.sh: no system D-Bus on this machine; started a stand-in bus at" \
       "/run/dbus/system_bus_socket (scripts/dev-bus.conf)" >&2
fi
exec build/service/jetsvc --config "$PWD/config/jetsvc.conf" --service.data-dir "$PWD/jetsvc-data"
