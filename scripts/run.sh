#!/usr/bin/env bash
# Installs the dependencies, builds, and runs the engine end to end: the C
# example creates a database in ./jetsvc-data, writes 100,000 records,
# terminates, re-initializes and reads them back.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
mkdir -p jetsvc-data
exec build/examples/c_example "$PWD/jetsvc-data"
