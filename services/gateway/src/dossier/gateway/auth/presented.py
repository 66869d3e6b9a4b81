"""Which credential did the request present? One answer for every path that authenticates.

A key travels in its API's own header (`X-API-Key` for v1, `X-Partner-Key` for the
legacy API) or, as seeds 002–004 send it, in `Authorization: Bearer <key>`. The
scheme name is case-insensitive (RFC 9110 §11.1). Rules:

- neither present (an empty header counts as absent) → `None` (the caller answers 401);
- only one present → that one;
- both present and equal → that one; both present and different → 400
  `conflicting-credentials` (we never guess which one the client meant);
- `Authorization` with another scheme, or `Bearer` without a token → 401: it is a
  credential we cannot use, and silently ignoring it would hide a client's bug.

The extractor does not judge what the token is: the caller authenticates it as the
kind it accepts (an `ats_…` key, a `pk_…` key, later also a `wt_…` widget token),
so a new token kind needs no change here.
"""

from collections.abc import Mapping

from dossier.gateway.problems import ProblemError

V1_HEADER = "X-API-Key"
LEGACY_HEADER = "X-Partner-Key"
BEARER = "bearer"


def challenge(header: str) -> str:
    """The `WWW-Authenticate` value naming both ways to present a key (RFC 9110 §11.6.1)."""
    return f'Bearer realm="dossier", ApiKey header="{header}"'


def unauthorized(header: str, detail: str | None = None) -> ProblemError:
    return ProblemError(
        401,
        "unauthorized",
        "Unauthorized",
        detail
        or f"Send a valid, active API key in the {header} header or as "
        "`Authorization: Bearer <key>`.",
        headers={"WWW-Authenticate": challenge(header)},
    )


def conflicting_credentials(header: str) -> ProblemError:
    return ProblemError(
        400,
        "conflicting-credentials",
        "Conflicting credentials",
        f"The request carries two different keys, one in {header} and one in "
        "`Authorization: Bearer`. Send one key (in either place), or the same key in both.",
    )


def bearer_token(authorization: str, header: str) -> str:
    """The token of an `Authorization: Bearer <token>` value; 401 for any other shape."""
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != BEARER:
        raise unauthorized(
            header,
            "The Authorization header must use the Bearer scheme: `Authorization: Bearer <key>`.",
        )
    token = token.strip()
    if not token or any(c.isspace() for c in token):
        raise unauthorized(
            header, "The Authorization header carries no usable token after `Bearer`."
        )
    return token


def presented_key(headers: Mapping[str, str], header: str) -> str | None:
    """The key presented in `header` or as a Bearer token (see the module docstring)."""
    in_header = headers.get(header.lower()) or None
    authorization = (headers.get("authorization") or "").strip() or None  # empty: not sent
    if authorization is None:
        return in_header.strip() if in_header else None
    bearer = bearer_token(authorization, header)
    if in_header is not None and in_header.strip() != bearer:
        raise conflicting_credentials(header)
    return bearer
