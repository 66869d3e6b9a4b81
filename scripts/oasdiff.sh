#!/usr/bin/env bash
# The breaking-change check of the OpenAPI document, with oasdiff (github.com/oasdiff/oasdiff).
#
#   scripts/oasdiff.sh                     breaking changes from the newest released document
#                                          (docs/openapi-released/v*.json) to docs/openapi.json;
#                                          exits 1 on any change of severity ERR
#   scripts/oasdiff.sh BASE REVISION       the same check between two given documents
#   scripts/oasdiff.sh --tools             only install oasdiff
#   scripts/oasdiff.sh --path              print the oasdiff binary's path (installing it)
#
# oasdiff is pinned and built from its Go module with `go install` into a project-local
# bin dir (.dossier/tools/, git-ignored; DOSSIER_TOOLS_DIR overrides), on first use only.
set -euo pipefail

OASDIFF_VERSION="v1.39.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${DOSSIER_TOOLS_DIR:-$ROOT/.dossier/tools}"
BIN_DIR="$TOOLS/oasdiff-$OASDIFF_VERSION"
OASDIFF="$BIN_DIR/oasdiff"

install_oasdiff() {
    [ -x "$OASDIFF" ] && return 0
    command -v go >/dev/null || { echo "go is needed to build oasdiff $OASDIFF_VERSION" >&2; exit 1; }
    echo "installing oasdiff $OASDIFF_VERSION into $BIN_DIR (first run only)" >&2
    mkdir -p "$BIN_DIR"
    # The module proxy here refuses @v/list, so the version is always exact.
    GOBIN="$BIN_DIR" GOFLAGS=-buildvcs=false go install "github.com/oasdiff/oasdiff@$OASDIFF_VERSION" >&2
    [ -x "$OASDIFF" ] || { echo "oasdiff build failed" >&2; exit 1; }
}

install_oasdiff
case "${1:-}" in
    --tools) exit 0 ;;
    --path) echo "$OASDIFF"; exit 0 ;;
esac

if [ $# -ge 2 ]; then
    base=$1
    revision=$2
else
    base="$(ls "$ROOT"/docs/openapi-released/v*.json 2>/dev/null | sort -V | tail -n 1)"
    revision="$ROOT/docs/openapi.json"
    [ -n "$base" ] || { echo "no released document in docs/openapi-released/" >&2; exit 1; }
fi
echo "oasdiff breaking $(basename "$base") → $(basename "$revision")" >&2
"$OASDIFF" breaking "$base" "$revision" --fail-on ERR --color never
