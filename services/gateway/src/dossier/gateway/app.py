"""The gateway: wiring and lifespan. Routes live in their feature modules."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from dossier.gateway.analyses.endpoints import router as analyses_router
from dossier.gateway.analyses.feedback import router as feedback_router
from dossier.gateway.audit import endpoints as audit
from dossier.gateway.context import GatewayContext
from dossier.gateway.demo import endpoints as demo
from dossier.gateway.docs import endpoints as docs
from dossier.gateway.docs.openapi import install_openapi
from dossier.gateway.health import router as health_router
from dossier.gateway.keys import endpoints as keys
from dossier.gateway.legacy.deprecation import install_deprecation_headers
from dossier.gateway.legacy.endpoints import router as legacy_router
from dossier.gateway.me import endpoints as me
from dossier.gateway.middleware import install_middleware
from dossier.gateway.privacy import endpoints as privacy
from dossier.gateway.problems import install_problem_handlers
from dossier.gateway.reports.endpoints import router as reports_router
from dossier.gateway.settings import GatewaySettings
from dossier.gateway.sweeper import run_sweeper
from dossier.gateway.telemetry import install_tracing
from dossier.gateway.usage import endpoints as usage
from dossier.gateway.webhooks import endpoints as webhooks
from dossier.gateway.widget import endpoints as widget
from dossier.runtime.indexes import apply_for_server
from dossier.runtime.kafka import ensure_topics, make_broker
from dossier.runtime.mongo import connect_mongo

#: Partner-platform features: each module has a `router`.
FEATURES = (me, keys, webhooks, usage, audit, privacy, docs, widget)


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        mongo = connect_mongo(settings, serves_requests=True)
        broker = make_broker(settings)
        if settings.deployment == "development":
            await ensure_topics(settings.kafka_bootstrap_servers)
        await broker.connect()
        ctx = GatewayContext.build(settings, mongo, broker)
        # The one list (docs/indexes.md); deployments also apply it before the services start.
        await apply_for_server(ctx.db)
        app.state.ctx = ctx
        sweeper = asyncio.create_task(run_sweeper(ctx))
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            await broker.stop()
            await mongo.close()

    app = FastAPI(
        title="Dossier — Candidate Intelligence API",
        version="1.0.0",
        lifespan=lifespan,
        # FastAPI's Swagger UI and Redoc pages load from a public CDN: the portal (docs/) serves
        # its own reference at /docs instead, from the gateway's files.
        docs_url=None,
        redoc_url=None,
        description="Resolve a candidate's identity, gather evidence beyond the CV and get a "
        "decision-support report with cited evidence, in the recruiter's language.",
    )
    install_problem_handlers(app)
    install_openapi(app)
    install_middleware(app)
    install_deprecation_headers(app, settings.legacy_deprecated_at, settings.legacy_sunset_at)
    # The report button calls the API from partners' pages (other origins) with a Bearer
    # widget token; no cookies are involved, so any origin may call (credentials stay off).
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Last-Event-ID", "If-None-Match"],
        expose_headers=[
            *("Retry-After", "Location", "ETag", "X-Request-ID"),
            *("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"),
        ],
    )
    install_tracing(app)  # last: outermost
    for router in (health_router, analyses_router, feedback_router, legacy_router, reports_router):
        app.include_router(router)
    for feature in FEATURES:
        app.include_router(feature.router)
    if settings.deployment == "development":
        app.include_router(demo.router)  # the demo ATS page: never outside development
    return app
