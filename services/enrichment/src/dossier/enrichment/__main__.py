"""`python -m dossier.enrichment`."""

from dossier.enrichment.app import build
from dossier.enrichment.settings import EnrichmentSettings
from dossier.runtime.service import run_consumer

if __name__ == "__main__":
    run_consumer(EnrichmentSettings(), build)
