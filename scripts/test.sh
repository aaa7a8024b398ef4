#!/usr/bin/env bash
# The test command: installs what is needed, then runs every suite (the last line is "N passed, N failed").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
