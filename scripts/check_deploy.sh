#!/usr/bin/env bash
# Validate Dossier's deployment artefacts without a cluster or a Docker engine:
#   - Helm chart: `helm lint --strict` and `helm template` for every values scenario
#     (ci/*-values.yaml and values-production.yaml), values checked by values.schema.json;
#   - every rendered manifest: built-in kinds against the Kubernetes OpenAPI schemas of
#     kubernetes-validate (strict: unknown fields fail) for the oldest Kubernetes the chart
#     supports and a recent one; ServiceMonitor and ScaledObject against the schemas in
#     deploy/schemas/ (written for this chart); inline shell scripts with `bash -n`;
#   - NOTES.txt renders; required values really are required (no Kafka, no key: refused);
#   - the Grafana dashboard queries only metrics the code declares;
#   - docker-compose.yml against the Compose specification (check-jsonschema), plus
#     `docker compose config -q` when a Docker engine is reachable;
#   - the Dockerfile's COPY sources exist and are not excluded by .dockerignore.
# Tools install into a cache on first use (helm from its Go module, the Python validators
# through uvx, all pinned); later runs take seconds. Exits non-zero on any failure.
set -euo pipefail

HELM_VERSION="v3.22.0"
KUBERNETES_VALIDATE_VERSION="1.37.0"
CHECK_JSONSCHEMA_VERSION="0.39.0"
# Oldest supported (Chart.yaml kubeVersion) and a recent release shipped by kubernetes-validate.
KUBE_VERSIONS=("1.27.0" "1.35.0")

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CHART="$ROOT/deploy/helm/dossier"
CACHE="${DOSSIER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/dossier}/deploy-tools"
HELM_DIR="$CACHE/helm-$HELM_VERSION"
HELM="$HELM_DIR/helm"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

failures=0
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; failures=$((failures + 1)); }

# ------------------------------------------------------------------------------------ tools
install_helm() {
    [ -x "$HELM" ] && return 0
    command -v go >/dev/null || { echo "go is needed to build helm $HELM_VERSION" >&2; exit 1; }
    step "installing helm $HELM_VERSION into $HELM_DIR (first run only)"
    mkdir -p "$HELM_DIR"
    local minor="${KUBE_VERSIONS[-1]#1.}"
    minor="${minor%%.*}"
    local ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
    ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1"
    ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
    # The module proxy here refuses @v/list, so the version is always exact.
    if ! GOBIN="$HELM_DIR" GOFLAGS=-buildvcs=false \
        go install -ldflags "$ldflags" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"; then
        echo "go install failed; building from a throwaway module instead" >&2
        local mod="$WORK/helm-build"
        mkdir -p "$mod"
        (
            cd "$mod"
            go mod init dossier.local/helm-build >/dev/null 2>&1
            go get "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
            GOFLAGS=-buildvcs=false go build -ldflags "$ldflags" -o "$HELM" helm.sh/helm/v3/cmd/helm
        )
    fi
    [ -x "$HELM" ] || { echo "helm build failed" >&2; exit 1; }
}

uvx_pinned() { # uvx_pinned PACKAGE==VERSION COMMAND ARGS…
    local from=$1
    shift
    uv tool run --quiet --from "$from" "$@"
}

command -v uv >/dev/null || { echo "uv is needed (make install puts it in ~/.local/bin)" >&2; exit 1; }
install_helm
# `--tools`: only install what the checks use (make test renders the chart too).
if [ "${1:-}" = "--tools" ]; then
    exit 0
fi
"$HELM" version --short

# ------------------------------------------------------------------------------------ chart
scenarios=("$CHART"/ci/*-values.yaml "$CHART/values-production.yaml")

step "helm lint --strict"
for values in "${scenarios[@]}"; do
    name="$(basename "$values" .yaml)"
    if "$HELM" lint --strict "$CHART" --kube-version "${KUBE_VERSIONS[-1]}" -f "$values" \
        >"$WORK/lint-$name.log" 2>&1; then
        echo "ok   $name"
    else
        cat "$WORK/lint-$name.log" >&2
        fail "helm lint $name"
    fi
done

step "helm template"
rendered=()
for values in "${scenarios[@]}"; do
    name="$(basename "$values" .yaml)"
    out="$WORK/rendered-$name.yaml"
    if "$HELM" template dossier "$CHART" --namespace dossier --kube-version "${KUBE_VERSIONS[-1]}" \
        -f "$values" >"$out" 2>"$WORK/template-$name.log"; then
        echo "ok   $name ($(grep -c '^kind:' "$out") resources)"
        rendered+=("$out")
    else
        cat "$WORK/template-$name.log" >&2
        fail "helm template $name"
    fi
done

step "NOTES.txt renders"
# Helm renders NOTES.txt only on install; render it here through tpl in a scratch copy.
notes_chart="$WORK/notes-chart"
cp -r "$CHART" "$notes_chart"
mv "$notes_chart/templates/NOTES.txt" "$notes_chart/NOTES.txt"
printf 'notes: {{ tpl (.Files.Get "NOTES.txt") . | toJson }}\n' >"$notes_chart/templates/notes-check.yaml"
for values in "${scenarios[@]}"; do
    name="$(basename "$values" .yaml)"
    if "$HELM" template dossier "$notes_chart" --kube-version "${KUBE_VERSIONS[-1]}" -f "$values" \
        --show-only templates/notes-check.yaml 2>&1 | grep -q 'Pipeline stages'; then
        echo "ok   $name"
    else
        fail "NOTES.txt does not render with $name"
    fi
done

step "required values are required"
if "$HELM" template dossier "$CHART" --kube-version "${KUBE_VERSIONS[-1]}" \
    -f "$CHART/ci/default-values.yaml" --set global.kafka.bootstrapServers= >/dev/null 2>"$WORK/neg.log"; then
    fail "rendering without global.kafka.bootstrapServers should fail"
elif grep -q "global.kafka.bootstrapServers is required" "$WORK/neg.log"; then
    echo "ok   no Kafka bootstrap servers -> refused"
else
    cat "$WORK/neg.log" >&2
    fail "rendering without Kafka failed for another reason"
fi
if "$HELM" template dossier "$CHART" --kube-version "${KUBE_VERSIONS[-1]}" \
    -f "$CHART/ci/default-values.yaml" --set secrets.cvMasterKey= >/dev/null 2>&1; then
    fail "rendering without secrets.cvMasterKey should fail"
else
    echo "ok   no CV master key -> refused"
fi

step "kubernetes-validate $KUBERNETES_VALIDATE_VERSION (strict) + CRD schemas"
if [ "${#rendered[@]}" -gt 0 ]; then
    for kube in "${KUBE_VERSIONS[@]}"; do
        echo "-- Kubernetes $kube"
        uvx_pinned "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" python \
            "$ROOT/deploy/tools/validate_manifests.py" --kubernetes-version "$kube" \
            --crd-schemas "$ROOT/deploy/schemas" "${rendered[@]}" || fail "manifests (Kubernetes $kube)"
    done
fi

step "Grafana dashboard"
python3 "$ROOT/deploy/tools/check_dashboard.py" "$CHART/dashboards/dossier-overview.json" \
    "$ROOT/libs/runtime/src/dossier/runtime/metrics.py" || fail "dashboard"

# ---------------------------------------------------------------------------------- compose
step "docker-compose.yml against the Compose specification"
uvx_pinned "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" check-jsonschema \
    --builtin-schema vendor.compose-spec "$ROOT/docker-compose.yml" || fail "compose schema"
if command -v docker >/dev/null && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    (cd "$ROOT" && docker compose config -q) && echo "ok   docker compose config" || fail "docker compose config"
else
    echo "skip docker compose config (no reachable Docker engine with the compose plugin)"
fi

step "Dockerfile COPY sources"
while read -r src; do
    if [ ! -e "$ROOT/$src" ]; then
        fail "Dockerfile copies $src, which does not exist"
    elif grep -qxF "${src%/}/" "$ROOT/.dockerignore" || grep -qxF "${src%/}" "$ROOT/.dockerignore"; then
        fail "Dockerfile copies $src, which .dockerignore excludes"
    else
        echo "ok   $src"
    fi
done < <(grep -E '^COPY ' "$ROOT/Dockerfile" | grep -v -- '--from=' |
    sed -E 's/^COPY( --[a-z]+=[^ ]+)* //' | awk '{for (i = 1; i < NF; i++) print $i}')

echo
if [ "$failures" -gt 0 ]; then
    echo "deploy-check: $failures failure(s)"
    exit 1
fi
echo "deploy-check: all passed"
