"""The scopes a replayed POST needs come from the app's own route table."""

from dossier.gateway.app import create_app
from dossier.gateway.idempotency.scopes import required_scopes
from dossier.gateway.settings import GatewaySettings


def scope(path: str, method: str = "POST") -> dict[str, object]:
    return {"type": "http", "method": method, "path": path, "root_path": ""}


def test_each_idempotent_post_needs_the_scope_of_its_endpoint() -> None:
    app = create_app(GatewaySettings())

    assert required_scopes(app, scope("/api/v1/analyses")) == {"analyses:write"}
    assert required_scopes(app, scope("/api/v1/keys")) == {"keys:manage"}
    assert required_scopes(app, scope("/api/v1/webhooks")) == {"webhooks:manage"}


def test_a_path_no_route_serves_needs_nothing() -> None:
    app = create_app(GatewaySettings())

    assert required_scopes(app, scope("/api/v1/nowhere")) == frozenset()
