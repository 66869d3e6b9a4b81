#!/usr/bin/env bash
# Install what the browser tests need: Debian's Chromium (the tests drive it with Playwright's
# Python client, which comes from PyPI through uv; Playwright's own browser downloads are never
# used — they need a CDN this network does not reach). Idempotent: a no-op once installed.
#   bash scripts/browser.sh          install if missing, print the path
#   bash scripts/browser.sh --check  exit 1 if Chromium is missing (installs nothing)
set -euo pipefail

CHROMIUM="${DOSSIER_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi
if [ "${1:-}" = "--check" ]; then
    echo "chromium is not installed at $CHROMIUM (run: bash scripts/browser.sh)" >&2
    exit 1
fi

as_root=()
if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null || { echo "installing chromium needs root (apt-get); run as root or install sudo" >&2; exit 1; }
    as_root=(sudo)
fi
echo "installing Debian's chromium and fonts (first run only)…"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core >/dev/null
echo "chromium: $("$CHROMIUM" --version)"
