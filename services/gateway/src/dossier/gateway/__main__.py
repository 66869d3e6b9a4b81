"""`python -m dossier.gateway`: serve the API with uvicorn; SIGTERM drains and stops."""

from dossier.gateway.app import create_app
from dossier.gateway.settings import GatewaySettings
from dossier.runtime.logging import configure_logging
from dossier.runtime.service import serve_http


def main() -> None:
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level)
    serve_http(create_app(settings), settings.http_host, settings.http_port)


if __name__ == "__main__":
    main()
