"""`python -m dossier.webhooks`."""

from dossier.runtime.service import run_consumer
from dossier.webhooks.app import build
from dossier.webhooks.settings import WebhooksSettings

if __name__ == "__main__":
    run_consumer(WebhooksSettings(), build)
