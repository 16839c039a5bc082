#!/usr/bin/env bash
# Installs the dependencies, builds, and runs every test under CTest: the
# Linux build, then the Windows build under Wine (scripts/test-windows.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j2
scripts/test-windows.sh
