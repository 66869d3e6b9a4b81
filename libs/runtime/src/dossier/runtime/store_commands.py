"""Every MongoDB command a process sends: counted always, and described on demand.

`StoreCommandListener` is registered on every client `connect_mongo` makes. It counts
each command into `dossier_store_commands_total{service,command,collection}` (the
round trips per analysis the benchmark reports). With `DOSSIER_MONGO_COMMAND_LOG` set
it also appends one JSON line per data command to a file: the filters' shapes, never
their values (`store_shapes.redact`), whether FerretDB would read them by `_id`, and
the background job that sent them, if any (`store_job`).

`DOSSIER_MONGO_COMMAND_LOG` is a path. `{service}` and `{pid}` in it are filled in
(`/tmp/cmds/{service}-{pid}.jsonl`); a path that is an existing directory, or ends in
`/`, gets `<service>-<pid>.jsonl` inside it. Each line is one `write` to a file opened
with `O_APPEND`, so processes sharing one file never interleave within a line.

    python -m dossier.runtime.store_commands report DIR

summarises the logs in DIR: commands per service, collection and command, and which
of them decode a whole collection on FerretDB.
"""

import argparse
import contextvars
import functools
import json
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from prometheus_client import Counter
from pymongo import monitoring

from dossier.runtime.metrics import STORE_COMMANDS
from dossier.runtime.store_shapes import DATA_COMMANDS, statement_is_keyed, statements

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

_job: contextvars.ContextVar[str | None] = contextvars.ContextVar("dossier_store_job", default=None)


def store_job(
    name: str,
) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Coroutine[Any, Any, T]]]:
    """Mark the commands a coroutine sends as background job `name`'s (a decorator).

    The command log records the job, so a scan a sweeper is allowed to make is told apart
    from the same query sent on a request path.
    """

    def decorate(function: Callable[P, Awaitable[T]]) -> Callable[P, Coroutine[Any, Any, T]]:
        @functools.wraps(function)
        async def within_job(*args: P.args, **kwargs: P.kwargs) -> T:
            token = _job.set(name)
            try:
                return await function(*args, **kwargs)
            finally:
                _job.reset(token)

        return within_job

    return decorate


def current_job() -> str | None:
    """The background job the current task runs as, if any."""
    return _job.get()


def command_log_path(template: str, service: str, pid: int) -> Path:
    """Where this process writes its command log (see the module doc)."""
    if "{" in template:
        return Path(template.format(service=service, pid=pid))
    path = Path(template)
    if template.endswith(("/", os.sep)) or path.is_dir():
        return path / f"{service}-{pid}.jsonl"
    return path


class CommandLog:
    """One JSON line per record, each a single `write` on an `O_APPEND` descriptor."""

    def __init__(self, template: str, service: str) -> None:
        self._template, self._service = template, service
        self._fd: int | None = None
        self._broken = False

    def write(self, record: Mapping[str, Any]) -> None:
        if self._broken:
            return
        try:
            line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
            if self._fd is None:
                path = command_log_path(self._template, self._service, os.getpid())
                path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.write(self._fd, line)
        except (OSError, TypeError, ValueError):
            self._broken = True  # a diagnostic must never take the service down
            log.exception("mongo command log disabled")


def collection_of(command: str, document: Mapping[str, Any]) -> str:
    target = document.get(command)
    if isinstance(target, str):
        return target
    if command == "getMore":
        return str(document.get("collection", ""))
    return ""


class StoreCommandListener(monitoring.CommandListener):
    """Counts every command; with a command log, describes every data command."""

    def __init__(self, service: str, command_log: str | None = None) -> None:
        self._service = service
        self._pid = os.getpid()
        self._counters: dict[tuple[str, str], Counter] = {}
        self._log = CommandLog(command_log, service) if command_log else None

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        name, document = event.command_name, event.command
        collection = collection_of(name, document)
        counter = self._counters.get((name, collection))
        if counter is None:
            counter = STORE_COMMANDS.labels(self._service, name, collection)
            self._counters[(name, collection)] = counter
        counter.inc()
        if self._log is not None and name in DATA_COMMANDS:
            self._log.write(self._record(event, name, collection, document))

    def _record(
        self,
        event: monitoring.CommandStartedEvent,
        name: str,
        collection: str,
        document: Mapping[str, Any],
    ) -> dict[str, Any]:
        described = statements(name, document)
        for statement in described:
            statement["keyed"] = statement_is_keyed(name, statement)
        record: dict[str, Any] = {
            "ts": round(time.time(), 3),
            "service": self._service,
            "pid": self._pid,
            "job": current_job(),
            "db": event.database_name,
            "command": name,
            "collection": collection,
            "statements": described,
        }
        if name == "insert":
            record["documents"] = len(document.get("documents") or [])
        return record

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


# reading the logs back ----------------------------------------------------------------------
@dataclass
class Access:
    """One distinct way a process touched a collection, and how often it did."""

    service: str
    job: str | None
    command: str
    collection: str
    statement: dict[str, Any]
    count: int = 0
    databases: set[str] = field(default_factory=set)

    @property
    def shape(self) -> str:
        """The statement as compact JSON, without the verdict: what a person reads."""
        described = {k: v for k, v in self.statement.items() if k != "keyed" and v not in (None, 0)}
        return json.dumps(described, separators=(",", ":"), sort_keys=True)

    @property
    def keyed(self) -> bool:
        return statement_is_keyed(self.command, self.statement)


def read_command_logs(directory: Path) -> Iterator[dict[str, Any]]:
    """Every record in the `*.jsonl` files under `directory` (a torn last line is skipped)."""
    for path in sorted(directory.rglob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(record, dict) and "command" in record:
                    yield record


def accesses(records: Iterable[Mapping[str, Any]]) -> list[Access]:
    """Group records by (service, job, command, collection, statement shape), most used first."""
    grouped: dict[tuple[str, str | None, str, str, str], Access] = {}
    for record in records:
        for statement in record.get("statements") or [{}]:
            access = Access(
                record["service"],
                record.get("job"),
                record["command"],
                record["collection"],
                dict(statement),
            )
            key = (access.service, access.job, access.command, access.collection, access.shape)
            found = grouped.setdefault(key, access)
            found.count += 1
            found.databases.add(str(record.get("db", "")))
    return sorted(
        grouped.values(),
        key=lambda a: (a.service, a.collection, a.command, -a.count, a.shape),
    )


def table(rows: Iterable[Access], *, note: Callable[[Access], str] | None = None) -> str:
    """A plain-text table of accesses, one per line."""
    header = ("service", "job", "collection", "command", "count", "filter shape")
    body = [
        (
            a.service,
            a.job or "-",
            a.collection,
            a.command,
            str(a.count),
            a.shape + (f"  [{note(a)}]" if note else ""),
        )
        for a in rows
    ]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)), row[-1]])
        for row in [header, *body]
    )


def report(directory: Path) -> str:
    """Commands per service, collection and command, then every access that is not by `_id`."""
    found = accesses(read_command_logs(directory))
    totals: dict[tuple[str, str, str], int] = {}
    for a in found:
        totals[(a.service, a.collection, a.command)] = (
            totals.get((a.service, a.collection, a.command), 0) + a.count
        )
    lines = ["commands per service, collection and command:"]
    lines += [f"  {s:<12} {c:<24} {cmd:<14} {n:>8}" for (s, c, cmd), n in sorted(totals.items())]
    scans = [a for a in found if not a.keyed]
    lines += ["", f"not by _id on FerretDB (a whole-collection decode each): {len(scans)}"]
    if scans:
        lines.append(table(scans))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dossier.runtime.store_commands")
    actions = parser.add_subparsers(dest="action", required=True)
    summary = actions.add_parser("report", help="summarise the command logs in a directory")
    summary.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        parser.error(f"{args.directory} is not a directory")
    sys.stdout.write(report(args.directory) + "\n")


if __name__ == "__main__":
    main()
