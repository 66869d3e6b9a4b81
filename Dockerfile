# syntax=docker/dockerfile:1.7
# One image for all five Dossier services. The CMD picks the process:
#   docker run IMAGE                                    -> gateway (HTTP on 8080)
#   docker run IMAGE python -m dossier.identity         -> identity consumer (probes on 9101)
#   docker run IMAGE dossier partners create --name X --json   -> admin CLI
# Dependencies are synced from uv.lock before the code is copied, so a code change rebuilds
# only the last layers.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---------------------------------------------------------------------------- builder
FROM ${PYTHON_IMAGE} AS builder

# uv from its PyPI package, pinned (the same version the Makefile installs locally).
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv

WORKDIR /src

# 1) third-party dependencies only: this layer changes when uv.lock changes, not with the code.
#    Only the root project file and the lock are needed with --frozen --no-install-workspace.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-dev --no-install-workspace

# 2) the workspace members, installed as regular (non-editable) packages so the final stage
#    needs the virtualenv only, not the source tree. devstack is laptop tooling: left out.
COPY pyproject.toml uv.lock ./
COPY libs/ libs/
COPY services/ services/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --no-install-package dossier-devstack

# ---------------------------------------------------------------------------- runtime
FROM ${PYTHON_IMAGE} AS runtime

ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="dossier" \
      org.opencontainers.image.description="Dossier Candidate Intelligence API: gateway and pipeline consumers" \
      org.opencontainers.image.version="${VERSION}"

# A fixed numeric uid/gid so Kubernetes can check runAsNonRoot without a name lookup.
RUN groupadd --system --gid 10001 dossier \
 && useradd --system --uid 10001 --gid dossier --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin dossier

COPY --from=builder --chown=10001:10001 /app/.venv /app/.venv
COPY --chown=10001:10001 deploy/docker/healthcheck.py /app/healthcheck.py
# The report button's script, served by the gateway at /widget/dossier-report-button.js.
COPY --chown=10001:10001 widget/dossier-report-button.js /app/widget/dossier-report-button.js

ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DOSSIER_HTTP_PORT=8080

WORKDIR /app
USER 10001:10001

# gateway HTTP; consumers serve probes and metrics on 9101-9105 (documentation only).
EXPOSE 8080 9101 9102 9103 9104 9105

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/app/healthcheck.py"]

CMD ["python", "-m", "dossier.gateway"]
