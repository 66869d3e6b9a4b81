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
# Secrets: missing, the public development keys (dossier.runtime.settings.dev_secret) or a
# short signing key are refused, each with its own message.
refused() { # refused "what" "expected message" --set k=v…
    local what=$1 expected=$2
    shift 2
    if "$HELM" template dossier "$CHART" --kube-version "${KUBE_VERSIONS[-1]}" \
        -f "$CHART/ci/default-values.yaml" "$@" >/dev/null 2>"$WORK/neg.log"; then
        fail "rendering with $what should fail"
    elif grep -qF "$expected" "$WORK/neg.log"; then
        echo "ok   $what -> refused"
    else
        cat "$WORK/neg.log" >&2
        fail "rendering with $what failed for another reason"
    fi
}
refused "no CV master key" "secrets.cvMasterKey is required" --set secrets.cvMasterKey=
refused "no URL-signing key" "secrets.urlSigningKey is required" --set secrets.urlSigningKey=
refused "the development CV key" "public development key" \
    --set secrets.cvMasterKey=OYTpBzMao76VNkZF5sPZqSbEFFtm/zpNF2a65HTKD1I=
refused "the development signing key" "public development key" \
    --set secrets.urlSigningKey=5ox2s1ca6acGZY4vw/uAkKlD443GdWlnKlJrwnLvLRY=
refused "a short signing key" "at least 32 characters" --set secrets.urlSigningKey=short
refused "no Secret at all" "secrets.existingSecret" --set secrets.create=false
# The public ingress: only the API and docs, never /metrics, /readyz or /asyncapi.json.
refused "an ingress path /" "would expose /metrics" --set gateway.ingress.enabled=true \
    --set 'gateway.ingress.hosts[0].host=a.example.com' --set 'gateway.ingress.hosts[0].paths[0].path=/'
ingress="$WORK/rendered-values-production.yaml"
if [ -f "$ingress" ] && grep -qE '^ *- path: /(metrics|readyz|asyncapi\.json)?$' "$ingress"; then
    fail "values-production.yaml routes / or an internal endpoint through the ingress"
else
    echo "ok   ingress routes no internal endpoint"
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
# `docker compose config` needs the compose plugin, not an engine. Without the generated
# secrets it must refuse (message names `make secrets`); with a generated .env it must pass.
if command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then
    compose_dir="$WORK/compose"
    mkdir -p "$compose_dir"
    cp "$ROOT/docker-compose.yml" "$compose_dir/"
    if (cd "$compose_dir" && env -u DOSSIER_CV_MASTER_KEY -u DOSSIER_URL_SIGNING_KEY \
        docker compose config -q) 2>"$WORK/compose.log"; then
        fail "docker compose config without secrets should fail"
    elif grep -q "make secrets" "$WORK/compose.log"; then
        echo "ok   docker compose config without secrets -> refused"
    else
        cat "$WORK/compose.log" >&2
        fail "docker compose config without secrets failed for another reason"
    fi
    python3 "$ROOT/deploy/compose/write_env.py" "$compose_dir/.env" >/dev/null
    (cd "$compose_dir" && docker compose config -q) && echo "ok   docker compose config (generated .env)" ||
        fail "docker compose config with a generated .env"
else
    echo "skip docker compose config (no docker compose plugin; tests/unit/deploy interpolates the file instead)"
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
