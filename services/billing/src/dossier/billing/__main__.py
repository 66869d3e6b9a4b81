"""`python -m dossier.billing`."""

from dossier.billing.app import build
from dossier.billing.settings import BillingSettings
from dossier.runtime.service import run_consumer

if __name__ == "__main__":
    run_consumer(BillingSettings(), build)
