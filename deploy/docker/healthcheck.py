"""Container HEALTHCHECK: GET /healthz on whichever port this container's Dossier process serves.

One image runs five services, and each serves its probes on a different port: the gateway on
DOSSIER_HTTP_PORT, consumers on DOSSIER_METRICS_PORT (each with its own default). The check
finds the running `dossier.<service>` module from /proc so one HEALTHCHECK fits them all.
Standard library only: the image carries no curl.
"""

import os
import sys
import urllib.request
from pathlib import Path

DEFAULT_PORTS = {
    "gateway": 8080,
    "identity": 9101,
    "enrichment": 9102,
    "reporter": 9103,
    "billing": 9104,
}
FALLBACK_PORT = 9100


def running_service() -> str | None:
    """The `<name>` of the first process started as `python -m dossier.<name>`."""
    for cmdline in sorted(Path("/proc").glob("[0-9]*/cmdline")):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        for arg in argv:
            if arg.startswith(b"dossier."):
                return arg.decode().removeprefix("dossier.")
    return None


def probe_port(service: str | None) -> int:
    explicit = os.environ.get("DOSSIER_HEALTHCHECK_PORT")
    if explicit:
        return int(explicit)
    if service == "gateway":
        return int(os.environ.get("DOSSIER_HTTP_PORT", DEFAULT_PORTS["gateway"]))
    configured = os.environ.get("DOSSIER_METRICS_PORT")
    if configured:
        return int(configured)
    return DEFAULT_PORTS.get(service or "", FALLBACK_PORT)


def main() -> int:
    url = f"http://127.0.0.1:{probe_port(running_service())}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"unhealthy: {url}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
