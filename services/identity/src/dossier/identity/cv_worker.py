"""Parsing CVs in worker processes, each parse under a time budget.

The parser is pure Python and CPU-bound. Run on the event loop, a slow parse stops
everything else the process does, Kafka heartbeats included: the consumer group
rebalances, the message is redelivered and parsed again. The parser is linear and
capped (`domain.bounded_text`), so this is the second line of defence, for whatever
input a future pattern gets wrong.

Why processes and not threads: a thread keeps the loop (and the heartbeats) alive,
but Python cannot stop a thread, and a runaway parse would keep its thread and its
share of the GIL until it ends, however long that is. A process can be killed. So
each parse goes to an idle worker process; if no answer comes within the budget the
worker is killed and replaced, and the caller gets `None`: the analysis goes on
without the CV's facts (the stage says so in a finding) instead of failing, or being
redelivered to a parse that will never finish.

Workers are spawned (not forked: the service runs threads for Kafka and MongoDB) and
say when they are ready, so their start-up never counts against a parse's budget.
"""

import asyncio
import contextlib
import datetime as dt
import logging
import multiprocessing
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import cast

from dossier.contracts.claims import CvClaims
from dossier.identity.domain.cv_parser import parse_cv

log = logging.getLogger(__name__)

_READY = "ready"


class CvParserError(Exception):
    """The parser itself raised: a bug, not a budget problem (the stage retries it)."""


def _serve(conn: Connection) -> None:
    """A worker's life: answer parse requests until the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    conn.send(_READY)
    while True:
        try:
            text, today = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", parse_cv(text, today=today).model_dump_json())
        except Exception as exc:  # sent back, raised in the parent
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection


async def _receive(conn: Connection, within_seconds: float) -> object:
    """The next message from a worker, or TimeoutError after `within_seconds`."""
    loop = asyncio.get_running_loop()
    readable: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not readable.done():
            readable.set_result(None)

    loop.add_reader(conn.fileno(), wake)
    try:
        await asyncio.wait_for(readable, within_seconds)
    finally:
        loop.remove_reader(conn.fileno())
    return conn.recv()


class CvParserPool:
    """`workers` processes parsing CVs; each parse answers within `budget_seconds` or
    yields `None`."""

    def __init__(
        self,
        *,
        workers: int,
        budget_seconds: float,
        start_timeout_seconds: float = 120.0,
        wait_for_worker_seconds: float = 120.0,
    ) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._size = workers
        self.budget_seconds = budget_seconds
        self._start_timeout = start_timeout_seconds
        self._wait_for_worker = wait_for_worker_seconds
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._starting: set[asyncio.Task[None]] = set()
        self._closed = False
        self.timeouts = 0  # parses abandoned over budget, for tests and logs

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (idle or busy)."""
        return sorted(w.process.pid for w in self._all if w.process.pid and w.process.is_alive())

    async def start(self) -> None:
        """Spawn the workers; returns at once, they join the pool when ready."""
        for _ in range(self._size):
            self._spawn_soon()

    def _spawn_soon(self, *, after: BaseProcess | None = None) -> None:
        task = asyncio.get_running_loop().create_task(self._spawn(after))
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _spawn(self, dead: BaseProcess | None) -> None:
        if dead is not None:
            await asyncio.to_thread(dead.join, 5)  # reap the killed worker
        while not self._closed:
            parent, child = self._context.Pipe()
            worker = _Worker(
                self._context.Process(
                    target=_serve, args=(child,), name="dossier-cv-parser", daemon=True
                ),
                parent,
            )
            self._all.add(worker)
            try:
                worker.process.start()
                child.close()
                if await _receive(parent, self._start_timeout) == _READY and not self._closed:
                    self._idle.put_nowait(worker)
                    return
            except Exception:
                log.exception("a CV parser worker did not start; retrying")
            self._discard(worker)
            await asyncio.sleep(1.0)

    def _discard(self, worker: _Worker) -> BaseProcess:
        self._all.discard(worker)
        if worker.process.is_alive():
            worker.process.kill()
        worker.conn.close()
        return worker.process

    def _replace(self, worker: _Worker) -> None:
        dead = self._discard(worker)
        if not self._closed:
            self._spawn_soon(after=dead)

    async def parse(self, text: str, today: dt.date) -> CvClaims | None:
        """The CV's claims, or `None` when no worker answered within the budget (or
        none was free for `wait_for_worker_seconds`)."""
        try:
            worker = await asyncio.wait_for(self._idle.get(), self._wait_for_worker)
        except TimeoutError:
            log.warning("no CV parser worker free; analysis goes on without the CV")
            return None
        started = time.monotonic()
        try:
            worker.conn.send((text, today))
            status, payload = cast(
                tuple[str, str], await _receive(worker.conn, self.budget_seconds)
            )
        except TimeoutError:
            self.timeouts += 1
            log.warning(
                "CV parse over its budget; worker killed, analysis goes on without the CV",
                extra={"budget_seconds": self.budget_seconds, "cv_chars": len(text)},
            )
            self._replace(worker)
            return None
        except (EOFError, OSError):
            log.warning("CV parser worker died; analysis goes on without the CV")
            self._replace(worker)
            return None
        except BaseException:  # cancelled mid-parse: the worker's state is unknown
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        if time.monotonic() - started > self.budget_seconds:
            # The answer came, but after the budget: the loop reached the worker's reply
            # before its timer (a busy or descheduled process). The budget holds either way.
            self.timeouts += 1
            log.warning(
                "CV parse answered over its budget; analysis goes on without the CV",
                extra={"budget_seconds": self.budget_seconds, "cv_chars": len(text)},
            )
            return None
        if status != "ok":
            raise CvParserError(payload)
        return CvClaims.model_validate_json(payload)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._starting):
            task.cancel()
        stopped = [self._discard(worker) for worker in list(self._all)]
        for process in stopped:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(process.join, 5)
