#!/usr/bin/env bash
# Installs what the end-to-end suite (test/e2e) needs and the project does not ship:
# Debian's chromium and ripgrep, the headers code-server's native modules build against,
# and code-server itself into a cache folder outside node_modules (it is a test tool,
# not a dependency of the extension). Idempotent: a second run only checks.
# `--check` installs nothing: it lists what is missing and exits 1 when anything is.
set -euo pipefail
check_only=false
[ "${1:-}" = "--check" ] && check_only=true

CODE_SERVER_VERSION="4.100.3"
CACHE_ROOT="${PROMPTREFINE_E2E_CACHE:-$HOME/.cache/promptrefine-e2e}"
CODE_SERVER_DIR="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_BIN="$CODE_SERVER_DIR/node_modules/.bin/code-server"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
code_server_ok() { [ -x "$CODE_SERVER_BIN" ] && "$CODE_SERVER_BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; }
if $check_only; then
  missing=("${need_apt[@]}")
  code_server_ok || missing+=("code-server $CODE_SERVER_VERSION (in $CODE_SERVER_DIR)")
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-prerequisites: missing: ${missing[*]}"
    exit 1
  fi
  echo "install-prerequisites: everything is installed"
  exit 0
fi

if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "install-prerequisites: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if code_server_ok; then
  echo "install-prerequisites: code-server $CODE_SERVER_VERSION already in $CODE_SERVER_DIR"
  exit 0
fi

# @vscode/ripgrep's postinstall downloads ripgrep from GitHub, which is unreachable here.
# It first looks for this cached archive, so hand it Debian's rg instead.
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
RG_ARCHIVE="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_ARCHIVE" ]; then
  mkdir -p "$RG_CACHE"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -C "$staging" -czf "$RG_ARCHIVE" rg
  rm -rf "$staging"
fi

echo "install-prerequisites: installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (a few minutes)"
# Installed in place (native modules and postinstall steps record absolute paths); a
# half-finished earlier attempt has no binary that answers --version, so start afresh.
rm -rf "$CODE_SERVER_DIR"
mkdir -p "$CODE_SERVER_DIR"
cd "$CODE_SERVER_DIR"
echo '{"name":"promptrefine-e2e-code-server","private":true}' > package.json
# npm_config_yes: a nested `npx node-gyp` otherwise waits for a yes on stdin.
npm_config_yes=true npm install --no-audit --no-fund --unsafe-perm "code-server@$CODE_SERVER_VERSION"
"$CODE_SERVER_BIN" --version
echo "install-prerequisites: done"
