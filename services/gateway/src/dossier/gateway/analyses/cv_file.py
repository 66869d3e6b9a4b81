"""`candidate.cv_file`: a CV sent as a file becomes CV text before anything is created.

Read here, in memory, on the request: the partner learns synchronously (422) that a file
is not what its name says or cannot be read, and nothing is created or charged. What
comes out is the same plain text a partner could have sent as `candidate.cv`, and from
there it follows exactly the CV's privacy path (sealed with the analysis's data key,
never stored, shredded at the end). The file's bytes live only in this function's frame.

Reading is CPU work in pure Python (pypdf), so it runs in a worker thread — the event
loop keeps answering polls — under a per-process limit of concurrent reads and a time
budget: a PDF's pages are read until the budget is spent, and what was read is the CV.
"""

import asyncio
import base64
import binascii
import time
from dataclasses import dataclass

from fastapi import Request

from dossier.contracts.api import (
    CV_FILE_MAX_BYTES,
    CV_FILE_TYPES,
    AnalysisCreate,
    CvFile,
    FieldError,
)
from dossier.gateway.analyses.cv_file_text import (
    UnreadableCvFileError,
    extract_text,
    file_type_of,
)
from dossier.gateway.problems import ProblemError

#: How the routes that take `cv_file` describe their `413`.
CV_FILE_ROUTE_413 = (
    "The body is over 12 MiB (this route takes CV files of up to 8 MiB, sent in base64; "
    "every other route allows 1 MiB)."
)


@dataclass(frozen=True)
class CvFileText:
    """The text read from a CV file; empty when the file holds none (a scanned PDF)."""

    text: str

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())


def cv_file_problem(field: str, message: str) -> ProblemError:
    """A 422 naming the field at fault, in the shape of every validation problem."""
    return ProblemError(
        422,
        "validation-error",
        "Invalid request",
        f"Invalid fields: {field}.",
        errors=[FieldError(field=field, message=message, type="cv_file")],
    )


def decode_cv_file(cv_file: CvFile, *, prefix: str) -> bytes:
    """The file's bytes, or a 422 for a bad name, bad base64 or a file over 8 MiB."""
    if file_type_of(cv_file.filename) is None:
        raise cv_file_problem(
            f"{prefix}.filename",
            "must end in one of " + ", ".join(f".{t}" for t in CV_FILE_TYPES),
        )
    encoded = cv_file.content_base64.replace("\r", "").replace("\n", "")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise cv_file_problem(
            f"{prefix}.content_base64", "is not valid base64 (RFC 4648, standard alphabet)"
        ) from None
    if not data:
        raise cv_file_problem(f"{prefix}.content_base64", "is empty")
    if len(data) > CV_FILE_MAX_BYTES:
        raise cv_file_problem(
            f"{prefix}.content_base64",
            f"decodes to {len(data)} bytes; CV files are limited to {CV_FILE_MAX_BYTES} bytes",
        )
    return data


def read_cv_file_now(cv_file: CvFile, *, budget_seconds: float, prefix: str) -> CvFileText:
    """Validate and read a CV file on this thread. Problems never quote the file (nor its
    name, which often is the candidate's)."""
    data = decode_cv_file(cv_file, prefix=prefix)
    kind = file_type_of(cv_file.filename)
    if kind is None:  # pragma: no cover - refused by decode_cv_file
        raise cv_file_problem(f"{prefix}.filename", "has no known extension")
    try:
        text = extract_text(kind, data, deadline=time.monotonic() + budget_seconds)
    except UnreadableCvFileError as exc:
        raise cv_file_problem(f"{prefix}.content_base64", f"the file {exc}") from None
    return CvFileText(text)


def _readers(request: Request, limit: int) -> asyncio.Semaphore:
    """This process's limit on CV files read at once (created on first use)."""
    readers: asyncio.Semaphore | None = getattr(request.app.state, "cv_file_readers", None)
    if readers is None:
        readers = request.app.state.cv_file_readers = asyncio.Semaphore(limit)
    return readers


async def read_cv_file(
    request: Request,
    cv_file: CvFile,
    *,
    prefix: str,
    budget_seconds: float,
    concurrency: int,
) -> CvFileText:
    """Validate and read a CV file (422 naming `prefix.filename` or `prefix.content_base64`
    when it cannot be), off the event loop."""
    async with _readers(request, concurrency):
        return await asyncio.to_thread(
            read_cv_file_now, cv_file, budget_seconds=budget_seconds, prefix=prefix
        )


async def with_cv_file_read(
    request: Request,
    body: AnalysisCreate,
    *,
    budget_seconds: float,
    concurrency: int,
    prefix: str = "candidate.cv_file",
) -> tuple[AnalysisCreate, bool]:
    """`body` with its CV file replaced by the text read from it (as if sent as `cv`), and
    whether the file held no text at all. A body without a file is returned as it is."""
    cv_file = body.candidate.cv_file
    if cv_file is None:
        return body, False
    read = await read_cv_file(
        request, cv_file, prefix=prefix, budget_seconds=budget_seconds, concurrency=concurrency
    )
    candidate = body.candidate.model_copy(
        update={"cv": read.text if read.has_text else None, "cv_file": None}
    )
    return body.model_copy(update={"candidate": candidate}), not read.has_text
