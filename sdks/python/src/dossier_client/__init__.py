"""The official Python client of the Dossier Candidate Intelligence API.

from dossier_client import Dossier
client = Dossier(api_key="dsk_...", base_url="http://localhost:8000")
"""

from dossier_client import models, webhooks
from dossier_client.client import AsyncDossier, Dossier
from dossier_client.errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DossierError,
    NotFoundError,
    PayloadTooLargeError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
    WaitTimeoutError,
    WebhookVerificationError,
)

__version__ = "0.1.0"

__all__ = [
    "APIConnectionError",
    "APIError",
    "AsyncDossier",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "Dossier",
    "DossierError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "ValidationError",
    "WaitTimeoutError",
    "WebhookVerificationError",
    "__version__",
    "models",
    "webhooks",
]
