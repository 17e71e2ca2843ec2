#!/usr/bin/env bash
# Install the rate-limited test servers used by the integration tests:
#   servers/express  -> `npm ci` (node_modules from the committed package-lock.json)
#   servers/flask    -> python3 -m venv servers/flask/.venv + pip install -r requirements.txt
# Idempotent: each step runs only when its output is missing or out of date.
# Usage: scripts/servers-setup.sh [--force]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXPRESS="$ROOT/servers/express"
FLASK="$ROOT/servers/flask"
VENV="$FLASK/.venv"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

say() { echo "servers-setup: $*"; }
die() { echo "servers-setup: ERROR: $*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH; $2"
}
need node "install Node.js >= 18 (e.g. apt-get install nodejs npm)"
need npm "install npm (e.g. apt-get install npm)"
need python3 "install Python >= 3.10 with venv support (e.g. apt-get install python3 python3-venv)"

node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
  || die "node $(node --version) is too old; express 5 needs Node.js >= 18"
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || die "python3 $(python3 -V 2>&1) is too old; limits/Flask-Limiter need Python >= 3.10"
say "node $(node --version), npm $(npm --version 2>/dev/null), $(python3 -V 2>&1)"

# --- express ---------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install: use it as the stamp.
STAMP_NODE="$EXPRESS/node_modules/.package-lock.json"
if [[ $FORCE == 1 || ! -f "$STAMP_NODE" || "$EXPRESS/package-lock.json" -nt "$STAMP_NODE" \
      || "$EXPRESS/package.json" -nt "$STAMP_NODE" ]]; then
  say "express: running npm ci in servers/express"
  (cd "$EXPRESS" && npm ci --no-audit --no-fund) || die "npm ci failed in $EXPRESS"
  touch "$STAMP_NODE"
else
  say "express: node_modules up to date, skipped npm ci"
fi
(cd "$EXPRESS" && node -e 'require("express"); require("express-rate-limit")') \
  || die "express / express-rate-limit do not load from $EXPRESS/node_modules"

# --- flask -----------------------------------------------------------------
# The venv keeps a copy of the requirements it was installed from as its stamp.
STAMP_PY="$VENV/.installed-requirements.txt"
if [[ $FORCE == 1 || ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c '' 2>/dev/null; then
  say "flask: creating venv servers/flask/.venv"
  rm -rf "$VENV"
  python3 -m venv "$VENV" \
    || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
fi
if [[ $FORCE == 1 || ! -f "$STAMP_PY" ]] || ! cmp -s "$FLASK/requirements.txt" "$STAMP_PY"; then
  say "flask: pip install -r servers/flask/requirements.txt"
  "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
    -r "$FLASK/requirements.txt" || die "pip install failed for $FLASK/requirements.txt"
  "$VENV/bin/python" -m pip check --disable-pip-version-check \
    || die "pip check found missing/conflicting dependencies in $VENV"
  cp "$FLASK/requirements.txt" "$STAMP_PY"
else
  say "flask: venv up to date, skipped pip install"
fi
"$VENV/bin/python" -c 'import flask, flask_limiter, limits' \
  || die "flask / flask_limiter / limits do not import in $VENV"

say "done (start: node servers/express/server.js; servers/flask/.venv/bin/python servers/flask/app.py)"
