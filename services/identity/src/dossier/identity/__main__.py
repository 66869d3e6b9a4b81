"""`python -m dossier.identity`."""

from dossier.identity.app import build
from dossier.identity.settings import IdentitySettings
from dossier.runtime.service import run_consumer

if __name__ == "__main__":
    run_consumer(IdentitySettings(), build)
