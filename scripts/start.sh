#!/usr/bin/env bash
# The main job: installs what is needed, builds the extension and runs it in a real VS Code, training on the embedded MNIST.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run --silent package
exec node scripts/start.mjs "$@"
