"""`python -m dossier.reporter`."""

from dossier.reporter.app import build
from dossier.reporter.settings import ReporterSettings
from dossier.runtime.service import run_consumer

if __name__ == "__main__":
    run_consumer(ReporterSettings(), build)
