#!/usr/bin/env bash
# The first step of `npm test`: makes sure everything the suites need is here, installing what is
# missing, so that `npm test` alone works on a fresh machine. Idempotent and quick when all is in
# place; it says what it installs. What the suites need and the project does not ship:
#   - a real PostgreSQL on 127.0.0.1:5432 (every service suite runs on it as well as on PGlite);
#   - Debian's Chromium (webview and end-to-end suites) and code-server (a real VS Code workbench),
#     installed by scripts/e2e/install-prerequisites.sh (apt-get as root, npm into a cache folder).
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf 'test prerequisites: %s\n' "$*"; }
fail() {
  printf 'test prerequisites: %s\n' "$*" >&2
  exit 1
}

# ---- PostgreSQL ------------------------------------------------------------------------------
PG_URL="${PROMPTREFINE_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
pg_answers() { node scripts/test/pg-ping.mjs "$PG_URL" >/dev/null 2>&1; }
if ! pg_answers; then
  # This machine kind runs a cluster that may have stopped; start it when we are allowed to.
  if [ -z "${PROMPTREFINE_TEST_POSTGRES_URL:-}" ] && command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
    if [ -n "$version" ]; then
      say "PostgreSQL does not answer on 127.0.0.1:5432; starting cluster $version/main"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
      for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
    fi
  fi
  pg_answers || fail "no PostgreSQL answers at $PG_URL. The service suites run on a real PostgreSQL as well as on the embedded one, every run. Start one (user postgres, trust auth, database test) or point PROMPTREFINE_TEST_POSTGRES_URL at one, then run npm test again."
fi

# ---- Chromium and code-server -------------------------------------------------------------------
if bash scripts/e2e/install-prerequisites.sh --check >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  bash scripts/e2e/install-prerequisites.sh --check || true
  fail "the webview and end-to-end suites need the tools above, and installing them needs root and apt-get. Run as root: bash scripts/e2e/install-prerequisites.sh  (then npm test again)"
fi
say "installing the browser and VS Code workbench the suites need (first run only)"
bash scripts/e2e/install-prerequisites.sh
