#!/usr/bin/env bash
# Installs everything GANscope's build, demo and tests need on a fresh Debian machine (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Chromium drives the real VS Code in tests; libkrb5-dev, g++, make and python3 let
# code-server's native modules build; procps gives the tests `ps`; dataset-fashion-mnist is real data
# for the loader tests.
need=()
for pkg in chromium libkrb5-dev g++ make python3 procps dataset-fashion-mnist; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: please install these Debian packages first: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
bash test/harness/install.sh
