#!/usr/bin/env bash
# npm start: builds the extension, makes sure code-server is installed (no browser needed), and runs the demo
# (test/host/demo.ts): the simulators and code-server with the extension and ready connections. Ctrl+C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh --no-browser
npm run --silent build
node test/host/build-tests.mjs >/dev/null
# exec: signals from npm or the terminal reach the demo itself, which stops code-server and the simulators.
exec node out/host/demo.js "$@"
