"""`python -m dossier.gateway`: serve the API with uvicorn; SIGTERM drains and stops."""

import uvicorn

from dossier.gateway.app import create_app
from dossier.gateway.settings import GatewaySettings
from dossier.runtime.logging import configure_logging


def main() -> None:
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=15,
    )


if __name__ == "__main__":
    main()
