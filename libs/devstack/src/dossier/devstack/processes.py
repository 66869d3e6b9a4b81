"""Managed child processes: start with logs to a file, wait for readiness, stop cleanly."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class StartupError(RuntimeError):
    """A process did not become ready in time; the message carries its log tail."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def log_tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class ManagedProcess:
    """One child process; its pid is written to `pid_file` so `down` can find it later."""

    name: str
    argv: list[str]
    log_path: Path
    pid_file: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    ready: Callable[[], bool] = lambda: True
    stop_signal: int = signal.SIGTERM  # what asks this program to shut down cleanly
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(  # noqa: S603 - argv built by us
                self.argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **self.env},
                cwd=self.cwd,
                start_new_session=True,  # Ctrl-C in the terminal reaches us, not the children
            )
        if self.pid_file is not None:
            self.pid_file.parent.mkdir(parents=True, exist_ok=True)
            self.pid_file.write_text(str(self.proc.pid))

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                msg = f"{self.name} exited during start-up:\n{log_tail(self.log_path)}"
                raise StartupError(msg)
            if self.ready():
                return
            time.sleep(0.2)
        msg = f"{self.name} not ready after {timeout:.0f}s:\n{log_tail(self.log_path)}"
        raise StartupError(msg)

    def stop(self, timeout: float = 20.0) -> None:
        """`stop_signal`, wait, then SIGKILL: the process gets its chance to shut down cleanly."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(self.stop_signal)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.pid_file is not None:
            self.pid_file.unlink(missing_ok=True)

    def kill(self) -> None:
        """SIGKILL, no warning: what a crash looks like."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def live_pid(pid_file: Path, signature: str | None = None) -> int | None:
    """The pid recorded in `pid_file` if that process is still alive, else None.

    `signature`, a string its command line must contain, guards against a recycled pid:
    after a crash the number may now belong to some unrelated process.
    """
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, owned by another account (PostgreSQL run as its own user)
    if signature is not None:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            return pid  # no /proc (macOS): trust the pid file
        if signature.encode() not in cmdline:
            return None
    with contextlib.suppress(OSError):  # a zombie child of ours counts as dead
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            return None
    return pid


def stop_pid_file(pid_file: Path, timeout: float = 20.0, sig: int = signal.SIGTERM) -> bool:
    """Stop a process started by an earlier `up` (we only have its pid). True if one was running."""
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return False
    pid_file.unlink(missing_ok=True)
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    return True
