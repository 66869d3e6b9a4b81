"""Liveness, readiness and metrics endpoints."""

import asyncio

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from dossier.gateway.dependencies import Ctx
from dossier.runtime.mongo import mongo_is_ready
from dossier.runtime.service import kafka_is_ready

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="The process is alive", operation_id="getHealth")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Kafka and MongoDB are reachable", operation_id="getReadiness")
async def readyz(ctx: Ctx) -> JSONResponse:
    kafka_ok, mongo_ok = await asyncio.gather(kafka_is_ready(ctx.broker), mongo_is_ready(ctx.mongo))
    ready = kafka_ok and mongo_ok
    return JSONResponse(
        {
            "status": "ready" if ready else "not ready",
            "checks": {"kafka": kafka_ok, "mongodb": mongo_ok},
        },
        status_code=200 if ready else 503,
    )


@router.get("/metrics", include_in_schema=False, operation_id="getMetrics")
async def prometheus_metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
