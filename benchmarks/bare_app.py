"""The floor for a GET: one `find_one({"_id": id})` on the analyses collection, as JSON.

Served by uvicorn with the gateway's settings (`dossier.gateway.__main__`: one process,
default loop and HTTP parser — uvloop and httptools when installed —, no access log), so
`gateway req/s ÷ bare req/s` is what the gateway's work per request costs over the store.
"""

import argparse
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pymongo import AsyncMongoClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dossier.runtime.collections import ANALYSES
from dossier.runtime.service import serve_http


def create_app(mongo_url: str, database: str, collection: str = ANALYSES) -> Starlette:
    # The gateway's client options (`dossier.runtime.mongo.connect_mongo`).
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongo_url,
        tz_aware=True,
        serverSelectionTimeoutMS=5_000,
        connectTimeoutMS=3_000,
        appname="bare_app",
    )
    analyses = client[database][collection]

    async def get_analysis(request: Request) -> Response:
        doc = await analyses.find_one({"_id": request.path_params["analysis_id"]})
        if doc is None:
            return JSONResponse({"detail": "not found"}, status_code=404)
        return Response(json.dumps(doc, default=str), media_type="application/json")

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await client.close()

    return Starlette(
        routes=[
            Route("/analyses/{analysis_id}", get_analysis),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mongo-url", required=True)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    serve_http(create_app(args.mongo_url, args.database), "127.0.0.1", args.port)


if __name__ == "__main__":
    main()
