# Dossier — `make help` lists the targets. Everything installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(HOME)/.local/bin:$(PATH)

UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen

.PHONY: help
help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(UV):
	@echo "installing uv (from PyPI)…"
	@python3 -m pip install --user --quiet --disable-pip-version-check uv || python3 -m pip install --quiet uv
	@test -x "$(UV)" || ln -sf "$$(command -v uv)" "$(UV)"

.venv/.synced: $(UV) uv.lock pyproject.toml $(wildcard libs/*/pyproject.toml services/*/pyproject.toml sdks/python/pyproject.toml)
	$(UV) sync --frozen
	@touch $@

.PHONY: install
install: .venv/.synced ## Install Python deps, Kafka jars and FerretDB (idempotent, cached)
	$(RUN) dossier-stack provision

.PHONY: run
run: install ## Start Kafka, FerretDB and all five services in the foreground; Ctrl-C stops all
	$(RUN) dossier-stack run

.PHONY: up
up: install ## Start the same stack detached; returns once /readyz is green
	$(RUN) dossier-stack up

.PHONY: demo
demo: install ## One sample candidate through the stack (started if needed); SANDBOX=1 for the free sandbox
	$(RUN) dossier-stack demo $(if $(SANDBOX),--sandbox)

.PHONY: down
down: .venv/.synced ## Stop everything `make up` started
	$(RUN) dossier-stack down

.PHONY: test
test: install ## Run the whole suite (unit, integration, e2e) against real Kafka and FerretDB
	bash scripts/check_deploy.sh --tools
	bash scripts/oasdiff.sh --tools
	bash scripts/browser.sh
	$(RUN) pytest

.PHONY: sdk-ts
sdk-ts: ## TypeScript SDK (sdks/typescript): npm ci, build, offline tests (make test runs them all against a stack)
	cd sdks/typescript && npm ci --no-audit --no-fund && npm run build && npm run test:unit

.PHONY: test-unit
test-unit: .venv/.synced ## Unit tests only (no servers)
	$(RUN) pytest tests/unit

.PHONY: sdk-models
sdk-models: ## Regenerate the Python SDK's models from docs/openapi.json
	python3 sdks/python/scripts/generate_models.py

.PHONY: lint
lint: .venv/.synced ## ruff lint + format check
	$(RUN) ruff check .
	$(RUN) ruff format --check .

.PHONY: format
format: .venv/.synced ## Format the code
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

.PHONY: typecheck
typecheck: .venv/.synced ## mypy --strict
	$(RUN) mypy

.PHONY: check
check: lint typecheck openapi-check ## Lint, type-check, and check the OpenAPI document (current, no breaking change)

.PHONY: openapi
openapi: .venv/.synced ## Rewrite docs/openapi.json from the app (commit it with the change)
	$(RUN) dossier openapi write

.PHONY: openapi-check
openapi-check: .venv/.synced ## docs/openapi.json is current and has no breaking change since the last release (oasdiff)
	$(RUN) dossier openapi check
	bash scripts/oasdiff.sh

.PHONY: asyncapi
asyncapi: .venv/.synced ## Regenerate docs/asyncapi.json (the event bus) from the FastStream apps
	DOSSIER_DEPLOYMENT=development $(RUN) python -m dossier.gateway.docs.asyncapi --write  # only builds the apps

.PHONY: secrets
secrets: ## Write random keys for docker compose into a git-ignored .env (once; existing keys are kept)
	python3 deploy/compose/write_env.py

.PHONY: deploy-check
deploy-check: $(UV) ## Validate the Dockerfile, docker-compose.yml and the Helm chart (no cluster needed)
	bash scripts/check_deploy.sh

.PHONY: bench
bench: install ## Benchmarks against a private local stack, ~15-25 min (the README's figures; benchmarks/results/latest.md)
	$(RUN) python -m benchmarks

.PHONY: bench-realistic
bench-realistic: install ## Providers at 1-3 s with errors and 429s: new-report p50/p99, throughput with 1 and 2 enrichment replicas (~6 min; benchmarks/results/realistic.md)
	$(RUN) python -m benchmarks --realistic

.PHONY: bench-quick
bench-quick: install ## Smoke-test the benchmark in a few minutes (benchmarks/results/quick.md; not for the README)
	$(RUN) python -m benchmarks --quick

.PHONY: clean
clean: down ## Remove runtime state (.dossier/)
	rm -rf .dossier
